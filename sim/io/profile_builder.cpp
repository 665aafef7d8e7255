#include "sim/io/profile_builder.h"

#include "sim/io/message_text.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/declared_rules.h"

namespace cmksim {
namespace {

Expected<Profile> build_unescaped(const Scenario& scenario,
                                  const std::vector<std::pair<std::string, std::string>>& cli_sets,
                                  const std::string& profile_override) {
  // --profile NAME or --profile FILE (P1: profiles are data)
  const std::string name = profile_override.empty() ? scenario.profile : profile_override;
  Expected<Profile> profile = resolve_profile(name);
  if (!profile) {
    const Error& e = profile.error();
    if (profile_override.empty()) return Error{scenario.file, 0, 0, e.message};
    if (e.file.empty()) return Error{"", 0, 0, "--profile: " + e.message};
    return e;
  }
  for (const ParamOverride& p : scenario.params) {
    if (const Status set = set_param(*profile, p.name, p.value); !set) {
      return Error{scenario.file, p.pos.line, p.pos.column, set.error().message};
    }
  }
  for (const auto& [param, value] : cli_sets) {
    const Status set = set_param(*profile, param, value);
    if (set) continue;
    std::string why = set.error().message;
    const std::string prefix = param + ": ";  // set_param's own "name: why"
    if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
    return Error{"", 0, 0, "--set " + param + ": " + why};
  }
  if (const Status consistent = check_profile(*profile); !consistent) {
    return Error{scenario.file, 0, 0, consistent.error().message};
  }
  if (const Status allowed = check_declared_resources(scenario, *profile); !allowed) return allowed.error();  // P1
  return profile;
}

}  // namespace

Expected<Profile> build_profile(const Scenario& scenario,
                                const std::vector<std::pair<std::string, std::string>>& cli_sets,
                                const std::string& profile_override) {
  Expected<Profile> built = build_unescaped(scenario, cli_sets, profile_override);
  if (built) return built;
  Error e = built.error();
  e.message = load::one_line_message(e.message);  // one message, one line
  return e;
}

}  // namespace cmksim
