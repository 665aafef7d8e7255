// Scenario loader: YAML text (format v1, INTERFACE.md §2) -> Scenario.
//
// Contract: a load either returns a complete, checked Scenario or exactly one
// LoadError naming the file, the 1-based line and column of the offending
// node and a short lower-case message, on one line (control characters in
// echoed text are escaped); it never throws and never crashes on hostile
// input (over 16 MiB, binary data, nesting deeper than 64, alias bombs: see
// LoadLimits; and the loader descends only into nodes whose schema it knows,
// after checking their type). It checks types, units, ranges, unknown and duplicate fields, unique
// names and the references among the declared resources (vaults, keys,
// identities, clusters, grants, workspaces, event ids, expectation subjects).
// Names inside events are NOT resolved: an earlier event may create them, and
// an unknown one is the service's 404/400 when the event runs.
// Defaults not visible in the format: a key without `versions` has [v1].
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/profile/profile.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

struct LoadError {
  std::string file;  // the label of the input; "" for command-line errors
  int line = 0;      // 1-based; 0 when the error has no position
  int column = 0;    // 1-based
  std::string message;

  // "file:line:col: message", "file: message" when line == 0, or just the
  // message when there is no file.
  std::string str() const;
};

struct LoadResult {
  std::optional<Scenario> scenario;  // set on success
  std::optional<LoadError> error;    // set on failure
};

// What a scenario may cost, checked before anything is built from it: a file
// past a limit gets one message (at the offending node) in time and memory
// bounded by the limits, never a partial load. `cmksim run|validate|check`
// set max_events and max_duration from --max-events and --max-years.
constexpr DurationMs kMsPerLimitYear = 36525 * kMsPerDay / 100;  // 365.25 days
struct LoadLimits {
  std::size_t max_bytes = std::size_t{16} << 20;   // the file's size: 16 MiB
  int max_depth = 64;                               // YAML collections nested in collections
  std::size_t max_alias_nodes = 1000000;            // nodes YAML aliases add once expanded
  std::size_t max_events = 1000000;                 // entries of `events:`
  DurationMs max_duration = 100 * kMsPerLimitYear;  // `duration:`, the simulated time
};

// Parses and checks `text`; `file_label` names it in errors and becomes
// Scenario::file. Scenario::source_sha256 is the SHA-256 of `text`.
LoadResult load_scenario_text(std::string_view text, const std::string& file_label);
LoadResult load_scenario_text(std::string_view text, const std::string& file_label, const LoadLimits& limits);

// Reads `path` (an error if unreadable or over the size limit) and loads it,
// labelled with the path.
LoadResult load_scenario_file(const std::string& path);
LoadResult load_scenario_file(const std::string& path, const LoadLimits& limits);

// The command-line options that set LoadLimits: --max-events N (a whole
// number) and --max-years Y (1 to 1000). For one of them, sets `limits` from
// `value` and returns "" or why the value is refused ("--max-years expects
// ..."); nullopt for any other option.
const std::vector<std::string>& limit_options();
std::optional<std::string> apply_limit_option(LoadLimits& limits, const std::string& option,
                                              const std::string& value);

// The profile a run uses: profile_by_name(profile_override, or the scenario's
// profile when empty), then the scenario's params (errors at their position),
// then `cli_sets` in order (errors "--set NAME: message", line 0), then
// check_profile. On success fills `out` and returns nullopt.
std::optional<LoadError> build_profile(const Scenario& scenario,
                                       const std::vector<std::pair<std::string, std::string>>& cli_sets,
                                       const std::string& profile_override, Profile& out);

}  // namespace cmksim
