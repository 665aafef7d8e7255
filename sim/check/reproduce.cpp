#include "sim/check/reproduce.h"

#include <algorithm>
#include <optional>

#include "sim/core/text.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/profile.h"
#include "sim/scenario/scenario.h"

namespace cmksim {
namespace {

const ParamValue* find_named(const ParamValues& values, const std::string& name) {
  for (const ParamValue& v : values) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

}  // namespace

std::string reproduce_command(const RunInfo& run, const std::vector<std::string>& always, const std::string& command) {
  std::optional<Profile> base = profile_by_name(run.profile);
  const std::string profile_name = base ? run.profile : profile_names().front();
  if (!base) base = profile_by_name(profile_name);
  const ParamValues defaults = base ? param_values(*base) : ParamValues{};
  std::string cmd = "cmksim " + command + " " + shell_quote(run.scenario_file.empty() ? run.scenario + ".yaml" : run.scenario_file) +
                    " --profile " + shell_quote(profile_name);
  for (const ParamValue& p : run.params) {
    const ParamValue* d = find_named(defaults, p.name);
    const bool named = std::find(always.begin(), always.end(), p.name) != always.end();
    if (named || d == nullptr || d->text != p.text) cmd += " --set " + shell_quote(p.name + "=" + p.text);
  }
  cmd += " --timing " + shell_quote(preferred_timing_name(run.timing)) + " --seed " + std::to_string(run.seed);
  return cmd;
}

}  // namespace cmksim
