// cmksim import (issue 16): ARM JSON in every form a user can get without
// special tools -- resource bodies, list responses, Resource Graph results,
// deployment templates with parameters files -- into a scenario that the
// real loader reads and `cmksim validate` accepts. The documents under
// tests/import/ are written in the shapes of the published REST API
// (OperationalInsights 2021-06-01, KeyVault 2022-07-01); a round trip
// exports shipped scenarios' resources as ARM JSON and imports them back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "process_support.h"
#include "sim/core/text.h"
#include "sim/import/estate_yaml.h"
#include "sim/import/import.h"
#include "sim/io/scenario_loader.h"

namespace {

using cmksim::Scenario;
using cmksim::import::ImportOutcome;
using cmksim::import::ImportRequest;
using cmksim::import::LoadedInput;
using nlohmann::json;

std::string data_path(const std::string& name) { return std::string(CMKSIM_SOURCE_DIR) + "/tests/import/" + name; }

// A document from tests/import/, labelled by its name.
LoadedInput doc(const std::string& name, const std::string& parameters = "") {
  LoadedInput in{{name, cmksim::test::read_file(data_path(name))}, std::nullopt};
  REQUIRE_FALSE(in.document.text.empty());
  if (!parameters.empty()) in.parameters = cmksim::import::JsonDocument{parameters, cmksim::test::read_file(data_path(parameters))};
  return in;
}

LoadedInput text_doc(const std::string& label, const std::string& text) { return {{label, text}, std::nullopt}; }

ImportRequest request_for(const std::vector<std::string>& args = {"x.json"}) {
  cmksim::Expected<ImportRequest> r = cmksim::import::parse_import_args(args);
  REQUIRE(r.ok());
  return *r;
}

cmksim::Expected<ImportOutcome> run_import(const std::vector<LoadedInput>& inputs, const ImportRequest& request) {
  return cmksim::import::import_estate(inputs, request);
}

// Imports and loads the result with the real loader: what the importer writes must load.
struct Imported {
  ImportOutcome outcome;
  Scenario scenario;
  std::string notes;  // every stderr line
};

Imported import_ok(const std::vector<LoadedInput>& inputs, const ImportRequest& request = request_for()) {
  cmksim::Expected<ImportOutcome> out = run_import(inputs, request);
  INFO((out.ok() ? std::string() : out.error().str()));
  REQUIRE(out.ok());
  const cmksim::Expected<cmksim::Scenario> loaded = cmksim::load_scenario_text(out->yaml, "imported.yaml");
  INFO(out->yaml);
  INFO((loaded ? std::string() : loaded.error().str()));
  REQUIRE(loaded.ok());
  std::string notes;
  for (const std::string& n : out->notes) notes += n + "\n";
  return {*out, *loaded, notes};
}

std::string import_error(const std::vector<LoadedInput>& inputs, const ImportRequest& request = request_for()) {
  cmksim::Expected<ImportOutcome> out = run_import(inputs, request);
  REQUIRE_FALSE(out.ok());
  return out.error().str();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The line of `yaml` that contains `part`.
std::string line_with(const std::string& yaml, const std::string& part) {
  std::istringstream in(yaml);
  std::string line;
  while (std::getline(in, line)) {
    if (contains(line, part)) return line;
  }
  return "";
}

const cmksim::VaultDecl* vault(const Scenario& s, const std::string& name) {
  for (const auto& v : s.key_vaults) {
    if (v.name == name) return &v;
  }
  return nullptr;
}
const cmksim::ClusterDecl* cluster(const Scenario& s, const std::string& name) {
  for (const auto& c : s.clusters) {
    if (c.name == name) return &c;
  }
  return nullptr;
}
const cmksim::WorkspaceDecl* workspace(const Scenario& s, const std::string& name) {
  for (const auto& w : s.workspaces) {
    if (w.name == name) return &w;
  }
  return nullptr;
}
bool has_grant(const Scenario& s, const std::string& identity, const std::string& vault_name,
               std::uint8_t permissions = cmksim::kAllPermissions) {
  return std::any_of(s.grants.begin(), s.grants.end(), [&](const cmksim::GrantDecl& g) {
    return g.identity == identity && g.vault == vault_name && g.permissions == permissions;
  });
}

const char* const kSub = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/";

// A minimal resource body of `type` named `name` in the test subscription.
json resource(const std::string& type, const std::string& name, json properties = json::object()) {
  return json{{"id", std::string(kSub) + type + "/" + name},
              {"name", name},
              {"type", type},
              {"location", "westeurope"},
              {"properties", std::move(properties)}};
}

LoadedInput list_doc(const std::string& label, const json& items) { return text_doc(label, json{{"value", items}}.dump(2)); }

}  // namespace

// ---------------------------------------------------------------------------
// Resource forms and types

TEST_CASE("Import: a list response gives the vault, its key versions, the cluster, its grant and workspaces") {
  const Imported r = import_ok({doc("estate-list.json")});
  const Scenario& s = r.scenario;
  REQUIRE(s.key_vaults.size() == 1);
  const cmksim::VaultDecl& v = s.key_vaults[0];
  CHECK(v.name == "KV-Main");  // the body's spelling of the name; the ID says kv-main
  CHECK(v.region == "westeurope");  // "West Europe"
  CHECK(v.subscription == "11111111-1111-1111-1111-111111111111");
  CHECK(v.soft_delete);
  CHECK(v.purge_protection);
  CHECK(v.permission_model == cmksim::PermissionModel::kAccessPolicy);
  CHECK(v.private_link);
  REQUIRE(v.keys.size() == 1);
  CHECK(v.keys[0].name == "cmk-logs");
  CHECK(v.keys[0].versions == std::vector<std::string>{"a1b2c3d4e5f60718", "3b2c1d0e9f8a4b7c"});  // by creation
  const cmksim::ClusterDecl* c = cluster(s, "la-cluster");
  REQUIRE(c != nullptr);
  CHECK(c->capacity_gb_per_day == 500);
  CHECK(c->double_encryption == true);
  CHECK(c->identity.kind == cmksim::IdentitySpec::Kind::kSystemAssigned);
  REQUIRE(c->key);
  CHECK(c->key->vault == "KV-Main");
  CHECK(c->key->key == "cmk-logs");
  CHECK(c->key->version.empty());  // "" = auto-rotation (R1)
  // The access policy's objectId is the cluster's principal ID (upper case there, lower case here).
  CHECK(has_grant(s, "cluster:la-cluster", "KV-Main"));
  CHECK(s.grants.size() == 1);
  CHECK(contains(r.notes, "1 access policy of principals not in the input"));
  REQUIRE(s.workspaces.size() == 3);
  CHECK(workspace(s, "ws-finance")->cluster == "la-cluster");  // features.clusterResourceId and associatedWorkspaces
  CHECK(workspace(s, "ws-finance")->retention_ms == 90 * cmksim::kMsPerDay);
  CHECK(workspace(s, "ws-hr")->cluster == "la-cluster");       // a linkedServices resource
  CHECK(workspace(s, "ws-dev")->cluster.empty());
  CHECK(workspace(s, "ws-dev")->region == "northeurope");      // "North Europe"
  CHECK(contains(r.notes, "skipped 1 resource of types a scenario does not describe: microsoft.storage/storageaccounts (1)"));
}

TEST_CASE("Import: a cluster's key URI names its vault (C2)") {
  const Imported r = import_ok({doc("cluster-show.json")});
  const cmksim::ClusterDecl* c = cluster(r.scenario, "cluster-ua");
  REQUIRE(c != nullptr);
  REQUIRE(c->key);
  CHECK(c->key->vault == "kv-east");  // the host of https://kv-east.vault.azure.net/
  CHECK(c->key->key == "cmk-east");
  CHECK(c->key->version == "5d6e7f8091a2b3c4");
  // The vault is not in the input: declared with stated assumptions.
  const cmksim::VaultDecl* v = vault(r.scenario, "kv-east");
  REQUIRE(v != nullptr);
  CHECK(v->region == "eastus");
  CHECK(v->soft_delete);
  CHECK(v->purge_protection);
  CHECK(v->keys.at(0).versions == std::vector<std::string>{"5d6e7f8091a2b3c4"});
  CHECK(contains(line_with(r.outcome.yaml, "- name: kv-east"), "# not in the input, known only from the key URI of cluster cluster-ua"));
  CHECK(contains(line_with(r.outcome.yaml, "versions: [\"5d6e7f8091a2b3c4\"]"), "assumed: 5d6e7f8091a2b3c4 is its newest version"));
  CHECK(contains(r.notes, "vault kv-east, soft_delete: assumed: on"));
}

TEST_CASE("Import: a versioned key URI older than the key's current version is placed before it (R2)") {
  json key = resource("Microsoft.KeyVault/vaults/kv1/keys", "k1",
                      {{"keyUriWithVersion", "https://kv1.vault.azure.net/keys/k1/v-new"}, {"attributes", {{"enabled", true}}}});
  key["id"] = std::string(kSub) + "Microsoft.KeyVault/vaults/kv1/keys/k1";
  key["type"] = "Microsoft.KeyVault/vaults/keys";
  json cl = resource("Microsoft.OperationalInsights/clusters", "c1",
                     {{"keyVaultProperties", {{"keyVaultUri", "https://kv1.vault.azure.net/"}, {"keyName", "k1"}, {"keyVersion", "v-old"}}}});
  cl["identity"] = {{"type", "SystemAssigned"}, {"principalId", "p1"}};
  cl["sku"] = {{"capacity", 100}};
  const Imported r = import_ok({list_doc("a.json", json::array({key, cl}))});
  const cmksim::VaultDecl* v = vault(r.scenario, "kv1");
  REQUIRE(v != nullptr);
  CHECK(v->keys.at(0).versions == std::vector<std::string>{"v-old", "v-new"});
  CHECK(cluster(r.scenario, "c1")->key->version == "v-old");
  CHECK(contains(r.notes, "assumed: version v-old (from the key URI of cluster c1) is older than the current v-new"));
}

TEST_CASE("Import: a user-assigned identity ties a cluster to its role assignment by principal ID (C6 C7)") {
  const Imported r = import_ok({doc("cluster-show.json"), doc("graph-result.json")});
  const Scenario& s = r.scenario;
  REQUIRE(s.identities.size() == 1);
  CHECK(s.identities[0].name == "id-cmk");
  const cmksim::ClusterDecl* c = cluster(s, "cluster-ua");
  REQUIRE(c != nullptr);
  CHECK(c->identity.kind == cmksim::IdentitySpec::Kind::kUserAssigned);
  CHECK(c->identity.user_assigned == "id-cmk");
  CHECK(vault(s, "kv-rbac")->permission_model == cmksim::PermissionModel::kRbac);
  CHECK(has_grant(s, "id-cmk", "kv-rbac"));  // the crypto service encryption user role on the vault
  CHECK(contains(r.notes, "skipped 1 role assignment of roles other than Key Vault Crypto Service Encryption User"));
}

TEST_CASE("Import: a role assignment at a resource group's scope grants every vault in it, access policies on an RBAC vault are ignored (C7)") {
  json v1 = resource("Microsoft.KeyVault/vaults", "kv-a", {{"enableRbacAuthorization", true}, {"enableSoftDelete", true}});
  json v2 = resource("Microsoft.KeyVault/vaults", "kv-b",
                     {{"enableRbacAuthorization", true},
                      {"accessPolicies", json::array({{{"objectId", "p-id"}, {"permissions", {{"keys", {"get"}}}}}})}});
  json id = resource("Microsoft.ManagedIdentity/userAssignedIdentities", "id1", {{"principalId", "p-id"}});
  json ra = {{"id", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/r1"},
             {"name", "r1"},
             {"type", "Microsoft.Authorization/roleAssignments"},
             {"properties",
              {{"roleDefinitionId", "/providers/Microsoft.Authorization/roleDefinitions/E147488A-F6F5-4113-8E2D-B22465E65BF6"},
               {"principalId", "P-ID"},
               {"scope", "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/RG"}}}};
  const Imported r = import_ok({list_doc("a.json", json::array({v1, v2, id, ra}))});
  CHECK(has_grant(r.scenario, "id1", "kv-a"));
  CHECK(has_grant(r.scenario, "id1", "kv-b"));
  CHECK(r.scenario.grants.size() == 2);
  CHECK(contains(r.notes, "vault kv-b: its access policies are ignored: it uses Azure RBAC (C7)"));
}

TEST_CASE("Import: access policy key permissions become get, wrap and unwrap (C7)") {
  json v = resource("Microsoft.KeyVault/vaults", "kv1",
                    {{"enableSoftDelete", false},
                     {"accessPolicies", json::array({{{"objectId", "p-c"}, {"permissions", {{"keys", {"get", "unwrapKey", "sign"}}}}}})}});
  json cl = resource("Microsoft.OperationalInsights/clusters", "c1");
  cl["identity"] = {{"type", "SystemAssigned"}, {"principalId", "p-c"}};
  cl["sku"] = {{"capacity", 100}};
  const Imported r = import_ok({list_doc("a.json", json::array({v, cl}))});
  CHECK(has_grant(r.scenario, "cluster:c1", "kv1", cmksim::kPermGet | cmksim::kPermUnwrap));
  CHECK_FALSE(vault(r.scenario, "kv1")->soft_delete);
  CHECK(contains(r.outcome.yaml, "permissions: [get, unwrap]"));
}

TEST_CASE("Import: a disabled key starts disabled, and an expiry is noted (R3)") {
  json v = resource("Microsoft.KeyVault/vaults", "kv1", {{"enablePurgeProtection", true}, {"enableSoftDelete", true}});
  json key = resource("Microsoft.KeyVault/vaults/kv1/keys", "k1",
                      {{"keyUriWithVersion", "https://kv1.vault.azure.net/keys/k1/abc"},
                       {"attributes", {{"enabled", false}, {"exp", 1893456000}}}});
  key["id"] = std::string(kSub) + "Microsoft.KeyVault/vaults/kv1/keys/k1";
  key["type"] = "Microsoft.KeyVault/vaults/keys";
  const Imported r = import_ok({list_doc("a.json", json::array({v, key}))});
  REQUIRE(r.scenario.events.size() == 1);
  CHECK(r.scenario.events[0].action == cmksim::Action::kDisableKey);
  CHECK(r.scenario.events[0].at_ms == 0);
  CHECK(r.scenario.events[0].key == "k1");
  CHECK(contains(r.notes, "key kv1/k1 expires 2030-01-01T00:00:00Z"));
}

TEST_CASE("Import: the Azure CLI's flattened output (az identity show) reads like ARM's") {
  const json shown = {{"clientId", "c0"},
                      {"id", std::string(kSub) + "Microsoft.ManagedIdentity/userAssignedIdentities/id-flat"},
                      {"location", "westeurope"},
                      {"name", "id-flat"},
                      {"principalId", "P-FLAT"},
                      {"resourceGroup", "rg"},
                      {"tenantId", "t-1"},
                      {"type", "Microsoft.ManagedIdentity/userAssignedIdentities"}};
  json v = resource("Microsoft.KeyVault/vaults", "kv1",
                    {{"tenantId", "t-1"}, {"accessPolicies", json::array({{{"objectId", "p-flat"}, {"permissions", {{"keys", {"all"}}}}}})}});
  const Imported r = import_ok({text_doc("id.json", shown.dump()), list_doc("kv.json", json::array({v}))});
  REQUIRE(r.scenario.identities.size() == 1);
  CHECK(r.scenario.identities[0].tenant == "t-1");
  CHECK(has_grant(r.scenario, "id-flat", "kv1"));
}

TEST_CASE("Import: an identity of None and a cluster without a key") {
  json cl = resource("Microsoft.OperationalInsights/clusters", "c1");
  cl["identity"] = {{"type", "None"}};
  cl["sku"] = {{"capacity", 300}};
  const Imported r = import_ok({text_doc("c.json", cl.dump())});
  CHECK(cluster(r.scenario, "c1")->identity.kind == cmksim::IdentitySpec::Kind::kNone);
  CHECK_FALSE(cluster(r.scenario, "c1")->key);
}

// ---------------------------------------------------------------------------
// Real-world input

TEST_CASE("Import: IDs and types compare case-insensitively, regions by their ARM name") {
  json ws = resource("Microsoft.OperationalInsights/workspaces", "ws1", {{"retentionInDays", 31}});
  ws["id"] = "/SUBSCRIPTIONS/s1/RESOURCEGROUPS/Rg/providers/microsoft.operationalinsights/WORKSPACES/ws1";
  ws["type"] = "MICROSOFT.OPERATIONALINSIGHTS/workspaces";
  ws["location"] = "West Central US";
  json cl = resource("microsoft.operationalinsights/clusters", "c1");
  cl["id"] = "/subscriptions/s1/resourcegroups/rg/providers/Microsoft.OperationalInsights/clusters/C1";
  cl["location"] = "westcentralus";
  cl["identity"] = {{"type", "systemassigned"}, {"principalId", "p"}};
  cl["sku"] = {{"capacity", 100}};
  cl["properties"]["associatedWorkspaces"] =
      json::array({{{"resourceId", "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.OperationalInsights/workspaces/WS1"}}});
  const Imported r = import_ok({text_doc("g.json", json{{"data", json::array({ws, cl})}}.dump())});
  REQUIRE(r.scenario.workspaces.size() == 1);  // the association names the same workspace
  CHECK(r.scenario.workspaces[0].region == "westcentralus");
  CHECK(r.scenario.workspaces[0].cluster == "c1");  // the body's name; the ID says C1
  CHECK(r.scenario.clusters.size() == 1);
}

TEST_CASE("Import: names a scenario should not use are mapped, with the Azure name in a comment") {
  json a = resource("Microsoft.OperationalInsights/workspaces", "ws app (prod)");
  json b = resource("Microsoft.OperationalInsights/workspaces", "ws-dup");
  json c = resource("Microsoft.OperationalInsights/workspaces", "ws-dup");
  c["id"] = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/other-rg/providers/"
            "Microsoft.OperationalInsights/workspaces/ws-dup";
  const Imported r = import_ok({list_doc("a.json", json::array({a, b, c}))});
  REQUIRE(r.scenario.workspaces.size() == 3);
  CHECK(r.scenario.workspaces[0].name == "ws-app-prod");
  CHECK(contains(line_with(r.outcome.yaml, "- name: ws-app-prod"), "# Azure name \"ws app (prod)\""));
  CHECK(r.scenario.workspaces[1].name == "ws-dup");
  CHECK(r.scenario.workspaces[2].name == "ws-dup-2");  // same name in another resource group
  CHECK(contains(line_with(r.outcome.yaml, "- name: ws-dup-2"), "Azure name \"ws-dup\" (other-rg)"));
}

TEST_CASE("Import: the same resource in two files is merged when equal, an error naming both files when not") {
  json cl = resource("Microsoft.OperationalInsights/clusters", "c1", {{"isDoubleEncryptionEnabled", true}});
  cl["identity"] = {{"type", "SystemAssigned"}, {"principalId", "p"}};
  cl["sku"] = {{"name", "CapacityReservation"}, {"capacity", 500}};
  json shown = cl;  // `az ... show` of the same cluster: more fields, another spelling of the ID and region
  shown["id"] = "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/RG/providers/Microsoft.OperationalInsights/clusters/c1";
  shown["location"] = "West Europe";
  shown["etag"] = "\"0a00\"";
  shown["properties"]["provisioningState"] = "Succeeded";
  const Imported r = import_ok({list_doc("list.json", json::array({cl})), text_doc("show.json", shown.dump())});
  CHECK(r.scenario.clusters.size() == 1);
  json conflicting = shown;
  conflicting["sku"]["capacity"] = 1000;
  const std::string e = import_error({list_doc("list.json", json::array({cl})), text_doc("show.json", conflicting.dump())});
  CHECK(e == "show.json: /sku/capacity: conflicts with list.json /value/0: the same resource "
             "(/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/RG/providers/Microsoft.OperationalInsights/clusters/c1) "
             "with a different value");
}

TEST_CASE("Import: a workspace linked to two clusters is an error naming both sources") {
  json c1 = resource("Microsoft.OperationalInsights/clusters", "c1");
  json c2 = resource("Microsoft.OperationalInsights/clusters", "c2");
  json ws = resource("Microsoft.OperationalInsights/workspaces", "ws1",
                     {{"features", {{"clusterResourceId", std::string(kSub) + "Microsoft.OperationalInsights/clusters/c1"}}}});
  c2["properties"]["associatedWorkspaces"] = json::array({{{"resourceId", ws["id"]}}});
  const std::string e = import_error({list_doc("a.json", json::array({c1, c2, ws}))});
  CHECK(contains(e, "links workspace ws1 to cluster c2, but a.json /value/2 features.clusterResourceId links it to c1"));
}

// ---------------------------------------------------------------------------
// Assumptions and the output's shape

TEST_CASE("Import: every assumed value is a comment on its line and a line on stderr, with the option that sets it") {
  const Imported r = import_ok({doc("estate-list.json")});
  const std::string ingest = line_with(r.outcome.yaml, "ingest_gb_per_day: 250");
  CHECK(contains(ingest, "# assumed: cluster la-cluster's 500 GB/day split over its 2 workspaces; --ingest-gb-per-day sets it"));
  CHECK(contains(line_with(r.outcome.yaml, "existing_data: 90d"), "# assumed: a full retention of data (ARM does not say; --existing-data sets it)"));
  CHECK(contains(line_with(r.outcome.yaml, "key_since: 90d"), "# assumed: the key was set before the oldest data"));
  CHECK(contains(r.notes, "workspace ws-finance, ingest_gb_per_day: assumed: cluster la-cluster's 500 GB/day split"));
  CHECK(contains(r.notes, "workspace ws-hr, existing_data: assumed: a full retention of data"));
  CHECK(workspace(r.scenario, "ws-finance")->existing_data_ms == 90 * cmksim::kMsPerDay);
  CHECK(cluster(r.scenario, "la-cluster")->key_since_ms == 90 * cmksim::kMsPerDay);
}

TEST_CASE("Import: --ingest-gb-per-day and --existing-data set what ARM does not say") {
  const Imported r = import_ok({doc("estate-list.json")},
                               request_for({"estate-list.json", "--ingest-gb-per-day", "42.5", "--existing-data", "45d"}));
  for (const auto& w : r.scenario.workspaces) CHECK(w.ingest_gb_per_day == 42.5);
  CHECK(workspace(r.scenario, "ws-finance")->existing_data_ms == 45 * cmksim::kMsPerDay);
  CHECK(workspace(r.scenario, "ws-hr")->existing_data_ms == 30 * cmksim::kMsPerDay);  // capped at its retention
  CHECK_FALSE(contains(r.notes, "ingest_gb_per_day: assumed"));
  CHECK(contains(line_with(r.outcome.yaml, "name: ws-hr") + line_with(r.outcome.yaml, "existing_data: 30d"),
                 "--existing-data, capped at the retention"));
}

TEST_CASE("Import: the output opens with the schema line and a header, and ends with events and an example") {
  const Imported r = import_ok({doc("estate-list.json")}, request_for({"estate-list.json", "-o", "out/my-estate.yaml"}));
  const std::string& y = r.outcome.yaml;
  CHECK(y.rfind("# yaml-language-server: $schema=schema.json\n# Imported by `cmksim import` from Azure Resource Manager JSON:\n"
                "#   estate-list.json (list, 10 resources)\n", 0) == 0);
  CHECK(r.scenario.name == "my-estate");
  CHECK(r.scenario.events.empty());
  CHECK(contains(y, "\nevents: []\n"));
  CHECK(contains(y, "#   - {id: revoke, at: 6h, action: disable_key, vault: KV-Main, key: cmk-logs}\n"));
  CHECK(contains(y, "# Every resource is in tenant aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"));
}

TEST_CASE("Import: names and IDs are quoted when plain YAML would read them otherwise") {
  CHECK(cmksim::import::yaml_scalar("kv-main") == "kv-main");
  CHECK(cmksim::import::yaml_scalar("11111111-2222") == "\"11111111-2222\"");
  CHECK(cmksim::import::yaml_scalar("true") == "\"true\"");
  CHECK(cmksim::import::yaml_scalar("No") == "\"No\"");
  CHECK(cmksim::import::yaml_scalar("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"");
  CHECK(cmksim::import::yaml_scalar("") == "\"\"");
}

// ---------------------------------------------------------------------------
// Deployment templates

TEST_CASE("Import: a deployment template's expressions are evaluated with its parameters file") {
  const Imported r = import_ok({doc("template.json", "template.parameters.json")},
                               request_for({"template.json", "--parameters", "template.parameters.json", "--location",
                                            "West Europe", "--subscription", "sub-prod", "--resource-group", "rg-logs"}));
  const Scenario& s = r.scenario;
  const cmksim::VaultDecl* v = vault(s, "kv-prod");  // concat('kv-', parameters('environment')) with environment=prod
  REQUIRE(v != nullptr);
  CHECK(v->region == "westeurope");  // resourceGroup().location from --location
  CHECK(v->subscription == "sub-prod");
  CHECK(v->permission_model == cmksim::PermissionModel::kRbac);
  CHECK(v->keys.at(0).name == "cmk-prod");  // a child resource; format('cmk-{0}', ...)
  const cmksim::ClusterDecl* c = cluster(s, "la-central");
  REQUIRE(c != nullptr);
  CHECK(c->capacity_gb_per_day == 200);
  REQUIRE(c->key);
  CHECK(c->key->vault == "kv-prod");  // reference(vaultId).vaultUri
  // The role assignment's principal is reference(clusterId, ..., 'full').identity.principalId.
  CHECK(has_grant(s, "cluster:la-central", "kv-prod"));
  CHECK(workspace(s, "ws-one")->cluster == "la-central");  // parameters('workspaceNames')[0] and a linked service
  CHECK(workspace(s, "ws-one")->retention_ms == 60 * cmksim::kMsPerDay);
  CHECK(contains(r.notes, "warning: template.json: parameter 'tagOwner' is declared but never used"));
  CHECK_FALSE(contains(r.notes, "parameter 'clusterName'"));
  CHECK_FALSE(contains(r.notes, "templates are deployed into subscription"));  // --subscription was given
  CHECK(contains(r.outcome.yaml, "#   template.json with template.parameters.json (deployment template, 6 resources)"));
}

TEST_CASE("Import: a template and the deployed resources it made merge, the real principal ID replacing the template's") {
  const std::vector<std::string> args = {"template.json", "--parameters", "template.parameters.json", "--location", "westeurope",
                                         "--subscription", "sub-prod", "--resource-group", "rg-logs"};
  json deployed = {{"id", "/subscriptions/sub-prod/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/clusters/la-central"},
                   {"name", "la-central"},
                   {"type", "Microsoft.OperationalInsights/clusters"},
                   {"location", "West Europe"},
                   {"identity", {{"type", "SystemAssigned"}, {"principalId", "0f0f0f0f-0000-0000-0000-00000000000f"}}},
                   {"sku", {{"name", "CapacityReservation"}, {"capacity", 200}}},
                   {"properties", {{"isDoubleEncryptionEnabled", true}, {"provisioningState", "Succeeded"}}}};
  const Imported r = import_ok({doc("template.json", "template.parameters.json"), text_doc("show.json", deployed.dump())},
                               request_for(args));
  CHECK(r.scenario.clusters.size() == 1);
  CHECK(has_grant(r.scenario, "cluster:la-central", "kv-prod"));  // the template's role assignment still ties
  deployed["sku"]["capacity"] = 300;
  CHECK(contains(import_error({doc("template.json", "template.parameters.json"), text_doc("show.json", deployed.dump())},
                              request_for(args)),
                 "show.json: /sku/capacity: conflicts with template.json /resources/1"));
}

TEST_CASE("Import: in a template, a user-assigned identity's principal ties it to an access policy (C6 C7)") {
  const json t = {
      {"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
      {"variables", {{"idId", "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-logs')]"}}},
      {"resources",
       json::array(
           {{{"type", "Microsoft.ManagedIdentity/userAssignedIdentities"}, {"name", "id-logs"}, {"location", "westeurope"}},
            {{"type", "Microsoft.KeyVault/vaults"},
             {"name", "kv-t"},
             {"location", "westeurope"},
             {"properties",
              {{"enableSoftDelete", true},
               {"enablePurgeProtection", true},
               {"accessPolicies",
                json::array({{{"objectId", "[reference(variables('idId')).principalId]"},
                              {"permissions", {{"keys", {"get", "wrapKey", "unwrapKey"}}}}}})}}}},
            {{"type", "Microsoft.OperationalInsights/clusters"},
             {"name", "c-t"},
             {"location", "westeurope"},
             {"identity", {{"type", "UserAssigned"}, {"userAssignedIdentities", {{"[variables('idId')]", json::object()}}}}},
             {"sku", {{"name", "CapacityReservation"}, {"capacity", 100}}},
             {"properties",
              {{"keyVaultProperties",
                {{"keyVaultUri", "[reference(resourceId('Microsoft.KeyVault/vaults', 'kv-t')).vaultUri]"},
                 {"keyName", "k"},
                 {"keyVersion", ""}}}}}}})}};
  const Imported r = import_ok({text_doc("t.json", t.dump())});
  REQUIRE(r.scenario.identities.size() == 1);
  CHECK(cluster(r.scenario, "c-t")->identity.user_assigned == "id-logs");
  CHECK(cluster(r.scenario, "c-t")->key->vault == "kv-t");
  CHECK(vault(r.scenario, "kv-t")->permission_model == cmksim::PermissionModel::kAccessPolicy);
  CHECK(has_grant(r.scenario, "id-logs", "kv-t"));
  CHECK(r.scenario.grants.size() == 1);
}

TEST_CASE("Import: a template without its parameters file uses the defaults and names a missing value") {
  const std::string e = import_error({doc("template.json")}, request_for({"template.json", "--location", "westeurope"}));
  CHECK(e == "template.json: /resources/1/name: cannot evaluate '[parameters('clusterName')]': "
             "parameter 'clusterName' has no value: give it in a parameters file (--parameters)");
}

TEST_CASE("Import: resourceGroup().location needs --location") {
  const std::string e = import_error({doc("template.json", "template.parameters.json")});
  CHECK(contains(e, "template.json: /parameters/location/defaultValue: cannot evaluate '[resourceGroup().location]': "
                    "resourceGroup().location is not known: give the resource group's region with --location REGION"));
}

TEST_CASE("Import: an expression cmksim cannot evaluate is an error naming the JSON path and the expression") {
  const json t = {{"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
                  {"resources", json::array({{{"type", "Microsoft.KeyVault/vaults"},
                                              {"name", "[concat('kv-', uniqueString(resourceGroup().id))]"},
                                              {"location", "westeurope"}}})}};
  const std::string e = import_error({text_doc("t.json", t.dump())});
  CHECK(e.rfind("t.json: /resources/0/name: cannot evaluate '[concat('kv-', uniqueString(resourceGroup().id))]': "
                "the function uniqueString() is not supported by cmksim import", 0) == 0);
}

TEST_CASE("Import: a parameters file that does not match its template is refused") {
  const json t = {{"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
                  {"parameters", {{"n", {{"type", "string"}}}}},
                  {"resources", json::array({{{"type", "Microsoft.KeyVault/vaults"}, {"name", "[parameters('n')]"}, {"location", "x"}}})}};
  const auto with_params = [&](const json& p) {
    return LoadedInput{{"t.json", t.dump()}, cmksim::import::JsonDocument{"p.json", p.dump()}};
  };
  const std::string schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";
  CHECK(import_error({with_params({{"$schema", schema}, {"parameters", {{"m", {{"value", "x"}}}}}})}) ==
        "p.json: /parameters/m: parameter 'm' is not declared in t.json");
  CHECK(import_error({with_params({{"$schema", schema}, {"parameters", {{"n", {{"value", 3}}}}}})}) ==
        "p.json: /parameters/n/value: parameter 'n' is declared string in t.json, got 3");
  CHECK(import_error({with_params({{"parameters", {{"n", {{"value", "x"}}}}}})}) ==
        "p.json: not a deployment parameters file (\"$schema\": ...deploymentParameters...)");
  const Imported ok = import_ok({with_params({{"$schema", schema}, {"parameters", {{"n", {{"value", "kv-x"}}}}}})});
  CHECK(ok.scenario.key_vaults.at(0).name == "kv-x");
}

// ---------------------------------------------------------------------------
// Bad input

TEST_CASE("Import: bad input is one message with the file and a position") {
  CHECK(import_error({text_doc("a.json", "{\n  \"value\": [\n    {\"id\": 1,,}\n  ]\n}\n")}).rfind("a.json:3:14: not JSON: ", 0) == 0);
  CHECK(import_error({text_doc("b.json", "{\"hello\": \"world\"}")}).rfind(
            "b.json: a resource needs \"id\" and \"type\": not Azure Resource Manager JSON", 0) == 0);
  CHECK(import_error({text_doc("c.json", "[{\"id\": \"/subscriptions/s/resourceGroups/r/providers/A.B/c/d\", \"type\": \"A.B/c\"}, 42]")}) ==
        "c.json: /1: expected a resource object, got 42");
  CHECK(import_error({text_doc("d.json", "{\"value\": [{\"id\": \"not-an-id\", \"type\": \"A.B/c\"}]}")}) ==
        "d.json: /value/0/id: not a resource ID: \"not-an-id\"");
  CHECK(import_error({text_doc("e.json", "\"just a string\"")}).rfind("e.json: not Azure Resource Manager JSON", 0) == 0);
  CHECK(import_error({text_doc("f.json", "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\", \"parameters\": {}}")}) ==
        "f.json: a parameters file: give it with --parameters right after its template");
}

TEST_CASE("Import: hostile input is refused with one message, not a crash") {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  CHECK(import_error({text_doc("deep.json", deep)}) == "deep.json: nested deeper than 100 arrays and objects: not imported");
  const auto template_with = [](const json& name, const json& parameters = json::object()) {
    return json{{"$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
                {"parameters", parameters},
                {"resources", json::array({{{"type", "Microsoft.KeyVault/vaults"}, {"name", name}, {"location", "x"}}})}}
        .dump();
  };
  std::string nested = "'kv'";
  for (int i = 0; i < 200; ++i) nested = "concat(" + nested + ")";
  CHECK(contains(import_error({text_doc("t.json", template_with("[" + nested + "]"))}), "nested deeper than 64"));
  CHECK(contains(import_error({text_doc("t.json", template_with("[concat('kv', 99999999999999999999999)]"))}), "a number too large"));
  CHECK(contains(import_error({text_doc("t.json", template_with("[parameters('a')]",
                                                                 {{"a", {{"type", "string"}, {"defaultValue", "[parameters('a')]"}}}}))}),
                 "parameter 'a' refers to itself"));
  CHECK(contains(import_error({text_doc("t.json", template_with("[variables('v')]"))}), "variable 'v' is not declared"));
}

TEST_CASE("Import: --parameters applies to the template just before it") {
  const ImportRequest r = request_for({"a.json", "t1.json", "--parameters", "p1.json", "t2.json", "-o", "x.yaml"});
  REQUIRE(r.inputs.size() == 3);
  CHECK_FALSE(r.inputs[0].parameters_path);
  CHECK(r.inputs[1].parameters_path == std::optional<std::string>("p1.json"));
  CHECK_FALSE(r.inputs[2].parameters_path);
  CHECK(r.output == "x.yaml");
  CHECK(cmksim::import::parse_import_args({"--parameters", "p.json", "t.json"}).error().message ==
        "--parameters p.json must follow the template it is for");
  CHECK(cmksim::import::parse_import_args({"t.json", "--parameters", "p.json", "--parameters", "q.json"}).error().message ==
        "two parameters files for t.json (p.json and q.json)");
  CHECK(cmksim::import::parse_import_args({}).error().message == "missing ARM JSON files to import");
  CHECK(cmksim::import::parse_import_args({"a.json", "--existing-data", "3 days"}).error().message.rfind(
            "--existing-data expects a duration such as 30d or 12h", 0) == 0);
  CHECK(cmksim::import::parse_import_args({"a.json", "--ingest-gb-per-day", "-1"}).error().message ==
        "--ingest-gb-per-day expects a number of GB/day from 0 to 1e15, got '-1'");
  CHECK(cmksim::import::parse_import_args({"a.json", "--locaton", "x"}).error().message ==
        "unknown option '--locaton' (did you mean '--location'?)");
}

// ---------------------------------------------------------------------------
// The command

namespace {

cmksim::test::CommandResult cmksim_cli(const std::string& args) {
  return cmksim::test::run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>&1");
}

}  // namespace

TEST_CASE("CLI: import writes a scenario that cmksim validate accepts, for every form") {
  cmksim::test::TempDir dir("import-cli");
  const std::vector<std::string> inputs = {
      "'" + data_path("estate-list.json") + "'",
      "'" + data_path("cluster-show.json") + "' '" + data_path("graph-result.json") + "'",
      "'" + data_path("template.json") + "' --parameters '" + data_path("template.parameters.json") + "' --location westeurope",
      "'" + data_path("estate-list.json") + "' '" + data_path("cluster-show.json") + "' '" + data_path("graph-result.json") +
          "' '" + data_path("template.json") + "' --parameters '" + data_path("template.parameters.json") +
          "' --location westeurope"};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string out = dir.file("estate" + std::to_string(i) + ".yaml");
    const auto imported = cmksim_cli("import " + inputs[i] + " -o '" + out + "'");
    INFO(imported.output);
    CHECK(imported.status == 0);
    CHECK(contains(imported.output, "wrote " + out + ": "));
    const auto valid = cmksim_cli("validate '" + out + "'");
    INFO(valid.output);
    CHECK(valid.status == 0);
    const auto ran = cmksim_cli("run '" + out + "' -o '" + dir.file("r" + std::to_string(i) + ".db") + "'");
    INFO(ran.output);
    CHECK(ran.status == 0);
  }
}

TEST_CASE("CLI: import on bad input prints one message, exits 2 and writes no file") {
  cmksim::test::TempDir dir("import-bad");
  const std::string bad = dir.file("bad.json");
  std::ofstream(bad) << "{\"value\": [\n  {\"id\": \n";
  const auto r = cmksim_cli("import '" + bad + "' -o '" + dir.file("out.yaml") + "'");
  CHECK(r.status == 2);
  CHECK(r.output.rfind(bad + ":3:1: not JSON: ", 0) == 0);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  CHECK(dir.entries() == std::vector<std::string>{"bad.json"});  // no output, no temporary file
  const auto missing = cmksim_cli("import '" + dir.file("nothing.json") + "' -o '" + dir.file("out.yaml") + "'");
  CHECK(missing.status == 2);
  CHECK(missing.output == dir.file("nothing.json") + ": cannot read the file\n");
  const auto option = cmksim_cli("import a.json --ingest-gb-per-dya 3");
  CHECK(option.status == 2);
  CHECK(contains(option.output, "cmksim import: unknown option '--ingest-gb-per-dya' (did you mean '--ingest-gb-per-day'?)"));
}

// ---------------------------------------------------------------------------
// Round trip: a shipped scenario's resources exported as ARM JSON come back equal

namespace {

std::string sub_of(const std::string& subscription) { return subscription.empty() ? "sub" : subscription; }

std::string principal_of(const std::string& grant_identity) { return "pid-" + grant_identity; }

std::string arm_id(const std::string& subscription, const std::string& type_and_name) {
  return "/subscriptions/" + sub_of(subscription) + "/resourceGroups/rg/providers/" + type_and_name;
}

// The resources of `s` as an ARM list response, the way Azure would return them.
json export_arm(const Scenario& s) {
  json list = json::array();
  std::map<std::string, std::string> identity_ids;
  for (const auto& i : s.identities) {
    identity_ids[i.name] = arm_id("sub", "Microsoft.ManagedIdentity/userAssignedIdentities/" + i.name);
    list.push_back({{"id", identity_ids[i.name]},
                    {"name", i.name},
                    {"type", "Microsoft.ManagedIdentity/userAssignedIdentities"},
                    {"location", "westeurope"},
                    {"properties", {{"principalId", principal_of(i.name)}}}});
  }
  for (const auto& v : s.key_vaults) {
    json policies = json::array();
    for (const auto& g : s.grants) {
      if (g.vault != v.name || v.permission_model == cmksim::PermissionModel::kRbac) continue;
      json keys = json::array();
      if ((g.permissions & cmksim::kPermGet) != 0) keys.push_back("get");
      if ((g.permissions & cmksim::kPermWrap) != 0) keys.push_back("wrapKey");
      if ((g.permissions & cmksim::kPermUnwrap) != 0) keys.push_back("unwrapKey");
      policies.push_back({{"objectId", principal_of(g.identity)}, {"permissions", {{"keys", keys}}}});
    }
    json props = {{"enableSoftDelete", v.soft_delete},
                  {"enablePurgeProtection", v.purge_protection},
                  {"enableRbacAuthorization", v.permission_model == cmksim::PermissionModel::kRbac},
                  {"accessPolicies", policies},
                  {"vaultUri", "https://" + v.name + ".vault.azure.net/"}};
    if (v.private_link) props["privateEndpointConnections"] = json::array({{{"id", "pe"}}});
    const std::string vault_id = arm_id(v.subscription, "Microsoft.KeyVault/vaults/" + v.name);
    list.push_back({{"id", vault_id}, {"name", v.name}, {"type", "Microsoft.KeyVault/vaults"}, {"location", v.region},
                    {"properties", props}});
    for (const auto& k : v.keys) {
      list.push_back({{"id", vault_id + "/keys/" + k.name},
                      {"name", k.name},
                      {"type", "Microsoft.KeyVault/vaults/keys"},
                      {"properties",
                       {{"keyUriWithVersion", "https://" + v.name + ".vault.azure.net/keys/" + k.name + "/" + k.versions.back()},
                        {"attributes", {{"enabled", true}}}}}});
      for (std::size_t i = 0; i < k.versions.size(); ++i) {
        list.push_back({{"id", vault_id + "/keys/" + k.name + "/versions/" + k.versions[i]},
                        {"name", k.versions[i]},
                        {"type", "Microsoft.KeyVault/vaults/keys/versions"},
                        {"properties", {{"attributes", {{"enabled", true}, {"created", 1700000000 + static_cast<int>(i)}}}}}});
      }
    }
    if (v.permission_model != cmksim::PermissionModel::kRbac) continue;
    for (const auto& g : s.grants) {
      if (g.vault != v.name) continue;
      list.push_back({{"id", vault_id + "/providers/Microsoft.Authorization/roleAssignments/ra-" + g.identity},
                      {"name", "ra"},
                      {"type", "Microsoft.Authorization/roleAssignments"},
                      {"properties",
                       {{"roleDefinitionId", "/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6"},
                        {"principalId", principal_of(g.identity)},
                        {"scope", vault_id}}}});
    }
  }
  std::map<std::string, std::string> cluster_ids;
  for (const auto& c : s.clusters) {
    cluster_ids[c.name] = arm_id(c.subscription, "Microsoft.OperationalInsights/clusters/" + c.name);
    json identity;
    switch (c.identity.kind) {
      case cmksim::IdentitySpec::Kind::kSystemAssigned:
        identity = {{"type", "SystemAssigned"}, {"principalId", principal_of("cluster:" + c.name)}};
        break;
      case cmksim::IdentitySpec::Kind::kUserAssigned:
        identity = {{"type", "UserAssigned"},
                    {"userAssignedIdentities", {{identity_ids[c.identity.user_assigned], {{"principalId", principal_of(c.identity.user_assigned)}}}}}};
        break;
      case cmksim::IdentitySpec::Kind::kNone: identity = {{"type", "None"}}; break;
    }
    json props = json::object();
    if (c.double_encryption) props["isDoubleEncryptionEnabled"] = *c.double_encryption;
    if (c.key) {
      props["keyVaultProperties"] = {{"keyVaultUri", "https://" + c.key->vault + ".vault.azure.net"},
                                     {"keyName", c.key->key},
                                     {"keyVersion", c.key->version}};
    }
    list.push_back({{"id", cluster_ids[c.name]}, {"name", c.name}, {"type", "Microsoft.OperationalInsights/clusters"},
                    {"location", c.region}, {"identity", identity},
                    {"sku", {{"name", "CapacityReservation"}, {"capacity", c.capacity_gb_per_day}}},
                    {"properties", props}});
  }
  for (const auto& w : s.workspaces) {
    json props = {{"retentionInDays", w.retention_ms / cmksim::kMsPerDay}};
    if (!w.cluster.empty()) props["features"] = {{"clusterResourceId", cluster_ids[w.cluster]}};
    list.push_back({{"id", arm_id(w.subscription, "Microsoft.OperationalInsights/workspaces/" + w.name)},
                    {"name", w.name}, {"type", "Microsoft.OperationalInsights/workspaces"}, {"location", w.region},
                    {"properties", props}});
  }
  // As `az graph query` returns it: every row names its tenant.
  const std::map<std::string, std::string> tenants = [&] {
    std::map<std::string, std::string> t;
    for (const auto& v : s.key_vaults) t[v.name] = v.tenant;
    for (const auto& i : s.identities) t[i.name] = i.tenant;
    for (const auto& c : s.clusters) t[c.name] = c.tenant;
    for (const auto& w : s.workspaces) t[w.name] = w.tenant;
    return t;
  }();
  for (json& row : list) {
    const auto t = tenants.find(row["name"].get<std::string>());
    if (t != tenants.end()) row["tenantId"] = t->second;
  }
  return json{{"count", list.size()}, {"data", list}};
}

// What ARM can say about a scenario's resources, as text (grants sorted: their order carries no meaning).
std::string arm_facts(const Scenario& s) {
  std::ostringstream out;
  for (const auto& v : s.key_vaults) {
    out << "vault " << v.name << " " << v.region << " " << v.subscription << " " << v.tenant << " " << v.soft_delete
        << v.purge_protection << v.private_link << " " << (v.permission_model == cmksim::PermissionModel::kRbac) << "\n";
    for (const auto& k : v.keys) {
      out << "  key " << k.name;
      for (const auto& x : k.versions) out << " " << x;
      out << "\n";
    }
  }
  for (const auto& i : s.identities) out << "identity " << i.name << " " << i.tenant << "\n";
  for (const auto& c : s.clusters) {
    out << "cluster " << c.name << " " << c.region << " " << c.subscription << " " << c.tenant << " "
        << static_cast<int>(c.identity.kind) << c.identity.user_assigned << " " << c.capacity_gb_per_day << " "
        << (c.double_encryption ? (*c.double_encryption ? "de" : "no-de") : "de-default");
    if (c.key) out << " key " << c.key->vault << "/" << c.key->key << "/" << c.key->version;
    out << "\n";
  }
  std::vector<std::string> grants;
  for (const auto& g : s.grants) {
    grants.push_back("grant " + g.identity + " " + g.vault + " " + std::to_string(g.permissions));
  }
  std::sort(grants.begin(), grants.end());
  for (const auto& g : grants) out << g << "\n";
  for (const auto& w : s.workspaces) {
    out << "workspace " << w.name << " " << w.region << " " << w.subscription << " " << w.tenant << " " << w.cluster
        << " " << w.retention_ms << "\n";
  }
  return out.str();
}

}  // namespace

TEST_CASE("Import: a round trip of every shipped scenario's and template's resources through ARM JSON gives them back equal") {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CMKSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CMKSIM_SOURCE_DIR) + "/sim/cli/templates")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 20);
  for (const std::string& file : files) {
    const std::string name = std::filesystem::path(file).stem().string();
    INFO(name);
    const cmksim::Expected<cmksim::Scenario> original = cmksim::load_scenario_file(file);
    REQUIRE(original.ok());
    const Imported back = import_ok({text_doc(name + ".json", export_arm(*original).dump(2))});
    CHECK(arm_facts(back.scenario) == arm_facts(*original));
  }
}
