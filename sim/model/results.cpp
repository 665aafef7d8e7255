#include "sim/model/simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/graph/impact.h"
#include "sim/random/distributions.h"

namespace cmksim::detail {
namespace {

// Splits the graph's "NAME (note)" into NAME and note, NAME being the longest
// of `names` that fits (names may hold " (" themselves).
std::pair<std::string, std::string> split_annotated(const std::string& text, const std::vector<std::string>& names) {
  std::size_t best = std::string::npos;
  for (const std::string& n : names) {
    const bool fits = text.size() >= n.size() + 3 && text.compare(0, n.size(), n) == 0 &&
                      text.compare(n.size(), 2, " (") == 0 && text.back() == ')';
    if (fits && (best == std::string::npos || n.size() > best)) best = n.size();
  }
  if (best == std::string::npos) return {text, ""};
  return {text.substr(0, best), text.substr(best + 2, text.size() - best - 3)};
}

}  // namespace

void Simulation::finish() {
  const TimeMs end = scenario_.duration_ms;
  catch_up_all_queries(end + 1);  // the engine runs events at the end time too
  for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) {
    const Cluster& cl = cluster(c);
    if (cl.storage == StorageState::kUnavailable || cl.storage == StorageState::kRecovering) {
      cluster_down_ms_[c] += end - cl.unavailable_since_ms;
    }
  }
  for (auto& ws : world_.workspaces) {
    ws.ledger.close(end);
    if (ws.state == WorkspaceState::kUnavailable) ws.unavailable_total_ms += end - ws.unavailable_since_ms;
  }
  states_.close_all(end);
  record_data_and_losses(end);
  record_metrics();
  if (record_timelines_) {
    record_kv_calls();
  } else {  // a sweep keeping outcomes only: nothing above read these rows
    record_.events = {};  // their memory too: a sweep holds many records at once
    record_.states = {};
    record_.timelines_recorded = false;
  }
  record_blast_radius();
  RunInfo& run = record_.run;
  run.scenario = scenario_.name;
  run.scenario_file = scenario_.file;
  run.scenario_sha256 = scenario_.source_sha256;
  run.seed = seed_;
  run.profile = profile_.name;
  run.timing = timing_name(timing_);
  run.params = param_values(profile_);
  run.duration_ms = end;
  run.events_processed = engine_.processed() + batched_queries_processed_ + batched_kv_calls_processed_;
  run.cmksim_version = CMKSIM_VERSION;
  run.description = scenario_.description;
  run.start = scenario_.start;
}

void Simulation::record_data_and_losses(TimeMs end) {
  for (auto& ws : world_.workspaces) {
    // one row per (protection, location), in protection order
    std::map<std::pair<std::string, int>, DataRow> rows;
    std::vector<double> lost_by_incident(record_.incidents.size(), 0.0);
    std::vector<double> buffered_by_incident(record_.incidents.size(), 0.0);
    for (const Segment& s : ws.ledger.segments()) {
      const SegmentFate f = ws.ledger.fate(s, end);
      const std::string& protection = protections_[static_cast<std::size_t>(s.protection)];
      DataRow& row = rows[{protection, static_cast<int>(s.location)}];
      row.gb_ingested += f.gb_ingested;
      row.gb_lost += f.gb_lost;
      row.gb_purged += f.gb_purged;
      row.gb_at_end += f.gb_at_end;
      if (s.lost && s.incident >= 0) lost_by_incident[static_cast<std::size_t>(s.incident)] += f.gb_lost;
      if (s.buffered && s.buffer_incident >= 0) {
        buffered_by_incident[static_cast<std::size_t>(s.buffer_incident)] += f.gb_ingested;
      }
    }
    SegmentFate& t = totals_[ws.decl.name];
    for (auto& [key, row] : rows) {
      row.workspace = ws.decl.name;
      row.protection = key.first;
      row.location = key.second == static_cast<int>(Location::kCluster) ? "cluster" : "shared";
      t.gb_ingested += row.gb_ingested;
      t.gb_lost += row.gb_lost;
      t.gb_purged += row.gb_purged;
      t.gb_at_end += row.gb_at_end;
      record_.data.push_back(row);
    }
    for (std::size_t i = 0; i < lost_by_incident.size(); ++i) {
      if (lost_by_incident[i] <= 0) continue;
      record_.incidents[i].gb_lost += lost_by_incident[i];
      record_.incidents[i].gb_lost_by_workspace.emplace_back(ws.decl.name, lost_by_incident[i]);
    }
    for (std::size_t i = 0; i < buffered_by_incident.size(); ++i) {  // D13
      if (buffered_by_incident[i] <= 0) continue;
      record_.incidents[i].gb_buffered += buffered_by_incident[i];
      record_.incidents[i].gb_buffered_by_workspace.emplace_back(ws.decl.name, buffered_by_incident[i]);
      buffered_gb_[ws.decl.name] += buffered_by_incident[i];
    }
  }
}

void Simulation::metric(const char* kind, const std::string& subject, const char* name, double value, const char* unit) {
  record_.metrics.push_back(MetricRow{kind, subject, name, value, unit});
}

void Simulation::record_metrics() {
  const TimeMs end = scenario_.duration_ms;
  for (const auto& ws : world_.workspaces) {
    const SegmentFate& t = totals_[ws.decl.name];
    const std::string& name = ws.decl.name;
    metric("workspace", name, "gb_ingested", t.gb_ingested, "GB");
    metric("workspace", name, "gb_lost", t.gb_lost, "GB");
    metric("workspace", name, "gb_purged", t.gb_purged, "GB");
    metric("workspace", name, "gb_at_end", t.gb_at_end, "GB");
    metric("workspace", name, "gb_inaccessible_at_end", inaccessible_gb(ws, end), "GB");  // D8, D12, C5
    metric("workspace", name, "gb_hot", hot_gb_at(ws, end), "GB");                         // K3, D8
    if (buffered_gb_.count(name) > 0) metric("workspace", name, "gb_buffered", buffered_gb_[name], "GB");  // D13
    metric("workspace", name, "queries_ok", static_cast<double>(ws.queries_ok), "count");
    metric("workspace", name, "queries_failed", static_cast<double>(ws.queries_failed), "count");
    metric("workspace", name, "unavailable_s", static_cast<double>(ws.unavailable_total_ms) / 1000.0, "s");
    metric("workspace", name, "queries_from_ssd", static_cast<double>(ws.queries_from_ssd), "count");
    if (ws.latencies.total() > 0) {  // D2
      for (const int p : {50, 95, 99, 100}) {
        const std::string label = p == 100 ? "query_latency_max" : "query_latency_p" + std::to_string(p);
        metric("workspace", name, label.c_str(), static_cast<double>(ws.latencies.percentile(p)) / 1000.0, "s");
      }
    }
  }
  // D3: the calls per cluster and per vault, in one pass over the hourly
  // buckets (a fleet year holds about 10^5 of them per vault).
  std::vector<std::uint64_t> cluster_calls(world_.clusters.size()), cluster_failed(world_.clusters.size());
  std::vector<std::uint64_t> vault_calls(graph_.vault_count()), vault_failed(graph_.vault_count());
  kv_log_.each([&](int vault, int cluster, std::int64_t, const KvCallCounts& counts) {
    const auto c = static_cast<std::size_t>(cluster);
    cluster_calls[c] += counts.wraps + counts.unwraps;
    cluster_failed[c] += counts.failed;
    if (vault < 0) return;
    const auto v = static_cast<std::size_t>(vault);
    vault_calls[v] += counts.wraps + counts.unwraps;
    vault_failed[v] += counts.failed;
  });
  for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) {
    const Cluster& cl = cluster(c);
    const std::uint64_t calls = cluster_calls[c], failed = cluster_failed[c];
    std::optional<DurationMs> exposure, recovery;
    int incidents = 0;
    double lost = 0, buffered = 0;
    for (const auto& inc : record_.incidents) {
      if (inc.cluster != name_of(cl)) continue;
      ++incidents;
      lost += inc.gb_lost;
      buffered += inc.gb_buffered;
      if (inc.exposure_window_ms) exposure = std::max(exposure.value_or(0), *inc.exposure_window_ms);
      if (inc.recovery_time_ms) recovery = std::max(recovery.value_or(0), *inc.recovery_time_ms);
    }
    metric("cluster", name_of(cl), "kv_calls", static_cast<double>(calls), "count");
    metric("cluster", name_of(cl), "kv_calls_failed", static_cast<double>(failed), "count");
    metric("cluster", name_of(cl), "unavailable_s", static_cast<double>(cluster_down_ms_[c]) / 1000.0, "s");
    metric("cluster", name_of(cl), "incidents", incidents, "count");
    metric("cluster", name_of(cl), "gb_lost", lost, "GB");
    if (buffered > 0) metric("cluster", name_of(cl), "gb_buffered", buffered, "GB");  // D13
    if (exposure) metric("cluster", name_of(cl), "exposure_window", static_cast<double>(*exposure) / 1000.0, "s");
    if (recovery) metric("cluster", name_of(cl), "recovery_time", static_cast<double>(*recovery) / 1000.0, "s");
  }
  for (std::size_t v = 0; v < graph_.vault_count(); ++v) {
    const std::string& vault = graph_.node(graph_.vault_at(v).vertex).name;
    const std::uint64_t calls = vault_calls[v], failed = vault_failed[v];
    metric("vault", vault, "kv_calls", static_cast<double>(calls), "count");
    metric("vault", vault, "kv_calls_failed", static_cast<double>(failed), "count");
  }
}

void Simulation::record_kv_calls() {
  kv_log_.each([&](int v, int c, std::int64_t hour, const KvCallCounts& counts) {
    KvCallRow row;
    row.vault = v >= 0 ? graph_.node(graph_.vault_at(static_cast<std::size_t>(v)).vertex).name : "";
    row.cluster = name_of(world_.clusters[static_cast<std::size_t>(c)]);
    row.hour = hour;
    row.wraps = counts.wraps;
    row.unwraps = counts.unwraps;
    row.failed = counts.failed;
    record_.kv_calls.push_back(std::move(row));
  });
}

void Simulation::record_blast_radius() {
  std::vector<std::string> cluster_names, workspace_names;
  for (const ClusterDecl& c : scenario_.clusters) cluster_names.push_back(c.name);
  for (const WorkspaceDecl& w : scenario_.workspaces) workspace_names.push_back(w.name);
  const auto add = [this](const std::string& key, const char* kind, std::string subject, std::string protection,
                          std::string location, double gb = 0, double gb_per_day = 0) {
    record_.blast_radius.push_back(BlastRadiusRow{key, kind, std::move(subject), std::move(protection),
                                                  std::move(location), gb, gb_per_day});
  };
  for (const KeyImpact& k : start_impacts_) {
    const std::string key = k.target.vault + "/" + k.target.key;
    for (const ClusterImpact& c : k.clusters) add(key, "cluster", c.cluster, c.protection, "");
    for (const ClusterImpact& c : k.clusters) {
      if (c.identity != "none") add(key, "identity", c.identity, "", "cluster:" + c.cluster);
    }
    for (const WorkspaceImpact& w : k.workspaces) {
      std::string where;
      for (const std::string& c : w.clusters) where += (where.empty() ? "cluster:" : ", cluster:") + c;
      add(key, "workspace", w.workspace, "", where, w.gb_inaccessible, w.gb_per_day_dropped);
    }
    for (const DataShare& d : k.inaccessible) add(key, "data_inaccessible", "", d.protection, "", d.gb);
    for (const DataShare& d : k.not_affected) add(key, "data_not_affected", "", d.protection, d.location, d.gb);
    for (const std::string& c : k.clusters_not_affected) {
      const auto [name, protection] = split_annotated(c, cluster_names);
      add(key, "cluster_not_affected", name, protection, "");
    }
    for (const std::string& w : k.workspaces_not_affected) {
      auto [name, where] = split_annotated(w, workspace_names);
      if (where.rfind("cluster ", 0) == 0) where = "cluster:" + where.substr(8);
      add(key, "workspace_not_affected", name, "", where);
    }
  }
}

}  // namespace cmksim::detail
