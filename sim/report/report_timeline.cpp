// The report's timeline (one lane per subject, the operations as markers)
// and Key Vault load (calls per vault and hour) of one run (see
// report_sections.h), and how the renderers label and bin them.
#include <algorithm>
#include <map>

#include "sim/report/report_sections.h"

namespace cmksim::report {
namespace {

constexpr std::size_t kMaxWorkspaceLanes = 40;  // beyond this, identical workspace lanes share one

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

}  // namespace

namespace sections {

// ---- timeline ------------------------------------------------------------

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

}  // namespace sections

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

}  // namespace cmksim::report
