// cmksim graph: the resource graph of a scenario as text or Graphviz DOT, at
// the start or at a simulated time, and the blast radius of revoking a key
// (INTERFACE.md §1).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/command.h"
#include "sim/core/civil_time.h"
#include "sim/core/text.h"
#include "sim/graph/graph_format.h"
#include "sim/graph/impact.h"
#include "sim/graph/resource_graph.h"
#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/model/model.h"
#include "sim/scenario/duration.h"

namespace cmksim {
namespace {

struct GraphOptions {
  std::string scenario;
  std::string format = "text";
  std::string at;                   // as given, for messages
  std::optional<DurationMs> at_ms;  // --at, read as a duration from the start
  std::optional<std::int64_t> at_epoch_ms;  // --at, read as an ISO 8601 time (against the scenario's start)
  std::optional<std::string> impact;  // resolved against the graph (a key, a vault or an identity)
  std::optional<std::uint64_t> seed;
  std::string profile;
  std::optional<Timing> timing;
  LoadLimits limits;  // --max-work: what --at may simulate
};

Status read_format(const std::string& value, std::string& format) {
  if (value != "text" && value != "dot") {
    return Error("--format expects text or dot, got '" + value + "'" + did_you_mean(value, {"text", "dot"}));
  }
  format = value;
  return {};
}

Status read_at(const std::string& value, GraphOptions& o) {
  o.at = value;
  if (looks_like_iso8601(value)) {  // as `at:` in a scenario (D1): a time within the run
    o.at_epoch_ms = parse_iso8601_ms(value);
    if (!o.at_epoch_ms) return Error("--at: '" + value + "' is not an ISO 8601 time like 2026-01-05T06:00:00Z");
    return {};
  }
  const Expected<DurationMs> parsed = parse_duration(value);
  if (!parsed) return Error("--at: " + parsed.error().message);
  o.at_ms = *parsed;
  return {};
}

Status read_impact(const std::string& value, std::optional<std::string>& impact) {
  const bool key_form = value.find('/') != std::string::npos && value.rfind("vault:", 0) != 0 &&
                        value.rfind("identity:", 0) != 0;
  if (value.empty() || (key_form && !parse_key_target(value))) {
    return Error("--impact expects VAULT/KEY, VAULT/KEY/VERSION, a vault or an identity, got '" + value + "'");
  }
  impact = value;
  return {};
}

// Refused and still pending operations, on stderr: what the graph leaves out.
void note_operations(const GraphOptions& options, const GraphSnapshot& snapshot, TimeMs at_ms, std::ostream& err) {
  for (const OperationRow& op : snapshot.operations) {
    if (op.status >= 300) {
      err << options.scenario << ": note: not in the graph: " << op.event_id << " at " << format_duration(op.t_ms)
          << ": " << op.action << " " << one_line(op.target) << ": " << op.status << " " << one_line(op.message)
          << "\n";
    } else if (!op.completed_ms) {
      err << options.scenario << ": note: pending at " << format_duration(at_ms) << ": " << op.event_id << ": "
          << op.action << " " << one_line(op.target) << ", requested at " << format_duration(op.t_ms)
          << " (its edges change when it completes)\n";
    }
  }
}

int graph(const GraphOptions& options, std::ostream& out, std::ostream& err) {
  const Expected<Scenario> loaded = load_scenario_file(options.scenario);
  if (!loaded) return bad_input(err, loaded.error().str());
  const Scenario& scenario = *loaded;
  TimeMs at_ms = options.at_ms.value_or(0);
  if (options.at_epoch_ms) {
    if (!scenario.start_epoch_ms) {
      return bad_input(err, "cmksim graph: --at " + options.at +
                                " is a date, but the scenario has no 'start' (give a duration like 1d6h)");
    }
    at_ms = *options.at_epoch_ms - *scenario.start_epoch_ms;
    if (at_ms < 0) {
      return bad_input(err, "cmksim graph: --at " + options.at + " is before the scenario's start (" +
                                scenario.start + ")");
    }
  }
  if (at_ms > scenario.duration_ms) {
    return bad_input(err, "cmksim graph: --at " + options.at + " is after the scenario's end (" +
                              format_duration(scenario.duration_ms) + ")");
  }
  RunSettings settings;
  const Expected<Profile> profile = build_profile(scenario, {}, options.profile);
  if (!profile) return bad_input(err, profile.error().str());
  if (const Status bounded = check_work(scenario, *profile, options.limits.max_work, at_ms); !bounded) {
    return bad_input(err, bounded.error().str());
  }
  settings.profile = *profile;
  settings.timing = options.timing.value_or(scenario.timing);
  if (settings.timing == Timing::kBounds) {  // one graph: the latest extreme (D7)
    err << "note: timing bounds draws one graph, the one of timing latest\n";
    settings.timing = Timing::kLatest;
  }
  settings.seed = options.seed.value_or(scenario.seed);
  const GraphSnapshot snapshot = graph_snapshot(scenario, settings, at_ms);
  const ResourceGraph& graph = snapshot.graph;
  note_operations(options, snapshot, at_ms, err);
  const std::string title = scenario.name.empty() ? options.scenario : scenario.name;
  if (!options.impact) {
    out << (options.format == "dot" ? format_dot(graph, title) : format_text(graph, title));
    return kExitOk;
  }
  const Expected<KeyTarget> resolved = resolve_impact_target(graph, *options.impact);
  if (!resolved) return bad_input(err, "cmksim graph: --impact: " + resolved.error().message);
  const KeyTarget& target = *resolved;
  const Expected<KeyImpact> impact = target_impact(graph, target);
  if (!impact) return bad_input(err, "cmksim graph: --impact: " + impact.error().message);
  out << (options.format == "dot"
              ? format_dot(graph, title + ": revoking " + target.str(), impact_vertices(graph, *impact))
              : format_impact(*impact));
  return kExitOk;
}

}  // namespace

CommandAction define_graph(CLI::App& app) {
  app.description(
      "Prints the scenario's resources and what depends on what: an indented tree (text, the default)\n"
      "or Graphviz DOT. --at shows the graph as the model holds it once the events up to that simulated\n"
      "time (e.g. 1d6h) have run: a link, unlink, key update or cluster deletion counts from its\n"
      "completion, which depends on the run's seed, profile and timing (default: the scenario's), as in\n"
      "cmksim run. Refused and still pending operations are noted on stderr.\n"
      "--impact lists every cluster, workspace and identity, and the GB by protection class, that\n"
      "revoking that key (or version), every key of a vault, or an identity's access would make\n"
      "inaccessible (CMK data, and the MMK data in the affected storage, unqueryable with its\n"
      "workspaces, D8), and what it would not; with --format dot\n"
      "the graph is drawn with that blast radius outlined. Exit status 0, or 2 on bad input.\n");
  app.footer(
      "examples: cmksim graph scenarios/key-disabled-6h.yaml --format dot | dot -Tsvg -o graph.svg\n"
      "          cmksim graph scenarios/security-review-worst-case.yaml --impact kv-shared/key-finance\n"
      "          cmksim graph scenarios/two-clusters-one-vault.yaml --impact kv-shared\n");
  const auto o = std::make_shared<GraphOptions>();
  add_operand(app, "SCENARIO.yaml", "scenario", o->scenario)->required();
  add_read_option(app, "--format", "text|dot", "an indented tree (default) or Graphviz DOT",
                  [o](const std::string& v) { return read_format(v, o->format); });
  add_read_option(app, "--at", "TIME",
                  "the graph once the events up to that simulated time have run: a duration from the\n"
                  "start (1d6h) or, with the scenario's start, an ISO 8601 time (2026-01-06T06:00:00Z)",
                  [o](const std::string& v) { return read_at(v, *o); });
  add_read_option(app, "--impact", "VAULT/KEY[/VERSION]|VAULT|IDENTITY",
                  "what revoking that key or version, a vault's keys or an identity's access would cut off",
                  [o](const std::string& v) { return read_impact(v, o->impact); });
  add_seed_option(app, o->seed);
  add_profile_option(app, o->profile);
  add_timing_option(app, o->timing);
  add_max_work_option(app, o->limits);
  return [o](std::ostream& out, std::ostream& err) { return graph(*o, out, err); };
}

}  // namespace cmksim
