// Helpers shared by the cmksim commands: exit statuses, option parsing, and
// the one-message-then-exit-2 rule for bad input.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace cmksim {

constexpr int kExitOk = 0;
constexpr int kExitNotMet = 1;   // check: an expectation not met; diff: the runs differ
constexpr int kExitBadInput = 2;

using Args = std::vector<std::string>;  // args[0] is the command's name

// Prints `message` and returns kExitBadInput.
int bad_input(std::ostream& err, const std::string& message);
bool wants_help(const Args& args);
std::optional<std::uint64_t> parse_seed(const std::string& text);
std::optional<Timing> parse_timing(const std::string& text);
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

}  // namespace cmksim
