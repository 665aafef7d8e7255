// Helpers shared by the cmksim commands: exit statuses, option parsing, and
// the one-message-then-exit-2 rule for bad input.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/scenario.h"

namespace cmksim {

constexpr int kExitOk = 0;
constexpr int kExitNotMet = 1;   // check: an expectation not met; diff: the runs differ
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 128;  // + the signal: a sweep stopped by SIGINT (130) or SIGTERM (143)

using Args = std::vector<std::string>;  // args[0] is the command's name

// Prints `message` and returns kExitBadInput.
int bad_input(std::ostream& err, const std::string& message);
bool wants_help(const Args& args);
std::optional<std::uint64_t> parse_seed(const std::string& text);
std::optional<Timing> parse_timing(const std::string& text);
// --seed and --timing as every command reads them: set `out` from `value`,
// or return the message (without the "cmksim CMD: " prefix).
std::string read_seed_option(const std::string& value, std::optional<std::uint64_t>& out);
std::string read_timing_option(const std::string& value, std::optional<Timing>& out);
// "scenarios/x.yaml" -> "x.db" (in the current folder)
std::string default_db_path(const std::string& scenario_path);

// The commands, one file each (sim/cli/cmd_*.cpp).
int command_run(const Args& args, std::ostream& out, std::ostream& err);
int command_validate(const Args& args, std::ostream& out, std::ostream& err);
int command_profiles(const Args& args, std::ostream& out, std::ostream& err);
int command_check(const Args& args, std::ostream& out, std::ostream& err);
int command_report(const Args& args, std::ostream& out, std::ostream& err);
int command_graph(const Args& args, std::ostream& out, std::ostream& err);
int command_sweep(const Args& args, std::ostream& out, std::ostream& err);
int command_diff(const Args& args, std::ostream& out, std::ostream& err);
int command_merge(const Args& args, std::ostream& out, std::ostream& err);
// The commands (name, one-line summary), in the order of commands.cpp's table.
std::vector<std::pair<std::string, std::string>> cli_commands();

int command_schema(const Args& args, std::ostream& out, std::ostream& err);
int command_init(const Args& args, std::ostream& out, std::ostream& err);
int command_import(const Args& args, std::ostream& out, std::ostream& err);
int command_reference(const Args& args, std::ostream& out, std::ostream& err);
int command_completion(const Args& args, std::ostream& out, std::ostream& err);

// Scenario authoring, generated from the format table (sim/scenario/format.h):
// the JSON Schema of format v1 (cmd_schema.cpp) and the Markdown reference of
// the format, the actions, the profile parameters and the results database
// (cmd_reference.cpp).
std::string scenario_json_schema();
std::string format_reference_markdown();

}  // namespace cmksim
