#include "sim/io/load_limits.h"

#include <algorithm>

#include "sim/core/check.h"
#include "sim/io/message_text.h"

namespace cmksim {

const std::vector<std::string>& limit_options() {
  static const std::vector<std::string> options = {"--max-events", "--max-years"};
  return options;
}

bool is_limit_option(const std::string& option) {
  const std::vector<std::string>& options = limit_options();
  return std::find(options.begin(), options.end(), option) != options.end();
}

Status apply_limit_option(LoadLimits& limits, const std::string& option, const std::string& value) {
  CMKSIM_CHECK(is_limit_option(option), "apply_limit_option on another option");
  const bool digits = !value.empty() && value.size() <= 18 &&
                      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  const long long n = digits ? std::stoll(value) : -1;
  if (option == "--max-events") {
    if (n < 0) return Error("--max-events expects a whole number of events, got " + load::quote(value));
    limits.max_events = static_cast<std::size_t>(n);
    return Status();
  }
  if (n < 1 || n > 1000) {
    return Error("--max-years expects a whole number of years from 1 to 1000, got " + load::quote(value));
  }
  limits.max_duration = n * kMsPerLimitYear;
  return Status();
}

}  // namespace cmksim
