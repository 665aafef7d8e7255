// cmksim check: run each scenario, evaluate its `expect:` block, print one
// line per expectation and a tally; optionally a JUnit report for CI
// (INTERFACE.md §1). Exit 0 all met, 1 some not met, 2 bad input (a scenario
// that cannot be loaded is reported and the others are still checked).
#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/check/expectations.h"
#include "sim/check/junit.h"
#include "sim/cli/cli_support.h"
#include "sim/core/text.h"
#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/model/model.h"

namespace cmksim {
namespace {

const char* const kCheckUsage =
    "usage: cmksim check SCENARIO.yaml... [--junit report.xml] [--seed N] [--timing sampled|worst|best]\n"
    "                    [--set name=value]... [--max-events N] [--max-years Y]\n"
    "Runs each scenario and evaluates its expect: block, one line per expectation. An expectation with\n"
    "over_seeds: N must hold for N seeds derived from the run's seed; a failure names the seed and the\n"
    "command that reproduces it. --junit writes a JUnit XML report for CI.\n"
    "--max-events and --max-years set the limits on a scenario (default 1000000 events, 100 years).\n"
    "Exit status 0 all met, 1 some not met, 2 bad input.\n"
    "example: cmksim check scenarios/*.yaml --junit check-report.xml\n";

struct CheckOptions {
  std::vector<std::string> scenarios;
  std::string junit;
  std::optional<std::uint64_t> seed;
  std::optional<Timing> timing;
  std::vector<std::pair<std::string, std::string>> sets;
  LoadLimits limits;
};

// Parses `check`'s options; returns an error message or "".
std::string parse_check_options(const Args& args, CheckOptions& o) {
  std::vector<std::string> known = {"--junit", "--seed", "--timing", "--set"};
  known.insert(known.end(), limit_options().begin(), limit_options().end());
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() <= 1 || a[0] != '-') {
      o.scenarios.push_back(a);
      continue;
    }
    if (std::find(known.begin(), known.end(), a) == known.end()) {
      return "cmksim check: unknown option '" + a + "'" + did_you_mean(a, known);
    }
    if (i + 1 >= args.size()) return "cmksim check: option " + a + " needs a value";
    const std::string& value = args[++i];
    if (is_limit_option(a)) {
      const Status limit = apply_limit_option(o.limits, a, value);
      if (!limit) return "cmksim check: " + limit.error().message;
      continue;
    }
    if (a == "--junit") {
      o.junit = value;
    } else if (a == "--seed") {
      if (std::string e = read_seed_option(value, o.seed); !e.empty()) return "cmksim check: " + e;
    } else if (a == "--timing") {
      if (std::string e = read_timing_option(value, o.timing); !e.empty()) return "cmksim check: " + e;
    } else {  // --set
      const std::size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0) return "cmksim check: --set expects name=value, got '" + value + "'";
      o.sets.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    }
  }
  if (o.scenarios.empty()) return "cmksim check: missing SCENARIO.yaml\n" + std::string(kCheckUsage);
  return {};
}

// A word for a shell command line: quoted unless plainly safe.
std::string shell_word(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_./-=:,+@%").find(c) != std::string_view::npos;
  });
  if (plain) return s;
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The `cmksim run` command that reproduces one run of this check.
std::string reproduce_command(const std::string& path, std::uint64_t seed, const CheckOptions& o) {
  std::string cmd = "cmksim run " + shell_word(path) + " --seed " + std::to_string(seed);
  if (o.timing) cmd += std::string(" --timing ") + timing_name(*o.timing);
  for (const auto& [name, value] : o.sets) cmd += " --set " + shell_word(name + "=" + value);
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
    err << message << "\n";
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
  settings.profile = *profile;
  settings.timing = o.timing.value_or(scenario.timing);
  const std::uint64_t seed = o.seed.value_or(scenario.seed);
  out << "scenario " << scenario.name << " (" << path << "): seed " << seed << ", timing "
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
    const std::string reproduce = "reproduce: " + reproduce_command(path, c.worst_seed, o);
    out << "           " << reproduce << "\n";
    const std::string message = "observed " + c.row.observed + ", expected " + c.row.expected;
    suite.cases.push_back({JunitCase::Result::kFailure, c.row.text, message, message + "\n" + reproduce});
  }
  return suite;
}

}  // namespace

int command_check(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kCheckUsage;
    return kExitOk;
  }
  CheckOptions options;
  if (const std::string problem = parse_check_options(args, options); !problem.empty()) return bad_input(err, problem);
  Tally tally;
  std::vector<JunitSuite> suites;
  for (const std::string& path : options.scenarios) suites.push_back(check_scenario(path, options, tally, out, err));
  out << "checked " << tally.scenarios << " scenario(s): " << tally.met << " expectation(s) met, " << tally.not_met
      << " not met";
  if (tally.errors > 0) out << ", " << tally.errors << " scenario(s) with errors";
  out << "\n";
  if (!options.junit.empty()) {
    if (const std::string problem = write_junit(options.junit, suites); !problem.empty()) {
      return bad_input(err, "cmksim check: cannot write " + options.junit + ": " + problem);
    }
  }
  if (tally.errors > 0) return kExitBadInput;
  return tally.not_met > 0 ? kExitNotMet : kExitOk;
}

}  // namespace cmksim
