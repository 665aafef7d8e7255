// cmksim run: simulate one scenario, write its results database, print the
// summary (INTERFACE.md §1).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "sim/check/expectations.h"
#include "sim/check/summary.h"
#include "sim/cli/cli_support.h"
#include "sim/cli/interrupts.h"
#include "sim/core/text.h"
#include "sim/io/results_db.h"
#include "sim/io/scenario_loader.h"
#include "sim/model/model.h"

namespace cmksim {
namespace {

const char* const kRunUsage =
    "usage: cmksim run SCENARIO.yaml [-o out.db] [--seed N] [--profile P] [--timing sampled|worst|best]\n"
    "                  [--set name=value]... [--max-events N] [--max-years Y]\n"
    "Simulates the scenario, writes the results database (default: SCENARIO.db in the current folder)\n"
    "and prints a summary of each incident. Exit status 0, or 2 on bad input.\n"
    "--max-events and --max-years raise or lower the limits on a scenario (default 1000000 events,\n"
    "100 years simulated); the file may be at most 16 MiB and nest at most 64 levels.\n"
    "example: cmksim run scenarios/key-disabled-6h.yaml --seed 3 --set aek_cache_ttl=10m\n";

struct RunOptions {
  std::string scenario;
  std::string output;
  std::optional<std::uint64_t> seed;
  std::string profile;
  std::optional<Timing> timing;
  std::vector<std::pair<std::string, std::string>> sets;
  LoadLimits limits;
};

// Parses `run`'s options; returns an error message or "".
std::string parse_run_options(const std::vector<std::string>& args, RunOptions& o) {
  std::vector<std::string> known = {"-o", "--output", "--seed", "--profile", "--timing", "--set"};
  known.insert(known.end(), limit_options().begin(), limit_options().end());
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      if (std::find(known.begin(), known.end(), a) == known.end()) {
        return "cmksim run: unknown option '" + a + "'" + did_you_mean(a, known);
      }
      if (i + 1 >= args.size()) return "cmksim run: option " + a + " needs a value";
      const std::string& value = args[++i];
      if (const auto limit = apply_limit_option(o.limits, a, value)) {
        if (!limit->empty()) return "cmksim run: " + *limit;
        continue;
      }
      if (a == "-o" || a == "--output") {
        o.output = value;
      } else if (a == "--seed") {
        if (std::string e = read_seed_option(value, o.seed); !e.empty()) return "cmksim run: " + e;
      } else if (a == "--profile") {
        o.profile = value;
      } else if (a == "--timing") {
        if (std::string e = read_timing_option(value, o.timing); !e.empty()) return "cmksim run: " + e;
      } else {  // --set
        const std::size_t eq = value.find('=');
        if (eq == std::string::npos || eq == 0) return "cmksim run: --set expects name=value, got '" + value + "'";
        o.sets.emplace_back(value.substr(0, eq), value.substr(eq + 1));
      }
    } else if (o.scenario.empty()) {
      o.scenario = a;
    } else {
      return "cmksim run: one scenario at a time (got '" + o.scenario + "' and '" + a + "')";
    }
  }
  if (o.scenario.empty()) return "cmksim run: missing SCENARIO.yaml\n" + std::string(kRunUsage);
  return {};
}

}  // namespace

int command_run(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kRunUsage;
    return kExitOk;
  }
  RunOptions options;
  if (const std::string problem = parse_run_options(args, options); !problem.empty()) return bad_input(err, problem);
  const LoadResult loaded = load_scenario_file(options.scenario, options.limits);
  if (loaded.error) return bad_input(err, loaded.error->str());
  const Scenario& scenario = *loaded.scenario;
  RunSettings settings;
  if (const auto problem = build_profile(scenario, options.sets, options.profile, settings.profile)) {
    return bad_input(err, problem->str());
  }
  settings.timing = options.timing.value_or(scenario.timing);
  settings.seed = options.seed.value_or(scenario.seed);
  RunRecord record = run_scenario(scenario, settings);
  record.expectations = evaluate_expectations(scenario, record);
  const std::string db_path = options.output.empty() ? default_db_path(options.scenario) : options.output;
  {
    // SIGINT/SIGTERM while writing: no output at all (issue 8). Before the
    // write there is nothing to remove; after the rename the file is whole.
    const InterruptHandling interrupts({results_db_temp_path(db_path)}, nullptr);
    if (const std::string problem = write_results_db(db_path, record); !problem.empty()) {
      return bad_input(err, "cmksim run: cannot write " + db_path + ": " + problem);
    }
  }
  out << format_summary(record, db_path);
  return kExitOk;
}

}  // namespace cmksim
