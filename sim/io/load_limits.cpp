#include "sim/io/load_limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/core/check.h"
#include "sim/io/message_text.h"

namespace cmksim {

const std::vector<std::string>& limit_options() {
  static const std::vector<std::string> options = {"--max-events", "--max-years", "--max-work"};
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
  if (option == "--max-work") {
    if (n < 0) return Error("--max-work expects a whole number of events and queries, got " + load::quote(value));
    limits.max_work = static_cast<double>(n);
    return Status();
  }
  if (n < 1 || n > 1000) {
    return Error("--max-years expects a whole number of years from 1 to 1000, got " + load::quote(value));
  }
  limits.max_duration = n * kMsPerLimitYear;
  return Status();
}

double estimate_work(const Scenario& scenario, const Profile& profile, DurationMs span) {
  const double duration = static_cast<double>(std::max<DurationMs>(span, 0));
  double clusters = static_cast<double>(scenario.clusters.size());
  for (const EventDecl& e : scenario.events) clusters += e.action == Action::kCreateCluster ? 1 : 0;
  const double mean_gap =
      std::max(1.0, (static_cast<double>(profile.kv_call_interval_min_ms) + static_cast<double>(profile.kv_call_interval_max_ms)) / 2);
  double work = static_cast<double>(scenario.events.size()) + clusters * (duration / mean_gap);
  for (const WorkspaceDecl& w : scenario.workspaces) {
    work += 1 + std::max(0.0, w.queries_per_hour) * duration / static_cast<double>(kMsPerHour);
  }
  return work;
}

Status check_work(const Scenario& scenario, const Profile& profile, double max_work, DurationMs span) {
  const double work = estimate_work(scenario, profile, span);
  if (!(work > max_work)) return Status();
  char shown[64];
  std::snprintf(shown, sizeof shown, "%.3g", work);
  char limit[64];
  std::snprintf(limit, sizeof limit, "%.0f", max_work);
  return Error{scenario.file, 0, 0,
               std::string("the run would do about ") + shown +
                   " events and queries (Key Vault calls, background queries and events over the duration), "
                   "more than the limit of " + limit + "; --max-work N raises it"};
}

}  // namespace cmksim
