// Key Vault resources into the estate: vaults (C2 soft delete and purge
// protection, C7 permission model, C6 private link), keys and their versions
// (R1 R2), and grants (C7) from access policies and from role assignments of
// the Key Vault Crypto Service Encryption User role.
#include <algorithm>
#include <ctime>
#include <tuple>

#include "sim/core/text.h"
#include "sim/import/arm_json.h"
#include "sim/import/estate_builder.h"

namespace cmksim::import::detail {
namespace {

using nlohmann::json;

// Key Vault Crypto Service Encryption User: what a cluster's identity needs under RBAC (C7).
constexpr const char* kCryptoServiceEncryptionUser = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

std::uint8_t key_permissions(const json& policy) {
  const json* keys = path(policy, {"permissions", "keys"});
  std::uint8_t p = 0;
  if (keys == nullptr || !keys->is_array()) return p;
  for (const json& k : *keys) {
    if (!k.is_string()) continue;
    const std::string s = lower(k.get<std::string>());
    if (s == "get" || s == "all") p |= kPermGet;
    if (s == "wrapkey" || s == "all") p |= kPermWrap;
    if (s == "unwrapkey" || s == "all") p |= kPermUnwrap;
  }
  return p;
}

std::string iso_time(long long epoch_s) {
  const std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

KeyDecl* find_key(VaultDecl& v, const std::string& name) {
  for (KeyDecl& k : v.keys) {
    if (iequals(k.name, name)) return &k;
  }
  return nullptr;
}

struct VersionFact {
  long long created = 0;
  std::string name;
  bool enabled = true;
};

EventDecl disable_event(Action action, const std::string& vault, const std::string& key, const std::string& version) {
  EventDecl e;
  e.at_ms = 0;
  e.action = action;
  e.vault = vault;
  e.key = key;
  e.version = version;
  return e;
}

}  // namespace

void Builder::read_vaults() {
  for (const ArmResource* r : of_type(resources, "microsoft.keyvault/vaults")) {
    const std::string azure = display_name(*r);
    const std::string name = name_for(vault_names, "key_vaults", lower(azure), azure, "");
    if (vault(name) != nullptr) continue;
    const json empty = json::object();
    const json* p = member(r->body, "properties");
    const json& props = p != nullptr ? *p : empty;
    VaultDecl v;
    v.name = name;
    v.region = normalize_region(string_member(r->body, "location"));
    v.subscription = r->id.subscription;
    if (const std::string t = tenant_of(*r, &props); !t.empty()) v.tenant = t;
    const json* soft = member(props, "enableSoftDelete");
    v.soft_delete = soft == nullptr || !soft->is_boolean() || soft->get<bool>();
    if (soft == nullptr || !soft->is_boolean()) {
      assume(comment_key("key_vaults", name, "soft_delete"),
             "assumed: on (ARM gave no enableSoftDelete; Azure turns it on for every vault)");
    }
    const json* purge = member(props, "enablePurgeProtection");
    v.purge_protection = purge != nullptr && purge->is_boolean() && purge->get<bool>();
    const json* rbac = member(props, "enableRbacAuthorization");
    v.permission_model = rbac != nullptr && rbac->is_boolean() && rbac->get<bool>() ? PermissionModel::kRbac
                                                                                     : PermissionModel::kAccessPolicy;
    if (const json* pe = member(props, "privateEndpointConnections"); pe != nullptr && pe->is_array() && !pe->empty()) {
      v.private_link = true;
      comment(comment_key("key_vaults", name, "private_link"),
              std::to_string(pe->size()) + " private endpoint connection" + (pe->size() == 1 ? "" : "s") +
                  ", public network access " +
                  (string_member(props, "publicNetworkAccess").empty() ? "not stated"
                                                                       : string_member(props, "publicNetworkAccess")));
    }
    if (const json* policies = member(props, "accessPolicies"); policies != nullptr && policies->is_array()) {
      std::vector<AccessPolicy>& list = access_policies[name];
      for (std::size_t i = 0; i < policies->size(); ++i) {
        const json& policy = (*policies)[i];
        list.push_back(AccessPolicy{lower(string_member(policy, "objectId")), key_permissions(policy),
                                    r->file + " " + pointer_child(r->pointer + "/properties/accessPolicies", i)});
      }
    }
    vault_ids[name] = r->id.key();
    estate.scenario.key_vaults.push_back(std::move(v));
  }
}

void Builder::read_keys() {
  std::map<std::string, std::vector<VersionFact>> versions;  // "vault\x1fkey" -> what version resources say
  const auto key_of = [&](const ArmResource& r) -> std::pair<VaultDecl*, KeyDecl*> {
    VaultDecl& v = vault_by_reference(r.id.segments[0].second, "the ID of " + r.where(), nullptr);
    if (v.subscription.empty()) v.subscription = r.id.subscription;
    const std::string key_name = r.id.segments[1].second;
    KeyDecl* k = find_key(v, key_name);
    if (k == nullptr) {
      KeyDecl decl;
      decl.name = valid_scenario_name(key_name);
      if (decl.name != key_name) {
        comment(comment_key("key_vaults", v.name, "keys\x1f" + decl.name), "Azure name \"" + one_line(key_name) + "\"");
      }
      v.keys.push_back(decl);
      k = &v.keys.back();
    }
    return {&v, k};
  };
  for (const ArmResource* r : of_type(resources, "microsoft.keyvault/vaults/keys")) {
    auto [v, k] = key_of(*r);
    const std::string vault_name = v->name;
    const std::string key_name = k->name;
    const json* props = member(r->body, "properties");
    const json empty = json::object();
    const std::string current = key_from_uri(string_member(props ? *props : empty, "keyUriWithVersion")).second;
    if (!current.empty()) current_versions[vault_name + "/" + key_name] = current;
    const json* attributes = props != nullptr ? member(*props, "attributes") : nullptr;
    const json* enabled = attributes != nullptr ? member(*attributes, "enabled") : nullptr;
    if (enabled != nullptr && enabled->is_boolean() && !enabled->get<bool>()) {
      estate.scenario.events.push_back(disable_event(Action::kDisableKey, vault_name, key_name, ""));
      comment(comment_key("key_vaults", vault_name, "keys\x1f" + key_name), "disabled in Azure: an event at 0 disables it");
    }
    const json* exp = attributes != nullptr ? member(*attributes, "exp") : nullptr;
    if (exp != nullptr && exp->is_number_integer()) {
      const std::string when = iso_time(exp->get<long long>());
      comment(comment_key("key_vaults", vault_name, "keys\x1f" + key_name),
              "expires " + when + ": an expire_key event at that time from the start simulates it (R3)");
      estate.notes.push_back("key " + vault_name + "/" + key_name + " expires " + when +
                             ": add an expire_key event at that time from the start to simulate it (R3)");
    }
  }
  for (const ArmResource* r : of_type(resources, "microsoft.keyvault/vaults/keys/versions")) {
    auto [v, k] = key_of(*r);
    const json* attributes = path(r->body, {"properties", "attributes"});
    VersionFact f;
    f.name = r->id.segments[2].second;
    if (const json* created = attributes ? member(*attributes, "created") : nullptr; created && created->is_number_integer()) {
      f.created = created->get<long long>();
    }
    if (const json* enabled = attributes ? member(*attributes, "enabled") : nullptr; enabled && enabled->is_boolean()) {
      f.enabled = enabled->get<bool>();
    }
    versions[v->name + "\x1f" + k->name].push_back(f);
  }
  for (VaultDecl& v : estate.scenario.key_vaults) {
    for (KeyDecl& k : v.keys) {
      std::vector<VersionFact> facts = versions[v.name + "\x1f" + k.name];
      std::stable_sort(facts.begin(), facts.end(), [](const VersionFact& a, const VersionFact& b) {
        return std::tie(a.created, a.name) < std::tie(b.created, b.name);
      });
      const auto current = current_versions.find(v.name + "/" + k.name);
      for (const VersionFact& f : facts) {
        if (current != current_versions.end() && iequals(f.name, current->second)) continue;  // the newest: last
        k.versions.push_back(f.name);
        if (!f.enabled) {
          estate.scenario.events.push_back(disable_event(Action::kDisableKeyVersion, v.name, k.name, f.name));
        }
      }
      if (current != current_versions.end()) k.versions.push_back(current->second);
      if (k.versions.empty()) {
        k.versions.push_back("v1");
        assume(comment_key("key_vaults", v.name, "keys\x1f" + k.name),
               "assumed: one version, v1 (ARM named none; a cluster using a version adds it)");
      }
    }
  }
}

VaultDecl& Builder::vault_by_reference(const std::string& azure_name, const std::string& because,
                                       const ClusterDecl* user) {
  if (const std::string* known = vault_names.find(lower(azure_name))) {
    VaultDecl& v = *vault(*known);
    if (user != nullptr && assumed_vaults.count(v.name) != 0 && v.region.empty()) {
      v.region = user->region;
      assume(comment_key("key_vaults", v.name, "region"), "assumed: the region of cluster " + user->name + " (C3)");
    }
    return v;
  }
  const std::string name = name_for(vault_names, "key_vaults", lower(azure_name), azure_name, "");
  VaultDecl v;
  v.name = name;
  v.soft_delete = true;
  v.purge_protection = true;
  v.permission_model = PermissionModel::kRbac;
  if (user != nullptr) {
    v.region = user->region;
    v.subscription = user->subscription;
    v.tenant = user->tenant;
  }
  assumed_vaults.insert(name);
  assume(comment_key("key_vaults", name), "not in the input, known only from " + because);
  if (user != nullptr) {
    assume(comment_key("key_vaults", name, "region"), "assumed: the region of cluster " + user->name + " (C3)");
    assume(comment_key("key_vaults", name, "subscription"), "assumed: the subscription of cluster " + user->name);
  }
  assume(comment_key("key_vaults", name, "soft_delete"), "assumed: on, as a customer-managed key requires (C2)");
  assume(comment_key("key_vaults", name, "purge_protection"), "assumed: on, as a customer-managed key requires (C2)");
  assume(comment_key("key_vaults", name, "permission_model"), "assumed: rbac (export the vault to know)");
  estate.scenario.key_vaults.push_back(std::move(v));
  return estate.scenario.key_vaults.back();
}

KeyDecl& Builder::key_by_reference(VaultDecl& v, const std::string& key_name, const std::string& version,
                                   const std::string& because) {
  KeyDecl* k = find_key(v, key_name);
  const std::string where = comment_key("key_vaults", v.name, "keys\x1f" + (k ? k->name : valid_scenario_name(key_name)));
  if (k == nullptr) {
    KeyDecl decl;
    decl.name = valid_scenario_name(key_name);
    decl.versions.push_back(version.empty() ? "v1" : version);
    v.keys.push_back(decl);
    assume(where, "not in the input, known only from " + because +
                      (version.empty() ? "; assumed: one version, v1 (ARM names none)"
                                       : "; assumed: " + version + " is its newest version (ARM names only it)"));
    return v.keys.back();
  }
  const bool known = version.empty() || std::any_of(k->versions.begin(), k->versions.end(),
                                                    [&](const std::string& x) { return iequals(x, version); });
  if (known) return *k;
  const auto current = current_versions.find(v.name + "/" + k->name);
  if (current != current_versions.end()) {
    k->versions.insert(k->versions.end() - 1, version);
    assume(where, "assumed: version " + version + " (from " + because + ") is older than the current " +
                      current->second);
  } else {
    if (k->versions.size() == 1 && k->versions[0] == "v1") k->versions.clear();  // v1 was only a placeholder
    k->versions.push_back(version);
    assume(where, "assumed: version " + version + " (from " + because + ") is the newest");
  }
  return *k;
}

void Builder::add_grant(const std::string& identity, const std::string& vault_name, std::uint8_t permissions) {
  for (GrantDecl& g : estate.scenario.grants) {
    if (g.identity == identity && g.vault == vault_name) {
      g.permissions |= permissions;
      return;
    }
  }
  GrantDecl g;
  g.identity = identity;
  g.vault = vault_name;
  g.permissions = permissions;
  estate.scenario.grants.push_back(g);
}

void Builder::read_grants() {
  for (const VaultDecl& v : estate.scenario.key_vaults) {
    const auto policies = access_policies.find(v.name);
    if (policies == access_policies.end() || policies->second.empty()) continue;
    if (v.permission_model == PermissionModel::kRbac) {
      warn("vault " + v.name + ": its access policies are ignored: it uses Azure RBAC (C7)");
      continue;
    }
    int unknown = 0;
    for (const AccessPolicy& p : policies->second) {
      const auto identity = principals.find(p.principal);
      if (identity == principals.end()) {
        ++unknown;
      } else if (p.permissions == 0) {
        warn(p.where + ": the access policy of " + identity->second + " gives no get, wrapKey or unwrapKey: no grant");
      } else {
        add_grant(identity->second, v.name, p.permissions);
      }
    }
    if (unknown > 0) {
      estate.notes.push_back("vault " + v.name + ": " + std::to_string(unknown) + " access polic" +
                             (unknown == 1 ? "y" : "ies") +
                             " of principals not in the input (users, groups, applications) skipped");
    }
  }
  int other_roles = 0;
  int unknown_principals = 0;
  for (const ArmResource* r : of_type(resources, "microsoft.authorization/roleassignments")) {
    const json empty = json::object();
    const json* p = member(r->body, "properties");
    const json& props = p != nullptr ? *p : empty;
    if (lower(string_member(props, "roleDefinitionId")).find(kCryptoServiceEncryptionUser) == std::string::npos) {
      ++other_roles;
      continue;
    }
    const auto identity = principals.find(lower(string_member(props, "principalId")));
    if (identity == principals.end()) {
      ++unknown_principals;
      continue;
    }
    std::string scope = string_member(props, "scope");
    if (scope.empty()) scope = r->id.scope;
    std::string scope_key = lower(scope);
    while (!scope_key.empty() && scope_key.back() == '/') scope_key.pop_back();
    for (const auto& [vault_name, vault_key] : vault_ids) {
      const bool above = vault_key.rfind(scope_key + "/", 0) == 0 || vault_key == scope_key;
      const bool below = scope_key.rfind(vault_key + "/", 0) == 0;  // a key of the vault: the scenario grants per vault
      if (!above && !below) continue;
      if (vault(vault_name)->permission_model != PermissionModel::kRbac) {
        warn(r->where() + ": a role assignment on vault " + vault_name + ", which uses access policies: ignored (C7)");
        continue;
      }
      add_grant(identity->second, vault_name, kAllPermissions);
    }
  }
  if (other_roles > 0) {
    estate.notes.push_back("skipped " + std::to_string(other_roles) + " role assignment" + (other_roles == 1 ? "" : "s") +
                           " of roles other than Key Vault Crypto Service Encryption User");
  }
  if (unknown_principals > 0) {
    estate.notes.push_back("skipped " + std::to_string(unknown_principals) + " crypto role assignment" +
                           (unknown_principals == 1 ? "" : "s") + " of principals not in the input");
  }
  // A cluster whose vault is known only from its key URI could use the key when it was set (C2).
  for (const ClusterDecl& c : estate.scenario.clusters) {
    if (!c.key || assumed_vaults.count(c.key->vault) == 0) continue;
    std::string identity;
    if (c.identity.kind == IdentitySpec::Kind::kSystemAssigned) identity = "cluster:" + c.name;
    if (c.identity.kind == IdentitySpec::Kind::kUserAssigned) identity = c.identity.user_assigned;
    if (identity.empty()) continue;
    add_grant(identity, c.key->vault, kAllPermissions);
    assume(comment_key("grants", identity + "\x1f" + c.key->vault),
           "assumed: " + identity + " may use vault " + c.key->vault + " (Azure checked it when the key was set, C2)");
  }
}

}  // namespace cmksim::import::detail
