#include "sim/model/simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/random/distributions.h"

namespace cmksim::detail {

OperationResult Simulation::apply_key_action(const EventDecl& e) {
  VaultState* vault = world_.find_vault(e.vault);
  if (vault == nullptr) return {404, "Vault '" + e.vault + "' not found"};
  KeyState* key = vault->find_key(e.key);
  if (key == nullptr) return {404, "Key '" + e.key + "' not found in vault '" + e.vault + "'"};
  const bool deleted = key->deleted;
  // Recover and purge act on a deleted key; every other action needs a live one.
  const bool on_deleted = e.action == Action::kRecoverKey || e.action == Action::kPurgeKey;
  if (deleted && !on_deleted) return {404, "Key '" + e.key + "' is deleted"};
  if (!deleted && on_deleted) return {409, "Key '" + e.key + "' is not deleted"};
  switch (e.action) {
    case Action::kDisableKey: key->enabled = false; break;
    case Action::kEnableKey: key->enabled = true; break;
    case Action::kExpireKey: key->expired = true; break;
    case Action::kDeleteKey:
      // Without soft delete a deletion is final (C2: such a vault's key is
      // "not recoverable").
      if (vault->decl.soft_delete) key->deleted = true; else key->purged = true;
      break;
    case Action::kRecoverKey: key->deleted = false; break;
    case Action::kPurgeKey:
      if (vault->decl.purge_protection) {
        return {403, "Operation 'purge' is not allowed because purge protection is enabled for this vault"};
      }
      key->purged = true;
      break;
    default: break;
  }
  states_.set("key", key_path(e.vault, e.key), key->state_name(), now());
  return {};
}

OperationResult Simulation::apply_version_action(const EventDecl& e) {
  VaultState* vault = world_.find_vault(e.vault);
  if (vault == nullptr) return {404, "Vault '" + e.vault + "' not found"};
  KeyState* key = vault->find_key(e.key);
  if (key == nullptr || key->deleted) return {404, "Key '" + e.key + "' not found in vault '" + e.vault + "'"};
  auto version = std::find_if(key->versions.begin(), key->versions.end(),
                              [&](const KeyVersionState& v) { return v.name == e.version; });
  if (e.action == Action::kAddKeyVersion) {
    if (version != key->versions.end()) return {409, "Key version '" + e.version + "' already exists"};
    key->versions.push_back({e.version, true});
    return {};
  }
  if (version == key->versions.end()) return {404, "Key version '" + e.version + "' not found"};
  version->enabled = e.action == Action::kEnableKeyVersion;
  return {};
}

// An identity is "cluster:NAME" (a cluster's system-assigned identity) or a
// user-assigned identity's name.
bool Simulation::identity_exists(const std::string& identity) const {
  if (identity.rfind("cluster:", 0) == 0) {
    const int c = world_.cluster_index(identity.substr(8));
    return c >= 0 && world_.clusters[static_cast<std::size_t>(c)].decl.identity.kind ==
                         IdentitySpec::Kind::kSystemAssigned;
  }
  return std::any_of(scenario_.identities.begin(), scenario_.identities.end(),
                     [&](const IdentityDecl& d) { return d.name == identity; });
}

OperationResult Simulation::grant_access(const EventDecl& e) {
  VaultState* vault = world_.find_vault(e.vault);
  if (vault == nullptr) return {404, "Vault '" + e.vault + "' not found"};
  if (!identity_exists(e.identity)) return {400, "Principal '" + e.identity + "' does not exist"};
  const std::uint8_t permissions = e.permissions.value_or(kAllPermissions);
  for (auto& grant : vault->grants) {
    if (grant.identity == e.identity) {
      grant.permissions = permissions;
      return {};
    }
  }
  vault->grants.push_back({e.identity, permissions});
  return {};
}

OperationResult Simulation::remove_access(const EventDecl& e) {
  VaultState* vault = world_.find_vault(e.vault);
  if (vault == nullptr) return {404, "Vault '" + e.vault + "' not found"};
  auto it = std::find_if(vault->grants.begin(), vault->grants.end(),
                         [&](const GrantState& g) { return g.identity == e.identity; });
  if (it == vault->grants.end()) return {404, "No access granted to '" + e.identity + "' on vault '" + e.vault + "'"};
  vault->grants.erase(it);
  return {};
}

OperationResult Simulation::kv_outage(const EventDecl& e) {
  const int v = vault_index(e.vault);
  if (v < 0) return {404, "Vault '" + e.vault + "' not found"};
  VaultState& vault = world_.vaults[static_cast<std::size_t>(v)];
  if (!vault.in_fault(now())) vault.fault_since_ms = now();
  vault.fault_until_ms = std::max(vault.fault_until_ms, now() + e.for_ms);
  vault.fault = e.fault;
  if (e.for_ms > 0) {
    states_.set("vault", vault.decl.name, "fault", now());
    engine_.schedule_at(vault.fault_until_ms, Event{EventKind::kOutageEnd, static_cast<std::uint32_t>(v), 0});
    if (profile_.kv_outage_unavailable_after_ms > 0) {  // D13: the 2020 profile's live-site behaviour
      engine_.schedule_at(vault.fault_since_ms + profile_.kv_outage_unavailable_after_ms,
                          Event{EventKind::kOutageThreshold, static_cast<std::uint32_t>(v), 0});
    }
  }
  return {200, "vault unreachable (" + e.fault + ") for " + format_duration(e.for_ms)};
}

void Simulation::on_outage_end(std::uint32_t v) {
  VaultState& vault = world_.vaults[v];
  if (vault.in_fault(now())) return;  // extended by a later outage
  states_.set("vault", vault.decl.name, "reachable", now());
  // D13: for the storage an outage is over when the vault answers again
  for (Cluster& cl : world_.clusters) {
    if (cl.buffering_incident() && cl.decl.key->vault == vault.decl.name) incident_of(cl).restored_ms = now();
  }
}

}  // namespace cmksim::detail
