// cmksim profiles: the shipped profiles and every parameter of one.
#include <string>

#include "sim/cli/command.h"
#include "sim/core/text.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/profile.h"

namespace cmksim {
namespace {

int profiles(const std::string& name, std::ostream& out, std::ostream& err) {
  if (name.empty()) {
    for (const auto& n : profile_names()) out << n << "\n";
    return kExitOk;
  }
  const auto profile = profile_by_name(name);
  if (!profile) {
    return bad_input(err, "cmksim profiles: unknown profile '" + name + "'" + did_you_mean(name, profile_names()));
  }
  out << profile->name << "\n";
  for (const auto& info : param_table()) {
    const std::string range = has_range(info) ? range_text(info) + "; " : "";
    out << "  " << info.name << " = " << param_value_text(*profile, info) << "  [" << info.unit << "; " << range
        << info.behaviour << "]  " << info.description << "\n";
  }
  return kExitOk;
}

}  // namespace

CommandAction define_profiles(CLI::App& app) {
  app.description("Lists the profiles, or every parameter of one with its value, unit, range and behaviour ID.\n");
  app.footer("example: cmksim profiles azure-monitor-current\n");
  const auto name = std::make_shared<std::string>();
  add_operand(app, kProfilePlaceholder, "profile", *name);
  return [name](std::ostream& out, std::ostream& err) { return profiles(*name, out, err); };
}

}  // namespace cmksim
