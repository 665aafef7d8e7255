// Control-plane edges (issue 14): busy clusters (C2), user -> system identity
// (C6), the 2020 edition (P1, R1), limits (C4, W2, W3), permission models
// (C7) and search jobs (Q3).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "sim/io/profile_builder.h"
#include "sim/io/profile_loader.h"
#include "sim/lint/plan_lint.h"
#include "sim/report/report.h"
#include "test_support.h"

using namespace cmksim;
using namespace cmksim::test;

namespace {

constexpr TimeMs kHour = kMsPerHour;
constexpr TimeMs kDay = kMsPerDay;
constexpr TimeMs kMinute = kMsPerMinute;

const OperationRow& op(const RunRecord& r, const std::string& id) { return operation(r, id); }

void expect(const RunRecord& r, const std::string& id, int status, const std::string& message) {
  INFO(id);
  CHECK(op(r, id).status == status);
  CHECK(op(r, id).message == message);
}

std::string replaced(std::string y, const std::string& from, const std::string& to) {
  const std::size_t at = y.find(from);
  REQUIRE(at != std::string::npos);
  return y.replace(at, from.size(), to);
}

bool has(const std::vector<LintFinding>& findings, const std::string& behaviour, const std::string& part) {
  for (const auto& f : findings) {
    if (f.behaviour == behaviour && f.message.find(part) != std::string::npos && f.pos.line > 0) return true;
  }
  return false;
}

std::vector<LintFinding> lint(const std::string& yaml, const std::string& profile = "azure-monitor-current") {
  return lint_plan(load(yaml), *profile_by_name(profile));
}

bool asynchronous(const OperationRow& o) {
  return o.status == 202 || o.message.find("Azure-AsyncOperation") != std::string::npos;
}

// A random sequence of cluster and workspace operations (C2's invariant):
// op kinds, targets and times drawn from `seed`, all in the first 3 days of
// a 5-day run so that every accepted operation has time to finish.
std::string random_operations(std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  const auto pick = [&](int n) { return static_cast<int>(gen() % static_cast<std::uint64_t>(n)); };
  const char* const clusters[] = {"cl", "cl2"};
  const char* const workspaces[] = {"ws-a", "ws-b", "ws-free"};
  std::string events;
  const int n = 4 + pick(10);
  for (int i = 0; i < n; ++i) {
    const std::string at = std::to_string(pick(3 * 24 * 60)) + "m";
    const std::string cluster = clusters[pick(2)];
    const std::string ws = workspaces[pick(3)];
    std::string e = "  - {id: e" + std::to_string(i) + ", at: " + at + ", ";
    switch (pick(9)) {
      case 8:  // a link, then a delete of its cluster a minute later
        e += "action: link_workspace, workspace: " + ws + ", cluster: " + cluster + "}\n";
        e += "  - {id: d" + std::to_string(i) + ", at: " + std::to_string(std::stoi(at) + 1) +
             "m, action: delete_cluster, cluster: " + cluster + "}";
        break;
      case 0:
        e += "action: create_cluster, cluster: cl2, region: westeurope, subscription: sub, identity: system_assigned, "
             "capacity_gb_per_day: 1000}";
        break;
      case 1: e += "action: update_cluster_key, cluster: " + cluster + ", vault: kv, key: k, version: v1}"; break;
      case 2: e += "action: set_capacity, cluster: " + cluster + ", capacity_gb_per_day: " + (pick(2) ? "1000}" : "2000}"); break;
      case 3: e += "action: set_identity, cluster: " + cluster + ", identity: system_assigned}"; break;
      case 4: e += "action: delete_cluster, cluster: " + cluster + "}"; break;
      case 5: e += "action: link_workspace, workspace: " + ws + ", cluster: " + cluster + "}"; break;
      case 6: e += "action: unlink_workspace, workspace: " + ws + "}"; break;
      default: e += "action: update_cluster_key, cluster: " + cluster + ", vault: \"\", key: \"\", version: \"\"}"; break;
    }
    events += e + "\n";
  }
  // links slower than a deletion's unlinking in some runs: a link to a
  // cluster deleted meanwhile must end with a recorded failure
  const std::string params = pick(2) ? "  link_duration: 2h\n  capacity_lock_period: 0s\n" : "  capacity_lock_period: 0s\n";
  return replaced(small_scenario(events, params, "\"\"", "5d"), "capacity_gb_per_day: 500", "capacity_gb_per_day: 1000");
}

}  // namespace

// ---- C2: busy clusters -------------------------------------------------------

TEST_CASE("C2 a capacity or identity update during provisioning answers 400") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: create, at: 1h, action: create_cluster, cluster: cl2, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {id: capacity, at: 1h30m, action: set_capacity, cluster: cl2, capacity_gb_per_day: 200}\n"
      "  - {id: identity, at: 1h30m, action: set_identity, cluster: cl2, identity: system_assigned}\n"
      "  - {id: after, at: 2h1m, action: set_capacity, cluster: cl2, capacity_gb_per_day: 200}\n"));
  CHECK(op(r, "create").status == 202);
  expect(r, "capacity", 400, "Operation cannot be executed now");
  expect(r, "identity", 400, "Operation cannot be executed now");
  CHECK(op(r, "after").status == 200);
}

TEST_CASE("C2 during a key update, capacity, identity and delete answer 400 and the update completes") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: update, at: 1d, action: update_cluster_key, cluster: cl, vault: kv, key: k, version: v1}\n"
      "  - {id: capacity, at: 1d1m, action: set_capacity, cluster: cl, capacity_gb_per_day: 600}\n"
      "  - {id: identity, at: 1d2m, action: set_identity, cluster: cl, identity: system_assigned}\n"
      "  - {id: delete, at: 1d3m, action: delete_cluster, cluster: cl}\n"));
  expect(r, "capacity", 400, "Operation cannot be executed now");
  expect(r, "identity", 400, "Operation cannot be executed now");
  expect(r, "delete", 400, "Operation cannot be executed now");
  REQUIRE(op(r, "update").completed_ms.has_value());
  CHECK(*op(r, "update").completed_ms == kDay + 10 * kMinute);
  CHECK(state_at(r, "aek", "cl", kDay + 11 * kMinute) == "v1");
  CHECK(state_at(r, "cluster_provisioning", "cl", 2 * kDay - 1) == "succeeded");
}

TEST_CASE("C2 while deleting, every cluster update answers \"Cluster is in deleting state\"") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: delete, at: 1d, action: delete_cluster, cluster: cl}\n"
      "  - {id: capacity, at: 1d1m, action: set_capacity, cluster: cl, capacity_gb_per_day: 600}\n"
      "  - {id: identity, at: 1d1m, action: set_identity, cluster: cl, identity: system_assigned}\n"
      "  - {id: key, at: 1d1m, action: update_cluster_key, cluster: cl, vault: kv, key: k, version: v1}\n"));
  CHECK(op(r, "delete").status == 202);
  for (const char* id : {"capacity", "identity", "key"}) expect(r, id, 400, "Cluster is in deleting state");
}

TEST_CASE("C2 property: every accepted operation ends with completed_ms or a recorded failure (300 random sequences)") {
  int accepted = 0, failed = 0;
  for (const std::uint64_t seed : property_seeds(150)) {
    const std::string yaml = random_operations(seed);
    for (const char* profile : {"azure-monitor-current", "azure-monitor-2020"}) {
      const Scenario scenario = load(replaced(yaml, "duration: 5d\n", "duration: 5d\nprofile: " + std::string(profile) + "\n"));
      const RunRecord r = run(scenario, seed);
      INFO("profile " << profile << ", reproduce with --seed " << seed << ":\n" << yaml);
      for (const OperationRow& o : r.operations) {
        if (!asynchronous(o)) continue;
        ++accepted;
        INFO(o.event_id << " " << o.action << " " << o.status << " " << o.message);
        REQUIRE(o.completed_ms.has_value());
        CHECK(*o.completed_ms >= o.t_ms);
        failed += o.message.find("; failed: ") != std::string::npos ? 1 : 0;
      }
    }
  }
  CHECK(accepted > 300);  // the sequences do exercise asynchronous operations
  CHECK(failed > 0);      // and the failure path (a link to a cluster deleted meanwhile)
}

TEST_CASE("C2 a link to a cluster deleted before it completes ends with a recorded failure") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: link, at: 1d, action: link_workspace, workspace: ws-free, cluster: cl}\n"
      "  - {id: delete, at: 1d1m, action: delete_cluster, cluster: cl}\n",
      "  link_duration: 2h\n"));
  CHECK(op(r, "link").status == 202);
  REQUIRE(op(r, "link").completed_ms.has_value());
  CHECK(*op(r, "link").completed_ms == kDay + kMinute + 90 * kMinute);
  CHECK(op(r, "link").message.find("failed: the cluster was deleted") != std::string::npos);
  bool logged = false;
  for (const EventRow& e : r.events) logged = logged || (e.kind == "operation_failed" && e.subject == "ws-free");
  CHECK(logged);
  CHECK(state_at(r, "workspace", "ws-free", 2 * kDay - 1) == "unlinked");
}

// ---- C6: user-assigned -> system-assigned ------------------------------------

namespace {

std::string user_assigned_world(const std::string& events) {
  std::string y = small_scenario(events, "", "\"\"", "2d");
  y = replaced(y, "clusters:", "identities:\n  - {name: uai}\nclusters:");
  y = replaced(y, "identity: system_assigned\n    capacity", "identity: \"user_assigned:uai\"\n    capacity");
  return replaced(y, "{identity: \"cluster:cl\", vault: kv}", "{identity: uai, vault: kv}");
}

const char* const kUserToSystem =
    "  - {id: remove, at: 12h, action: update_cluster_key, cluster: cl, vault: \"\", key: \"\", version: \"\"}\n"
    "  - {id: system, at: 13h, action: set_identity, cluster: cl, identity: system_assigned}\n"
    "  - {id: grant, at: 13h, action: grant_access, identity: \"cluster:cl\", vault: kv}\n"
    "  - {id: set, at: 14h, action: update_cluster_key, cluster: cl, vault: kv, key: k, version: \"\"}\n";

}  // namespace

TEST_CASE("C6 user to system identity: remove the key, set system, grant, set the key: no incident, no loss, an MMK gap") {
  const RunRecord r = run_yaml(user_assigned_world(kUserToSystem));
  CHECK(op(r, "remove").status == 202);
  REQUIRE(op(r, "remove").completed_ms.has_value());
  CHECK(*op(r, "remove").completed_ms == 12 * kHour + 10 * kMinute);
  CHECK(op(r, "system").status == 200);
  CHECK(op(r, "set").status == 202);
  CHECK(r.incidents.empty());
  CHECK(*metric(r, "ws-a", "gb_lost") == 0);
  // while the key details are removed new data is under the MMK (2 h of 150 GB/day)
  double mmk = 0;
  for (const DataRow& d : r.data) {
    if (d.location == "cluster" && d.protection == "mmk") mmk += d.gb_ingested;
  }
  CHECK(mmk == Approx(150.0 * 2 / 24).epsilon(1e-9));
  CHECK(state_at(r, "aek", "cl", 13 * kHour) == "none");
  CHECK(state_at(r, "aek", "cl", 15 * kHour) == "v2");
}

TEST_CASE("C6 the loader takes vault: \"\" on update_cluster_key only with key and version \"\"") {
  const std::string ok = user_assigned_world(kUserToSystem);
  CHECK(load_scenario_text(ok, "t.yaml").ok());
  const Expected<Scenario> half = load_scenario_text(
      user_assigned_world("  - {at: 12h, action: update_cluster_key, cluster: cl, vault: \"\", key: k}\n"), "t.yaml");
  REQUIRE_FALSE(half.ok());
  CHECK(half.error().line > 0);
  CHECK(half.error().message.find("vault, key and version must all be \"\"") != std::string::npos);
}

TEST_CASE("C6 the plan lint warns that removing the key details is a CMK coverage gap") {
  CHECK(has(lint(user_assigned_world(kUserToSystem)), "C6", "CMK coverage gap"));
}

TEST_CASE("C6 the report names the interval without key details as a CMK coverage gap") {
  const RunRecord r = run_yaml(user_assigned_world(kUserToSystem));
  bool removed = false;
  for (const EventRow& e : r.events) removed = removed || (e.kind == "key_details_removed" && e.t_ms == 12 * kHour + 10 * kMinute);
  CHECK(removed);
  const std::string md = report::markdown_report({r});
  CHECK(md.find("CMK coverage gap: key details removed from 12h10m to 14h10m") != std::string::npos);
}

// ---- P1, R1: the 2020 edition ------------------------------------------------

TEST_CASE("P1 under 2020 an asynchronous request answers 200 with an Azure-AsyncOperation header, and completes") {
  const RunRecord r = run(load(small_scenario(
      "  - {id: update, at: 1d, action: update_cluster_key, cluster: cl, vault: kv, key: k, version: v1}\n"
      "  - {id: link, at: 1d, action: link_workspace, workspace: ws-free, cluster: cl}\n")),
      1, Timing::kSampled, {{"async_answers_ok", "true"}});
  for (const char* id : {"update", "link"}) {
    INFO(id);
    CHECK(op(r, id).status == 200);
    CHECK(op(r, id).message.find("Azure-AsyncOperation") != std::string::npos);
    REQUIRE(op(r, id).completed_ms.has_value());
    CHECK(*op(r, id).completed_ms == kDay + 10 * kMinute);
  }
  CHECK(op(run_yaml(small_scenario("  - {id: u, at: 1d, action: update_cluster_key, cluster: cl, vault: kv, key: k}\n")), "u")
            .status == 202);  // the current edition
}

TEST_CASE("P1 under 2020 set_identity to a user-assigned identity answers 400") {
  std::string y = replaced(small_scenario("  - {id: uai, at: 1d, action: set_identity, cluster: cl, identity: \"user_assigned:uai\"}\n"),
                           "clusters:", "identities:\n  - {name: uai}\nclusters:");
  const RunRecord r = run(load(y), 1, Timing::kSampled, {{"user_assigned_identity_supported", "false"}});
  expect(r, "uai", 400, "Identity is null or empty: set the identity type to SystemAssigned");
  CHECK(op(run_yaml(y), "uai").status == 200);  // the current edition
}

TEST_CASE("R1 P1 without auto-rotation an empty version pins the newest enabled version when the key is set") {
  const Scenario scenario = load(small_scenario(
      "  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"
      "  - {at: 1d1h, action: disable_key_version, vault: kv, key: k, version: v2}\n"));
  const RunRecord pinned = run(scenario, 1, Timing::kSampled, {{"auto_rotation", "false"}});
  CHECK(state_at(pinned, "aek", "cl", kDay + 30 * kMinute) == "v2");  // v3 is not picked up
  REQUIRE(pinned.incidents.size() == 1);  // disabling the pinned version revokes (R3)
  const RunRecord rotating = run(scenario);
  CHECK(state_at(rotating, "aek", "cl", kDay + 30 * kMinute) == "v3");
  CHECK(rotating.incidents.empty());
}

TEST_CASE("R1 P1 validate warns that an empty version pins without auto-rotation") {
  const std::string y = small_scenario("");
  CHECK(has(lint(y, "azure-monitor-2020"), "R1", "no auto-rotation"));
  CHECK_FALSE(has(lint(y), "R1", "no auto-rotation"));
}

TEST_CASE("P1 a declared resource the profile forbids is a load error with file:line:col") {
  const auto refused = [](const std::string& yaml, const std::string& profile) {
    const Scenario s = load(yaml);
    const Expected<Profile> p = build_profile(s, {}, profile);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().file == "test.yaml");
    CHECK(p.error().line > 0);
    CHECK(p.error().column > 0);
    return p.error().message;
  };
  // capacity 500 is below the 2020 minimum of 1000
  CHECK(refused(small_scenario(""), "azure-monitor-2020").find("Capacity in SKU is not in range") != std::string::npos);
  // a user-assigned identity where the profile has none
  std::string uai = replaced(user_assigned_world(""), "capacity_gb_per_day: 500", "capacity_gb_per_day: 1000");
  CHECK(refused(uai, "azure-monitor-2020").find("supports no user-assigned identity") != std::string::npos);
  CHECK(build_profile(load(uai), {}, "azure-monitor-current").ok());
  // a user-assigned identity with a Private Link vault, in the current profile too
  const std::string private_link = replaced(uai, "    purge_protection: true\n", "    purge_protection: true\n    private_link: true\n");
  CHECK(refused(private_link, "azure-monitor-current").find("behind Private Link") != std::string::npos);
}

// ---- C4, W2, W3: limits ------------------------------------------------------

TEST_CASE("W2 W3 the third link operation, an unlink, is accepted, it counts toward the next link") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: unlink1, at: 1h, action: unlink_workspace, workspace: ws-a}\n"
      "  - {id: link, at: 1d, action: link_workspace, workspace: ws-a, cluster: cl}\n"
      "  - {id: unlink2, at: 2d, action: unlink_workspace, workspace: ws-a}\n"
      "  - {id: relink, at: 3d, action: link_workspace, workspace: ws-a, cluster: cl}\n",
      "", "\"\"", "5d"));
  CHECK(op(r, "link").status == 202);
  CHECK(op(r, "unlink2").status == 202);
  CHECK(state_at(r, "workspace", "ws-a", 2 * kDay + 11 * kMinute) == "unlinked");
  CHECK(op(r, "relink").status == 400);
  CHECK(op(r, "relink").message.find("link operations per workspace") != std::string::npos);
}

TEST_CASE("C4 W2 a link in progress counts toward the workspaces per cluster") {
  std::string y = small_scenario(
      "  - {id: first, at: 1h, action: link_workspace, workspace: ws-free, cluster: cl}\n"
      "  - {id: second, at: 1h1m, action: link_workspace, workspace: ws-c, cluster: cl}\n",
      "  workspaces_per_cluster_max: 3\n");
  y += "";
  y = replaced(y, "events:\n", "  - {name: ws-c, region: westeurope, subscription: sub, ingest_gb_per_day: 1}\nevents:\n");
  const RunRecord r = run_yaml(y);
  CHECK(op(r, "first").status == 202);
  CHECK(op(r, "second").status == 400);
  CHECK(op(r, "second").message == "Limit reached: at most 3 workspaces per cluster");
}

// ---- C7: permission models ---------------------------------------------------

TEST_CASE("C7 in an rbac vault a permissions list changes nothing, and validate says it is ignored") {
  const std::string rbac =
      replaced(small_scenario("  - {at: 1d, action: grant_access, identity: \"cluster:cl\", vault: kv, permissions: [get]}\n"),
               "{identity: \"cluster:cl\", vault: kv}", "{identity: \"cluster:cl\", vault: kv, permissions: [get]}");
  const RunRecord r = run_yaml(rbac);
  CHECK(r.incidents.empty());
  CHECK(state_at(r, "cluster", "cl", 2 * kDay - 1) == "available");
  const auto findings = lint(rbac);
  CHECK(has(findings, "C7", "the permissions list is ignored"));
  int c7 = 0;
  for (const auto& f : findings) c7 += f.behaviour == "C7" ? 1 : 0;
  CHECK(c7 == 2);  // the declared grant and the event
  // under access policies the same list revokes (Wrap and Unwrap missing)
  const std::string policies = replaced(rbac, "    purge_protection: true\n", "    purge_protection: true\n    permission_model: access_policy\n");
  CHECK(run_yaml(policies).incidents.size() == 1);
  CHECK_FALSE(has(lint(policies), "C7", "ignored"));
}

// ---- Q3: search jobs ---------------------------------------------------------

TEST_CASE("Q3 a search job answers 400 on a workspace under a CMK, and is accepted elsewhere") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: cmk, at: 1h, action: search_job, workspace: ws-a, range: 7d}\n"
      "  - {id: shared, at: 1h, action: search_job, workspace: ws-free, range: 7d}\n"
      "  - {id: ghost, at: 1h, action: search_job, workspace: nope, range: 7d}\n"));
  expect(r, "cmk", 400, "Search jobs are not supported on workspaces whose data is under a customer-managed key (Q3)");
  CHECK(op(r, "shared").status == 202);
  REQUIRE(op(r, "shared").completed_ms.has_value());
  CHECK(op(r, "ghost").status == 404);
}

// ---- beyond the list: the 2020 edition's creation errors ----------------------

TEST_CASE("C1 create_cluster without a capacity answers 400 \"Missing Capacity in SKU\"") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {id: none, at: 1h, action: create_cluster, cluster: cl2, region: westeurope, subscription: sub,"
      " identity: system_assigned}\n"
      "  - {id: some, at: 1h, action: create_cluster, cluster: cl3, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"));
  expect(r, "none", 400, "Missing Capacity in SKU");
  CHECK(op(r, "some").status == 202);
}
