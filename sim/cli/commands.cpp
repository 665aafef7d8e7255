#include "sim/cli/commands.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/text.h"
#include "sim/io/results_db.h"
#include "sim/io/scenario_loader.h"
#include "sim/io/summary.h"
#include "sim/model/model.h"
#include "sim/profile/profile.h"

namespace cmksim {
namespace {

constexpr int kOk = 0;
constexpr int kBadInput = 2;

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

const char* const kRunUsage =
    "usage: cmksim run SCENARIO.yaml [-o out.db] [--seed N] [--profile P] [--timing sampled|worst|best]\n"
    "                  [--set name=value]...\n"
    "Simulates the scenario, writes the results database (default: SCENARIO.db in the current folder)\n"
    "and prints a summary of each incident. Exit status 0, or 2 on bad input.\n"
    "example: cmksim run scenarios/key-disabled-6h.yaml --seed 3 --set aek_cache_ttl=10m\n";

const char* const kValidateUsage =
    "usage: cmksim validate SCENARIO.yaml...\n"
    "Checks types, units, ranges and references without simulating. Exit status 0 valid, 2 invalid.\n"
    "example: cmksim validate scenarios/*.yaml\n";

const char* const kProfilesUsage =
    "usage: cmksim profiles [NAME]\n"
    "Lists the profiles, or every parameter of one with its value, unit and behaviour ID.\n"
    "example: cmksim profiles azure-monitor-current\n";

const std::vector<std::string> kCommands = {"run", "validate", "profiles", "check", "report",
                                            "graph", "sweep", "diff", "help"};

int bad_input(std::ostream& err, const std::string& message) {
  err << message << "\n";
  return kBadInput;
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

std::optional<std::uint64_t> parse_seed(const std::string& text) {
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

std::optional<Timing> parse_timing(const std::string& text) {
  if (text == "sampled") return Timing::kSampled;
  if (text == "worst") return Timing::kWorst;
  if (text == "best") return Timing::kBest;
  return std::nullopt;
}

// "scenarios/x.yaml" -> "x.db" (in the current folder)
std::string default_db_path(const std::string& scenario_path) {
  std::string base = scenario_path.substr(scenario_path.find_last_of('/') + 1);
  const std::size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base + ".db";
}

struct RunOptions {
  std::string scenario;
  std::string output;
  std::optional<std::uint64_t> seed;
  std::string profile;
  std::optional<Timing> timing;
  std::vector<std::pair<std::string, std::string>> sets;
};

// Parses `run`'s options; returns an error message or "".
std::string parse_run_options(const std::vector<std::string>& args, RunOptions& o) {
  const std::vector<std::string> known = {"-o", "--output", "--seed", "--profile", "--timing", "--set"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      if (std::find(known.begin(), known.end(), a) == known.end()) {
        return "cmksim run: unknown option '" + a + "'" + did_you_mean(a, known);
      }
      if (i + 1 >= args.size()) return "cmksim run: option " + a + " needs a value";
      const std::string& value = args[++i];
      if (a == "-o" || a == "--output") {
        o.output = value;
      } else if (a == "--seed") {
        o.seed = parse_seed(value);
        if (!o.seed) return "cmksim run: --seed expects a non-negative integer, got '" + value + "'";
      } else if (a == "--profile") {
        o.profile = value;
      } else if (a == "--timing") {
        o.timing = parse_timing(value);
        if (!o.timing) {
          return "cmksim run: --timing expects sampled, worst or best, got '" + value + "'" +
                 did_you_mean(value, {"sampled", "worst", "best"});
        }
      } else {  // --set
        const std::size_t eq = value.find('=');
        if (eq == std::string::npos || eq == 0) return "cmksim run: --set expects name=value, got '" + value + "'";
        o.sets.emplace_back(value.substr(0, eq), value.substr(eq + 1));
      }
    } else if (o.scenario.empty()) {
      o.scenario = a;
    } else {
      return "cmksim run: one scenario at a time (got '" + o.scenario + "' and '" + a + "')";
    }
  }
  if (o.scenario.empty()) return "cmksim run: missing SCENARIO.yaml\n" + std::string(kRunUsage);
  return {};
}

int command_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kRunUsage;
    return kOk;
  }
  RunOptions options;
  if (const std::string problem = parse_run_options(args, options); !problem.empty()) return bad_input(err, problem);
  const LoadResult loaded = load_scenario_file(options.scenario);
  if (loaded.error) return bad_input(err, loaded.error->str());
  const Scenario& scenario = *loaded.scenario;
  RunSettings settings;
  if (const auto problem = build_profile(scenario, options.sets, options.profile, settings.profile)) {
    return bad_input(err, problem->str());
  }
  settings.timing = options.timing.value_or(scenario.timing);
  settings.seed = options.seed.value_or(scenario.seed);
  const RunRecord record = run_scenario(scenario, settings);
  const std::string db_path = options.output.empty() ? default_db_path(options.scenario) : options.output;
  if (const std::string problem = write_results_db(db_path, record); !problem.empty()) {
    return bad_input(err, "cmksim run: cannot write " + db_path + ": " + problem);
  }
  out << format_summary(record, db_path);
  return kOk;
}

int command_validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kValidateUsage;
    return kOk;
  }
  if (args.size() < 2) return bad_input(err, std::string("cmksim validate: missing SCENARIO.yaml\n") + kValidateUsage);
  int status = kOk;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i].size() > 1 && args[i][0] == '-') {
      return bad_input(err, "cmksim validate: unknown option '" + args[i] + "'");
    }
    const LoadResult loaded = load_scenario_file(args[i]);
    std::optional<LoadError> problem = loaded.error;
    Profile profile;
    if (!problem) problem = build_profile(*loaded.scenario, {}, "", profile);
    if (problem) {
      err << problem->str() << "\n";
      status = kBadInput;
      continue;
    }
    out << args[i] << ": valid (" << loaded.scenario->events.size() << " events, "
        << loaded.scenario->expectations.size() << " expectations)\n";
  }
  return status;
}

int command_profiles(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kProfilesUsage;
    return kOk;
  }
  if (args.size() < 2) {
    for (const auto& name : profile_names()) out << name << "\n";
    return kOk;
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
  return kOk;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    out << kUsage;
    return args.empty() ? kBadInput : kOk;
  }
  const std::string& command = args[0];
  if (command == "--version") {
    out << "cmksim " << CMKSIM_VERSION << "\n";
    return kOk;
  }
  if (command == "run") return command_run(args, out, err);
  if (command == "validate") return command_validate(args, out, err);
  if (command == "profiles") return command_profiles(args, out, err);
  if (std::find(kCommands.begin(), kCommands.end(), command) != kCommands.end()) {
    return bad_input(err, "cmksim " + command + ": not available in cmksim " + CMKSIM_VERSION + " yet");
  }
  return bad_input(err, "cmksim: unknown command '" + command + "'" + did_you_mean(command, kCommands) +
                            "\nrun 'cmksim --help' for the list");
}

}  // namespace cmksim
