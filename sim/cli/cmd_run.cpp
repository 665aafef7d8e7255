// cmksim run: simulate one scenario, write its results database, print the
// summary (INTERFACE.md §1).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/check/expectations.h"
#include "sim/check/summary.h"
#include "sim/cli/command.h"
#include "sim/cli/interrupts.h"
#include "sim/io/results_db.h"
#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/model/model.h"
#include "sim/scenario/fault_schedule.h"

namespace cmksim {
namespace {

struct RunOptions {
  std::string scenario;
  std::string output;
  std::optional<std::uint64_t> seed;
  std::string profile;
  std::optional<Timing> timing;
  std::vector<std::pair<std::string, std::string>> sets;
  LoadLimits limits;
  bool list_faults = false;
};

// --list-faults: the realised schedule of the faults for the seed, without
// simulating and without writing anything (issue 17).
int list_faults(const Scenario& scenario, std::uint64_t seed, std::ostream& out) {
  const std::vector<EventDecl> events = realise_faults(scenario, seed);
  out << "# " << events.size() << " realised fault events of " << scenario.faults.size() << " processes, seed "
      << seed << "\n";
  out << fault_schedule_text(events);
  return kExitOk;
}

int run(const RunOptions& options, std::ostream& out, std::ostream& err) {
  if (options.list_faults) {
    const Expected<Scenario> loaded = load_scenario_file(options.scenario, options.limits);
    if (!loaded) return bad_input(err, loaded.error().str());
    return list_faults(*loaded, options.seed.value_or(loaded->seed), out);
  }
  const std::string db_path = options.output.empty() ? default_db_path(options.scenario) : options.output;
  if (const Status writable = check_output("-o", db_path, {options.scenario}, false); !writable.ok()) {
    return bad_input(err, "cmksim run: " + writable.error().str());
  }
  const Expected<Scenario> loaded = load_scenario_file(options.scenario, options.limits);
  if (!loaded) return bad_input(err, loaded.error().str());
  const Scenario& scenario = *loaded;
  RunSettings settings;
  const Expected<Profile> profile = build_profile(scenario, options.sets, options.profile);
  if (!profile) return bad_input(err, profile.error().str());
  if (const Status bounded = check_work(scenario, *profile, options.limits.max_work, scenario.duration_ms); !bounded) {
    return bad_input(err, bounded.error().str());
  }
  settings.profile = *profile;
  settings.timing = options.timing.value_or(scenario.timing);
  settings.seed = options.seed.value_or(scenario.seed);
  RunRecord record = run_scenario(scenario, settings);
  record.expectations = evaluate_expectations(scenario, record);
  {
    // SIGINT/SIGTERM while writing: no output at all (issue 8). Before the
    // write there is nothing to remove; after the rename the file is whole.
    const InterruptHandling interrupts({results_db_temp_path(db_path)}, nullptr);
    if (const Status written = write_results_db(db_path, record); !written.ok()) {
      return bad_input(err, "cmksim run: cannot write " + db_path + ": " + written.error().str());
    }
  }
  out << format_summary(record, db_path);
  return kExitOk;
}

}  // namespace

CommandAction define_run(CLI::App& app) {
  app.description(
      "Simulates the scenario, writes the results database (default: SCENARIO.db in the current folder)\n"
      "and prints a summary of each incident. Exit status 0, or 2 on bad input.\n"
      "--max-events and --max-years raise or lower the limits on a scenario (default 1000000 events,\n"
      "100 years simulated); the file may be at most 16 MiB and nest at most 64 levels. --max-work bounds\n"
      "the events and queries the run is estimated to do, before it starts (default 500000000).\n");
  app.footer("example: cmksim run scenarios/key-disabled-6h.yaml --seed 3 --set aek_cache_ttl=10m\n");
  const auto o = std::make_shared<RunOptions>();
  add_operand(app, "SCENARIO.yaml", "scenario", o->scenario)->required();
  add_output_option(app, "-o,--output", "out.db", "the results database (default: SCENARIO.db in the current folder)",
                    o->output);
  add_seed_option(app, o->seed);
  add_profile_option(app, o->profile);
  add_timing_option(app, o->timing);
  add_set_option(app, o->sets);
  add_limit_options(app, o->limits);
  app.add_flag("--list-faults", o->list_faults,
               "print the realised schedule of the scenario's faults for the seed, without simulating");
  return [o](std::ostream& out, std::ostream& err) { return run(*o, out, err); };
}

}  // namespace cmksim
