// The report's findings of one run: its incidents against D7's and D10's
// bounds, and each workspace's figures (see report_sections.h).
#include <cmath>

#include "sim/report/report_sections.h"

namespace cmksim::report::sections {

double metric_value(const RunRecord& r, const std::string& kind, const std::string& subject, const std::string& name) {
  for (const auto& m : r.metrics) {
    if (m.subject_kind == kind && m.subject == subject && m.name == name) return m.value;
  }
  return 0;
}

double run_gb_lost(const RunRecord& r) {
  double total = 0;
  bool any = false;
  for (const auto& m : r.metrics) {
    if (m.subject_kind == "workspace" && m.name == "gb_lost") {
      total += m.value;
      any = true;
    }
  }
  if (!any) {
    for (const auto& d : r.data) total += d.gb_lost;
  }
  return total;
}

std::vector<IncidentFinding> incident_findings(const RunRecord& r, DurationMs revocation_bound,
                                               DurationMs recovery_bound) {
  std::vector<IncidentFinding> out;
  std::size_t number = 0;
  for (const IncidentRow& inc : r.incidents) {
    IncidentFinding f;
    f.number = ++number;
    f.cluster = inc.cluster;
    f.cause = inc.cause;
    f.kv_outage = is_kv_outage(inc);
    f.change_ms = inc.change_ms;
    f.first_denied_ms = inc.first_denied_ms;
    f.unavailable_ms = inc.unavailable_ms;
    f.restored_ms = inc.restored_ms;
    f.resumed_ms = inc.resumed_ms;
    f.exposure_ms = inc.exposure_window_ms;
    if (is_kv_outage(inc)) {
      f.exposure_verdict = Verdict::kNotApplicable;  // D13: not a permission change
    } else if (!inc.exposure_window_ms) {
      f.exposure_verdict = Verdict::kOpen;
    } else if (*inc.exposure_window_ms > revocation_bound) {
      f.exposure_verdict = Verdict::kBeyond;
    } else if (!inc.unavailable_ms) {
      f.exposure_verdict = Verdict::kAverted;
    } else {
      f.exposure_verdict = Verdict::kWithin;
    }
    if (inc.unavailable_ms) {
      const TimeMs until = inc.resumed_ms.value_or(r.run.duration_ms);
      f.unavailable_for_ms = until - *inc.unavailable_ms;
      f.unavailable_at_end = !inc.resumed_ms;
    }
    f.recovery_ms = inc.recovery_time_ms;
    if (inc.recovery_time_ms) {
      f.recovery_verdict = *inc.recovery_time_ms <= recovery_bound ? Verdict::kWithin : Verdict::kBeyond;
    } else if (inc.unavailable_ms && !inc.resumed_ms) {
      f.recovery_verdict = Verdict::kOpen;
    }
    f.gb_lost = inc.gb_lost;
    f.queries_failed = inc.queries_failed;
    f.gb_lost_by_workspace = inc.gb_lost_by_workspace;
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<WorkspaceFinding> workspace_findings(const RunRecord& r) {
  std::vector<std::string> names;
  for (const auto& m : r.metrics) {
    if (m.subject_kind == "workspace") add_unique(names, m.subject);
  }
  for (const auto& d : r.data) add_unique(names, d.workspace);
  std::vector<WorkspaceFinding> out;
  for (const std::string& name : names) {
    WorkspaceFinding w;
    w.name = name;
    w.gb_ingested = metric_value(r, "workspace", name, "gb_ingested");
    w.gb_lost = metric_value(r, "workspace", name, "gb_lost");
    w.gb_purged = metric_value(r, "workspace", name, "gb_purged");
    w.gb_at_end = metric_value(r, "workspace", name, "gb_at_end");
    w.gb_inaccessible_at_end = metric_value(r, "workspace", name, "gb_inaccessible_at_end");
    w.gb_hot = metric_value(r, "workspace", name, "gb_hot");
    w.unavailable_s = metric_value(r, "workspace", name, "unavailable_s");
    w.queries_ok = static_cast<std::uint64_t>(std::llround(metric_value(r, "workspace", name, "queries_ok")));
    w.queries_failed = static_cast<std::uint64_t>(std::llround(metric_value(r, "workspace", name, "queries_failed")));
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace cmksim::report::sections
