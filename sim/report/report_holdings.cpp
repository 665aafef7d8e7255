// What one run's data is held under (see report_sections.h): the data
// accounting by protection class, each key's reach (from the data and
// kv_calls tables, and the blast_radius rows), and what stays outside the CMK.
#include <algorithm>
#include <cmath>
#include <map>

#include "sim/core/text.h"
#include "sim/report/report_sections.h"

namespace cmksim::report::sections {

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

namespace {

// C2, C6: while a cluster's key details are removed its new data is under
// the MMK: the AEK lane reads "none" from the removal's completion (the
// key_details_removed event) until a key is set again.
std::vector<CoverageRow> coverage_gaps(const RunRecord& r) {
  std::vector<CoverageRow> rows;
  for (const EventRow& e : r.events) {
    if (e.kind != "key_details_removed") continue;
    TimeMs until = r.run.duration_ms;
    for (const StateRow& s : r.states) {
      if (s.subject_kind == "aek" && s.subject == e.subject && s.state == "none" && s.t_start_ms == e.t_ms) until = s.t_end_ms;
    }
    rows.push_back({"CMK coverage gap: key details removed from " + format_duration(e.t_ms) + " to " +
                        format_duration(until) + "; data ingested meanwhile is under the MMK",
                    e.subject, std::nullopt, "C6"});
  }
  return rows;
}

}  // namespace

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
  for (CoverageRow& gap : coverage_gaps(r)) rows.push_back(std::move(gap));
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

}  // namespace cmksim::report::sections
