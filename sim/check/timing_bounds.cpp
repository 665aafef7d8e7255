#include "sim/check/timing_bounds.h"

#include <cmath>
#include <optional>
#include <sstream>
#include <vector>

#include "sim/core/text.h"
#include "sim/scenario/duration.h"

namespace cmksim {
namespace {

std::optional<double> cluster_metric(const RunRecord& r, const std::string& cluster, const std::string& name) {
  for (const MetricRow& m : r.metrics) {
    if (m.subject_kind == "cluster" && m.subject == cluster && m.name == name) return m.value;
  }
  return std::nullopt;
}

// Clusters with an incident in any of the records, in first-seen order.
std::vector<std::string> incident_clusters(const std::vector<const RunRecord*>& records) {
  std::vector<std::string> out;
  for (const RunRecord* r : records) {
    for (const IncidentRow& inc : r->incidents) {
      bool seen = false;
      for (const std::string& c : out) seen = seen || c == inc.cluster;
      if (!seen) out.push_back(inc.cluster);
    }
  }
  return out;
}

std::string duration_text(std::optional<double> seconds) {
  if (!seconds) return "none";
  return format_duration_rounded(static_cast<DurationMs>(std::llround(*seconds * 1000.0)));
}

std::string gb_text(std::optional<double> gb) { return gb ? format_gb(*gb) : std::string("0"); }

// A duration parameter in force, 0 when absent.
DurationMs bound_of(const RunRecord& r) {
  const ParamValue* p = find_param_value(r.run.params, "revocation_bound");
  if (p == nullptr) return 0;
  const Expected<DurationMs> d = parse_duration(p->text);
  return d ? *d : 0;
}

}  // namespace

void add_timing_bounds(RunRecord& sampled, const RunRecord& latest, const RunRecord& earliest) {
  for (const std::string& cluster : incident_clusters({&sampled, &latest, &earliest})) {
    const auto add = [&](const RunRecord& from, const char* metric, const std::string& name, const char* unit) {
      if (const auto v = cluster_metric(from, cluster, metric)) sampled.metrics.push_back({"cluster", cluster, name, *v, unit});
    };
    add(latest, "exposure_window", "exposure_window_latest", "s");
    add(earliest, "exposure_window", "exposure_window_earliest", "s");
    add(latest, "gb_lost", "gb_lost_latest", "GB");
    add(earliest, "gb_lost", "gb_lost_earliest", "GB");
  }
}

std::string bounds_lines(const RunRecord& record) {
  std::ostringstream out;
  for (const std::string& cluster : incident_clusters({&record})) {
    const auto m = [&](const char* name) { return cluster_metric(record, cluster, name); };
    if (!m("exposure_window_latest") && !m("exposure_window_earliest") && !m("gb_lost_latest") && !m("gb_lost_earliest")) {
      continue;
    }
    out << "  " << one_line(cluster) << ": exposure " << duration_text(m("exposure_window")) << " (bounds: "
        << duration_text(m("exposure_window_earliest")) << " earliest ... " << duration_text(m("exposure_window_latest"))
        << " latest); GB lost " << gb_text(m("gb_lost")) << " (bounds: " << gb_text(m("gb_lost_latest"))
        << " latest ... " << gb_text(m("gb_lost_earliest")) << " earliest)\n";
  }
  return out.str();
}

std::string bounds_side_by_side(const RunRecord& latest, const RunRecord& earliest) {
  std::ostringstream out;
  const DurationMs bound = bound_of(latest);
  out << "D7 bounds, the same seed (run 1 = latest: the longest exposure; run 2 = earliest: the most loss):\n";
  const std::vector<std::string> clusters = incident_clusters({&latest, &earliest});
  if (clusters.empty()) out << "  no incident under either timing\n";
  const auto within = [bound](std::optional<double> s) {
    if (!s || bound <= 0) return std::string();
    return static_cast<DurationMs>(std::llround(*s * 1000.0)) <= bound ? std::string(" [D7: within ") + format_duration(bound) + "]"
                                                                       : std::string(" [D7: BEYOND ") + format_duration(bound) + "]";
  };
  for (const std::string& c : clusters) {
    const auto exposure_latest = cluster_metric(latest, c, "exposure_window");
    const auto exposure_earliest = cluster_metric(earliest, c, "exposure_window");
    out << "  " << one_line(c) << ": exposure window " << duration_text(exposure_latest) << " latest"
        << within(exposure_latest) << " ... " << duration_text(exposure_earliest) << " earliest"
        << within(exposure_earliest) << "\n";
    out << "  " << std::string(one_line(c).size(), ' ') << "  GB lost " << gb_text(cluster_metric(latest, c, "gb_lost"))
        << " latest ... " << gb_text(cluster_metric(earliest, c, "gb_lost")) << " earliest\n";
  }
  return out.str();
}

}  // namespace cmksim
