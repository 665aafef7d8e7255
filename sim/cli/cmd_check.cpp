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
#include "sim/check/junit.h"
#include "sim/cli/command.h"
#include "sim/core/text.h"
#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/model/model.h"

namespace cmksim {
namespace {

struct CheckOptions {
  std::vector<std::string> scenarios;
  std::string junit;
  std::optional<std::uint64_t> seed;
  std::optional<Timing> timing;
  std::vector<std::pair<std::string, std::string>> sets;
  LoadLimits limits;
};

// The `cmksim run` command that reproduces one run of this check.
// A risk expectation (issue 17) is over many runs: `check` itself reproduces it.
std::string reproduce_command(const std::string& path, std::uint64_t seed, const CheckOptions& o, bool risk = false) {
  std::string cmd = std::string(risk ? "cmksim check " : "cmksim run ") + shell_quote(path) + " --seed " +
                    std::to_string(seed);
  if (o.timing) cmd += std::string(" --timing ") + timing_name(*o.timing);
  for (const auto& [name, value] : o.sets) cmd += " --set " + shell_quote(name + "=" + value);
  return cmd;
}

struct Tally {
  int scenarios = 0;
  int met = 0;
  int not_met = 0;
  int errors = 0;  // scenarios that could not be loaded or run
};

// Checks one scenario: prints its lines, counts them, returns its JUnit suite.
JunitSuite check_scenario(const std::string& path, const CheckOptions& o, Tally& tally, std::ostream& out,
                          std::ostream& err) {
  ++tally.scenarios;
  JunitSuite suite{path, path, {}};
  const auto error = [&](const std::string& message) {
    err << one_line(message) << "\n";
    ++tally.errors;
    suite.cases.push_back({JunitCase::Result::kError, "load " + path, message, message});
    return suite;
  };
  const Expected<Scenario> loaded = load_scenario_file(path, o.limits);
  if (!loaded) return error(loaded.error().str());
  const Scenario& scenario = *loaded;
  suite.name = scenario.name;
  RunSettings settings;
  const Expected<Profile> profile = build_profile(scenario, o.sets, "");
  if (!profile) {
    const Error& problem = profile.error();
    return error(problem.file.empty() ? path + ": " + problem.str() : problem.str());
  }
  if (const Status bounded = check_work(scenario, *profile, o.limits.max_work, scenario.duration_ms); !bounded) {
    return error(bounded.error().str());
  }
  settings.profile = *profile;
  settings.timing = o.timing.value_or(scenario.timing);
  const std::uint64_t seed = o.seed.value_or(scenario.seed);
  out << "scenario " << one_line(scenario.name) << " (" << one_line(path) << "): seed " << seed << ", timing "
      << timing_name(settings.timing) << ", " << scenario.expectations.size() << " expectation(s)\n";

  std::vector<CheckedExpectation> results;
  try {
    results = check_expectations(scenario, seed, [&](std::uint64_t s) {
      RunSettings with_seed = settings;
      with_seed.seed = s;
      return run_scenario(scenario, with_seed);
    });
  } catch (const std::exception& e) {
    const std::string message = path + ": the run failed: " + e.what();
    err << message << "\n";
    ++tally.errors;
    for (const ExpectationDecl& x : scenario.expectations) {
      suite.cases.push_back({JunitCase::Result::kError, x.text, message, message});
    }
    return suite;
  }
  for (const CheckedExpectation& c : results) {
    out << expectation_line(c.row) << "\n";
    if (c.row.passed) {
      ++tally.met;
      suite.cases.push_back({JunitCase::Result::kPassed, c.row.text, "", ""});
      continue;
    }
    ++tally.not_met;
    const bool risk = scenario.expectations[static_cast<std::size_t>(c.row.idx)].kind == ExpectationDecl::Kind::kRisk;
    const std::string reproduce = "reproduce: " + reproduce_command(path, c.worst_seed, o, risk);
    out << "           " << reproduce << "\n";
    const std::string message = "observed " + c.row.observed + ", expected " + c.row.expected;
    suite.cases.push_back({JunitCase::Result::kFailure, c.row.text, message, message + "\n" + reproduce});
  }
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
      "over_seeds: N must hold for N seeds derived from the run's seed; a failure names the seed and the\n"
      "command that reproduces it. A risk expectation ({risk: expected_annual_gb_lost, max: X, runs: N}) bounds\n"
      "a risk figure computed over N runs with seeds derived the same way.\n"
      "--junit writes a JUnit XML report for CI.\n"
      "Exit status 0 all met, 1 some not met, 2 bad input.\n");
  app.footer("example: cmksim check scenarios/*.yaml --junit check-report.xml\n");
  const auto o = std::make_shared<CheckOptions>();
  add_operands(app, "SCENARIO.yaml", "scenario", o->scenarios)->required();
  add_output_option(app, "--junit", "report.xml", "write a JUnit XML report there, for CI", o->junit);
  add_seed_option(app, o->seed);
  add_timing_option(app, o->timing);
  add_set_option(app, o->sets);
  add_limit_options(app, o->limits);
  return [o](std::ostream& out, std::ostream& err) { return check(*o, out, err); };
}

}  // namespace cmksim
