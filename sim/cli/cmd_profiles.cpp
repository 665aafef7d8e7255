// cmksim profiles: the shipped profiles and every parameter of one.
#include <string>

#include "sim/cli/cli_support.h"
#include "sim/core/text.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/profile.h"

namespace cmksim {
namespace {

const char* const kProfilesUsage =
    "usage: cmksim profiles [NAME]\n"
    "Lists the profiles, or every parameter of one with its value, unit and behaviour ID.\n"
    "example: cmksim profiles azure-monitor-current\n";

}  // namespace

int command_profiles(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kProfilesUsage;
    return kExitOk;
  }
  if (args.size() < 2) {
    for (const auto& name : profile_names()) out << name << "\n";
    return kExitOk;
  }
  if (args[1].size() > 1 && args[1][0] == '-') {
    return bad_input(err, "cmksim profiles: unknown option '" + args[1] + "'" + did_you_mean(args[1], {"--help"}));
  }
  const auto profile = profile_by_name(args[1]);
  if (!profile) {
    return bad_input(err, "cmksim profiles: unknown profile '" + args[1] + "'" + did_you_mean(args[1], profile_names()));
  }
  out << profile->name << "\n";
  for (const auto& info : param_table()) {
    out << "  " << info.name << " = " << param_value_text(*profile, info) << "  [" << info.unit << "; "
        << info.behaviour << "]  " << info.description << "\n";
  }
  return kExitOk;
}

}  // namespace cmksim
