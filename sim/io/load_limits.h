// What a scenario may cost, checked before anything is built from it: a file
// past a limit gets one message (at the offending node) in time and memory
// bounded by the limits, never a partial load (sim/io/limit_scan.h does the
// checking). `cmksim run|validate|check` set max_events and max_duration
// from the command-line options --max-events and --max-years. max_work
// bounds what a run would cost (estimate_work), checked once the profile is
// known: `run`, `check`, `sweep` (each point) and `graph --at` (--max-work).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/core/time.h"
#include "sim/profile/profile.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

constexpr DurationMs kMsPerLimitYear = 36525 * kMsPerDay / 100;  // 365.25 days

// The default of --max-work: 2.5 times a year of 1,000 workspaces at 20
// queries per hour (tools/bench_year, 1.75e8), far above every shipped
// scenario; ten clusters calling Key Vault for 100 years (9.6e8) is refused.
constexpr double kDefaultMaxWork = 5e8;

struct LoadLimits {
  std::size_t max_bytes = std::size_t{16} << 20;   // the file's size: 16 MiB
  int max_depth = 64;                               // YAML collections nested in collections
  std::size_t max_alias_nodes = 1000000;            // nodes YAML aliases add once expanded
  std::size_t max_events = 1000000;                 // entries of `events:`
  DurationMs max_duration = 100 * kMsPerLimitYear;  // `duration:`, the simulated time
  double max_work = kDefaultMaxWork;                // estimate_work's units
};

// The command-line options that set LoadLimits, each taking one value:
// --max-events N (a whole number), --max-years Y (1 to 1000) and
// --max-work N (a whole number).
const std::vector<std::string>& limit_options();
bool is_limit_option(const std::string& option);

// Sets `limits` from `value` for `option`, or refuses the value with an
// Error without a file ("--max-years expects ..."); `limits` is unchanged
// then. REQUIRES: is_limit_option(option).
Status apply_limit_option(LoadLimits& limits, const std::string& option, const std::string& value);

// The work a run of `scenario` under `profile` would do, in events and
// queries, estimated from plain values before anything is simulated (issue
// 18, item 7): the scenario's events; Key Vault calls, duration / mean call
// gap (D3) for every declared or created cluster; background queries, rate x
// duration for every workspace (batched ones too: each is still drawn, D2).
// `span` is the simulated time: the duration, or graph --at's instant.
double estimate_work(const Scenario& scenario, const Profile& profile, DurationMs span);

// Ok when estimate_work is within max_work, else one Error naming the
// scenario's file and the option that raises the limit.
Status check_work(const Scenario& scenario, const Profile& profile, double max_work, DurationMs span);

}  // namespace cmksim
