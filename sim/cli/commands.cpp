#include "sim/cli/commands.h"

#include <algorithm>
#include <string>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/core/text.h"

namespace cmksim {
namespace {

const char* const kUsage =
    "cmksim: simulate log-analytics cluster storage under customer-managed-key events\n"
    "\n"
    "usage: cmksim COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.yaml [-o out.db] [--seed N] [--profile P] [--timing sampled|worst|best] [--set name=value]...\n"
    "                    simulate, write the results database, print a summary\n"
    "  validate SCENARIO.yaml...   check scenarios without simulating\n"
    "  profiles [NAME]             list the profiles, or every parameter of one\n"
    "  --version                   print the version\n"
    "\n"
    "example:\n"
    "  cmksim run scenarios/key-disabled-6h.yaml -o out.db --timing worst\n";

struct Command {
  const char* name;
  int (*run)(const Args&, std::ostream&, std::ostream&);
};

const Command kCommands[] = {
    {"run", command_run},         {"validate", command_validate}, {"check", command_check},
    {"report", command_report},   {"graph", command_graph},       {"sweep", command_sweep},
    {"diff", command_diff},       {"merge", command_merge},       {"profiles", command_profiles},
};

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const Command& c : kCommands) names.emplace_back(c.name);
  names.emplace_back("help");
  return names;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    out << kUsage;
    return args.empty() ? kExitBadInput : kExitOk;
  }
  const std::string& command = args[0];
  if (command == "--version") {
    out << "cmksim " << CMKSIM_VERSION << "\n";
    return kExitOk;
  }
  for (const Command& c : kCommands) {
    if (command == c.name) return c.run(args, out, err);
  }
  return bad_input(err, "cmksim: unknown command '" + command + "'" + did_you_mean(command, command_names()) +
                            "\nrun 'cmksim --help' for the list");
}

}  // namespace cmksim
