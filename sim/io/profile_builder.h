// The profile a run uses (P1): a profile, then the scenario's params, then
// the command line's --set overrides, then the cross-parameter check. `cmksim
// run`, `check`, `graph`, `validate` and `sweep` all build theirs here.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/profile/profile.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

// profile_override (--profile NAME or FILE), or the scenario's profile when
// it is empty (sim/io/profile_loader.h: resolve_profile); then the
// scenario's params (errors at their position in Scenario::file); then
// `cli_sets` in order (errors "--set NAME: message", without a file); then
// check_profile (errors naming Scenario::file, without a position). Every
// error's message is on one line.
Expected<Profile> build_profile(const Scenario& scenario,
                                const std::vector<std::pair<std::string, std::string>>& cli_sets,
                                const std::string& profile_override);

}  // namespace cmksim
