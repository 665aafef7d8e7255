#include "sim/cli/cli_support.h"

#include <CLI/CLI.hpp>

#include "sim/core/text.h"
#include "sim/io/atomic_file.h"
#include "sim/io/scenario_loader.h"
#include "sim/scenario/format.h"

namespace cmksim {

int bad_input(std::ostream& err, const std::string& message) {
  err << message << "\n";
  return kExitBadInput;
}

bool wants_help(const Args& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

std::optional<std::uint64_t> parse_uint64(const std::string& text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

Expected<std::uint64_t> parse_seed_option(const std::string& value) {
  if (const auto seed = parse_uint64(value)) return *seed;
  // runs.seed is SQLite's signed 64-bit integer: a seed of 2^63 or more reads
  // back negative there, and means the same 64 bits here (issue 15, item 3)
  constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
  if (!value.empty() && value[0] == '-') {
    if (const auto magnitude = parse_uint64(value.substr(1)); magnitude && *magnitude > 0 && *magnitude <= kSignBit) {
      return ~*magnitude + 1;
    }
  }
  return Error("--seed expects a non-negative integer, got '" + value + "'");
}

Expected<Timing> parse_timing_option(const std::string& value) {
  if (const auto timing = parse_timing_name(value)) return *timing;
  return Error("--timing expects sampled, latest, earliest or bounds (worst and best are old names of latest and "
               "earliest), got '" + value + "'" + did_you_mean(value, timing_names()));
}

Expected<std::pair<std::string, std::string>> parse_set_option(const std::string& value, const std::string& form) {
  const std::size_t eq = value.find('=');
  if (eq == std::string::npos || eq == 0) return Error("--set expects " + form + ", got '" + value + "'");
  return std::make_pair(value.substr(0, eq), value.substr(eq + 1));
}

std::string default_db_path(const std::string& scenario_path) {
  std::string base = scenario_path.substr(scenario_path.find_last_of('/') + 1);
  const std::size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base + ".db";
}

CLI::Option* add_read_option(CLI::App& app, const std::string& names, const std::string& placeholder,
                             const std::string& help, std::function<Status(const std::string&)> read) {
  // CLI11's error channel is an exception: ValidationError(message) carries
  // ours unchanged to parse_command_line (commands.cpp).
  const auto on_value = [read = std::move(read)](const std::string& text) {
    if (const Status status = read(text); !status.ok()) throw CLI::ValidationError(status.error().str());
  };
  return app.add_option_function<std::string>(names, on_value, help)->type_name(placeholder)->trigger_on_parse();
}

CLI::Option* add_operand(CLI::App& app, const std::string& placeholder, const std::string& noun, std::string& value) {
  return app.add_option(placeholder, value, noun)->type_name(placeholder);
}

CLI::Option* add_operands(CLI::App& app, const std::string& placeholder, const std::string& noun,
                          std::vector<std::string>& values) {
  return app.add_option(placeholder, values, noun)->type_name(placeholder);
}

void add_seed_option(CLI::App& app, std::optional<std::uint64_t>& seed, const std::string& help) {
  add_read_option(app, "--seed", "N", help, [&seed](const std::string& v) { return assign(seed, parse_seed_option(v)); });
}

void add_timing_option(CLI::App& app, std::optional<Timing>& timing, std::string* written) {
  add_read_option(app, "--timing", "sampled|latest|earliest|bounds",
                  "when a revocation takes effect (D7; default: the scenario's): sampled (seeded),\n"
                  "latest (at the bound: the longest exposure, the least loss), earliest (the first\n"
                  "denied call: the most loss), bounds (both side by side); worst = latest, best = earliest",
                  [&timing, written](const std::string& v) {
                    if (written != nullptr) *written = v;
                    return assign(timing, parse_timing_option(v));
                  });
}

Timing timing_in_force(const std::optional<Timing>& option, const std::string& written, const Scenario& scenario,
                       std::ostream& err) {
  const std::string name = option ? written : scenario.timing_alias;
  if (const std::string note = timing_alias_note(name); !note.empty()) err << note << "\n";
  return option.value_or(scenario.timing);
}

std::vector<Timing> timings_to_run(Timing timing) {
  if (timing == Timing::kBounds) return {Timing::kLatest, Timing::kEarliest};
  return {timing};
}

void add_profile_option(CLI::App& app, std::string& profile) {
  app.add_option("--profile", profile, "the profile (default: the scenario's; cmksim profiles lists them)")
      ->type_name(kProfilePlaceholder);
}

void add_set_option(CLI::App& app, std::vector<std::pair<std::string, std::string>>& sets) {
  add_read_option(app, "--set", "name=value", "a profile parameter for this run, over the scenario's params (repeatable)",
                  [&sets](const std::string& v) {
                    const auto set = parse_set_option(v, "name=value");
                    if (set.ok()) sets.push_back(*set);
                    return set.status();
                  })
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

CLI::Option* add_output_option(CLI::App& app, const std::string& names, const std::string& placeholder,
                               const std::string& help, std::string& path) {
  const std::string option = names.substr(0, names.find(','));  // "-o" of "-o,--output"
  return add_read_option(app, names, placeholder, help, [&path, option](const std::string& v) {
    if (v.empty()) return Status(Error(option + ": the output path is empty"));
    path = v;
    return Status();
  });
}

Status check_output(const std::string& option, const std::string& path, const std::vector<std::string>& inputs,
                    bool to_stdout_ok) {
  if (path == "-") {
    return to_stdout_ok ? Status() : Status(Error(option + " -: this output cannot go to standard output; give a file"));
  }
  return check_output_path(path, inputs, option);
}

void add_limit_options(CLI::App& app, LoadLimits& limits) {
  const auto limit = [&limits](const std::string& option) {
    return [&limits, option](const std::string& v) {
      return apply_limit_option(limits, option, v);
    };
  };
  add_read_option(app, "--max-events", "N", "the most events a scenario may have (default 1000000)",
                  limit("--max-events"));
  add_read_option(app, "--max-years", "Y", "the longest duration a scenario may have, in years (default 100)",
                  limit("--max-years"));
  add_max_work_option(app, limits);
}

void add_max_work_option(CLI::App& app, LoadLimits& limits) {
  add_read_option(app, "--max-work", "N",
                  "the most events and queries a run may do, estimated before it starts (default 500000000)",
                  [&limits](const std::string& v) { return apply_limit_option(limits, "--max-work", v); });
}

}  // namespace cmksim
