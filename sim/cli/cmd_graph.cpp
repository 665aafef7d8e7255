// cmksim graph: the resource graph of a scenario as text or Graphviz DOT, at
// the start or at a simulated time, and the blast radius of revoking a key
// (INTERFACE.md §1).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/cli_support.h"
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

const char* const kGraphUsage =
    "usage: cmksim graph SCENARIO.yaml [--format text|dot] [--at TIME] [--impact VAULT/KEY[/VERSION]]\n"
    "                    [--seed N] [--profile P] [--timing sampled|worst|best]\n"
    "Prints the scenario's resources and what depends on what: an indented tree (text, the default)\n"
    "or Graphviz DOT. --at shows the graph as the model holds it once the events up to that simulated\n"
    "time (e.g. 1d6h) have run: a link, unlink, key update or cluster deletion counts from its\n"
    "completion, which depends on the run's seed, profile and timing (default: the scenario's), as in\n"
    "cmksim run. Refused and still pending operations are noted on stderr.\n"
    "--impact lists every cluster, workspace and identity, and the GB by protection class, that\n"
    "revoking that key (or version) would make inaccessible, and what it would not; with --format dot\n"
    "the graph is drawn with that blast radius outlined. Exit status 0, or 2 on bad input.\n"
    "examples: cmksim graph scenarios/key-disabled-6h.yaml --format dot | dot -Tsvg -o graph.svg\n"
    "          cmksim graph scenarios/security-review-worst-case.yaml --impact kv-shared/key-finance\n";

struct GraphOptions {
  std::string scenario;
  std::string format = "text";
  std::string at;
  std::string impact;
  std::optional<std::uint64_t> seed;
  std::string profile;
  std::optional<Timing> timing;
};

std::string parse_graph_options(const Args& args, GraphOptions& o) {
  const std::vector<std::string> known = {"--format", "--at", "--impact", "--seed", "--profile", "--timing"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      if (std::find(known.begin(), known.end(), a) == known.end()) {
        return "cmksim graph: unknown option '" + a + "'" + did_you_mean(a, known);
      }
      if (i + 1 >= args.size()) return "cmksim graph: option " + a + " needs a value";
      const std::string& value = args[++i];
      if (a == "--format") {
        if (value != "text" && value != "dot") {
          return "cmksim graph: --format expects text or dot, got '" + value + "'" + did_you_mean(value, {"text", "dot"});
        }
        o.format = value;
      } else if (a == "--at") {
        o.at = value;
      } else if (a == "--seed") {
        if (std::string e = read_seed_option(value, o.seed); !e.empty()) return "cmksim graph: " + e;
      } else if (a == "--profile") {
        o.profile = value;
      } else if (a == "--timing") {
        if (std::string e = read_timing_option(value, o.timing); !e.empty()) return "cmksim graph: " + e;
      } else {
        o.impact = value;
      }
    } else if (o.scenario.empty()) {
      o.scenario = a;
    } else {
      return "cmksim graph: one scenario at a time (got '" + o.scenario + "' and '" + a + "')";
    }
  }
  if (o.scenario.empty()) return "cmksim graph: missing SCENARIO.yaml\n" + std::string(kGraphUsage);
  return {};
}

}  // namespace

int command_graph(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kGraphUsage;
    return kExitOk;
  }
  GraphOptions options;
  if (const std::string problem = parse_graph_options(args, options); !problem.empty()) return bad_input(err, problem);
  std::optional<KeyTarget> target;
  if (!options.impact.empty()) {
    target = parse_key_target(options.impact);
    if (!target) {
      return bad_input(err, "cmksim graph: --impact expects VAULT/KEY or VAULT/KEY/VERSION, got '" + options.impact + "'");
    }
  }
  const Expected<Scenario> loaded = load_scenario_file(options.scenario);
  if (!loaded) return bad_input(err, loaded.error().str());
  const Scenario& scenario = *loaded;
  TimeMs at_ms = 0;
  if (!options.at.empty()) {
    const Expected<DurationMs> parsed = parse_duration(options.at);
    if (!parsed) return bad_input(err, "cmksim graph: --at: " + parsed.error().message);
    if (*parsed > scenario.duration_ms) {
      return bad_input(err, "cmksim graph: --at " + options.at + " is after the scenario's end (" +
                                format_duration(scenario.duration_ms) + ")");
    }
    at_ms = *parsed;
  }
  RunSettings settings;
  const Expected<Profile> profile = build_profile(scenario, {}, options.profile);
  if (!profile) return bad_input(err, profile.error().str());
  settings.profile = *profile;
  settings.timing = options.timing.value_or(scenario.timing);
  settings.seed = options.seed.value_or(scenario.seed);
  const GraphSnapshot snapshot = graph_snapshot(scenario, settings, at_ms);
  const ResourceGraph& graph = snapshot.graph;
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
  const std::string title = scenario.name.empty() ? options.scenario : scenario.name;
  if (!target) {
    out << (options.format == "dot" ? format_dot(graph, title) : format_text(graph, title));
    return kExitOk;
  }
  const ImpactResult impact = key_impact(graph, *target);
  if (!impact.impact) return bad_input(err, "cmksim graph: --impact: " + impact.error);
  out << (options.format == "dot" ? format_dot(graph, title + ": revoking " + target->str(),
                                               impact_vertices(graph, *impact.impact))
                                  : format_impact(*impact.impact));
  return kExitOk;
}

}  // namespace cmksim
