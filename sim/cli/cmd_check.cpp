// cmksim check: run each scenario, evaluate its `expect:` block, print one
// line per expectation and a tally; optionally a JUnit report for CI
// (INTERFACE.md §1). Exit 0 all met, 1 some not met, 2 bad input (a scenario
// that cannot be loaded is reported and the others are still checked).
#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/check/expectations.h"
#include "sim/check/failure_cause.h"
#include "sim/check/junit.h"
#include "sim/check/reproduce.h"
#include "sim/cli/command.h"
#include "sim/core/text.h"
#include "sim/graph/graph_checks.h"
#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/lint/plan_lint.h"
#include "sim/model/model.h"

namespace cmksim {
namespace {

struct CheckOptions {
  std::vector<std::string> scenarios;
  std::string junit;
  std::optional<std::uint64_t> seed;
  std::optional<Timing> timing;
  std::string timing_written;  // as given, for the note on an old name
  std::string profile;
  std::optional<int> seeds;  // --seeds N: every expectation over at least N seeds
  std::vector<std::pair<std::string, std::string>> sets;
  LoadLimits limits;
};

// The command that reproduces one run of this check (`cmksim run`), or a risk
// expectation's verdict over many runs (`cmksim check`): everything that
// changed it (profile, parameters, timing, seed; issue 15, item 3).
std::string reproduce_line(const std::string& path, const RunSettings& settings, const std::string& command = "run") {
  RunInfo info;
  info.scenario_file = path;
  info.profile = settings.profile.name;
  info.params = param_values(settings.profile);
  info.timing = timing_name(settings.timing);
  info.seed = settings.seed;
  return reproduce_command(info, {}, command);
}

// The warnings `validate` gives (the resource graph's and the plan lint's),
// "file:line:col: warning: ... [ID]", for the output and the JUnit file.
std::vector<std::string> plan_warnings(const Scenario& scenario, const Profile& profile) {
  std::vector<std::string> out;
  for (const GraphFinding& f : check_scenario_graph(scenario)) out.push_back(one_line(f.str(scenario.file)));
  for (const LintFinding& f : lint_plan(scenario, profile)) {
    out.push_back(scenario.file + ":" + std::to_string(f.pos.line) + ":" + std::to_string(f.pos.column) +
                  ": warning: " + one_line(f.message) + (f.behaviour.empty() ? "" : " [" + f.behaviour + "]"));
  }
  return out;
}

struct Tally {
  int scenarios = 0;
  int met = 0;
  int not_met = 0;
  int errors = 0;  // scenarios that could not be loaded or run
};

// Checks one scenario under one timing: prints its lines, counts them, adds
// its JUnit cases. False when the run failed (an error, already reported).
bool check_timing(const std::string& path, const Scenario& scenario, const RunSettings& settings, bool bounds,
                  JunitSuite& suite, Tally& tally, std::ostream& out, std::ostream& err) {
  const std::string tag = bounds ? std::string(" [") + timing_name(settings.timing) + "]" : std::string();
  out << "scenario " << one_line(scenario.name) << " (" << one_line(path) << "): seed " << settings.seed << ", timing "
      << timing_name(settings.timing) << (bounds ? " (bounds)" : "") << ", " << scenario.expectations.size()
      << " expectation(s)\n";
  const auto run_seed = [&](std::uint64_t s) {
    RunSettings with_seed = settings;
    with_seed.seed = s;
    return run_scenario(scenario, with_seed);
  };
  std::vector<CheckedExpectation> results;
  try {
    results = check_expectations(scenario, settings.seed, run_seed);
  } catch (const std::exception& e) {
    const std::string message = path + ": the run failed: " + e.what();
    err << message << "\n";
    ++tally.errors;
    for (const ExpectationDecl& x : scenario.expectations) {
      suite.cases.push_back({JunitCase::Result::kError, x.text + tag, message, message});
    }
    return false;
  }
  std::optional<std::pair<std::uint64_t, RunRecord>> failing;  // the record of the last failing seed, kept for causes
  for (std::size_t k = 0; k < results.size(); ++k) {
    const CheckedExpectation& c = results[k];
    out << expectation_line(c.row) << "\n";
    if (c.row.passed) {
      ++tally.met;
      suite.cases.push_back({JunitCase::Result::kPassed, c.row.text + tag, "", ""});
      continue;
    }
    ++tally.not_met;
    const bool risk_row = scenario.expectations[k].kind == ExpectationDecl::Kind::kRisk;
    if (!risk_row && (!failing || failing->first != c.worst_seed)) failing.emplace(c.worst_seed, run_seed(c.worst_seed));
    RunSettings worst = settings;
    worst.seed = c.worst_seed;
    // A risk expectation (issue 17) is an estimate over many runs: no one
    // incident is its cause, and `check` itself reproduces it.
    const ExpectationDecl& x = scenario.expectations[k];
    const bool risk = x.kind == ExpectationDecl::Kind::kRisk;
    const std::string cause =
        "cause: " + (risk ? "the estimate over " + std::to_string(x.over_seeds) + " runs seeded from " +
                                std::to_string(settings.seed) + " (a sweep of these runs shows their spread)"
                          : failure_cause(x, failing->second));
    const std::string reproduce = "reproduce: " + (risk ? reproduce_line(path, settings, "check") : reproduce_line(path, worst));
    out << "           " << cause << "\n";
    out << "           " << reproduce << "\n";
    const std::string message = "observed " + c.row.observed + ", expected " + c.row.expected;
    suite.cases.push_back(
        {JunitCase::Result::kFailure, c.row.text + tag, message, message + "\n" + cause + "\n" + reproduce});
  }
  return true;
}

// Checks one scenario: prints its lines, counts them, returns its JUnit suite.
JunitSuite check_scenario(const std::string& path, const CheckOptions& o, Tally& tally, std::ostream& out,
                          std::ostream& err) {
  ++tally.scenarios;
  JunitSuite suite{path, path, {}, {}};
  const auto error = [&](const std::string& message) {
    err << one_line(message) << "\n";
    ++tally.errors;
    suite.cases.push_back({JunitCase::Result::kError, "load " + path, message, message});
    return suite;
  };
  const Expected<Scenario> loaded = load_scenario_file(path, o.limits);
  if (!loaded) return error(loaded.error().str());
  Scenario scenario = *loaded;
  if (o.seeds) {
    for (ExpectationDecl& x : scenario.expectations) x.over_seeds = std::max(x.over_seeds, *o.seeds);
  }
  suite.name = scenario.name;
  RunSettings settings;
  const Expected<Profile> profile = build_profile(scenario, o.sets, o.profile);
  if (!profile) {
    const Error& problem = profile.error();
    return error(problem.file.empty() ? path + ": " + problem.str() : problem.str());
  }
  if (const Status bounded = check_work(scenario, *profile, o.limits.max_work, scenario.duration_ms); !bounded) {
    return error(bounded.error().str());
  }
  settings.profile = *profile;
  settings.seed = o.seed.value_or(scenario.seed);
  const Timing timing = timing_in_force(o.timing, o.timing_written, scenario, err);
  for (const Timing t : timings_to_run(timing)) {  // bounds: latest, then earliest (D7)
    settings.timing = t;
    if (!check_timing(path, scenario, settings, timing == Timing::kBounds, suite, tally, out, err)) break;
  }
  suite.warnings = plan_warnings(scenario, *profile);  // what validate warns about (issue 15, item 8)
  for (const std::string& w : suite.warnings) out << "  " << w << "\n";
  return suite;
}

int check(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  if (!options.junit.empty()) {
    if (const Status writable = check_output("--junit", options.junit, options.scenarios, false); !writable.ok()) {
      return bad_input(err, "cmksim check: " + writable.error().str());
    }
  }
  Tally tally;
  std::vector<JunitSuite> suites;
  for (const std::string& path : options.scenarios) suites.push_back(check_scenario(path, options, tally, out, err));
  out << "checked " << tally.scenarios << " scenario(s): " << tally.met << " expectation(s) met, " << tally.not_met
      << " not met";
  if (tally.errors > 0) out << ", " << tally.errors << " scenario(s) with errors";
  out << "\n";
  if (!options.junit.empty()) {
    if (const Status written = write_junit(options.junit, suites); !written.ok()) {
      return bad_input(err, "cmksim check: cannot write " + options.junit + ": " + written.error().str());
    }
  }
  if (tally.errors > 0) return kExitBadInput;
  return tally.not_met > 0 ? kExitNotMet : kExitOk;
}

}  // namespace

CommandAction define_check(CLI::App& app) {
  app.description(
      "Runs each scenario and evaluates its expect: block, one line per expectation. An expectation with\n"
      "over_seeds: N (or every expectation, with --seeds N) must hold for N seeds derived from the run's\n"
      "seed; a failure names its cause (the incident and the event behind it), the seed and the command\n"
      "that reproduces it (profile, parameters, timing, seed). --timing bounds checks every expectation\n"
      "under latest and under earliest (D7). The plan lint's warnings (as validate gives them) follow\n"
      "each scenario. A risk expectation ({risk: expected_annual_gb_lost, max: X, runs: N}) bounds a risk\n"
      "figure computed over N runs with seeds derived the same way; its reproduce line is the check itself.\n"
      "--junit writes a JUnit XML report for CI, the warnings in <system-out>.\n"
      "Exit status 0 all met, 1 some not met, 2 bad input.\n");
  app.footer("example: cmksim check scenarios/*.yaml --junit check-report.xml\n");
  const auto o = std::make_shared<CheckOptions>();
  add_operands(app, "SCENARIO.yaml", "scenario", o->scenarios)->required();
  add_output_option(app, "--junit", "report.xml", "write a JUnit XML report there, for CI", o->junit);
  add_seed_option(app, o->seed);
  add_read_option(app, "--seeds", "N",
                  "every expectation must hold for N seeds derived from the seed (as over_seeds: N;\n"
                  "an expectation's own over_seeds counts when larger)",
                  [o](const std::string& v) {
                    const auto n = parse_uint64(v);
                    if (!n || *n < 1 || *n > 100000) return Status(Error("--seeds expects a count from 1 to 100000, got '" + v + "'"));
                    o->seeds = static_cast<int>(*n);
                    return Status();
                  });
  add_profile_option(app, o->profile);
  add_timing_option(app, o->timing, &o->timing_written);
  add_set_option(app, o->sets);
  add_limit_options(app, o->limits);
  return [o](std::ostream& out, std::ostream& err) { return check(*o, out, err); };
}

}  // namespace cmksim
