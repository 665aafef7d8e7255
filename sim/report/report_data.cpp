// The report's content from the database rows (see report_data.h). Every
// collection keeps the order of the database (which is simulation order) or
// an explicit sort, so the same database gives the same report, byte for byte.
#include "sim/report/report_data.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/report/behaviours.h"
#include "sim/report/report_text.h"
#include "sim/scenario/duration.h"

namespace cmksim::report {
namespace {

constexpr std::size_t kMaxWorkspaceLanes = 40;  // beyond this, identical workspace lanes share one
constexpr std::size_t kHistogramBins = 10;

// ---- small helpers -------------------------------------------------------

template <class T>
void add_unique(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// The value text of a parameter in force; "" when the run has none of that name.
std::string param(const ParamValues& params, const std::string& name) {
  const ParamValue* p = find_param_value(params, name);
  return p != nullptr ? p->text : "";
}

DurationMs param_duration(const ParamValues& params, const std::string& name, DurationMs fallback) {
  const std::string text = param(params, name);
  if (text.empty()) return fallback;
  return parse_duration(text).value.value_or(fallback);
}

// A word safe to paste into a POSIX shell as is, else single-quoted.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == '/' || c == '=' || c == ':' || c == ',' || c == '+';
  });
  if (plain) return word;
  std::string out = "'";
  for (const char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

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

// An incident's exposure window, or, when it is still open, the time from
// the change to the end of the run (for choosing the representative run).
DurationMs exposure_or_open(const IncidentRow& inc, DurationMs duration) {
  if (inc.exposure_window_ms) return *inc.exposure_window_ms;
  return duration - inc.change_ms;
}

std::optional<bool> expectations_met(const RunRecord& r) {
  if (r.expectations.empty()) return std::nullopt;
  return std::all_of(r.expectations.begin(), r.expectations.end(), [](const ExpectationRow& x) { return x.passed; });
}

// ---- findings ------------------------------------------------------------

std::vector<IncidentFinding> incident_findings(const RunRecord& r, DurationMs revocation_bound,
                                               DurationMs recovery_bound) {
  std::vector<IncidentFinding> out;
  std::size_t number = 0;
  for (const IncidentRow& inc : r.incidents) {
    IncidentFinding f;
    f.number = ++number;
    f.cluster = inc.cluster;
    f.cause = inc.cause;
    f.change_ms = inc.change_ms;
    f.first_denied_ms = inc.first_denied_ms;
    f.unavailable_ms = inc.unavailable_ms;
    f.restored_ms = inc.restored_ms;
    f.resumed_ms = inc.resumed_ms;
    f.exposure_ms = inc.exposure_window_ms;
    if (!inc.exposure_window_ms) {
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

// ---- timeline ------------------------------------------------------------

// A lane drawn under its cluster's lane: the AEK's wrapping version (R4),
// and any "cluster_*" state the model records (provisioning, ...).
bool cluster_sub_lane(const std::string& kind) { return kind == "aek" || kind.rfind("cluster_", 0) == 0; }

int kind_rank(const std::string& kind) {
  if (kind == "vault") return 0;
  if (kind == "key") return 1;
  if (kind == "cluster" || cluster_sub_lane(kind)) return 2;
  if (kind == "workspace") return 3;
  return 4;
}

Timeline build_timeline(const RunRecord& r) {
  Timeline t;
  t.end_ms = r.run.duration_ms;
  // lanes in order of first appearance, then grouped by kind
  std::vector<TimelineLane> lanes;
  std::map<std::pair<std::string, std::string>, std::size_t> at;
  for (const StateRow& s : r.states) {
    const auto key = std::make_pair(s.subject_kind, s.subject);
    auto it = at.find(key);
    if (it == at.end()) {
      it = at.emplace(key, lanes.size()).first;
      lanes.push_back({s.subject_kind, s.subject, {}, {}});
    }
    if (s.t_end_ms > s.t_start_ms) lanes[it->second].bars.push_back({s.state, s.t_start_ms, s.t_end_ms});
    t.end_ms = std::max(t.end_ms, s.t_end_ms);
  }
  for (auto& lane : lanes) {
    std::stable_sort(lane.bars.begin(), lane.bars.end(),
                     [](const TimelineBar& a, const TimelineBar& b) { return a.start_ms < b.start_ms; });
  }
  // vault, key, then each cluster followed by its AEK lane, then workspaces
  std::vector<TimelineLane> ordered;
  for (const int rank : {0, 1}) {
    for (const auto& lane : lanes) {
      if (kind_rank(lane.kind) == rank) ordered.push_back(lane);
    }
  }
  for (const auto& lane : lanes) {
    if (lane.kind != "cluster") continue;
    ordered.push_back(lane);
    for (const bool aek : {true, false}) {  // the AEK first, then the others
      for (const auto& sub : lanes) {
        if (cluster_sub_lane(sub.kind) && (sub.kind == "aek") == aek && sub.name == lane.name) ordered.push_back(sub);
      }
    }
  }
  for (const auto& lane : lanes) {  // a sub-lane whose cluster has no lane
    if (!cluster_sub_lane(lane.kind)) continue;
    const bool placed = std::any_of(lanes.begin(), lanes.end(), [&](const TimelineLane& c) {
      return c.kind == "cluster" && c.name == lane.name;
    });
    if (!placed) ordered.push_back(lane);
  }
  std::vector<TimelineLane> workspaces;
  for (const auto& lane : lanes) {
    if (lane.kind == "workspace") workspaces.push_back(lane);
  }
  if (workspaces.size() > kMaxWorkspaceLanes) {
    // Too many to draw one by one: workspaces whose states are identical share a lane.
    std::vector<TimelineLane> groups;
    for (const auto& w : workspaces) {
      auto same = std::find_if(groups.begin(), groups.end(), [&](const TimelineLane& g) {
        if (g.bars.size() != w.bars.size()) return false;
        for (std::size_t i = 0; i < g.bars.size(); ++i) {
          if (g.bars[i].state != w.bars[i].state || g.bars[i].start_ms != w.bars[i].start_ms ||
              g.bars[i].end_ms != w.bars[i].end_ms) {
            return false;
          }
        }
        return true;
      });
      if (same == groups.end()) {
        groups.push_back({"workspace", w.name, {w.name}, w.bars});
      } else {
        same->members.push_back(w.name);
      }
    }
    for (auto& g : groups) {
      if (g.members.size() == 1) {
        g.members.clear();
      } else {
        t.merged_workspaces += g.members.size();
        g.name = std::to_string(g.members.size()) + " workspaces";
      }
    }
    workspaces = std::move(groups);
  }
  for (auto& w : workspaces) ordered.push_back(std::move(w));
  for (const auto& lane : lanes) {
    if (kind_rank(lane.kind) == 4) ordered.push_back(lane);
  }
  t.lanes = std::move(ordered);
  for (const auto& lane : t.lanes) {
    for (const auto& bar : lane.bars) add_unique(t.states, bar.state);
  }

  std::vector<const OperationRow*> ops;
  for (const auto& op : r.operations) ops.push_back(&op);
  std::stable_sort(ops.begin(), ops.end(), [](const OperationRow* a, const OperationRow* b) { return a->t_ms < b->t_ms; });
  std::size_t number = 0;
  for (const OperationRow* op : ops) {
    t.markers.push_back({++number, op->t_ms, op->event_id, op->action, op->target, op->status, op->message});
  }
  return t;
}

// ---- Key Vault load ------------------------------------------------------

std::vector<KvSeries> build_kv(const RunRecord& r) {
  std::vector<KvSeries> out;
  const std::int64_t hours = std::max<std::int64_t>(1, (r.run.duration_ms + kMsPerHour - 1) / kMsPerHour);
  for (const KvCallRow& k : r.kv_calls) {
    auto it = std::find_if(out.begin(), out.end(), [&](const KvSeries& s) { return s.vault == k.vault; });
    if (it == out.end()) {
      KvSeries s;
      s.vault = k.vault;
      s.calls.assign(static_cast<std::size_t>(hours), 0);
      s.failed.assign(static_cast<std::size_t>(hours), 0);
      out.push_back(std::move(s));
      it = out.end() - 1;
    }
    add_unique(it->clusters, k.cluster);
    if (k.hour < 0) continue;
    const auto h = static_cast<std::size_t>(k.hour);
    if (h >= it->calls.size()) {
      it->calls.resize(h + 1, 0);
      it->failed.resize(h + 1, 0);
    }
    it->calls[h] += k.wraps + k.unwraps;
    it->failed[h] += k.failed;
    it->wraps += k.wraps;
    it->unwraps += k.unwraps;
    it->total_calls += k.wraps + k.unwraps;
    it->total_failed += k.failed;
  }
  for (auto& s : out) {
    for (std::size_t h = 0; h < s.calls.size(); ++h) {
      if (s.calls[h] > s.peak) {
        s.peak = s.calls[h];
        s.peak_hour = static_cast<std::int64_t>(h);
      }
    }
  }
  return out;
}

// ---- data accounting -----------------------------------------------------

std::vector<DataClassRow> data_classes(const RunRecord& r) {
  std::vector<DataClassRow> rows;
  for (const DataRow& d : r.data) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const DataClassRow& c) { return c.protection == d.protection; });
    if (it == rows.end()) {
      DataClassRow c;
      c.protection = d.protection;
      c.cmk = d.protection.rfind("cmk:", 0) == 0;
      rows.push_back(c);
      it = rows.end() - 1;
    }
    it->gb_ingested += d.gb_ingested;
    it->gb_lost += d.gb_lost;
    it->gb_purged += d.gb_purged;
    it->gb_at_end += d.gb_at_end;
  }
  // MMK first, then each CMK version in name order; subtotals and a total
  std::stable_sort(rows.begin(), rows.end(), [](const DataClassRow& a, const DataClassRow& b) {
    if (a.cmk != b.cmk) return !a.cmk;
    return a.protection < b.protection;
  });
  DataClassRow mmk{"MMK total", false, true, 0, 0, 0, 0};
  DataClassRow cmk{"CMK total", true, true, 0, 0, 0, 0};
  for (const auto& c : rows) {
    DataClassRow& sum = c.cmk ? cmk : mmk;
    sum.gb_ingested += c.gb_ingested;
    sum.gb_lost += c.gb_lost;
    sum.gb_purged += c.gb_purged;
    sum.gb_at_end += c.gb_at_end;
  }
  DataClassRow all{"all data", false, true, mmk.gb_ingested + cmk.gb_ingested, mmk.gb_lost + cmk.gb_lost,
                   mmk.gb_purged + cmk.gb_purged, mmk.gb_at_end + cmk.gb_at_end};
  rows.push_back(mmk);
  rows.push_back(cmk);
  rows.push_back(all);
  return rows;
}

bool conservation_holds(const RunRecord& r) {
  for (const DataRow& d : r.data) {
    const double rest = d.gb_lost + d.gb_purged + d.gb_at_end;
    if (std::fabs(d.gb_ingested - rest) > 1e-6 * std::max(1.0, std::fabs(d.gb_ingested))) return false;
  }
  return true;
}

// ---- keys ------------------------------------------------------------------

std::vector<KeyRadius> key_radius(const RunRecord& r) {
  std::vector<KeyRadius> keys;
  const auto key_of = [&](const std::string& name) -> KeyRadius& {
    auto it = std::find_if(keys.begin(), keys.end(), [&](const KeyRadius& k) { return k.key == name; });
    if (it != keys.end()) return *it;
    KeyRadius k;
    k.key = name;
    keys.push_back(std::move(k));
    return keys.back();
  };
  for (const StateRow& s : r.states) {
    if (s.subject_kind == "key") key_of(s.subject);
  }
  for (const DataRow& d : r.data) {
    if (d.protection.rfind("cmk:", 0) != 0) continue;
    const std::string rest = d.protection.substr(4);  // vault/key/version
    const std::size_t slash = rest.find_last_of('/');
    const std::string name = slash == std::string::npos ? rest : rest.substr(0, slash);
    KeyRadius& k = key_of(name);
    if (slash != std::string::npos) add_unique(k.versions, rest.substr(slash + 1));
    auto w = std::find_if(k.workspaces.begin(), k.workspaces.end(), [&](const auto& p) { return p.first == d.workspace; });
    if (w == k.workspaces.end()) {
      k.workspaces.emplace_back(d.workspace, 0.0);
      w = k.workspaces.end() - 1;
    }
    w->second += d.gb_at_end;
    k.gb_at_end += d.gb_at_end;
    k.gb_lost += d.gb_lost;
  }
  for (KeyRadius& k : keys) {
    const std::string vault = k.key.substr(0, k.key.find('/'));
    for (const KvCallRow& c : r.kv_calls) {
      if (c.vault == vault) add_unique(k.clusters, c.cluster);
    }
  }
  return keys;
}

// The blast_radius rows grouped by key, in the order the keys first appear.
std::vector<KeyBlast> key_blast(const RunRecord& r) {
  std::vector<KeyBlast> keys;
  for (const BlastRadiusRow& row : r.blast_radius) {
    auto it = std::find_if(keys.begin(), keys.end(), [&](const KeyBlast& k) { return k.key == row.key; });
    if (it == keys.end()) {
      keys.push_back(KeyBlast{});
      keys.back().key = row.key;
      it = keys.end() - 1;
    }
    KeyBlast& k = *it;
    if (row.kind == "cluster") {
      k.clusters.push_back(row);
    } else if (row.kind == "identity") {
      k.identities.push_back(row);
    } else if (row.kind == "workspace") {
      k.workspaces.push_back(row);
      k.gb_per_day_dropped += row.gb_per_day;
    } else if (row.kind == "data_inaccessible") {
      k.inaccessible.push_back(row);
      k.gb_inaccessible += row.gb;
    } else if (row.kind == "data_not_affected") {
      k.not_affected.push_back(row);
      k.gb_not_affected += row.gb;
    } else if (row.kind == "cluster_not_affected") {
      k.clusters_not_affected.push_back(row);
    } else if (row.kind == "workspace_not_affected") {
      k.workspaces_not_affected.push_back(row);
    }  // a kind from a later version: not shown
  }
  for (KeyBlast& k : keys) {
    for (const BlastRadiusRow& d : k.not_affected) {
      if (d.protection != "mmk") continue;
      for (const BlastRadiusRow& c : k.clusters) {
        if (d.location == "cluster:" + c.subject) k.gb_mmk_in_affected_storage += d.gb;
      }
    }
  }
  return keys;
}

// ---- CMK coverage ----------------------------------------------------------

std::vector<CoverageRow> coverage(const RunRecord& r) {
  std::vector<CoverageRow> rows;
  std::vector<std::string> order;
  std::map<std::string, double> cluster_mmk, shared_mmk;
  for (const DataRow& d : r.data) {
    if (d.protection != "mmk") continue;
    add_unique(order, d.workspace);
    (d.location == "shared" ? shared_mmk : cluster_mmk)[d.workspace] += d.gb_at_end;
  }
  for (const std::string& w : order) {
    if (cluster_mmk.count(w) != 0) {
      rows.push_back({"data ingested before the cluster's CMK was configured (stays under MMK)", w, cluster_mmk[w], "K2"});
    }
  }
  for (const std::string& w : order) {
    if (shared_mmk.count(w) != 0) {
      rows.push_back({"data in shared storage (workspace not linked to a CMK cluster)", w, shared_mmk[w], "K2"});
    }
  }
  for (const auto& m : r.metrics) {
    if (m.subject_kind == "workspace" && m.name == "gb_hot" && m.value > 0) {
      rows.push_back({"SSD hot-cache copy at the end (always MMK; access still follows revocation)", m.subject,
                      m.value, "K3"});
    }
  }
  const char* const kAlways[] = {"tables on the Auxiliary plan", "saved queries kept in query packs",
                                 "queries in dashboards", "Logic Apps", "Notebooks", "Automation runbooks"};
  for (const char* what : kAlways) rows.push_back({what, "every workspace (not measured by the simulation)", std::nullopt, "K5"});
  rows.push_back({"saved queries and log-search alert queries, unless a storage account is linked for them",
                  "every workspace (not measured by the simulation)", std::nullopt, "Q1"});
  return rows;
}

// ---- behaviours exercised ----------------------------------------------------

std::string action_evidence(const OperationRow& op) {
  return op.action + " " + op.target + " at " + format_clock(op.t_ms) + " (" + std::to_string(op.status) + ")";
}

// The behaviours a run shows, by ID, with what in the database shows them.
std::map<std::string, std::string> exercised(const RunRecord& r) {
  std::map<std::string, std::string> out;
  const auto note = [&](const std::string& id, const std::string& evidence) {
    auto& slot = out[id];
    if (slot.empty()) slot = evidence;
  };
  note("P1", "profile " + r.run.profile + " with the parameters in force listed above");

  std::uint64_t calls = 0, wraps = 0, unwraps = 0, failed = 0;
  std::set<std::string> vaults;
  for (const KvCallRow& k : r.kv_calls) {
    calls += k.wraps + k.unwraps;
    wraps += k.wraps;
    unwraps += k.unwraps;
    failed += k.failed;
    vaults.insert(k.vault);
  }
  if (calls > 0) {
    note("K1", format_count(calls) + " wrap/unwrap calls of the AEK to Key Vault");
    note("D3", format_count(calls) + " Key Vault calls to " + std::to_string(vaults.size()) + " vault(s)");
  }
  if (wraps > 0 && unwraps > 0) {
    note("D4", format_count(unwraps) + " unwraps after the cached AEK expired, " + format_count(wraps) +
                   " calls with it cached");
  }
  double cmk_gb = 0, mmk_gb = 0, ingested = 0, purged = 0;
  for (const DataRow& d : r.data) {
    (d.protection.rfind("cmk:", 0) == 0 ? cmk_gb : mmk_gb) += d.gb_ingested;
    ingested += d.gb_ingested;
    purged += d.gb_purged;
  }
  if (cmk_gb > 0) note("K2", format_gb(cmk_gb) + " GB ingested under a CMK, " + format_gb(mmk_gb) + " GB under the MMK");
  if (ingested > 0) note("D1", format_gb(ingested) + " GB ingested (existing data included)");
  if (purged > 0) note("D9", format_gb(purged) + " GB purged at the end of retention");

  double hot = 0;
  for (const auto& m : r.metrics) {
    if (m.subject_kind == "workspace" && m.name == "gb_hot") hot += m.value;
  }
  std::size_t purges = 0, reloads = 0, revoked = 0, restored = 0;
  for (const EventRow& e : r.events) {
    purges += e.kind == "ssd_purged" ? 1 : 0;
    reloads += e.kind == "ssd_reload" ? 1 : 0;
    revoked += e.kind == "access_revoked" ? 1 : 0;
    restored += e.kind == "access_restored" ? 1 : 0;
  }
  if (hot > 0) note("D2", format_gb(hot) + " GB in the SSD hot cache at the end");
  if (purges > 0) {
    note("K3", "the SSD hot cache was purged " + std::to_string(purges) + " time(s) on revocation and reloaded " +
                   std::to_string(reloads) + " time(s)");
  }

  // D5 / D13: vault faults
  DurationMs fault_ms = 0;
  for (const StateRow& s : r.states) {
    if (s.subject_kind == "vault" && s.state == "fault") fault_ms += s.t_end_ms - s.t_start_ms;
  }
  if (fault_ms > 0) {
    const std::string evidence = "Key Vault unreachable for " + format_duration_rounded(fault_ms) + ", " +
                                 format_count(failed) + " calls failed";
    note(r.run.profile == "azure-monitor-2020" ? "D13" : "D5", evidence);
  }

  if (!r.incidents.empty() || revoked > 0) {
    note("D6", std::to_string(std::max<std::size_t>(r.incidents.size(), revoked)) + " permission change(s); first: " +
                   (r.incidents.empty() ? std::string("access revoked") : r.incidents.front().cause));
  }
  std::optional<DurationMs> longest_exposure, longest_recovery;
  double lost = 0;
  std::uint64_t queries_failed = 0;
  bool unavailable = false;
  for (const IncidentRow& inc : r.incidents) {
    if (inc.exposure_window_ms) longest_exposure = std::max(longest_exposure.value_or(0), *inc.exposure_window_ms);
    if (inc.recovery_time_ms) longest_recovery = std::max(longest_recovery.value_or(0), *inc.recovery_time_ms);
    lost += inc.gb_lost;
    queries_failed += inc.queries_failed;
    unavailable = unavailable || inc.unavailable_ms.has_value();
  }
  if (longest_exposure) note("D7", "longest exposure window " + format_duration_rounded(*longest_exposure));
  if (unavailable) {
    note("D8", format_gb(lost) + " GB dropped and " + format_count(queries_failed) +
                   " queries failed while storage was unavailable");
  }
  if (longest_recovery) {
    note("D10", "longest recovery " + format_duration_rounded(*longest_recovery) + " after access was restored");
  } else if (restored > 0) {
    note("D10", std::to_string(restored) + " access restoration(s)");
  }

  // R1 / R4: the version wrapping an AEK changed
  std::map<std::string, std::vector<std::string>> aek_versions;
  std::vector<std::string> aek_order;
  for (const StateRow& s : r.states) {
    if (s.subject_kind != "aek") continue;
    add_unique(aek_order, s.subject);
    add_unique(aek_versions[s.subject], s.state);
  }
  for (const std::string& cluster : aek_order) {
    const auto& versions = aek_versions[cluster];
    if (versions.size() < 2) continue;
    std::string chain;
    for (const auto& v : versions) chain += (chain.empty() ? "" : " then ") + v;
    note("R1", "AEK of " + cluster + " wrapped by " + chain);
    note("R4", "AEK of " + cluster + " re-wrapped (" + chain + "); stored data kept under the AEK");
  }

  // scenario actions that the simulation carried out (not the 501s)
  struct ActionIds {
    const char* action;
    const char* ids[2];
  };
  static const ActionIds kActions[] = {
      {"disable_key", {"D6", nullptr}},          {"delete_key", {"D6", nullptr}},
      {"expire_key", {"D6", nullptr}},           {"purge_key", {"D6", nullptr}},
      {"remove_access", {"D6", "C7"}},           {"grant_access", {"C7", nullptr}},
      {"disable_key_version", {"R3", nullptr}},  {"enable_key_version", {"R3", nullptr}},
      {"add_key_version", {"R2", nullptr}},      {"create_cluster", {"C1", "K4"}},
      {"update_cluster_key", {"C2", "R2"}},      {"set_identity", {"C6", nullptr}},
      {"support_restore", {"C6", nullptr}},      {"delete_cluster", {"C5", "D12"}},
      {"set_capacity", {"C8", nullptr}},         {"link_workspace", {"W1", nullptr}},
      {"unlink_workspace", {"W3", "D12"}},       {"delete_workspace", {"W3", nullptr}},
      {"restore_workspace", {"W3", nullptr}},    {"link_query_storage", {"Q1", nullptr}},
      {"lockbox_request", {"L1", nullptr}},
  };
  for (const OperationRow& op : r.operations) {
    if (op.status == 501) continue;
    if ((op.action == "link_workspace" || op.action == "unlink_workspace") && op.status >= 400 &&
        op.message.find("30 days") != std::string::npos) {
      note("W2", action_evidence(op) + ": " + op.message);
    }
    for (const ActionIds& a : kActions) {
      if (op.action != a.action) continue;
      for (const char* id : a.ids) {
        if (id == nullptr) continue;
        if (std::string(id) == "R2" && out.count("R1") != 0 && op.action == "add_key_version") continue;
        note(id, action_evidence(op));
      }
    }
  }
  // events the model tags with the behaviour they model ("behaviour":"D11")
  for (const EventRow& e : r.events) {
    if (e.detail_json.find("\"behaviour\"") == std::string::npos) continue;  // most events: no need to parse
    const std::optional<std::string> id = json_string_member(e.detail_json, "behaviour");
    if (id && !behaviour_sentence(*id).empty()) note(*id, e.kind + " " + e.subject + " at " + format_clock(e.t_ms));
  }
  note("K5", "listed under CMK coverage: outside the CMK whatever the scenario");
  return out;
}

// ---- distributions ---------------------------------------------------------

Distribution distribution(std::string name, bool duration, std::string of, std::vector<double> values,
                          std::optional<double> bound) {
  Distribution d;
  d.name = std::move(name);
  d.duration = duration;
  d.of = std::move(of);
  std::sort(values.begin(), values.end());
  d.values = std::move(values);
  d.bound = bound;
  if (d.values.empty()) return d;
  d.min = d.values.front();
  d.max = d.values.back();
  d.p50 = percentile(d.values, 50);
  d.p95 = percentile(d.values, 95);
  d.p99 = percentile(d.values, 99);
  if (bound) {
    d.beyond_bound = static_cast<std::size_t>(
        std::count_if(d.values.begin(), d.values.end(), [&](double v) { return v > *bound; }));
  }
  if (d.min == d.max) {
    d.bins.push_back({d.min, d.max, d.values.size()});
    return d;
  }
  const double width = (d.max - d.min) / static_cast<double>(kHistogramBins);
  for (std::size_t i = 0; i < kHistogramBins; ++i) {
    d.bins.push_back({d.min + width * static_cast<double>(i),
                      i + 1 == kHistogramBins ? d.max : d.min + width * static_cast<double>(i + 1), 0});
  }
  for (const double v : d.values) {
    auto i = static_cast<std::size_t>(std::floor((v - d.min) / width));
    if (i >= kHistogramBins) i = kHistogramBins - 1;
    ++d.bins[i].count;
  }
  return d;
}

}  // namespace

std::string lane_label(const std::string& kind) {
  if (kind == "aek") return "AEK of";
  if (kind.rfind("cluster_", 0) == 0) {
    std::string rest = kind.substr(8);
    std::replace(rest.begin(), rest.end(), '_', ' ');
    return rest;
  }
  return kind;
}

std::string lane_group(const std::string& kind) { return cluster_sub_lane(kind) ? "cluster" : kind; }

const char* verdict_word(Verdict v) {
  switch (v) {
    case Verdict::kWithin: return "within";
    case Verdict::kBeyond: return "BEYOND";
    case Verdict::kAverted: return "averted";
    case Verdict::kOpen: return "still open at the end";
    case Verdict::kNotApplicable: return "-";
  }
  return "-";
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  if (index >= sorted.size()) index = sorted.size() - 1;
  return sorted[index];
}

std::vector<HourBin> bin_hours(const KvSeries& series, std::size_t max_bins) {
  std::vector<HourBin> bins;
  const std::size_t hours = series.calls.size();
  if (hours == 0 || max_bins == 0) return bins;
  const std::size_t width = (hours + max_bins - 1) / max_bins;
  for (std::size_t from = 0; from < hours; from += width) {
    HourBin b;
    b.first_hour = static_cast<std::int64_t>(from);
    const std::size_t to = std::min(hours, from + width);
    b.last_hour = static_cast<std::int64_t>(to - 1);
    for (std::size_t h = from; h < to; ++h) {
      b.calls += series.calls[h];
      b.failed += series.failed[h];
    }
    bins.push_back(b);
  }
  return bins;
}

ReportData build_report_data(const std::vector<RunRecord>& runs, const std::optional<SweepStopped>& stopped) {
  ReportData d;
  if (runs.empty()) return d;
  d.run_count = runs.size();
  d.stopped = stopped;
  d.sweep = runs.size() > 1;

  // the representative run: the longest exposure, then the most GB lost
  std::size_t best = 0;
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const auto worst_exposure = [](const RunRecord& r) {
      std::optional<DurationMs> w;
      for (const auto& inc : r.incidents) w = std::max(w.value_or(0), exposure_or_open(inc, r.run.duration_ms));
      return w;
    };
    const auto a = worst_exposure(runs[i]), b = worst_exposure(runs[best]);
    if (a.value_or(-1) > b.value_or(-1) ||
        (a.value_or(-1) == b.value_or(-1) && run_gb_lost(runs[i]) > run_gb_lost(runs[best]))) {
      best = i;
    }
  }
  d.representative = best;
  const RunRecord& rep = runs[best];
  const RunInfo& info = rep.run;

  d.scenario = info.scenario;
  d.description = info.description;
  d.scenario_file = info.scenario_file;
  d.scenario_sha256 = info.scenario_sha256;
  d.profile = info.profile;
  d.cmksim_version = info.cmksim_version;
  d.params = info.params;
  d.duration_ms = info.duration_ms;
  d.events_processed = info.events_processed;
  d.revocation_bound_ms = param_duration(d.params, "revocation_bound", kMsPerHour);
  d.recovery_bound_ms = param_duration(d.params, "recovery_bound", 30 * kMsPerMinute);

  // parameters that differ between runs (sweeps)
  std::vector<const ParamValues*> all_params;
  for (const RunRecord& r : runs) {
    all_params.push_back(&r.run.params);
    add_unique(d.timings, r.run.timing);
    d.seeds.push_back(r.run.seed);
  }
  std::sort(d.seeds.begin(), d.seeds.end());
  d.seeds.erase(std::unique(d.seeds.begin(), d.seeds.end()), d.seeds.end());
  // the sweep's grid (its `sweep` table) first, then any parameter in force that differs
  for (const RunRecord& r : runs) {
    for (const auto& [name, value] : r.sweep_params) add_unique(d.varying_params, name);
  }
  for (const ParamValues* params : all_params) {
    for (const ParamValue& p : *params) {
      for (const ParamValues* other : all_params) {
        if (param(*other, p.name) != p.text) add_unique(d.varying_params, p.name);
      }
    }
  }
  // a run's value of a varying parameter: its grid value, else the value in force
  const auto value_in = [&](std::size_t i, const std::string& name) {
    for (const auto& [n, v] : runs[i].sweep_params) {
      if (n == name) return v;
    }
    return param(*all_params[i], name);
  };

  d.reproduce = "cmksim run " + shell_word(info.scenario_file.empty() ? info.scenario + ".yaml" : info.scenario_file) +
                " --seed " + std::to_string(info.seed) + " --timing " + info.timing;
  for (const std::string& name : d.varying_params) {
    if (name.find('.') == std::string::npos) {
      d.reproduce += " --set " + shell_word(name + "=" + value_in(best, name));
    } else {  // a scenario override of the sweep: `run --set` takes profile parameters only
      d.reproduce_note += (d.reproduce_note.empty() ? "" : ", ") + name + " = " + value_in(best, name);
    }
  }

  d.incidents = incident_findings(rep, d.revocation_bound_ms, d.recovery_bound_ms);
  d.workspaces = workspace_findings(rep);
  d.expectations = rep.expectations;
  d.gb_lost_total = run_gb_lost(rep);
  for (const auto& op : rep.operations) d.operations_not_modelled += op.status == 501 ? 1 : 0;

  d.timeline = build_timeline(rep);
  d.kv = build_kv(rep);
  d.data_classes = data_classes(rep);
  d.data_rows = rep.data;
  d.conservation_holds = conservation_holds(rep);
  d.keys = key_radius(rep);
  d.blast = key_blast(rep);
  // Every declared key has blast_radius rows; none while the run has keys: a
  // run from an older database merged into a newer one (cmksim merge).
  d.blast_radius_recorded = rep.blast_radius_recorded && !(d.blast.empty() && !d.keys.empty());
  d.coverage = coverage(rep);

  // behaviours: the union over the runs, with the representative run's evidence first
  std::vector<std::map<std::string, std::string>> seen;
  for (const RunRecord& r : runs) seen.push_back(exercised(r));
  for (const Behaviour& b : behaviours()) {
    std::size_t count = 0;
    std::string evidence;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const auto it = seen[i].find(b.id);
      if (it == seen[i].end()) continue;
      ++count;
      if (evidence.empty() || i == best) evidence = it->second;
    }
    if (count == 0) continue;
    if (d.sweep) {
      const auto it = seen[best].find(b.id);
      evidence = (it != seen[best].end() ? "representative run: " + it->second : "e.g. " + evidence) + " (" +
                 std::to_string(count) + " of " + std::to_string(runs.size()) + " runs)";
    }
    d.behaviours.push_back({b.id, b.sentence, evidence});
  }

  // distributions over the runs
  if (d.sweep) {
    std::vector<double> exposure, recovery, lost;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunRecord& r = runs[i];
      SweepRun s;
      s.run_number = static_cast<std::int64_t>(i + 1);
      s.seed = r.run.seed;
      s.timing = r.run.timing;
      for (const std::string& name : d.varying_params) s.varying.emplace_back(name, value_in(i, name));
      s.incidents = r.incidents.size();
      for (const IncidentRow& inc : r.incidents) {
        if (inc.exposure_window_ms) {
          exposure.push_back(static_cast<double>(*inc.exposure_window_ms));
          s.max_exposure_ms = std::max(s.max_exposure_ms.value_or(0), *inc.exposure_window_ms);
        }
        if (inc.recovery_time_ms) {
          recovery.push_back(static_cast<double>(*inc.recovery_time_ms));
          s.max_recovery_ms = std::max(s.max_recovery_ms.value_or(0), *inc.recovery_time_ms);
        }
      }
      s.gb_lost = run_gb_lost(r);
      lost.push_back(s.gb_lost);
      s.expectations_met = expectations_met(r);
      if (!s.expectations_met) {
        ++d.runs_expectations_absent;
      } else if (*s.expectations_met) {
        ++d.runs_expectations_met;
      } else {
        ++d.runs_expectations_failed;
      }
      d.runs.push_back(std::move(s));
    }
    d.distributions.push_back(distribution("exposure window", true, "incidents", std::move(exposure),
                                           static_cast<double>(d.revocation_bound_ms)));
    d.distributions.push_back(distribution("recovery time", true, "incidents", std::move(recovery),
                                           static_cast<double>(d.recovery_bound_ms)));
    d.distributions.push_back(distribution("GB lost", false, "runs", std::move(lost), std::nullopt));
  }
  return d;
}

}  // namespace cmksim::report
