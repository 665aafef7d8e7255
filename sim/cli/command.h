// One cmksim command as the command line knows it: its name, the line
// `cmksim --help` gives it, and the definition of its options on a CLI::App
// (CLI11). That definition is the only place an option is written down:
// parsing, --help (help.cpp) and the completion scripts (cmd_completion.cpp)
// all read it from the App.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/core/status.h"

namespace cmksim {

// What a command does once its options are parsed: prints to `out` and
// `err`, returns the exit status.
using CommandAction = std::function<int(std::ostream& out, std::ostream& err)>;

struct Command {
  const char* name;
  const char* summary;  // one line for `cmksim --help`
  // Gives `app` its description, footer (the help's examples) and options,
  // bound to state the returned action owns.
  CommandAction (*define)(CLI::App& app);
};

// Every command, in the order `cmksim --help` lists them.
std::vector<Command> command_table();

// The App of `command`, defined but not parsed; `action` is what runs after.
std::unique_ptr<CLI::App> make_app(const Command& command, CommandAction& action);

// Parses `args` (args[0] is the command's name) into the App's options: ok,
// or the one message for a bad option or value (without "cmksim CMD: ").
Status parse_command_line(CLI::App& app, const Args& args);

// The help of a command (what `cmksim CMD --help` prints) and its usage lines
// ("usage: cmksim run SCENARIO.yaml [-o out.db] ..."), from the App.
std::string command_help(const CLI::App& app);
std::string usage_lines(const CLI::App& app);
// An option or operand as the usage writes it: "-o out.db", "--strict",
// "SCENARIO.yaml...".
std::string usage_word(const CLI::Option& option);
// Makes app.help() print command_help.
std::shared_ptr<CLI::FormatterBase> help_formatter();

// The commands' definitions, one per cmd_*.cpp.
CommandAction define_run(CLI::App& app);
CommandAction define_validate(CLI::App& app);
CommandAction define_check(CLI::App& app);
CommandAction define_report(CLI::App& app);
CommandAction define_graph(CLI::App& app);
CommandAction define_sweep(CLI::App& app);
CommandAction define_diff(CLI::App& app);
CommandAction define_merge(CLI::App& app);
CommandAction define_profiles(CLI::App& app);
CommandAction define_import(CLI::App& app);
CommandAction define_init(CLI::App& app);
CommandAction define_schema(CLI::App& app);
CommandAction define_reference(CLI::App& app);
CommandAction define_completion(CLI::App& app);

}  // namespace cmksim
