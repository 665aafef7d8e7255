// The control plane: cluster and workspace operations with the documented
// status codes and messages, limits and asynchronous completion (C1-C8,
// W1-W3, K4, Q1, L1), and the data-plane effects of linking (D11, D12) and
// of the 2020 outage behaviour (D13).
#include <catch2/catch.hpp>

#include <string>

#include "test_support.h"

using namespace cmksim;
using namespace cmksim::test;

namespace {

constexpr TimeMs kHour = kMsPerHour;
constexpr TimeMs kDay = kMsPerDay;

// small_scenario() plus a user-assigned identity, a vault without soft
// delete, and a workspace in another region.
std::string world(const std::string& events, const std::string& params = "") {
  std::string y = small_scenario(events, params, "\"\"", "40d");
  y.replace(y.find("clusters:"), 9,
            "identities:\n  - {name: uai}\n"
            "clusters:");
  y.replace(y.find("key_vaults:\n"), 12,
            "key_vaults:\n"
            "  - {name: kv-weak, region: westeurope, subscription: sub, keys: [{name: k}]}\n"
            "  - {name: kv-east, region: eastus, subscription: sub, soft_delete: true, purge_protection: true,\n"
            "     keys: [{name: k}]}\n");
  const std::string east = "  - {name: ws-east, region: eastus, subscription: sub, ingest_gb_per_day: 10}\n";
  const std::size_t events_at = y.find("events:\n");
  y.insert(events_at == std::string::npos ? y.size() : events_at, east);
  y.replace(y.find("grants:\n"), 8,
            "grants:\n"
            "  - {identity: uai, vault: kv}\n"
            "  - {identity: uai, vault: kv-weak}\n");
  return y;
}

const OperationRow& op(const RunRecord& r, const std::string& id) { return operation(r, id); }

void expect(const RunRecord& r, const std::string& id, int status, const std::string& message) {
  INFO(id);
  CHECK(op(r, id).status == status);
  CHECK(op(r, id).message == message);
}

}  // namespace

TEST_CASE("C1 create_cluster refuses what the documents list, with their messages") {
  const RunRecord r = run_yaml(world(
      "  - {id: name, at: 1h, action: create_cluster, cluster: bad-name, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: short, at: 1h, action: create_cluster, cluster: ab, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: noid, at: 1h, action: create_cluster, cluster: clu2, region: westeurope, subscription: sub,"
      " identity: none, capacity_gb_per_day: 100}\n"
      "  - {id: cap, at: 1h, action: create_cluster, cluster: clu3, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 150}\n"
      "  - {id: low, at: 1h, action: create_cluster, cluster: clu4, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 0}\n"
      "  - {id: keysys, at: 1h, action: create_cluster, cluster: clu5, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100, key: {vault: kv, key: k}}\n"
      "  - {id: keyuai, at: 1h, action: create_cluster, cluster: clu6, region: westeurope, subscription: sub,"
      " identity: \"user_assigned:uai\", capacity_gb_per_day: 100, key: {vault: kv, key: k}}\n"
      "  - {id: ok, at: 1h, action: create_cluster, cluster: clu7, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 200}\n"));
  expect(r, "name", 400, "Cluster name is not valid");
  expect(r, "short", 400, "Cluster name is not valid");
  expect(r, "noid", 400, "Identity is null or empty");
  expect(r, "cap", 400, "Capacity in SKU is not in range");
  expect(r, "low", 400, "Capacity in SKU is not in range");
  expect(r, "keysys", 400, "KeyVaultProperties are set on creation");
  CHECK(op(r, "keyuai").status == 202);  // a user-assigned identity already granted may set the key
  CHECK(op(r, "ok").status == 202);
  CHECK(*op(r, "ok").completed_ms == kHour + kHour);  // cluster_provision_duration
  CHECK(state_at(r, "cluster_provisioning", "clu7", kHour + 30 * kMsPerMinute) == "provisioning");
  CHECK(state_at(r, "cluster_provisioning", "clu7", 2 * kHour) == "succeeded");
}

TEST_CASE("C2 update_cluster_key refusals and its asynchronous completion") {
  const RunRecord r = run_yaml(world(
      "  - {id: new, at: 1h, action: create_cluster, cluster: clu9, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: busy, at: 1h30m, action: update_cluster_key, cluster: clu9, vault: kv, key: k}\n"
      "  - {id: noperm, at: 3h, action: update_cluster_key, cluster: clu9, vault: kv, key: k}\n"
      "  - {id: missing, at: 3h, action: update_cluster_key, cluster: clu9, vault: kv, key: nokey}\n"
      "  - {id: grant, at: 3h, action: grant_access, identity: \"cluster:clu9\", vault: kv-weak}\n"
      "  - {id: weak, at: 3h, action: update_cluster_key, cluster: clu9, vault: kv-weak, key: k}\n"
      "  - {id: region, at: 3h, action: update_cluster_key, cluster: clu9, vault: kv-east, key: k}\n"
      "  - {id: grant2, at: 3h, action: grant_access, identity: \"cluster:clu9\", vault: kv}\n"
      "  - {id: good, at: 4h, action: update_cluster_key, cluster: clu9, vault: kv, key: k, version: v1}\n"
      "  - {id: again, at: 4h5m, action: update_cluster_key, cluster: clu9, vault: kv, key: k}\n"
      "  - {id: ghost, at: 5h, action: update_cluster_key, cluster: nocluster, vault: kv, key: k}\n"));
  expect(r, "busy", 400, "Operation cannot be executed now");
  expect(r, "noperm", 400, "Failed to validate key in Key Vault");
  expect(r, "missing", 400, "Failed to validate key in Key Vault");
  expect(r, "weak", 400, "Key is not recoverable");
  expect(r, "region", 400, "Key Vault, cluster and linked workspaces must share region and tenant");
  CHECK(op(r, "good").status == 202);
  CHECK(*op(r, "good").completed_ms == 4 * kHour + 10 * kMsPerMinute);  // key_update_duration
  expect(r, "again", 400, "Operation cannot be executed now");
  expect(r, "ghost", 404, "Cluster not found, the cluster might have been deleted");
  CHECK(state_at(r, "aek", "clu9", 5 * kHour) == "v1");
}

TEST_CASE("K2 C2 a key set on a running cluster protects only data ingested after the update completes") {
  const RunRecord r = run_yaml(world(
      "  - {at: 1h, action: create_cluster, cluster: clu9, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {at: 2h, action: grant_access, identity: \"cluster:clu9\", vault: kv}\n"
      "  - {at: 2h5m, action: link_workspace, workspace: ws-free, cluster: clu9}\n"
      "  - {at: 3h, action: update_cluster_key, cluster: clu9, vault: kv, key: k}\n"));
  double mmk_cluster = 0, cmk = 0;
  for (const auto& d : r.data) {
    if (d.workspace != "ws-free") continue;
    if (d.protection == "mmk" && d.location == "cluster") mmk_cluster += d.gb_ingested;
    if (d.protection == "cmk:kv/k/v2") cmk += d.gb_ingested;
  }
  // linked at 2h15m, key in force at 3h10m: 55 minutes under the MMK in the cluster
  CHECK(mmk_cluster == Approx(10.0 * 55 / 60 / 24).epsilon(1e-9));
  CHECK(cmk == Approx(10.0 * (40 - 3.0 / 24 - 10.0 / 60 / 24)).epsilon(1e-9));
}

TEST_CASE("C4 limits: active and reserved clusters per region and subscription") {
  std::string events;
  for (int i = 1; i <= 5; ++i) {
    events += "  - {id: mk" + std::to_string(i) + ", at: 1h, action: create_cluster, cluster: extra" + std::to_string(i) +
              ", region: westeurope, subscription: sub, identity: system_assigned, capacity_gb_per_day: 100}\n";
  }
  // the declared cluster 'cl' is active in westeurope/sub too: the fifth is one too many
  events += "  - {id: del, at: 3h, action: delete_cluster, cluster: extra1}\n";
  events += "  - {id: del2, at: 3h, action: delete_cluster, cluster: extra2}\n";
  events += "  - {id: del3, at: 3h, action: delete_cluster, cluster: extra3}\n";
  events += "  - {id: mk6, at: 6h, action: create_cluster, cluster: extra6, region: westeurope, subscription: sub,"
            " identity: system_assigned, capacity_gb_per_day: 100}\n";
  events += "  - {id: mk7, at: 6h, action: create_cluster, cluster: extra7, region: westeurope, subscription: sub,"
            " identity: system_assigned, capacity_gb_per_day: 100}\n";
  events += "  - {id: mk8, at: 6h, action: create_cluster, cluster: extra8, region: westeurope, subscription: sub,"
            " identity: system_assigned, capacity_gb_per_day: 100}\n";
  const RunRecord r = run_yaml(world(events));
  for (const char* id : {"mk1", "mk2", "mk3", "mk4"}) CHECK(op(r, id).status == 202);
  expect(r, "mk5", 400, "Limit reached: at most 5 active clusters per region and subscription");
  CHECK(op(r, "mk6").status == 202);  // three deleted: 2 active, 5 reserved; then 3 and 6
  CHECK(op(r, "mk7").status == 202);  // then 4 active, 7 reserved
  expect(r, "mk8", 400,
         "Limit reached: at most 7 reserved clusters (active or recently deleted) per region and subscription");
}

TEST_CASE("C5 a deleted cluster's name stays reserved for 14 days, and deleting while provisioning is refused") {
  const RunRecord r = run_yaml(world(
      "  - {id: mk, at: 1h, action: create_cluster, cluster: clu9, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: early, at: 1h30m, action: delete_cluster, cluster: clu9}\n"
      "  - {id: del, at: 3h, action: delete_cluster, cluster: clu9}\n"
      "  - {id: gone, at: 5h, action: update_cluster_key, cluster: clu9, vault: kv, key: k}\n"
      "  - {id: reuse, at: 10d, action: create_cluster, cluster: clu9, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: later, at: 15d, action: create_cluster, cluster: clu9, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"));
  expect(r, "early", 409, "Can't delete a cluster while in provisioning state");
  CHECK(op(r, "del").status == 202);
  CHECK(*op(r, "del").completed_ms == 3 * kHour + 90 * kMsPerMinute);  // unlinks take up to 90 minutes
  expect(r, "gone", 404, "Cluster not found, the cluster might have been deleted");
  CHECK(op(r, "reuse").status == 409);
  CHECK(op(r, "later").status == 202);
}

TEST_CASE("C5 D12 deleting a cluster unlinks its workspaces, and new data goes to shared storage under the MMK") {
  const RunRecord r = run_yaml(world("  - {id: del, at: 1d, action: delete_cluster, cluster: cl}\n"));
  CHECK(state_at(r, "workspace", "ws-a", kDay + 89 * kMsPerMinute) == "available");
  CHECK(state_at(r, "workspace", "ws-a", kDay + 90 * kMsPerMinute) == "unlinked");
  double shared_mmk = 0;
  for (const auto& d : r.data) {
    if (d.workspace == "ws-a" && d.location == "shared") {
      CHECK(d.protection == "mmk");
      shared_mmk += d.gb_ingested;
    }
  }
  CHECK(shared_mmk == Approx(100.0 * (39 - 1.5 / 24)).epsilon(1e-9));
  CHECK(state_at(r, "cluster_provisioning", "cl", 2 * kDay) == "deleted");
}

TEST_CASE("C8 a capacity decrease is locked for 30 days after an update") {
  const RunRecord r = run_yaml(world("  - {id: up, at: 1d, action: set_capacity, cluster: cl, capacity_gb_per_day: 1000}\n"
                                     "  - {id: down, at: 2d, action: set_capacity, cluster: cl, capacity_gb_per_day: 500}\n"
                                     "  - {id: bad, at: 2d, action: set_capacity, cluster: cl, capacity_gb_per_day: 550}\n"
                                     "  - {id: later, at: 32d, action: set_capacity, cluster: cl, capacity_gb_per_day: 500}\n"));
  CHECK(op(r, "up").status == 200);
  expect(r, "down", 400, "Capacity is locked for 30d");
  expect(r, "bad", 400, "Capacity in SKU is not in range");
  CHECK(op(r, "later").status == 200);
}

TEST_CASE("W1 link_workspace: documented refusals, and it completes asynchronously") {
  const RunRecord r = run_yaml(world(
      "  - {id: nows, at: 1h, action: link_workspace, workspace: nope, cluster: cl}\n"
      "  - {id: nocl, at: 1h, action: link_workspace, workspace: ws-free, cluster: nope}\n"
      "  - {id: other, at: 1h, action: create_cluster, cluster: clu9, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: taken, at: 3h, action: link_workspace, workspace: ws-a, cluster: clu9}\n"
      "  - {id: region, at: 3h, action: link_workspace, workspace: ws-east, cluster: cl}\n"
      "  - {id: link, at: 3h, action: link_workspace, workspace: ws-free, cluster: cl}\n"
      "  - {id: busy, at: 3h5m, action: unlink_workspace, workspace: ws-free}\n"));
  expect(r, "nows", 404, "Workspace not found");
  expect(r, "nocl", 400, "Cluster not found, the cluster you specified doesn't exist or was deleted");
  expect(r, "taken", 400, "The workspace is linked to another cluster ('cl'); unlink it first");
  expect(r, "region", 400, "Key Vault, cluster and linked workspaces must share region and tenant");
  CHECK(op(r, "link").status == 202);
  CHECK(*op(r, "link").completed_ms == 3 * kHour + 10 * kMsPerMinute);
  expect(r, "busy", 409, "A workspace link or unlink operation is in progress");
  CHECK(state_at(r, "workspace", "ws-free", 3 * kHour + 9 * kMsPerMinute) == "unlinked");
  CHECK(state_at(r, "workspace", "ws-free", 3 * kHour + 10 * kMsPerMinute) == "available");
}

TEST_CASE("W2 at most two link operations per workspace in 30 days, unlinks included") {
  const RunRecord r = run_yaml(world("  - {id: l1, at: 1h, action: link_workspace, workspace: ws-free, cluster: cl}\n"
                                     "  - {id: u1, at: 2h, action: unlink_workspace, workspace: ws-free}\n"
                                     "  - {id: l2, at: 3h, action: link_workspace, workspace: ws-free, cluster: cl}\n"
                                     "  - {id: l3, at: 31d, action: link_workspace, workspace: ws-free, cluster: cl}\n"));
  CHECK(op(r, "l1").status == 202);
  CHECK(op(r, "u1").status == 202);
  expect(r, "l2", 400, "Limit reached: at most 2 link operations per workspace in 30d");
  CHECK(op(r, "l3").status == 202);
}

TEST_CASE("W3 a linked workspace may be deleted, and restored within its soft-delete period still linked") {
  const RunRecord r = run_yaml(world("  - {id: del, at: 1d, action: delete_workspace, workspace: ws-a}\n"
                                     "  - {id: q, at: 1d1h, action: query, workspace: ws-a, range: 1h}\n"
                                     "  - {id: back, at: 2d, action: restore_workspace, workspace: ws-a}\n"
                                     "  - {id: del2, at: 3d, action: delete_workspace, workspace: ws-b}\n"
                                     "  - {id: late, at: 20d, action: restore_workspace, workspace: ws-b}\n"));
  CHECK(op(r, "del").status == 200);
  CHECK(op(r, "q").status == 404);
  CHECK(op(r, "back").status == 200);
  CHECK(state_at(r, "workspace", "ws-a", kDay + kHour) == "deleted");
  CHECK(state_at(r, "workspace", "ws-a", 2 * kDay + kHour) == "available");  // still linked
  CHECK(op(r, "late").status == 404);
  CHECK(*metric(r, "ws-a", "gb_ingested") == Approx(100.0 * 39).epsilon(1e-9));  // nothing ingested while deleted
}

TEST_CASE("D11 data ingested while linked to a cluster still provisioning is lost") {
  const RunRecord r = run_yaml(world(
      "  - {id: mk, at: 1h, action: create_cluster, cluster: clu9, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: link, at: 1h15m, action: link_workspace, workspace: ws-free, cluster: clu9}\n"));
  CHECK(op(r, "link").status == 202);  // accepted: the service does not refuse it
  CHECK(*op(r, "link").completed_ms == 2 * kHour);  // with the provisioning
  CHECK(*metric(r, "ws-free", "gb_lost") == Approx(10.0 * 45 / 60 / 24).epsilon(1e-9));
  CHECK(state_at(r, "workspace", "ws-free", kHour + 30 * kMsPerMinute) == "unavailable");
  CHECK(state_at(r, "workspace", "ws-free", 2 * kHour) == "available");
}

TEST_CASE("D12 after an unlink new data goes to shared storage under the MMK") {
  const RunRecord r = run_yaml(world("  - {id: u, at: 1d, action: unlink_workspace, workspace: ws-b}\n"));
  CHECK(*op(r, "u").completed_ms == kDay + 10 * kMsPerMinute);
  double shared = 0;
  for (const auto& d : r.data) {
    if (d.workspace == "ws-b" && d.location == "shared") {
      CHECK(d.protection == "mmk");
      shared += d.gb_ingested;
    }
  }
  CHECK(shared == Approx(50.0 * (39 - 10.0 / 60 / 24)).epsilon(1e-9));
}

TEST_CASE("K4 double encryption: a region without it refuses creation unless double_encryption is false") {
  const RunRecord r = run(load(world(
      "  - {id: on, at: 1h, action: create_cluster, cluster: clu9, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: off, at: 1h, action: create_cluster, cluster: clu10, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100, double_encryption: false}\n")),
      1, Timing::kSampled, {{"double_encryption_unsupported_regions", "northeurope,westeurope"}});
  expect(r, "on", 400, "Double encryption for clusters isn't supported in region 'westeurope'; create it with double_encryption: false");
  CHECK(op(r, "off").status == 202);
}

TEST_CASE("Q1 linking a storage account for saved queries removes the existing saved queries") {
  const RunRecord r = run_yaml(world("  - {id: q, at: 1h, action: link_query_storage, workspace: ws-a, storage_account: st1}\n"));
  CHECK(op(r, "q").status == 200);
  CHECK(op(r, "q").message.find("saved queries are removed") != std::string::npos);
  bool removed = false;  // and the record says so, for that workspace
  for (const auto& e : r.events) removed = removed || (e.kind == "saved_queries_removed" && e.subject == "ws-a");
  CHECK(removed);
}

TEST_CASE("L1 Customer Lockbox requests wait for the customer's decision, and are unavailable in China") {
  std::string y = world("  - {id: yes, at: 1h, action: lockbox_request, cluster: cl, decision: approve}\n"
                        "  - {id: no, at: 2h, action: lockbox_request, cluster: cl, decision: reject}\n"
                        "  - {id: china, at: 3h, action: lockbox_request, cluster: cnx, decision: approve}\n");
  y.replace(y.find("clusters:\n"), 10,
            "clusters:\n  - {name: cnx, region: chinaeast2, subscription: sub, identity: system_assigned, "
            "capacity_gb_per_day: 100}\n");
  const RunRecord r = run_yaml(y);
  CHECK(op(r, "yes").status == 200);
  CHECK(op(r, "no").status == 403);
  expect(r, "china", 400, "Customer Lockbox is not available in this region");
  // the request waits lockbox_decision_time (4h) for the customer's decision:
  // the answer is complete then, and the timeline records the decision then
  REQUIRE(op(r, "yes").completed_ms.has_value());
  CHECK(*op(r, "yes").completed_ms == kHour + 4 * kHour);
  REQUIRE(op(r, "no").completed_ms.has_value());
  CHECK(*op(r, "no").completed_ms == 2 * kHour + 4 * kHour);
  std::vector<TimeMs> decisions;
  for (const EventRow& e : r.events) {
    if (e.kind == "lockbox_decision") decisions.push_back(e.t_ms);
  }
  CHECK(decisions == std::vector<TimeMs>{5 * kHour, 6 * kHour});
  CHECK(*op(r, "china").completed_ms == 3 * kHour);  // refused at once: nothing to wait for
}

TEST_CASE("D13 with the 2020 outage behaviour a long outage makes storage unavailable but buffers the data") {
  const Scenario scenario =
      load(world("  - {at: 1d, action: kv_outage, vault: kv, for: 3h, fault: timeout}\n"));
  const RunRecord r = run(scenario, 1, Timing::kSampled, {{"kv_outage_unavailable_after", "30m"}});
  REQUIRE(r.incidents.size() == 1);
  const IncidentRow& inc = r.incidents[0];
  CHECK(*inc.unavailable_ms == kDay + 30 * kMsPerMinute);
  CHECK(*inc.restored_ms == kDay + 3 * kHour);
  CHECK(*inc.recovery_time_ms <= 30 * kMsPerMinute);
  CHECK_FALSE(inc.exposure_window_ms.has_value());  // not a revocation
  CHECK(*metric(r, "ws-a", "gb_lost") == 0);        // within the 6-hour buffer
  CHECK(*metric(r, "ws-a", "queries_failed") > 0);
  // the current profile rides the same outage out (D5)
  CHECK(run(scenario).incidents.empty());
}

TEST_CASE("D13 beyond the outage buffer, arrivals are lost") {
  const Scenario scenario = load(world("  - {at: 1d, action: kv_outage, vault: kv, for: 9h, fault: dns}\n"));
  const RunRecord r = run(scenario, 1, Timing::kSampled, {{"kv_outage_unavailable_after", "30m"}});
  REQUIRE(r.incidents.size() == 1);
  const double lost_ms = static_cast<double>(*r.incidents[0].resumed_ms - (kDay + 30 * kMsPerMinute + 6 * kHour));
  CHECK(*metric(r, "ws-a", "gb_lost") == Approx(100.0 * lost_ms / kDay).epsilon(1e-9));
}

TEST_CASE("R3 D10 updating the cluster to the new version restores access, restoration counts from the update's completion") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"
      "  - {at: 1d1h, action: disable_key_version, vault: kv, key: k, version: v1}\n"
      "  - {id: fix, at: 1d5h, action: update_cluster_key, cluster: cl, vault: kv, key: k, version: v3}\n",
      "", "v1"));
  REQUIRE(r.incidents.size() == 1);
  CHECK(*r.incidents[0].restored_ms == kDay + 5 * kHour + 10 * kMsPerMinute);  // key_update_duration
  CHECK(*r.incidents[0].recovery_time_ms <= 30 * kMsPerMinute);
  CHECK(state_at(r, "aek", "cl", kDay + 6 * kHour) == "v3");
}

TEST_CASE("C2 C5 operations on a cluster being deleted are refused with 'Cluster is in deleting state'") {
  const RunRecord r = run_yaml(world("  - {id: del, at: 1d, action: delete_cluster, cluster: cl}\n"
                                     "  - {id: upd, at: 1d30m, action: update_cluster_key, cluster: cl, vault: kv, key: k}\n"
                                     "  - {id: again, at: 1d31m, action: delete_cluster, cluster: cl}\n"
                                     "  - {id: link, at: 1d32m, action: link_workspace, workspace: ws-free, cluster: cl}\n"));
  expect(r, "upd", 400, "Cluster is in deleting state");
  expect(r, "again", 400, "Cluster is in deleting state");
  expect(r, "link", 400, "Cluster not found, the cluster you specified doesn't exist or was deleted");
}

TEST_CASE("C2 half-empty key details never reach the service: the loader refuses them (the service's 'bad format')") {
  // The format gives vault, key and version as separate fields, so the only
  // malformed key identifier a scenario can write is an empty name; all
  // three empty is the removal of the key details (C6, edges_control_test).
  const Expected<Scenario> loaded = load_scenario_text(
      world("  - {id: bad, at: 1h, action: update_cluster_key, cluster: cl, vault: kv, key: \"\"}\n"), "t.yaml");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().message == "to remove the key details (C6), vault, key and version must all be \"\"");
}
