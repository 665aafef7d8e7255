#include "sim/cli/commands.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/core/text.h"

namespace cmksim {
namespace {

struct Command {
  const char* name;
  int (*run)(const Args&, std::ostream&, std::ostream&);
  const char* summary = "";  // one line for `cmksim --help`
};

const Command kCommands[] = {
    {"run", command_run, "simulate a scenario, write its results database, print a summary"},
    {"validate", command_validate, "check scenarios and lint their plans, without simulating"},
    {"check", command_check, "run scenarios and evaluate their expect: blocks (JUnit with --junit)"},
    {"report", command_report, "the security-review report of a run or a sweep (HTML, Markdown, PDF)"},
    {"graph", command_graph, "the resource graph (text or DOT), --at a time, --impact of a key"},
    {"sweep", command_sweep, "many seeded runs over a parameter grid, into one database"},
    {"diff", command_diff, "what changed between two results databases"},
    {"merge", command_merge, "join the shards of a sweep into one database"},
    {"profiles", command_profiles, "the profiles, or every parameter of one"},
    {"import", command_import, "write a scenario from your estate as Azure Resource Manager JSON describes it"},
    {"init", command_init, "write a commented starting scenario from a template (--list: the templates)"},
    {"schema", command_schema, "the JSON Schema of scenario format v1, for editors"},
    {"reference", command_reference, "the reference of the format, actions, parameters and database"},
    {"completion", command_completion, "a completion script for bash or zsh"},
};

std::string usage() {
  std::string text =
      "cmksim: simulate log-analytics cluster storage under customer-managed-key events\n"
      "\n"
      "usage: cmksim COMMAND [options]      (cmksim COMMAND --help for its options)\n"
      "\n"
      "commands:\n";
  for (const Command& c : kCommands) {
    std::string name = c.name;
    name.resize(std::max<std::size_t>(name.size() + 1, 12), ' ');
    text += "  " + name + (c.summary != nullptr ? c.summary : "") + "\n";
  }
  text +=
      "  --version   print the version\n"
      "\n"
      "example:\n"
      "  cmksim run scenarios/key-disabled-6h.yaml -o out.db --timing worst\n";
  return text;
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const Command& c : kCommands) names.emplace_back(c.name);
  names.emplace_back("help");
  return names;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> cli_commands() {
  std::vector<std::pair<std::string, std::string>> commands;
  for (const Command& c : kCommands) commands.emplace_back(c.name, c.summary != nullptr ? c.summary : "");
  return commands;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    out << usage();
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
