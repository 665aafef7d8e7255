// Overrides by dotted path, for `cmksim sweep --set PATH=a,b,c`: any profile
// parameter or any field of the scenario file.
//
// A path is one of:
//   - a profile parameter: `aek_cache_ttl`, or `params.aek_cache_ttl`;
//   - a top-level field of the file: `duration`, `timing`, `seed`, `start`,
//     `profile`, `name`, `description`;
//   - a field of a named entry: `workspaces.NAME.FIELD`, `clusters.NAME.FIELD`,
//     `key_vaults.NAME.FIELD`, `identities.NAME.FIELD`, `events.ID.FIELD`
//     for the event with that `id`, and `faults.NAME.FIELD` (issue 17: a
//     rate or a period as a sweep's axis). FIELD may go on into a nested mapping
//     (`clusters.NAME.key.version`); NAME may itself contain dots.
// Scenario fields are set in the file's YAML tree, which then goes through the
// loader again: a value obeys exactly the rules (units, ranges, references,
// `at` within the duration) it would obey written in the file, and a wrong
// one is reported with the loader's message. Parameters go to build_profile
// like `cmksim run --set`. Unknown paths and names come with a did-you-mean.
// It lives in io because it edits the file's YAML tree (yaml-cpp stays in io).
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/io/scenario_loader.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

// (path, value) pairs, in the order given.
using PathValues = std::vector<std::pair<std::string, std::string>>;

// A scenario file, loaded once, from which variants with overrides are made.
class ScenarioTemplate {
 public:
  // Loads and checks the file at `path`, or why it does not load.
  static Expected<ScenarioTemplate> load(const std::string& path);

  // From text already read (`label` names it in messages and Scenario::file).
  static Expected<ScenarioTemplate> from_text(const std::string& text, const std::string& label);

  const Scenario& scenario() const { return scenario_; }

  // Whether `path` names a profile parameter (true) or a scenario field
  // (false); nullopt with `error` set when it names nothing.
  std::optional<bool> is_profile_param(const std::string& path, std::string& error) const;

  // The scenario with the scenario-field overrides in `sets` applied (profile
  // parameters in `sets` are skipped: see split_sets). Returns "" and fills
  // `out`, or the reason, naming the --set options.
  // REQUIRES: every path in `sets` passed is_profile_param.
  std::string apply(const PathValues& sets, Scenario& out) const;

  // Splits `sets` into profile parameters (`params.` prefix removed, ready for
  // build_profile) and scenario fields. REQUIRES: as apply.
  void split_sets(const PathValues& sets, PathValues& params, PathValues& fields) const;

 private:
  ScenarioTemplate(std::string text, Scenario scenario) : text_(std::move(text)), scenario_(std::move(scenario)) {}

  std::string text_;   // the file's text, parsed again for each variant
  Scenario scenario_;  // as loaded, without overrides
};

}  // namespace cmksim
