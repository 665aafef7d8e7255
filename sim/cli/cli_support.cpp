#include "sim/cli/cli_support.h"

#include "sim/core/text.h"

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

std::string read_seed_option(const std::string& value, std::optional<std::uint64_t>& out) {
  out = parse_seed(value);
  return out ? "" : "--seed expects a non-negative integer, got '" + value + "'";
}

std::string read_timing_option(const std::string& value, std::optional<Timing>& out) {
  out = parse_timing(value);
  return out ? "" : "--timing expects sampled, worst or best, got '" + value + "'" +
                        did_you_mean(value, {"sampled", "worst", "best"});
}

std::string default_db_path(const std::string& scenario_path) {
  std::string base = scenario_path.substr(scenario_path.find_last_of('/') + 1);
  const std::size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base + ".db";
}

}  // namespace cmksim
