// Helpers shared by the cmksim commands: exit statuses, the one-message-then-
// exit-2 rule for bad input, and the options several commands define the same
// way (--seed, --timing, --profile, --set, the load limits), each read by
// cmksim's own parsing so its messages are the same on every command.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/scenario/scenario.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cmksim {

struct LoadLimits;

constexpr int kExitOk = 0;
constexpr int kExitNotMet = 1;   // check: an expectation not met; diff: the runs differ
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 128;  // + the signal: a sweep stopped by SIGINT (130) or SIGTERM (143)

using Args = std::vector<std::string>;  // args[0] is the command's name

// Prints `message` and returns kExitBadInput.
int bad_input(std::ostream& err, const std::string& message);
bool wants_help(const Args& args);

// A whole number of at most 20 digits that fits 64 bits, or nullopt.
std::optional<std::uint64_t> parse_uint64(const std::string& text);
// The values of --seed, --timing and --set as every command reads them; an
// error's message is the one line users see after "cmksim CMD: ".
Expected<std::uint64_t> parse_seed_option(const std::string& value);
Expected<Timing> parse_timing_option(const std::string& value);
// "name=value" (`form` names the expected shape in the message: "name=value").
Expected<std::pair<std::string, std::string>> parse_set_option(const std::string& value, const std::string& form);

// "scenarios/x.yaml" -> "x.db" (in the current folder)
std::string default_db_path(const std::string& scenario_path);

// Stores a parsed value: ok, or the parse's error.
template <class Target, class Value>
Status assign(Target& target, Expected<Value> parsed) {
  if (!parsed.ok()) return parsed.status();
  target = std::move(parsed).value();
  return {};
}

// Option definitions (CLI11). Placeholders say what a value is, in the help
// and to the completion scripts (cmd_completion.cpp): a name with '|' is a
// closed set, ".yaml" a scenario, ".db" a database, another '.' or FILE a
// file, "=" a parameter, PROFILE and TEMPLATE those names.
inline constexpr const char* kProfilePlaceholder = "PROFILE";
inline constexpr const char* kTemplatePlaceholder = "TEMPLATE";

// An option whose value cmksim reads itself: `read` stores it, or refuses it
// with the message users see. Read as each occurrence is parsed, so the first
// bad value on the line is the one reported; a repeated option reads each.
CLI::Option* add_read_option(CLI::App& app, const std::string& names, const std::string& placeholder,
                             const std::string& help, std::function<Status(const std::string&)> read);
// The positional argument (`values`: arguments) of a command: `placeholder`
// is its name in the usage; `noun` names it in messages ("one scenario at a time").
CLI::Option* add_operand(CLI::App& app, const std::string& placeholder, const std::string& noun, std::string& value);
CLI::Option* add_operands(CLI::App& app, const std::string& placeholder, const std::string& noun,
                          std::vector<std::string>& values);

void add_seed_option(CLI::App& app, std::optional<std::uint64_t>& seed,
                     const std::string& help = "the seed (default: the scenario's)");
// `written` (optional) keeps the name as given, for the note on an old name
// (timing_alias_note, D7).
void add_timing_option(CLI::App& app, std::optional<Timing>& timing, std::string* written = nullptr);
// The timing a run uses, from --timing or the scenario; an old name given on
// either side gets its note on `err` (D7).
Timing timing_in_force(const std::optional<Timing>& option, const std::string& written, const Scenario& scenario,
                       std::ostream& err);
// The timings to simulate for one: bounds is latest then earliest (D7).
std::vector<Timing> timings_to_run(Timing timing);
void add_profile_option(CLI::App& app, std::string& profile);
// --set name=value, repeatable: a profile parameter for this run.
void add_set_option(CLI::App& app, std::vector<std::pair<std::string, std::string>>& sets);
// --max-events N and --max-years Y (the loader's limits on a scenario).
void add_limit_options(CLI::App& app, LoadLimits& limits);
// An output option (-o, --junit): its value is stored in `path`; an empty
// value is refused as it is parsed (issue 18: `-o ""` never means "the
// default").
CLI::Option* add_output_option(CLI::App& app, const std::string& names, const std::string& placeholder,
                               const std::string& help, std::string& path);

// Issue 18: an output never destroys an input or a special file. Ok when
// `path` may be written: "-" only where `to_stdout_ok` (the format allows
// standard output), else not one of `inputs` (same device and inode,
// whatever the spelling) and not a device, FIFO, socket or folder.
Status check_output(const std::string& option, const std::string& path, const std::vector<std::string>& inputs,
                    bool to_stdout_ok);
// --max-work alone (in add_limit_options too), for the commands that
// simulate without the other load limits (graph --at, sweep).
void add_max_work_option(CLI::App& app, LoadLimits& limits);

// The commands (name, one-line summary), in the order of `cmksim --help`.
std::vector<std::pair<std::string, std::string>> cli_commands();

// Scenario authoring, generated from the format table (sim/scenario/format.h):
// the JSON Schema of format v1 (cmd_schema.cpp) and the Markdown reference of
// the format, the actions, the profile parameters and the results database
// (cmd_reference.cpp).
std::string scenario_json_schema();
std::string format_reference_markdown();

}  // namespace cmksim
