// Data-plane edges: data left in a cluster follows it (D12), deletion for
// good after a soft delete (C5, W3), a revocation during a 2020 outage
// (D13), the SSD accounting after a purge (K3, D8).
#include <catch2/catch.hpp>

#include <string>

#include "sim/check/summary.h"
#include "sim/report/report.h"
#include "test_support.h"

using namespace cmksim;
using namespace cmksim::test;

namespace {

constexpr TimeMs kHour = kMsPerHour;
constexpr TimeMs kDay = kMsPerDay;

}  // namespace

TEST_CASE("K3 D8 gb_hot is 0 after a purge until a reload") {
  const RunRecord r = run_yaml(small_scenario("  - {at: 1d, action: disable_key, vault: kv, key: k}\n"));
  REQUIRE(r.incidents.size() == 1);
  REQUIRE_FALSE(r.incidents[0].resumed_ms.has_value());
  CHECK(*metric(r, "ws-a", "gb_hot") == 0);
  CHECK(*metric(r, "ws-free", "gb_hot") == 0);  // shared storage: no SSD hot cache
}

namespace {

const OperationRow& op(const RunRecord& r, const std::string& id) { return operation(r, id); }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const EventRow* event_of(const RunRecord& r, const std::string& kind, const std::string& subject) {
  for (const EventRow& e : r.events) {
    if (e.kind == kind && e.subject == subject) return &e;
  }
  return nullptr;
}

double data_sum(const RunRecord& r, const std::string& workspace, const std::string& location, double DataRow::*field) {
  double gb = 0;
  for (const DataRow& d : r.data) {
    if (d.workspace == workspace && d.location == location) gb += d.*field;
  }
  return gb;
}

// small_scenario() with the 2020 profile's outage behaviour.
RunRecord run_2020(const std::string& events, std::uint64_t seed = 1, Timing timing = Timing::kSampled,
                   const std::string& duration = "3d") {
  return run(load(small_scenario(events, "", "\"\"", duration)), seed, timing, {{"kv_outage_unavailable_after", "30m"}});
}

}  // namespace

TEST_CASE("D12 D8 after unlinking from a revoked cluster, a query reaching the data left there fails") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {at: 1d, action: disable_key, vault: kv, key: k}\n"
      "  - {id: unlink, at: 1d2h, action: unlink_workspace, workspace: ws-b}\n"
      "  - {id: week, at: 1d3h, action: query, workspace: ws-b, range: 7d}\n"
      "  - {id: new-only, at: 1d3h, action: query, workspace: ws-b, range: 30m}\n"));
  REQUIRE(*op(r, "unlink").completed_ms == kDay + 2 * kHour + 10 * kMsPerMinute);
  CHECK(state_at(r, "workspace", "ws-b", kDay + 3 * kHour) == "unlinked");
  CHECK(op(r, "week").status == 503);
  CHECK(has(op(r, "week").message, "data left in cluster 'cl'"));
  CHECK(op(r, "new-only").status == 200);  // the new shared data alone
  // what stayed in the cluster is inaccessible at the end; the shared data is not
  const double in_cluster = data_sum(r, "ws-b", "cluster", &DataRow::gb_at_end);
  REQUIRE(in_cluster > 0);
  CHECK(*metric(r, "ws-b", "gb_inaccessible_at_end") == Approx(in_cluster).epsilon(1e-9));
  CHECK(data_sum(r, "ws-b", "shared", &DataRow::gb_at_end) > 0);
  for (const DataRow& d : r.data) {
    if (d.workspace == "ws-b" && d.location == "shared") CHECK(d.protection == "mmk");
  }
}

TEST_CASE("D12 data left in a healthy cluster stays readable after an unlink") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {at: 1d, action: unlink_workspace, workspace: ws-b}\n"
      "  - {id: week, at: 1d3h, action: query, workspace: ws-b, range: 7d}\n"));
  CHECK(op(r, "week").status == 200);
  CHECK(*metric(r, "ws-b", "gb_inaccessible_at_end") == 0);
  CHECK(*metric(r, "ws-b", "queries_failed") == 0);
}

TEST_CASE("C5 D12 a deleted cluster's data is kept but unreadable during its soft delete, then deleted for good") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: del, at: 1d, action: delete_cluster, cluster: cl}\n"
      "  - {id: during, at: 3d, action: query, workspace: ws-a, range: 7d}\n"
      "  - {id: new-only, at: 3d, action: query, workspace: ws-a, range: 1d}\n"
      "  - {id: after, at: 16d, action: query, workspace: ws-a, range: 30d}\n",
      "", "\"\"", "20d"));  // short of the 30-day retention: only the deletion removes data
  const TimeMs deleted = kDay + 90 * kMsPerMinute;  // delete_unlink_duration
  CHECK(op(r, "during").status == 503);
  CHECK(has(op(r, "during").message, "soft-deleted"));
  CHECK(op(r, "new-only").status == 200);
  CHECK(op(r, "after").status == 200);  // nothing left there to fail on
  const EventRow* gone = event_of(r, "data_deleted", "cl");
  REQUIRE(gone != nullptr);
  CHECK(gone->t_ms == deleted + 14 * kDay);
  CHECK(has(gone->detail_json, "C5"));
  // conservation, and nothing of the cluster's data remains at the end
  CHECK(data_sum(r, "ws-a", "cluster", &DataRow::gb_at_end) == 0);
  const double in_cluster = data_sum(r, "ws-a", "cluster", &DataRow::gb_ingested);
  CHECK(data_sum(r, "ws-a", "cluster", &DataRow::gb_purged) == Approx(in_cluster).epsilon(1e-9));
  CHECK(in_cluster == Approx(100.0 * (1 + 1.5 / 24)).epsilon(1e-9));
  CHECK(*metric(r, "ws-a", "gb_at_end") == Approx(100.0 * (20 - 1 - 1.5 / 24)).epsilon(1e-9));  // the shared data
}

TEST_CASE("C5 support_recover_cluster recovers a soft-deleted cluster with its data, its workspaces stay unlinked") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: del, at: 1d, action: delete_cluster, cluster: cl}\n"
      "  - {id: not-deleted, at: 1h, action: support_recover_cluster, cluster: cl}\n"
      "  - {id: recover, at: 3d, action: support_recover_cluster, cluster: cl}\n"
      "  - {id: week, at: 3d1h, action: query, workspace: ws-a, range: 7d}\n"
      "  - {id: relink, at: 4d, action: link_workspace, workspace: ws-a, cluster: cl}\n",
      "", "\"\"", "20d"));
  CHECK(op(r, "not-deleted").status == 409);
  CHECK(op(r, "recover").status == 200);
  CHECK(op(r, "week").status == 200);  // its data is readable again
  CHECK(state_at(r, "cluster_provisioning", "cl", 3 * kDay) == "succeeded");
  CHECK(state_at(r, "workspace", "ws-a", 3 * kDay + kHour) == "unlinked");
  CHECK(state_at(r, "workspace", "ws-b", 10 * kDay) == "unlinked");
  CHECK(op(r, "relink").status == 202);
  CHECK(state_at(r, "workspace", "ws-a", 5 * kDay) == "available");
  CHECK(event_of(r, "data_deleted", "cl") == nullptr);
  CHECK(data_sum(r, "ws-b", "cluster", &DataRow::gb_at_end) > 0);
  CHECK(*metric(r, "cl", "kv_calls") > 0);

  const RunRecord late = run_yaml(small_scenario(
      "  - {id: del, at: 1d, action: delete_cluster, cluster: cl}\n"
      "  - {id: recover, at: 16d, action: support_recover_cluster, cluster: cl}\n",
      "", "\"\"", "20d"));
  CHECK(op(late, "recover").status == 404);
  CHECK(has(op(late, "recover").message, "deleted for good"));
}

TEST_CASE("W3 a deleted workspace's data is deleted for good after workspace_soft_delete_period") {
  const RunRecord r = run_yaml(small_scenario("  - {id: del, at: 1d, action: delete_workspace, workspace: ws-b}\n",
                                              "", "\"\"", "20d"));  // short of the 30-day retention
  const EventRow* gone = event_of(r, "data_deleted", "ws-b");
  REQUIRE(gone != nullptr);
  CHECK(gone->t_ms == 15 * kDay);
  CHECK(has(gone->detail_json, "W3"));
  CHECK(*metric(r, "ws-b", "gb_ingested") == Approx(50.0).epsilon(1e-9));
  CHECK(*metric(r, "ws-b", "gb_at_end") == 0);
  CHECK(*metric(r, "ws-b", "gb_purged") == Approx(50.0).epsilon(1e-9));
  CHECK(*metric(r, "ws-a", "gb_at_end") > 0);  // the other workspace keeps its own
}

TEST_CASE("D13 D6 D7 a permission change during a 2020 outage is its own incident and drops arrivals once in effect") {
  const RunRecord r = run_2020("  - {at: 1d, action: kv_outage, vault: kv, for: 6h, fault: timeout}\n"
                               "  - {at: 1d2h, action: disable_key, vault: kv, key: k}\n");
  REQUIRE(r.incidents.size() == 2);
  const IncidentRow& outage = r.incidents[0];
  const IncidentRow& change = r.incidents[1];
  CHECK(outage.cause == "Key Vault outage (D13)");
  CHECK_FALSE(outage.exposure_window_ms.has_value());
  CHECK(has(change.cause, "disable"));
  CHECK(change.change_ms == kDay + 2 * kHour);
  REQUIRE(change.unavailable_ms.has_value());
  CHECK(*change.unavailable_ms <= change.change_ms + kHour);
  CHECK(*change.exposure_window_ms <= kHour);
  // never re-enabled: from 30 minutes into the outage everything is lost,
  // the buffer included, to the permission change
  const double lost_days = 3.0 - 1.0 - 0.5 / 24;
  CHECK(change.gb_lost == Approx(150.0 * lost_days).epsilon(1e-9));
  CHECK(outage.gb_lost == 0);
  CHECK(*metric(r, "ws-a", "gb_lost") == Approx(100.0 * lost_days).epsilon(1e-9));
  const EventRow* lost = event_of(r, "outage_buffer_lost", "cl");
  REQUIRE(lost != nullptr);
  CHECK(lost->t_ms == kDay + 30 * kMsPerMinute + 6 * kHour);
}

TEST_CASE("D13 access back before the outage buffer runs out keeps what it held") {
  const RunRecord r = run_2020("  - {at: 1d, action: kv_outage, vault: kv, for: 3h, fault: timeout}\n"
                               "  - {at: 1d1h, action: disable_key, vault: kv, key: k}\n"
                               "  - {at: 1d4h, action: enable_key, vault: kv, key: k}\n");
  REQUIRE(r.incidents.size() == 2);
  const IncidentRow& change = r.incidents[1];
  REQUIRE(change.unavailable_ms.has_value());
  REQUIRE(change.resumed_ms.has_value());
  // lost: only what arrived between the change taking effect and the resume
  CHECK(change.gb_lost == Approx(150.0 * static_cast<double>(*change.resumed_ms - *change.unavailable_ms) / kDay)
                              .epsilon(1e-9));
  CHECK(r.incidents[0].gb_buffered ==
        Approx(150.0 * static_cast<double>(*change.unavailable_ms - (kDay + 30 * kMsPerMinute)) / kDay).epsilon(1e-9));
  CHECK(*metric(r, "ws-a", "gb_buffered") > 0);
  CHECK(*r.incidents[0].resumed_ms == *change.resumed_ms);
}

TEST_CASE("D13 D7 over many seeds and timings a revocation during an outage takes effect within the bound from the change") {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const int change_min = 31 + static_cast<int>((seed * 37) % 240);
    const int outage_min = 60 + static_cast<int>((seed * 53) % 360);
    const std::string events = "  - {at: 1d, action: kv_outage, vault: kv, for: " + std::to_string(outage_min) +
                               "m, fault: timeout}\n  - {at: 1d" + std::to_string(change_min) +
                               "m, action: remove_access, identity: \"cluster:cl\", vault: kv}\n";
    for (const Timing timing : {Timing::kSampled, Timing::kWorst, Timing::kBest}) {
      const RunRecord r = run_2020(events, seed, timing);
      INFO("seed " << seed << " change at 1d" << change_min << "m, outage " << outage_min << "m");
      const IncidentRow* change = nullptr;
      for (const IncidentRow& inc : r.incidents) {
        if (!is_kv_outage(inc)) change = &inc;
      }
      REQUIRE(change != nullptr);
      CHECK(change->change_ms == kDay + change_min * kMsPerMinute);
      REQUIRE(change->unavailable_ms.has_value());
      CHECK(*change->unavailable_ms > change->change_ms - 1);
      CHECK(*change->unavailable_ms <= change->change_ms + kHour);
      CHECK(*change->exposure_window_ms <= kHour);
      // arrivals after it took effect are all lost (never restored)
      CHECK(change->gb_lost >= 150.0 * static_cast<double>(3 * kDay - *change->unavailable_ms) / kDay * (1 - 1e-9));
    }
  }
}

TEST_CASE("D13 D6 an outage alone is reported as a Key Vault outage, not a permission change, with the GB buffered") {
  const RunRecord r = run_2020("  - {at: 1d, action: kv_outage, vault: kv, for: 3h, fault: timeout}\n");
  REQUIRE(r.incidents.size() == 1);
  const IncidentRow& inc = r.incidents[0];
  CHECK(inc.cause == "Key Vault outage (D13)");
  CHECK(is_kv_outage(inc));
  REQUIRE(inc.resumed_ms.has_value());
  const double buffered_days = static_cast<double>(*inc.resumed_ms - (kDay + 30 * kMsPerMinute)) / kDay;
  CHECK(inc.gb_buffered == Approx(150.0 * buffered_days).epsilon(1e-9));
  CHECK(*metric(r, "ws-a", "gb_buffered") == Approx(100.0 * buffered_days).epsilon(1e-9));
  CHECK(*metric(r, "cl", "gb_buffered") == Approx(150.0 * buffered_days).epsilon(1e-9));
  CHECK(*metric(r, "ws-a", "gb_lost") == 0);
  CHECK(event_of(r, "access_revoked", "cl") == nullptr);
}

TEST_CASE("Q1 linking a storage account for saved queries records the saved queries as removed") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: q, at: 1h, action: link_query_storage, workspace: ws-a, storage_account: st1}\n"));
  const EventRow* removed = event_of(r, "saved_queries_removed", "ws-a");
  REQUIRE(removed != nullptr);
  CHECK(removed->t_ms == kHour);
  CHECK(has(removed->detail_json, "st1"));
  CHECK(event_of(r, "saved_queries_removed", "ws-b") == nullptr);
}

TEST_CASE("D13 D6 the summary and the report call an outage a Key Vault outage, with no exposure window and the GB buffered") {
  RunRecord r = run_2020("  - {at: 1d, action: kv_outage, vault: kv, for: 3h, fault: timeout}\n");
  r.run.profile = "azure-monitor-2020";  // as the run of a 2020 scenario names it
  const std::string summary = format_summary(r, "out.db");
  CHECK(has(summary, "#1 cl: Key Vault outage (D13)"));
  CHECK(has(summary, "not a permission change (D6): no exposure window; GB buffered under the MMK"));
  CHECK_FALSE(has(summary, "still open"));
  const std::string report = report::markdown_report({r});
  CHECK(has(report, "no permission change; 1 Key Vault outage(s) (D13), which are not revocations"));
  CHECK(has(report, "GB buffered under the MMK"));
  CHECK_FALSE(has(report, "still open at the end"));
  CHECK_FALSE(has(report, "permission change(s); first"));  // D6 counts no outage
}

TEST_CASE("C5 D3 a cluster recovered at once after its deletion calls Key Vault in one chain of calls, not two") {
  // Key Vault calls exactly every 7 s (D3), so one chain makes at most one call per 7 s.
  const std::vector<std::pair<std::string, std::string>> every_7s = {{"kv_call_interval_min", "7s"},
                                                                     {"kv_call_interval_max", "7s"}};
  const std::string del = "  - {id: del, at: 1d, action: delete_cluster, cluster: cl}\n";
  const RunRecord first = run(load(small_scenario(del, "", "\"\"", "20d")), 1, Timing::kSampled, every_7s);
  REQUIRE(op(first, "del").completed_ms.has_value());
  // 1 ms after the deletion completes, the deleted cluster's next call is still pending
  const std::string at = std::to_string(*op(first, "del").completed_ms + 1) + "ms";
  const RunRecord r = run(load(small_scenario(del + "  - {id: recover, at: " + at +
                                                  ", action: support_recover_cluster, cluster: cl}\n",
                                              "", "\"\"", "20d")),
                          1, Timing::kSampled, every_7s);
  REQUIRE(op(r, "recover").status == 200);
  const double most = 20.0 * 86400 / 7 + 1;
  INFO("kv_calls " << *metric(r, "cl", "kv_calls") << ", recovered at " << at);
  CHECK(*metric(r, "cl", "kv_calls") <= most);
  CHECK(*metric(r, "cl", "kv_calls") >= most - 20);  // calling again after the recovery
}
