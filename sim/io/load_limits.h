// What a scenario may cost, checked before anything is built from it: a file
// past a limit gets one message (at the offending node) in time and memory
// bounded by the limits, never a partial load (sim/io/limit_scan.h does the
// checking). `cmksim run|validate|check` set max_events and max_duration
// from the command-line options --max-events and --max-years.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/core/time.h"

namespace cmksim {

constexpr DurationMs kMsPerLimitYear = 36525 * kMsPerDay / 100;  // 365.25 days

struct LoadLimits {
  std::size_t max_bytes = std::size_t{16} << 20;   // the file's size: 16 MiB
  int max_depth = 64;                               // YAML collections nested in collections
  std::size_t max_alias_nodes = 1000000;            // nodes YAML aliases add once expanded
  std::size_t max_events = 1000000;                 // entries of `events:`
  DurationMs max_duration = 100 * kMsPerLimitYear;  // `duration:`, the simulated time
};

// The command-line options that set LoadLimits, each taking one value:
// --max-events N (a whole number) and --max-years Y (1 to 1000).
const std::vector<std::string>& limit_options();
bool is_limit_option(const std::string& option);

// Sets `limits` from `value` for `option`, or refuses the value with an
// Error without a file ("--max-years expects ..."); `limits` is unchanged
// then. REQUIRES: is_limit_option(option).
Status apply_limit_option(LoadLimits& limits, const std::string& option, const std::string& value);

}  // namespace cmksim
