// The scenario loader (sim/io/scenario_loader.h): every section of format v1
// loads into the plain values, and every class of bad input gives exactly one
// "file:line:col: message" -- asserted here as full strings, because users
// see them and tools parse them. Hostile inputs (deep nesting, alias bombs,
// 16 MiB, binary) must fail cleanly (their speed is measured by hand, not
// by timed tests: see README, "Bad input").
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/scenario/duration.h"

using cmksim::Action;
using cmksim::build_profile;
using cmksim::Error;
using cmksim::Expected;
using cmksim::ExpectationDecl;
using cmksim::IdentitySpec;
using cmksim::kMsPerDay;
using cmksim::kMsPerHour;
using cmksim::kMsPerMinute;
using cmksim::load_scenario_file;
using cmksim::load_scenario_text;
using cmksim::Profile;
using cmksim::Scenario;

namespace {

// The three required fields; test snippets start on line 4.
const std::string kHead = "version: 1\nname: t\nduration: 3d\n";

Scenario load_ok(const std::string& yaml) {
  const Expected<Scenario> r = load_scenario_text(yaml, "t.yaml");
  if (!r) FAIL("unexpected error: " << r.error().str());
  REQUIRE(r.ok());
  return *r;
}

// The full error string for `yaml`, labelled t.yaml.
std::string load_error(const std::string& yaml) {
  const Expected<Scenario> r = load_scenario_text(yaml, "t.yaml");
  REQUIRE_FALSE(r.ok());
  return r.error().str();
}



// INTERFACE.md §2's example, completed: 24 hourly weights instead of "...".
const std::string kInterfaceExample = R"(version: 1
name: revoke-and-restore
description: Disable the key for six hours on a busy cluster.
seed: 7                      # default 1
duration: 3d                 # simulated time after the start
start: 2026-01-05T00:00:00Z  # optional: wall-clock labels in reports
profile: azure-monitor-current
timing: sampled              # sampled | worst | best (D7)
params:                      # any profile parameter, overridden; the names
  aek_cache_ttl: 10m         # that BEHAVIORS.md gives are part of this contract

key_vaults:
  - name: kv-prod
    region: westeurope
    tenant: contoso          # default: default
    subscription: sub-sec
    soft_delete: true        # default false, as in Azure (C2)
    purge_protection: true   # default false
    permission_model: rbac   # rbac | access_policy
    private_link: false
    keys:
      - name: logs-cmk
        versions: [v1]       # oldest first; all enabled at the start

identities:                  # user-assigned managed identities
  - name: uai-logs
    tenant: contoso

clusters:                    # exist and are provisioned at the start
  - name: lacluster01
    region: westeurope
    subscription: sub-ops
    tenant: contoso
    identity: system_assigned          # system_assigned | user_assigned:NAME | none
    capacity_gb_per_day: 500
    key: {vault: kv-prod, key: logs-cmk, version: ""}   # "" = auto-rotation (R1)
    key_since: 10d                     # CMK configured 10 days before the start (K2)

grants:                      # who may use which vault at the start
  - identity: cluster:lacluster01      # a cluster's system-assigned identity, or a user-assigned name
    vault: kv-prod
    permissions: [get, wrap, unwrap]   # default: all three / the crypto role under rbac

workspaces:
  - name: ws-app
    region: westeurope
    tenant: contoso
    subscription: sub-app
    cluster: lacluster01               # linked at the start; omit for unlinked
    ingest_gb_per_day: 300
    daily_profile: [0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.8, 1, 1.2, 1.4, 1.4, 1.4,
                    1.4, 1.4, 1.4, 1.4, 1.2, 1.2, 1, 1, 0.8, 0.8, 0.6, 0.6]
    retention: 30d
    existing_data: 30d                 # data already there at the start
    queries_per_hour: 20               # background queries, Poisson, seeded
    query_range: 1d                    # how far back a background query reads

events:
  - {at: 1d, action: disable_key, vault: kv-prod, key: logs-cmk}
  - {at: 1d6h, action: enable_key, vault: kv-prod, key: logs-cmk}
  - {at: 2d, action: kv_outage, vault: kv-prod, for: 45m, fault: timeout}
  - {id: relink, at: 2d12h, action: link_workspace, workspace: ws-app, cluster: lacluster01}

expect:
  - {metric: exposure_window, subject: lacluster01, max: 1h}
  - {metric: recovery_time, subject: lacluster01, max: 30m}
  - {metric: gb_lost, subject: ws-app, max: 0}
  - {state: unavailable, subject: ws-app, at: 1d1h}
  - {operation: relink, status: 409}
)";

}  // namespace

// ---------------------------------------------------------------------------
// Valid scenarios

TEST_CASE("Loader: INTERFACE.md's example, completed, loads every section") {
  const Scenario s = load_ok(kInterfaceExample);
  CHECK(s.file == "t.yaml");
  CHECK(s.source_sha256.size() == 64);
  CHECK(s.version == 1);
  CHECK(s.name == "revoke-and-restore");
  CHECK(s.description == "Disable the key for six hours on a busy cluster.");
  CHECK(s.seed == 7);
  CHECK(s.duration_ms == 3 * kMsPerDay);
  CHECK(s.start == "2026-01-05T00:00:00Z");
  CHECK(s.start_hour_of_day == 0);
  CHECK(s.profile == "azure-monitor-current");
  CHECK(s.timing == cmksim::Timing::kSampled);
  REQUIRE(s.params.size() == 1);
  CHECK(s.params[0].name == "aek_cache_ttl");
  CHECK(s.params[0].value == "10m");
  CHECK(s.params[0].pos.line == 10);
  CHECK(s.params[0].pos.column == 18);

  REQUIRE(s.key_vaults.size() == 1);
  const auto& kv = s.key_vaults[0];
  CHECK(kv.name == "kv-prod");
  CHECK(kv.region == "westeurope");
  CHECK(kv.tenant == "contoso");
  CHECK(kv.subscription == "sub-sec");
  CHECK(kv.soft_delete);
  CHECK(kv.purge_protection);
  CHECK(kv.permission_model == cmksim::PermissionModel::kRbac);
  CHECK_FALSE(kv.private_link);
  REQUIRE(kv.keys.size() == 1);
  CHECK(kv.keys[0].name == "logs-cmk");
  CHECK(kv.keys[0].versions == std::vector<std::string>{"v1"});
  CHECK(kv.pos.line == 13);
  CHECK(kv.pos.column == 5);

  REQUIRE(s.identities.size() == 1);
  CHECK(s.identities[0].name == "uai-logs");
  CHECK(s.identities[0].tenant == "contoso");

  REQUIRE(s.clusters.size() == 1);
  const auto& c = s.clusters[0];
  CHECK(c.name == "lacluster01");
  CHECK(c.subscription == "sub-ops");
  CHECK(c.identity.kind == IdentitySpec::Kind::kSystemAssigned);
  CHECK(c.capacity_gb_per_day == 500);
  REQUIRE(c.key);
  CHECK(c.key->vault == "kv-prod");
  CHECK(c.key->key == "logs-cmk");
  CHECK(c.key->version.empty());
  CHECK(c.key_since_ms == 10 * kMsPerDay);
  CHECK_FALSE(c.double_encryption);

  REQUIRE(s.grants.size() == 1);
  CHECK(s.grants[0].identity == "cluster:lacluster01");
  CHECK(s.grants[0].vault == "kv-prod");
  CHECK(s.grants[0].permissions == cmksim::kAllPermissions);

  REQUIRE(s.workspaces.size() == 1);
  const auto& w = s.workspaces[0];
  CHECK(w.cluster == "lacluster01");
  CHECK(w.ingest_gb_per_day == 300);
  REQUIRE(w.daily_profile);
  double sum = 0;
  for (double x : *w.daily_profile) sum += x;
  CHECK(sum == Approx(24));
  CHECK(w.retention_ms == 30 * kMsPerDay);
  CHECK(w.existing_data_ms == 30 * kMsPerDay);
  CHECK(w.queries_per_hour == 20);
  CHECK(w.query_range_ms == kMsPerDay);

  REQUIRE(s.events.size() == 4);
  CHECK(s.events[0].action == Action::kDisableKey);
  CHECK(s.events[0].at_ms == kMsPerDay);
  CHECK(s.events[0].vault == "kv-prod");
  CHECK(s.events[0].key == "logs-cmk");
  CHECK(s.events[1].at_ms == kMsPerDay + 6 * kMsPerHour);
  CHECK(s.events[2].action == Action::kKvOutage);
  CHECK(s.events[2].for_ms == 45 * kMsPerMinute);
  CHECK(s.events[2].fault == "timeout");
  CHECK(s.events[3].id == "relink");
  CHECK(s.events[3].workspace == "ws-app");
  CHECK(s.events[3].pos.line == 62);
  CHECK(s.events[3].pos.column == 5);

  REQUIRE(s.expectations.size() == 5);
  const auto& x = s.expectations;
  CHECK(x[0].kind == ExpectationDecl::Kind::kMetric);
  CHECK(x[0].text == "metric exposure_window of lacluster01 <= 1h");
  REQUIRE(x[0].max);
  CHECK(x[0].max->is_duration);
  CHECK(x[0].max->value == kMsPerHour);
  CHECK_FALSE(x[0].min);
  CHECK(x[2].text == "metric gb_lost of ws-app <= 0");
  CHECK_FALSE(x[2].max->is_duration);
  CHECK(x[2].max->value == 0);
  CHECK(x[3].kind == ExpectationDecl::Kind::kState);
  CHECK(x[3].state == "unavailable");
  CHECK(x[3].at_ms == kMsPerDay + kMsPerHour);
  CHECK(x[3].text == "state of ws-app at 1d1h is unavailable");
  CHECK(x[4].kind == ExpectationDecl::Kind::kOperation);
  CHECK(x[4].operation == "relink");
  CHECK(x[4].status == 409);
  CHECK(x[4].text == "operation relink returns 409");
}

TEST_CASE("Loader: a minimal scenario gets the documented defaults") {
  const Scenario s = load_ok(kHead + R"(key_vaults:
  - name: kv
    keys: [{name: k}]
identities: [{name: uai}]
clusters:
  - name: c1
grants:
  - {identity: uai, vault: kv}
workspaces:
  - name: w
)");
  CHECK(s.seed == 1);
  CHECK(s.profile == "azure-monitor-current");
  CHECK(s.timing == cmksim::Timing::kSampled);
  CHECK(s.start.empty());
  CHECK(s.key_vaults[0].tenant == "default");
  CHECK_FALSE(s.key_vaults[0].soft_delete);
  CHECK_FALSE(s.key_vaults[0].purge_protection);
  CHECK(s.key_vaults[0].keys[0].versions == std::vector<std::string>{"v1"});
  CHECK(s.identities[0].tenant == "default");
  CHECK(s.clusters[0].identity.kind == IdentitySpec::Kind::kSystemAssigned);
  CHECK(s.clusters[0].capacity_gb_per_day == 100);
  CHECK_FALSE(s.clusters[0].key);
  CHECK(s.clusters[0].key_since_ms == 0);
  CHECK(s.grants[0].permissions == cmksim::kAllPermissions);
  const auto& w = s.workspaces[0];
  CHECK(w.cluster.empty());
  CHECK(w.ingest_gb_per_day == 0);
  CHECK_FALSE(w.daily_profile);
  CHECK(w.retention_ms == 30 * kMsPerDay);
  CHECK(w.existing_data_ms == 0);
  CHECK(w.queries_per_hour == 0);
  CHECK(w.query_range_ms == kMsPerDay);
  CHECK(s.events.empty());
  CHECK(s.expectations.empty());
}

TEST_CASE("Loader: identities, explicit key versions, timing and start hour are read") {
  const Scenario s = load_ok(R"(version: 1
name: t
duration: 1w
seed: 18446744073709551615
timing: worst
start: 2026-03-01T13:30:00+01:00
key_vaults:
  - name: kv
    permission_model: access_policy
    keys: [{name: k, versions: [v1, v2, v3]}]
identities: [{name: uai}]
clusters:
  - name: c1
    identity: user_assigned:uai
    double_encryption: false
    key: {vault: kv, key: k, version: v2}
  - name: c2
    identity: none
grants:
  - {identity: uai, vault: kv, permissions: [get, unwrap]}
  - {identity: 'cluster:c2', vault: kv, permissions: []}
)");
  CHECK(s.seed == 18446744073709551615ull);
  CHECK(s.timing == cmksim::Timing::kWorst);
  CHECK(s.start_hour_of_day == 13);
  CHECK(s.key_vaults[0].permission_model == cmksim::PermissionModel::kAccessPolicy);
  CHECK(s.key_vaults[0].keys[0].versions == std::vector<std::string>{"v1", "v2", "v3"});
  CHECK(s.clusters[0].identity.kind == IdentitySpec::Kind::kUserAssigned);
  CHECK(s.clusters[0].identity.user_assigned == "uai");
  CHECK(s.clusters[0].double_encryption == false);
  CHECK(s.clusters[0].key->version == "v2");
  CHECK(s.clusters[1].identity.kind == IdentitySpec::Kind::kNone);
  CHECK(s.grants[0].permissions == (cmksim::kPermGet | cmksim::kPermUnwrap));
  CHECK(s.grants[1].permissions == 0);
}

TEST_CASE("Loader: every action of the action table loads with its fields") {
  // One event per action with every field it takes, in the form its type wants.
  auto value_of = [](const std::string& field, Action a) -> std::string {
    if (field == "for" || field == "range") return "1h";
    if (field == "fault") return "dns";
    if (field == "decision") return "approve";
    if (field == "capacity_gb_per_day" || field == "gb_per_day") return "200";
    if (field == "permissions") return "[wrap]";
    if (field == "double_encryption") return "true";
    if (field == "key" && a == Action::kCreateCluster) return "{vault: kv, key: k}";
    if (field == "identity" && (a == Action::kSetIdentity || a == Action::kCreateCluster)) return "user_assigned:uai";
    if (field == "identity") return "cluster:c9";
    if (field == "version" && a == Action::kUpdateClusterKey) return "\"\"";
    return "x-" + field;
  };
  std::string yaml = kHead + "events:\n";
  for (const auto& info : cmksim::action_table()) {
    yaml += std::string("  - {at: 1d, action: ") + info.name;
    for (const auto* list : {&info.required, &info.optional}) {
      for (const char* f : *list) yaml += std::string(", ") + f + ": " + value_of(f, info.action);
    }
    yaml += "}\n";
  }
  const Scenario s = load_ok(yaml);
  REQUIRE(s.events.size() == cmksim::action_table().size());
  for (std::size_t i = 0; i < s.events.size(); ++i) CHECK(s.events[i].action == cmksim::action_table()[i].action);
  const auto find = [&](Action a) { return *std::find_if(s.events.begin(), s.events.end(), [&](const auto& e) { return e.action == a; }); };
  const auto create = find(Action::kCreateCluster);
  CHECK(create.cluster == "x-cluster");
  CHECK(create.identity == "user_assigned:uai");
  CHECK(create.capacity_gb_per_day == 200);
  CHECK(create.double_encryption == true);
  REQUIRE(create.key_ref);
  CHECK(create.key_ref->vault == "kv");
  CHECK(create.key_ref->version.empty());
  CHECK(find(Action::kGrantAccess).permissions == cmksim::kPermWrap);
  CHECK(find(Action::kGrantAccess).identity == "cluster:c9");
  CHECK(find(Action::kUpdateClusterKey).version.empty());
  CHECK(find(Action::kAddKeyVersion).version == "x-version");
  CHECK(find(Action::kQuery).range_ms == kMsPerHour);
  CHECK(find(Action::kSetIngestion).gb_per_day == 200);
  CHECK(find(Action::kLockboxRequest).decision == "approve");
  CHECK(find(Action::kLinkQueryStorage).storage_account == "x-storage_account");
}

TEST_CASE("Loader: a cluster created by an event can be an expectation subject") {
  const Scenario s = load_ok(kHead + R"(events:
  - {id: mk, at: 0, action: create_cluster, cluster: late, region: r, subscription: s,
     identity: system_assigned, capacity_gb_per_day: 100}
expect:
  - {metric: unavailable_s, subject: late, min: 10, max: 20}
  - {metric: kv_calls, subject: late, min: 5}
  - {operation: mk, status: 200}
)");
  REQUIRE(s.expectations.size() == 3);
  CHECK(s.expectations[0].text == "metric unavailable_s of late >= 10 and <= 20");
  CHECK(s.expectations[0].min->value == 10);
  CHECK(s.expectations[1].text == "metric kv_calls of late >= 5");
  CHECK(s.events[0].at_ms == 0);
}

TEST_CASE("Loader: daily_profile is normalized to mean 1") {
  std::string weights = "[2";
  for (int h = 1; h < 24; ++h) weights += h < 12 ? ", 2" : ", 0";
  const Scenario s = load_ok(kHead + "workspaces:\n  - name: w\n    daily_profile: " + weights + "]\n");
  const auto& p = *s.workspaces[0].daily_profile;
  CHECK(p[0] == 2);
  CHECK(p[11] == 2);
  CHECK(p[12] == 0);
}

TEST_CASE("Loader: empty sections and comment-only entries are allowed") {
  const Scenario s = load_ok(kHead + "key_vaults:\nevents: []\nexpect:\n  # nothing yet\nparams: {}\n");
  CHECK(s.key_vaults.empty());
  CHECK(s.events.empty());
}

// ---------------------------------------------------------------------------
// Bad files as a whole

TEST_CASE("Loader: an empty file is reported at 1:1") {
  CHECK(load_error("") == "t.yaml:1:1: the scenario file is empty");
  CHECK(load_error("# only a comment\n\n   # another\n") == "t.yaml:1:1: the scenario file is empty");
  CHECK(load_error("---\n# nothing\n...\n") == "t.yaml:1:1: the scenario file is empty");
}

TEST_CASE("Loader: binary garbage is refused with the offending byte") {
  const std::string elf("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10);
  CHECK(load_error(elf) == "t.yaml:1:1: control character 0x7f in the scenario (is it a binary file?)");
  CHECK(load_error(kHead + std::string("description: a\0b\n", 17)) ==
        "t.yaml:4:15: control character 0x00 in the scenario (is it a binary file?)");
  CHECK(load_error("\xff\xfe" "v\0e\0r\0") == "t.yaml:1:1: invalid UTF-8 byte 0xff (the scenario must be UTF-8 text)");
  CHECK(load_error(kHead + "description: caf\xc3(\n") ==
        "t.yaml:4:17: invalid UTF-8 byte 0xc3 (the scenario must be UTF-8 text)");
  // Valid UTF-8 is fine, and columns count bytes like yaml-cpp's marks.
  CHECK(load_ok(kHead + "description: café ☕\n").description == "café ☕");
}

TEST_CASE("Loader: a top level that is not a mapping is refused") {
  CHECK(load_error("just some words\n") ==
        "t.yaml:1:1: the scenario must be a YAML mapping (version: 1, name: ..., duration: ...), got a scalar");
  CHECK(load_error("- version: 1\n- name: t\n") ==
        "t.yaml:1:1: the scenario must be a YAML mapping (version: 1, name: ..., duration: ...), got a list");
}

TEST_CASE("Loader: a second YAML document is refused") {
  CHECK(load_error(kHead + "---\nversion: 1\n") ==
        "t.yaml:4:1: the scenario file holds more than one YAML document (one scenario per file)");
}

TEST_CASE("Loader: a YAML syntax error gives the parser's position and message") {
  CHECK(load_error("version: 1\nname: [a, b\nduration: 3d\n") ==
        "t.yaml:3:9: invalid YAML: end of sequence flow not found");
  CHECK(load_error("version: 1\nname: t\n  duration: 3d\n") == "t.yaml:3:11: invalid YAML: illegal map value");
  CHECK(load_error(kHead + "description: *nope\n") ==
        "t.yaml:4:14: invalid YAML: the referenced anchor is not defined");
}

TEST_CASE("Loader: a 20,000-deep nested list fails fast with a depth message") {
  const int depth = 20000;
  const std::string flow = kHead + "description: " + std::string(depth, '[') + std::string(depth, ']') + "\n";
  const std::string flow_error = load_error(flow);
  CHECK(flow_error.find("t.yaml:4:") == 0);
  CHECK(flow_error.find("the YAML is nested too deeply (depth limit") != std::string::npos);
  std::string block = kHead + "description:\n";
  for (int i = 0; i < depth; ++i) block += "- ";
  block += "x\n";
  // LoadLimits::max_depth: the top-level mapping is level 1, the 64th "- " level 65
  CHECK(load_error(block) == "t.yaml:5:127: the YAML is nested too deeply (depth limit 64 reached)");
}

TEST_CASE("Loader: an alias bomb is rejected within a second") {
  // Each level holds nine references to the one before: 9^24 leaves if walked.
  std::string levels = "[&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]";
  for (int i = 1; i < 24; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    levels += ", &l" + std::to_string(i) + " [" + prev;
    for (int k = 1; k < 9; ++k) levels += ", " + prev;
    levels += "]";
  }
  levels += "]";
  // Refused by LoadLimits::max_alias_nodes at the alias that crosses it, wherever the bomb is.
  const std::string bomb = ": YAML aliases expand the scenario by more than 1000000 nodes (an alias bomb?)";
  CHECK(load_error(kHead + "workspaces:\n  - name: w\n    daily_profile: " + levels + "\n") == "t.yaml:6:332" + bomb);
  CHECK(load_error(kHead + "events: " + levels + "\n") == "t.yaml:4:321" + bomb);
  CHECK(load_error(kHead + "bomb: " + levels + "\n") == "t.yaml:4:319" + bomb);
  CHECK(load_error(kHead + "params: {aek_cache_ttl: " + levels + "}\n") == "t.yaml:4:337" + bomb);
}

TEST_CASE("Loader: megabyte-long words fail fast and are clipped in messages") {
  const std::string big(std::size_t{1} << 20, 'x');
  const std::string shown = "'" + std::string(61, 'x') + "...'";
  CHECK(load_error(kHead + "events: [{at: 1d, action: " + big + "}]\n") == "t.yaml:4:27: unknown action " + shown);
  // Implicit keys stop at 1024 characters in YAML: long keys are explicit.
  CHECK(load_error(kHead + "? " + big + "\n: 1\n") == "t.yaml:4:3: unknown field " + shown + " at the top level");
  CHECK(load_error(kHead + "params:\n  ? " + big + "\n  : 1\n") == "t.yaml:5:5: unknown parameter " + shown);
  CHECK(load_error(kHead + "params: {aek_cache_ttl: " + big + "}\n") ==
        "t.yaml:4:25: aek_cache_ttl: value " + shown + " is too long");
  CHECK(load_error(kHead + "workspaces: [{name: w, retention: " + big + "}]\n") ==
        "t.yaml:4:35: retention: duration " + shown + " is too long");
  CHECK(load_error(kHead + "workspaces: [{name: w, queries_per_hour: " + std::string(1000, '1') + "}]\n") ==
        "t.yaml:4:42: queries_per_hour must be a finite number, got " + std::string(61, '1') + "...");
}

TEST_CASE("Loader: input over 16 MiB is refused before parsing") {
  std::string huge = kHead;
  huge.resize((std::size_t{16} << 20) + 1, '#');
  CHECK(load_error(huge) == "t.yaml: the scenario file is too large (16777217 bytes; the limit is 16 MiB)");
}

// ---------------------------------------------------------------------------
// Top-level fields

TEST_CASE("Loader: version is required and must be 1") {
  CHECK(load_error("name: t\nduration: 3d\n") == "t.yaml:1:1: missing required field 'version' (write version: 1)");
  CHECK(load_error("version: 2\nname: t\nduration: 3d\nnew_v2_field: x\n") ==
        "t.yaml:1:10: unsupported version 2 (this cmksim reads version 1)");
  CHECK(load_error("version: 1.0\nname: t\nduration: 3d\n") ==
        "t.yaml:1:10: unsupported version 1.0 (this cmksim reads version 1)");
}

TEST_CASE("Loader: name and duration are required") {
  CHECK(load_error("version: 1\nduration: 3d\n") == "t.yaml:1:1: missing required field 'name'");
  CHECK(load_error("version: 1\nname: t\n") == "t.yaml:1:1: missing required field 'duration'");
  CHECK(load_error("version: 1\nname: ''\nduration: 3d\n") == "t.yaml:2:7: name must not be empty");
  CHECK(load_error("version: 1\nname:\nduration: 3d\n") == "t.yaml:2:1: name has no value");
}

TEST_CASE("Loader: a bad duration is reported at its node") {
  CHECK(load_error("version: 1\nname: t\nduration: 3x\n") ==
        "t.yaml:3:11: duration: unknown unit in duration '3x' (use ms, s, m, h, d or w)");
  CHECK(load_error("version: 1\nname: t\nduration: 0\n") == "t.yaml:3:11: duration must be > 0");
  CHECK(load_error(kHead + "workspaces: [{name: w, retention: 30}]\n") ==
        "t.yaml:4:35: retention: duration '30' has no unit (ms, s, m, h, d or w)");
  CHECK(load_error(kHead + "workspaces: [{name: w, query_range: 1m1h}]\n") ==
        "t.yaml:4:37: query_range: units in duration '1m1h' must go from largest to smallest, each once");
}

TEST_CASE("Loader: seed must be a non-negative integer") {
  CHECK(load_error(kHead + "seed: -1\n") == "t.yaml:4:7: seed must be a non-negative integer, got '-1'");
  CHECK(load_error(kHead + "seed: 18446744073709551616\n") == "t.yaml:4:7: seed is too large, got 18446744073709551616");
  CHECK(load_error(kHead + "seed: '7'\n") == "t.yaml:4:7: seed must be a non-negative integer, not the quoted string '7'");
}

TEST_CASE("Loader: start must be an ISO 8601 time") {
  CHECK(load_error(kHead + "start: 2026-02-30T00:00:00Z\n") ==
        "t.yaml:4:8: start must be an ISO 8601 time like 2026-01-05T00:00:00Z, got '2026-02-30T00:00:00Z'");
  CHECK(load_error(kHead + "start: 2026-01-05 08:00\n") ==
        "t.yaml:4:8: start must be an ISO 8601 time like 2026-01-05T00:00:00Z, got '2026-01-05 08:00'");
  CHECK(load_ok(kHead + "start: 2026-01-05\n").start_hour_of_day == 0);
  CHECK(load_ok(kHead + "start: 2024-02-29T23:59:59.250Z\n").start_hour_of_day == 23);
}

TEST_CASE("Loader: enums are checked with did-you-mean") {
  CHECK(load_error(kHead + "timing: sampeld\n") == "t.yaml:4:9: unknown timing 'sampeld' (did you mean 'sampled'?)");
  CHECK(load_error(kHead + "timing: random\n") == "t.yaml:4:9: unknown timing 'random' (expected sampled, latest, earliest, bounds, worst or best)");
  CHECK(load_error(kHead + "key_vaults: [{name: kv, permission_model: rabc}]\n") ==
        "t.yaml:4:43: unknown permission_model 'rabc' (did you mean 'rbac'?)");
  CHECK(load_error(kHead + "events: [{at: 1d, action: kv_outage, vault: kv, for: 1h, fault: timout}]\n") ==
        "t.yaml:4:65: unknown fault 'timout' (did you mean 'timeout'?)");
  CHECK(load_error(kHead + "events: [{at: 1d, action: lockbox_request, cluster: c, decision: maybe}]\n") ==
        "t.yaml:4:66: unknown decision 'maybe' (expected approve or reject)");
  CHECK(load_error(kHead + "key_vaults: [{name: kv}]\ngrants: [{identity: uai, vault: kv, permissions: [get, wrp]}]\n"
                   "identities: [{name: uai}]\n") ==
        "t.yaml:5:56: unknown permission 'wrp' (did you mean 'wrap'?)");
  CHECK(load_error(kHead + "clusters: [{name: c, identity: sytem_assigned}]\n") ==
        "t.yaml:4:32: unknown identity 'sytem_assigned' (did you mean 'system_assigned'?)");
  CHECK(load_error(kHead + "clusters: [{name: c, identity: user_assigned}]\n") ==
        "t.yaml:4:32: identity user_assigned needs the identity's name (write user_assigned:NAME)");
}

TEST_CASE("Loader: booleans are strictly true or false") {
  CHECK(load_error(kHead + "key_vaults: [{name: kv, soft_delete: yes}]\n") ==
        "t.yaml:4:38: soft_delete must be true or false, got 'yes'");
  CHECK(load_error(kHead + "key_vaults: [{name: kv, private_link: \"true\"}]\n") ==
        "t.yaml:4:39: private_link must be true or false, not the quoted string 'true'");
}

// ---------------------------------------------------------------------------
// Numbers

TEST_CASE("Loader: a negative rate is refused as written") {
  CHECK(load_error(kHead + "workspaces:\n  - name: ws-app\n    ingest_gb_per_day: -5\n") ==
        "t.yaml:6:24: ingest_gb_per_day must be >= 0, got -5");
  CHECK(load_error(kHead + "clusters: [{name: c, capacity_gb_per_day: -0.5}]\n") ==
        "t.yaml:4:43: capacity_gb_per_day must be >= 0, got -0.5");
}

TEST_CASE("Loader: numbers must be finite plain decimals") {
  CHECK(load_error(kHead + "workspaces: [{name: w, queries_per_hour: .inf}]\n") ==
        "t.yaml:4:42: queries_per_hour must be a number, got '.inf'");
  CHECK(load_error(kHead + "workspaces: [{name: w, queries_per_hour: 1e999}]\n") ==
        "t.yaml:4:42: queries_per_hour must be a finite number, got 1e999");
  CHECK(load_error(kHead + "workspaces: [{name: w, queries_per_hour: 0x10}]\n") ==
        "t.yaml:4:42: queries_per_hour must be a number, got '0x10'");
  CHECK(load_error(kHead + "workspaces: [{name: w, queries_per_hour: \"3\"}]\n") ==
        "t.yaml:4:42: queries_per_hour must be a number, not the quoted string '3'");
  CHECK(load_error(kHead + "workspaces: [{name: w, queries_per_hour: [3]}]\n") ==
        "t.yaml:4:42: queries_per_hour must be a number, got a list");
  CHECK(load_error(kHead + "workspaces: [{name: w, ingest_gb_per_day: 2e15}]\n") ==
        "t.yaml:4:43: ingest_gb_per_day must be at most 1e15, got 2e15");
  CHECK(load_ok(kHead + "workspaces: [{name: w, ingest_gb_per_day: 1.5e2}]\n").workspaces[0].ingest_gb_per_day == 150);
}

TEST_CASE("Loader: daily_profile needs 24 non-negative weights with a positive sum") {
  CHECK(load_error(kHead + "workspaces: [{name: w, daily_profile: [1, 2, 3]}]\n") ==
        "t.yaml:4:39: daily_profile must have 24 hourly weights, got 3");
  std::string zeros = "[0";
  for (int h = 1; h < 24; ++h) zeros += ", 0";
  CHECK(load_error(kHead + "workspaces: [{name: w, daily_profile: " + zeros + "]}]\n") ==
        "t.yaml:4:39: daily_profile must have a positive sum");
  std::string negative = "[1";
  for (int h = 1; h < 24; ++h) negative += h == 5 ? ", -1" : ", 1";
  CHECK(load_error(kHead + "workspaces: [{name: w, daily_profile: " + negative + "]}]\n") ==
        "t.yaml:4:55: daily_profile[5] must be >= 0, got -1");
  CHECK(load_error(kHead + "workspaces: [{name: w, daily_profile: flat}]\n") ==
        "t.yaml:4:39: daily_profile must be a list, got a scalar");
}

// ---------------------------------------------------------------------------
// Fields and names

TEST_CASE("Loader: unknown fields are refused at every level with did-you-mean") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"durationn: 3d\n", "t.yaml:4:1: unknown field 'durationn' at the top level (did you mean 'duration'?)"},
      {"key_vaults: [{name: kv, regin: x}]\n", "t.yaml:4:25: unknown field 'regin' in key vault (did you mean 'region'?)"},
      {"key_vaults: [{name: kv, keys: [{name: k, version: [v1]}]}]\n",
       "t.yaml:4:42: unknown field 'version' in key (did you mean 'versions'?)"},
      {"identities: [{name: u, tenat: x}]\n", "t.yaml:4:24: unknown field 'tenat' in identity (did you mean 'tenant'?)"},
      {"clusters: [{name: c, capacity: 100}]\n", "t.yaml:4:22: unknown field 'capacity' in cluster"},
      {"clusters: [{name: c, key: {vault: kv, key: k, verison: v1}}]\n",
       "t.yaml:4:47: unknown field 'verison' in key reference (did you mean 'version'?)"},
      {"grants: [{identity: u, vault: kv, permission: [get]}]\n",
       "t.yaml:4:35: unknown field 'permission' in grant (did you mean 'permissions'?)"},
      {"workspaces:\n  - name: ws-app\n    ingest_gb_per_dy: 300\n",
       "t.yaml:6:5: unknown field 'ingest_gb_per_dy' in workspace (did you mean 'ingest_gb_per_day'?)"},
      {"events: [{at: 1d, action: disable_key, vualt: kv, key: k}]\n",
       "t.yaml:4:40: unknown field 'vualt' in event (did you mean 'vault'?)"},
      {"events: [{at: 1d, acton: disable_key, vault: kv, key: k}]\n",
       "t.yaml:4:19: unknown field 'acton' in event (did you mean 'action'?)"},
      {"expect: [{metric: gb_lost, subject: w, maxi: 0}]\n",
       "t.yaml:4:40: unknown field 'maxi' in expectation (did you mean 'max'?)"},
  };
  for (const auto& [snippet, expected] : cases) {
    INFO(snippet);
    CHECK(load_error(kHead + snippet) == expected);
  }
}

TEST_CASE("Loader: a key repeated inside one mapping is an error") {
  CHECK(load_error("version: 1\nname: t\nname: u\nduration: 3d\n") == "t.yaml:3:1: duplicate field 'name' (first at 2:1)");
  CHECK(load_error(kHead + "workspaces:\n  - name: w\n    retention: 30d\n    retention: 40d\n") ==
        "t.yaml:7:5: duplicate field 'retention' in workspace (first at 6:5)");
  CHECK(load_error(kHead + "events: [{at: 1d, action: disable_key, vault: a, vault: b, key: k}]\n") ==
        "t.yaml:4:50: duplicate field 'vault' in event (first at 4:40)");
  CHECK(load_error(kHead + "params: {aek_cache_ttl: 1m, aek_cache_ttl: 2m}\n") ==
        "t.yaml:4:29: duplicate field 'aek_cache_ttl' in params (first at 4:10)");
}

TEST_CASE("Loader: names are unique within each section") {
  CHECK(load_error(kHead + "workspaces:\n  - name: ws-app\n  - name: ws-app\n") ==
        "t.yaml:6:11: duplicate workspace name 'ws-app' (first declared at 5:11)");
  CHECK(load_error(kHead + "key_vaults: [{name: kv}, {name: kv}]\n") ==
        "t.yaml:4:33: duplicate key vault name 'kv' (first declared at 4:21)");
  CHECK(load_error(kHead + "key_vaults: [{name: kv, keys: [{name: k}, {name: k}]}]\n") ==
        "t.yaml:4:50: duplicate key name 'k' in vault 'kv' (first declared at 4:39)");
  CHECK(load_error(kHead + "key_vaults: [{name: kv, keys: [{name: k, versions: [v1, v1]}]}]\n") ==
        "t.yaml:4:57: duplicate version 'v1' of key 'k' (first declared at 4:53)");
  CHECK(load_error(kHead + "identities: [{name: u}, {name: u}]\n") ==
        "t.yaml:4:32: duplicate identity name 'u' (first declared at 4:21)");
  CHECK(load_error(kHead + "clusters: [{name: c}, {name: c}]\n") ==
        "t.yaml:4:30: duplicate cluster name 'c' (first declared at 4:19)");
  CHECK(load_error(kHead + "events:\n  - {id: a, at: 1d, action: delete_cluster, cluster: c}\n"
                   "  - {id: a, at: 2d, action: delete_cluster, cluster: c}\n") ==
        "t.yaml:6:10: duplicate event id 'a' (first declared at 5:10)");
}

TEST_CASE("Loader: a section or entry of the wrong shape is refused") {
  CHECK(load_error(kHead + "workspaces: {name: w}\n") == "t.yaml:4:13: workspaces must be a list, got a mapping");
  CHECK(load_error(kHead + "workspaces: [ws-app]\n") == "t.yaml:4:14: workspace must be a mapping, got a scalar");
  CHECK(load_error(kHead + "params: [aek_cache_ttl]\n") == "t.yaml:4:9: params must be a mapping, got a list");
  CHECK(load_error(kHead + "key_vaults: [{name: [kv]}]\n") == "t.yaml:4:21: name must be a string, got a list");
  CHECK(load_error(kHead + "workspaces: [{name: w, cluster: ''}]\n") == "t.yaml:4:33: cluster must not be empty");
  CHECK(load_error(kHead + "key_vaults: [{name: kv, keys: [{name: k, versions: []}]}]\n") ==
        "t.yaml:4:52: key 'k' must have at least one version");
  CHECK(load_error(kHead + "key_vaults: [{? [a]: b}]\n") == "t.yaml:4:17: field names must be plain words in key vault");
}

// ---------------------------------------------------------------------------
// References among declared resources

TEST_CASE("Loader: unknown references get did-you-mean") {
  CHECK(load_error(kHead + "clusters:\n  - name: lacluster01\nworkspaces:\n  - name: ws-app\n    cluster: lacluster1\n") ==
        "t.yaml:8:14: workspace 'ws-app' names unknown cluster 'lacluster1' (did you mean 'lacluster01'?)");
  CHECK(load_error(kHead + "key_vaults:\n  - name: kv-prod\nclusters:\n  - name: c1\ngrants:\n"
                   "  - identity: cluster:c1\n    vault: kv-prd\n") ==
        "t.yaml:10:12: grant names unknown vault 'kv-prd' (did you mean 'kv-prod'?)");
  CHECK(load_error(kHead + "key_vaults: [{name: kv}]\nclusters: [{name: c1}]\ngrants: [{identity: 'cluster:c2', vault: kv}]\n") ==
        "t.yaml:6:21: grant names unknown cluster 'c2' (did you mean 'c1'?)");
  CHECK(load_error(kHead + "key_vaults: [{name: kv}]\nidentities: [{name: uai-logs}]\ngrants: [{identity: uai-lgs, vault: kv}]\n") ==
        "t.yaml:6:21: grant names unknown identity 'uai-lgs' (did you mean 'uai-logs'?)");
  CHECK(load_error(kHead + "identities: [{name: uai-logs}]\nclusters: [{name: c, identity: 'user_assigned:uai-log'}]\n") ==
        "t.yaml:5:32: cluster 'c' names unknown identity 'uai-log' (did you mean 'uai-logs'?)");
  CHECK(load_error(kHead + "workspaces: [{name: w, cluster: c}]\n") == "t.yaml:4:33: workspace 'w' names unknown cluster 'c'");
}

TEST_CASE("Loader: a declared cluster's key must exist at the start") {
  const std::string vaults = kHead + "key_vaults: [{name: kv-prod, keys: [{name: logs-cmk, versions: [v1, v2]}]}]\n";
  CHECK(load_error(vaults + "clusters: [{name: c, key: {vault: kv-prd, key: logs-cmk}}]\n") ==
        "t.yaml:5:35: cluster 'c' names unknown vault 'kv-prd' (did you mean 'kv-prod'?)");
  CHECK(load_error(vaults + "clusters: [{name: c, key: {vault: kv-prod, key: logs-cm}}]\n") ==
        "t.yaml:5:49: cluster 'c' names unknown key 'logs-cm' in vault 'kv-prod' (did you mean 'logs-cmk'?)");
  CHECK(load_error(vaults + "clusters: [{name: c, key: {vault: kv-prod, key: logs-cmk, version: v7}}]\n") ==
        "t.yaml:5:68: cluster 'c' names unknown version 'v7' of key 'kv-prod/logs-cmk' (did you mean 'v1'?)");
  CHECK(load_error(vaults + "clusters: [{name: c, key: {vault: kv-prod}}]\n") ==
        "t.yaml:5:27: missing required field 'key' in key reference");
  CHECK(load_error(vaults + "clusters: [{name: c, key_since: 1d}]\n") == "t.yaml:5:33: key_since needs a key on cluster 'c'");
}

// ---------------------------------------------------------------------------
// Events

TEST_CASE("Loader: unknown action gets did-you-mean with file:line:col") {
  CHECK(load_error(kHead + "events:\n  - {at: 1d, action: disable-kye, vault: kv, key: k}\n") ==
        "t.yaml:5:22: unknown action 'disable-kye' (did you mean 'disable_key'?)");
  CHECK(load_error(kHead + "events:\n  - {at: 1d, action: explode}\n") == "t.yaml:5:22: unknown action 'explode'");
}

TEST_CASE("Loader: an event at or before the end is accepted, after it is refused") {
  CHECK(load_ok(kHead + "events: [{at: 3d, action: delete_cluster, cluster: c}]\n").events[0].at_ms == 3 * kMsPerDay);
  CHECK(load_error(kHead + "events:\n  - {at: 4d, action: disable_key, vault: kv, key: k}\n") ==
        "t.yaml:5:10: 'at' 4d is after the end of the scenario (duration 3d)");
  CHECK(load_error(kHead + "events: [{at: -1h, action: delete_cluster, cluster: c}]\n") ==
        "t.yaml:4:15: at: duration '-1h' is negative");
}

TEST_CASE("Loader: an event needs exactly the fields of its action") {
  CHECK(load_error(kHead + "events:\n  - {at: 1d, action: disable_key, key: k}\n") ==
        "t.yaml:5:5: missing required field 'vault' for action 'disable_key'");
  CHECK(load_error(kHead + "events:\n  - {at: 1d, action: disable_key, vault: kv, key: k, workspace: w}\n") ==
        "t.yaml:5:54: field 'workspace' does not belong to action 'disable_key'");
  CHECK(load_error(kHead + "events:\n  - {action: disable_key, vault: kv, key: k}\n") ==
        "t.yaml:5:5: missing required field 'at' in event");
  CHECK(load_error(kHead + "events:\n  - {at: 1d, vault: kv, key: k}\n") ==
        "t.yaml:5:5: missing required field 'action' in event");
  CHECK(load_error(kHead + "events:\n  - at: 1d\n    action: set_identity\n    cluster: c\n") ==
        "t.yaml:5:5: missing required field 'identity' for action 'set_identity'");
}

TEST_CASE("Loader: event field types are checked, their targets are not") {
  // Targets may be created by earlier events: the model answers 404/400.
  CHECK(load_ok(kHead + "events: [{at: 1d, action: link_workspace, workspace: nowhere, cluster: nothing}]\n").events.size() == 1);
  CHECK(load_error(kHead + "events: [{at: 1d, action: set_ingestion, workspace: w, gb_per_day: -1}]\n") ==
        "t.yaml:4:68: gb_per_day must be >= 0, got -1");
  CHECK(load_error(kHead + "events: [{at: 1d, action: kv_outage, vault: kv, for: 45, fault: dns}]\n") ==
        "t.yaml:4:54: for: duration '45' has no unit (ms, s, m, h, d or w)");
  CHECK(load_error(kHead + "events: [{at: 1d, action: grant_access, identity: u, vault: kv, permissions: get}]\n") ==
        "t.yaml:4:78: permissions must be a list, got a scalar");
  CHECK(load_error(kHead + "events: [{at: 1d, action: set_identity, cluster: c, identity: 'user_assigned:'}]\n") ==
        "t.yaml:4:63: identity user_assigned needs the identity's name (write user_assigned:NAME)");
  CHECK(load_error(kHead + "events: [{at: 1d, action: create_cluster, cluster: c, region: r, subscription: s, "
                   "identity: none, capacity_gb_per_day: 100, key: kv/k}]\n") ==
        "t.yaml:4:130: key reference must be a mapping, got a scalar");
  CHECK(load_error(kHead + "events: [{at: 1d, action: add_key_version, vault: kv, key: k, version: ''}]\n") ==
        "t.yaml:4:72: version must not be empty");
  CHECK(load_error(kHead + "events: [{at: 1d, action: create_cluster, cluster: c, region: r, subscription: s, "
                   "identity: none, capacity_gb_per_day: 100, double_encryption: no}]\n") ==
        "t.yaml:4:144: double_encryption must be true or false, got 'no'");
  CHECK(load_error(kHead + "events: [{at: 1d, action: remove_access, identity: 'cluster:', vault: kv}]\n") ==
        "t.yaml:4:52: identity cluster: needs the cluster's name (write cluster:NAME)");
}

// ---------------------------------------------------------------------------
// Expectations

TEST_CASE("Loader: a bad expectation subject or metric is refused with did-you-mean") {
  const std::string base = kHead + "clusters:\n  - name: lacluster01\nexpect:\n";
  CHECK(load_error(base + "  - {metric: exposure_window, subject: lacluster1, max: 1h}\n") ==
        "t.yaml:7:40: unknown subject 'lacluster1' (did you mean 'lacluster01'?)");
  CHECK(load_error(base + "  - {metric: gb_lst, subject: lacluster01, max: 0}\n") ==
        "t.yaml:7:14: unknown metric 'gb_lst' (did you mean 'gb_lost'?)");
  CHECK(load_error(base + "  - {state: unavailabel, subject: lacluster01, at: 1d}\n") ==
        "t.yaml:7:13: unknown state 'unavailabel' (did you mean 'unavailable'?)");
  CHECK(load_ok(kHead + "key_vaults: [{name: kv, keys: [{name: k}]}]\nexpect: [{state: disabled, subject: kv/k, at: 1d}]\n")
            .expectations[0].subject == "kv/k");
}

TEST_CASE("Loader: expectations are checked for shape, bounds and references") {
  const std::string base = kHead + "workspaces: [{name: w}]\nevents: [{id: relink, at: 1d, action: unlink_workspace, workspace: w}]\nexpect:\n";
  CHECK(load_error(base + "  - {metric: gb_lost, subject: w}\n") == "t.yaml:7:5: a metric expectation needs 'min' or 'max'");
  CHECK(load_error(base + "  - {subject: w, max: 0}\n") == "t.yaml:7:5: an expectation needs 'metric', 'state', 'operation' or 'risk'");
  CHECK(load_error(base + "  - {metric: gb_lost, state: unlinked, subject: w, max: 0}\n") ==
        "t.yaml:7:5: an expectation has only one of 'metric', 'state', 'operation' or 'risk'");
  CHECK(load_error(base + "  - {metric: gb_lost, subject: w, at: 1d, max: 0}\n") ==
        "t.yaml:7:35: field 'at' does not belong to a metric expectation");
  CHECK(load_error(base + "  - {metric: gb_lost, subject: w, max: lots}\n") ==
        "t.yaml:7:40: max must be a number or a duration, got 'lots'");
  CHECK(load_error(base + "  - {metric: gb_lost, subject: w, min: 5, max: 3}\n") == "t.yaml:7:40: min 5 is above max 3");
  CHECK(load_error(base + "  - {metric: gb_lost, subject: w, max: -1}\n") == "t.yaml:7:40: max must be >= 0, got -1");
  CHECK(load_error(base + "  - {state: unlinked, subject: w, at: 4d}\n") ==
        "t.yaml:7:39: 'at' 4d is after the end of the scenario (duration 3d)");
  CHECK(load_error(base + "  - {state: unlinked, subject: w}\n") == "t.yaml:7:5: missing required field 'at' in expectation");
  CHECK(load_error(base + "  - {operation: relnk, status: 409}\n") ==
        "t.yaml:7:17: unknown operation 'relnk' (no event has this id) (did you mean 'relink'?)");
  CHECK(load_error(base + "  - {operation: relink, status: 42}\n") ==
        "t.yaml:7:33: status must be an HTTP status code (100 to 599), got 42");
  CHECK(load_error(base + "  - {operation: relink}\n") == "t.yaml:7:5: missing required field 'status' in expectation");
}

TEST_CASE("Loader: over_seeds is an integer from 1 to 100000 on any expectation") {
  const std::string base = kHead + "workspaces: [{name: w}]\nevents: [{id: relink, at: 1d, action: unlink_workspace, workspace: w}]\nexpect:\n";
  CHECK(load_error(base + "  - {metric: gb_lost, subject: w, max: 0, over_seeds: 0}\n") ==
        "t.yaml:7:55: over_seeds must be an integer from 1 to 100000, got 0");
  CHECK(load_error(base + "  - {metric: gb_lost, subject: w, max: 0, over_seeds: 100001}\n") ==
        "t.yaml:7:55: over_seeds must be an integer from 1 to 100000, got 100001");
  CHECK(load_error(base + "  - {operation: relink, status: 200, over_seeds: -3}\n") ==
        "t.yaml:7:50: over_seeds must be an integer from 1 to 100000, got -3");
  CHECK(load_error(base + "  - {state: unlinked, subject: w, at: 1d, over_seeds: many}\n") ==
        "t.yaml:7:55: over_seeds must be an integer from 1 to 100000, got 'many'");
  const Scenario s = load_ok(base + "  - {metric: gb_lost, subject: w, max: 0, over_seeds: 100000}\n"
                                    "  - {state: unlinked, subject: w, at: 1d, over_seeds: 2}\n"
                                    "  - {operation: relink, status: 200}\n");
  CHECK(s.expectations[0].over_seeds == 100000);
  CHECK(s.expectations[0].text == "metric gb_lost of w <= 0 over 100000 seeds");
  CHECK(s.expectations[1].text == "state of w at 1d is unlinked over 2 seeds");
  CHECK(s.expectations[2].over_seeds == 1);
  CHECK(s.expectations[2].text == "operation relink returns 200");
}

TEST_CASE("Loader: a duration bounds only the metrics measured in seconds") {
  const std::string base = kHead + "clusters: [{name: c}]\nworkspaces: [{name: w}]\nexpect:\n";
  CHECK(load_error(base + "  - {metric: gb_lost, subject: w, max: 1h}\n") ==
        "t.yaml:7:40: max of gb_lost must be a number (a duration bounds only unavailable_s, exposure_window or "
        "recovery_time), got '1h'");
  CHECK(load_error(base + "  - {metric: exposure_window, subject: c, min: 3601, max: 1h}\n") ==
        "t.yaml:7:48: min 3601 is above max 1h");  // seconds against a duration
  const Scenario s = load_ok(base + "  - {metric: exposure_window, subject: c, min: 60, max: 1h}\n"
                                    "  - {metric: unavailable_s, subject: w, max: 30m}\n");
  CHECK(s.expectations[0].min->is_duration == false);
  CHECK(s.expectations[0].max->is_duration == true);
  CHECK(s.expectations[1].max->value == 30 * kMsPerMinute);
}

// ---------------------------------------------------------------------------
// Profiles and parameters

TEST_CASE("Loader: unknown profile gets did-you-mean") {
  CHECK(load_error(kHead + "profile: azure-monitor-curent\n") ==
        "t.yaml:4:10: unknown profile 'azure-monitor-curent' (did you mean 'azure-monitor-current'?)");
  CHECK(load_error(kHead + "profile: gcp\n") == "t.yaml:4:10: unknown profile 'gcp' (expected azure-monitor-current or azure-monitor-2020)");
}

TEST_CASE("Loader: a bad param name or value is reported where it is written") {
  CHECK(load_error(kHead + "params:\n  aek_cache_tl: 10m\n") ==
        "t.yaml:5:3: unknown parameter 'aek_cache_tl' (did you mean 'aek_cache_ttl'?)");
  CHECK(load_error(kHead + "params:\n  aek_cache_ttl: 10x\n") ==
        "t.yaml:5:18: aek_cache_ttl: unknown unit in duration '10x' (use ms, s, m, h, d or w)");
  CHECK(load_error(kHead + "params:\n  ssd_reload_gb_per_min: fast\n") ==
        "t.yaml:5:26: ssd_reload_gb_per_min: expected a number >= 0, got 'fast'");
  CHECK(load_error(kHead + "params:\n  aek_cache_ttl:\n") == "t.yaml:5:3: aek_cache_ttl has no value");
  CHECK(load_error(kHead + "params:\n  kv_call_interval_min: 2m\n") ==
        "t.yaml:4:1: kv_call_interval_max must not be below kv_call_interval_min (D3)");
}

TEST_CASE("Loader: build_profile applies the profile, then params, then --set") {
  const Scenario s = load_ok(kHead + "params:\n  aek_cache_ttl: 10m\n  recovery_bound: 20m\n");
  const Expected<Profile> built = build_profile(s, {{"recovery_bound", "25m"}}, "");
  REQUIRE(built.ok());
  const Profile& p = *built;
  CHECK(p.name == "azure-monitor-current");
  CHECK(p.aek_cache_ttl_ms == 10 * kMsPerMinute);
  CHECK(p.recovery_bound_ms == 25 * kMsPerMinute);
  CHECK(p.revocation_bound_ms == kMsPerHour);

  const auto unknown = build_profile(s, {{"aek_cache_tl", "1m"}}, "");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().str() == "--set aek_cache_tl: unknown parameter 'aek_cache_tl' (did you mean 'aek_cache_ttl'?)");
  const auto bad_value = build_profile(s, {{"aek_cache_ttl", "5"}}, "");
  REQUIRE_FALSE(bad_value.ok());
  CHECK(bad_value.error().str() == "--set aek_cache_ttl: duration '5' has no unit (ms, s, m, h, d or w)");
  CHECK(bad_value.error().line == 0);
  const auto inconsistent = build_profile(s, {{"kv_call_interval_min", "2m"}}, "");
  REQUIRE_FALSE(inconsistent.ok());
  CHECK(inconsistent.error().str() == "t.yaml: kv_call_interval_max must not be below kv_call_interval_min (D3)");
  const auto profile = build_profile(s, {}, "azure-monitr-current");
  REQUIRE_FALSE(profile.ok());
  CHECK(profile.error().str() == "--profile: unknown profile 'azure-monitr-current' (did you mean 'azure-monitor-current'?)");
}

// ---------------------------------------------------------------------------
// Files

TEST_CASE("Loader: malformed fixture files are reported with their path") {
  const std::string dir = std::string(CMKSIM_SOURCE_DIR) + "/tests/malformed/";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty.yaml", "1:1: the scenario file is empty"},
      {"unknown_action.yaml", "14:22: unknown action 'disable-kye' (did you mean 'disable_key'?)"},
      {"negative_rate.yaml", "11:24: ingest_gb_per_day must be >= 0, got -5"},
      {"duplicate_workspace.yaml", "12:11: duplicate workspace name 'ws-app' (first declared at 9:11)"},
      {"unknown_cluster.yaml", "13:14: workspace 'ws-app' names unknown cluster 'lacluster1' (did you mean 'lacluster01'?)"},
      {"event_after_end.yaml", "8:10: 'at' 4d is after the end of the scenario (duration 3d)"},
      {"syntax_error.yaml", "5:50: invalid YAML: illegal flow end"},
  };
  for (const auto& [file, expected] : cases) {
    INFO(file);
    const Expected<Scenario> r = load_scenario_file(dir + file);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().str() == dir + file + ":" + expected);
  }
}

TEST_CASE("Loader: a file loads with its path and the SHA-256 of its bytes") {
  const std::string path = std::string(CMKSIM_SOURCE_DIR) + "/tests/malformed/empty.yaml";
  const Expected<Scenario> missing = load_scenario_file(path + ".absent");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().str() == path + ".absent: cannot read the scenario file: No such file or directory");
  const Expected<Scenario> dir = load_scenario_file(CMKSIM_SOURCE_DIR);
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.error().str() == std::string(CMKSIM_SOURCE_DIR) + ": cannot read the scenario file: it is a directory");
  const Expected<Scenario> a = load_scenario_text(kHead, "a.yaml");
  const Expected<Scenario> b = load_scenario_text(kHead + "# comment\n", "a.yaml");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->source_sha256 != b->source_sha256);
  CHECK(a->source_sha256 == load_scenario_text(kHead, "other.yaml")->source_sha256);
}

TEST_CASE("Loader: an Error prints file:line:col, file alone, or the message alone") {
  CHECK(Error{"ws.yaml", 14, 9, "boom"}.str() == "ws.yaml:14:9: boom");
  CHECK(Error{"ws.yaml", 0, 0, "boom"}.str() == "ws.yaml: boom");
  CHECK(Error{"", 0, 0, "--set x: boom"}.str() == "--set x: boom");
}

TEST_CASE("Loader: parse_duration gives the milliseconds, or an Error without a position saying why") {
  const Expected<cmksim::DurationMs> ok = cmksim::parse_duration("1h30m");
  REQUIRE(ok.ok());
  CHECK(*ok == 90 * kMsPerMinute);
  CHECK(*cmksim::parse_duration("0") == 0);
  const Expected<cmksim::DurationMs> bad = cmksim::parse_duration("5");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().str() == "duration '5' has no unit (ms, s, m, h, d or w)");
  CHECK(bad.error().file.empty());
  CHECK(bad.error().line == 0);
}

TEST_CASE("Loader: --max-events and --max-years set LoadLimits, a refused value leaves them unchanged") {
  using cmksim::apply_limit_option;
  using cmksim::is_limit_option;
  using cmksim::LoadLimits;
  CHECK(is_limit_option("--max-events"));
  CHECK(is_limit_option("--max-years"));
  CHECK_FALSE(is_limit_option("--seed"));
  LoadLimits limits;
  REQUIRE(apply_limit_option(limits, "--max-events", "12").ok());
  CHECK(limits.max_events == 12);
  REQUIRE(apply_limit_option(limits, "--max-years", "2").ok());
  CHECK(limits.max_duration == 2 * cmksim::kMsPerLimitYear);
  const cmksim::Status events = apply_limit_option(limits, "--max-events", "-1");
  REQUIRE_FALSE(events.ok());
  CHECK(events.error().str() == "--max-events expects a whole number of events, got '-1'");
  const cmksim::Status years = apply_limit_option(limits, "--max-years", "1001");
  REQUIRE_FALSE(years.ok());
  CHECK(years.error().str() == "--max-years expects a whole number of years from 1 to 1000, got '1001'");
  CHECK(limits.max_events == 12);
  CHECK(limits.max_duration == 2 * cmksim::kMsPerLimitYear);
}
