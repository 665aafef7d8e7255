// Which run of a sweep the report shows (`cmksim report --run N`,
// `--worst METRIC`; issue 15 item 5).
#include <algorithm>
#include <cstdio>
#include <map>

#include "sim/core/text.h"
#include "sim/report/report_data.h"
#include "sim/sweep/risk.h"

namespace cmksim::report {
namespace {

const std::vector<std::string>& named_metrics() {
  static const std::vector<std::string> names = {"exposure_window", "recovery_time", "time_unavailable", "gb_lost",
                                                 "queries_failed"};
  return names;
}

// The run's value of `metric`, or nothing when the run has none.
std::optional<double> value_of(const RunRecord& r, const std::string& metric) {
  const RunOutcome o = outcome_of(r, 0);
  if (metric == "exposure_window") return o.longest_exposure_s;
  if (metric == "recovery_time") return o.longest_recovery_s;
  if (metric == "time_unavailable") return o.unavailable_s;
  if (metric == "gb_lost") return o.gb_lost;
  if (metric == "queries_failed") return o.queries_failed;
  std::optional<double> workspaces, any;
  for (const MetricRow& m : r.metrics) {
    if (m.name != metric) continue;
    any = any.value_or(0) + m.value;
    if (m.subject_kind == "workspace") workspaces = workspaces.value_or(0) + m.value;
  }
  return workspaces ? workspaces : any;
}

std::string show(const std::string& metric, double v) {
  if (metric == "exposure_window" || metric == "recovery_time" || metric == "time_unavailable") {
    return format_duration_rounded(static_cast<DurationMs>(v * 1000 + 0.5));
  }
  if (metric.rfind("gb_", 0) == 0) return format_gb(v) + " GB";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

}  // namespace

Expected<Representative> pick_run(const std::vector<RunRecord>& runs, std::optional<std::uint64_t> run_number,
                                  const std::string& worst_metric) {
  Representative r;
  if (run_number && !worst_metric.empty()) return Error("--run and --worst pick the run two ways; give one");
  if (run_number) {
    if (*run_number < 1 || *run_number > runs.size()) {
      return Error("--run " + std::to_string(*run_number) + ": the database holds runs 1 to " +
                   std::to_string(runs.size()));
    }
    r.index = static_cast<std::size_t>(*run_number - 1);
    r.why = "picked by --run " + std::to_string(*run_number);
    return r;
  }
  if (worst_metric.empty()) return r;
  std::optional<std::size_t> worst;
  std::optional<double> worst_value;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::optional<double> v = value_of(runs[i], worst_metric);
    if (v && (!worst_value || *v > *worst_value)) {  // the first of equals
      worst = i;
      worst_value = v;
    }
  }
  if (!worst) {
    std::vector<std::string> known = named_metrics();
    for (const RunRecord& run : runs) {
      for (const MetricRow& m : run.metrics) {
        if (std::find(known.begin(), known.end(), m.name) == known.end()) known.push_back(m.name);
      }
    }
    return Error("--worst " + worst_metric + ": no run has this metric" + did_you_mean(worst_metric, known));
  }
  r.index = *worst;
  r.why = "the most " + worst_metric + " of the sweep (" + show(worst_metric, *worst_value) + "), picked by --worst " +
          worst_metric;
  return r;
}

}  // namespace cmksim::report
