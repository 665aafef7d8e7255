// The behaviours of BEHAVIORS.md one run exercised, by ID, each with what in
// the database shows it: the operations, states, incidents, figures and the
// events the model tags with their behaviour (see report_sections.h).
#include <map>
#include <optional>
#include <set>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/report/behaviours.h"
#include "sim/report/report_sections.h"
#include "sim/report/report_text.h"

namespace cmksim::report::sections {
namespace {

std::string action_evidence(const OperationRow& op) {
  return op.action + " " + op.target + " at " + format_clock(op.t_ms) + " (" + std::to_string(op.status) + ")";
}

}  // namespace

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
  if (!r.timelines_recorded) {  // sweep --keep outcomes: no kv_calls rows, the call metrics stay (D3)
    for (const MetricRow& m : r.metrics) {
      if (m.name != "kv_calls" || m.value <= 0) continue;
      if (m.subject_kind == "cluster") calls += static_cast<std::uint64_t>(m.value);
      if (m.subject_kind == "vault") vaults.insert(m.subject);
    }
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
  double buffered = 0;
  for (const auto& m : r.metrics) {
    if (m.subject_kind == "workspace" && m.name == "gb_buffered") buffered += m.value;
  }
  if (fault_ms > 0) {
    const std::string evidence = "Key Vault unreachable for " + format_duration_rounded(fault_ms) + ", " +
                                 format_count(failed) + " calls failed" +
                                 (buffered > 0 ? "; " + format_gb(buffered) + " GB buffered under the MMK" : "");
    note(r.run.profile == "azure-monitor-2020" ? "D13" : "D5", evidence);
  }

  // D6: an outage incident (D13) is not a permission change
  std::vector<const IncidentRow*> changes;
  for (const IncidentRow& inc : r.incidents) {
    if (!is_kv_outage(inc)) changes.push_back(&inc);
  }
  if (!changes.empty() || revoked > 0) {
    note("D6", std::to_string(std::max<std::size_t>(changes.size(), revoked)) + " permission change(s); first: " +
                   (changes.empty() ? std::string("access revoked") : changes.front()->cause));
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
      {"support_recover_cluster", {"C5", "D12"}},
      {"set_capacity", {"C8", nullptr}},         {"link_workspace", {"W1", nullptr}},
      {"unlink_workspace", {"W3", "D12"}},       {"delete_workspace", {"W3", nullptr}},
      {"restore_workspace", {"W3", nullptr}},    {"link_query_storage", {"Q1", nullptr}},
      {"lockbox_request", {"L1", nullptr}},      {"search_job", {"Q3", nullptr}},
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

}  // namespace cmksim::report::sections
