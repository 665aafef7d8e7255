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

// Key Vault actions change the graph at acceptance: the model decides the
// answer, the graph holds the state.
OperationResult Simulation::apply_key_action(const EventDecl& e) {
  if (!graph_.find(NodeKind::kVault, e.vault)) return {404, "Vault '" + e.vault + "' not found"};
  const auto k = graph_.find(NodeKind::kKey, key_path(e.vault, e.key));
  if (!k || graph_.key_info(*k).purged) return {404, "Key '" + e.key + "' not found in vault '" + e.vault + "'"};
  const KeyInfo& key = graph_.key_info(*k);
  const bool deleted = key.deleted;
  // Recover and purge act on a deleted key; every other action needs a live one.
  const bool on_deleted = e.action == Action::kRecoverKey || e.action == Action::kPurgeKey;
  if (deleted && !on_deleted) return {404, "Key '" + e.key + "' is deleted"};
  if (!deleted && on_deleted) return {409, "Key '" + e.key + "' is not deleted"};
  if (e.action == Action::kPurgeKey && graph_.vault_info(key.vault).purge_protection) {
    return {403, "Operation 'purge' is not allowed because purge protection is enabled for this vault"};
  }
  // Without soft delete a deletion is final (C2: such a vault's key is "not
  // recoverable"): the graph marks it purged at once.
  applied(graph_.set_key_state(e.vault, e.key, e.action, now()));
  states_.set("key", key_path(e.vault, e.key), key_state_name(key), now());
  return {};
}

OperationResult Simulation::apply_version_action(const EventDecl& e) {
  if (!graph_.find(NodeKind::kVault, e.vault)) return {404, "Vault '" + e.vault + "' not found"};
  const auto k = graph_.find(NodeKind::kKey, key_path(e.vault, e.key));
  if (!k || graph_.key_info(*k).purged || graph_.key_info(*k).deleted) {
    return {404, "Key '" + e.key + "' not found in vault '" + e.vault + "'"};
  }
  const bool exists = graph_.find(NodeKind::kVersion, key_path(e.vault, e.key) + "/" + e.version).has_value();
  if (e.action == Action::kAddKeyVersion) {
    if (exists) return {409, "Key version '" + e.version + "' already exists"};
    applied(graph_.add_key_version(e.vault, e.key, e.version, now()));
    return {};
  }
  if (!exists) return {404, "Key version '" + e.version + "' not found"};
  applied(graph_.set_version_enabled(e.vault, e.key, e.version, e.action == Action::kEnableKeyVersion, now()));
  return {};
}

// An identity is "cluster:NAME" (a cluster's system-assigned identity) or a
// user-assigned identity's name.
bool Simulation::identity_exists(const std::string& identity) const {
  if (identity.rfind("cluster:", 0) == 0) {
    const int c = cluster_index(identity.substr(8));
    return c >= 0 && config(world_.clusters[static_cast<std::size_t>(c)]).identity.kind ==
                         IdentitySpec::Kind::kSystemAssigned;
  }
  return std::any_of(scenario_.identities.begin(), scenario_.identities.end(),
                     [&](const IdentityDecl& d) { return d.name == identity; });
}

OperationResult Simulation::grant_access(const EventDecl& e) {
  if (!graph_.find(NodeKind::kVault, e.vault)) return {404, "Vault '" + e.vault + "' not found"};
  if (!identity_exists(e.identity)) return {400, "Principal '" + e.identity + "' does not exist"};
  applied(graph_.add_grant(e.identity, e.vault, e.permissions.value_or(kAllPermissions), now()));  // replaces one there
  return {};
}

OperationResult Simulation::remove_access(const EventDecl& e) {
  const auto vault = graph_.find(NodeKind::kVault, e.vault);
  if (!vault) return {404, "Vault '" + e.vault + "' not found"};
  const auto identity = graph_.find(NodeKind::kIdentity, e.identity);
  if (!identity || !graph_.grant_of(*identity, *vault)) {
    return {404, "No access granted to '" + e.identity + "' on vault '" + e.vault + "'"};
  }
  applied(graph_.remove_grant(e.identity, e.vault, now()));
  return {};
}

OperationResult Simulation::kv_outage(const EventDecl& e) {
  const auto v = graph_.find(NodeKind::kVault, e.vault);
  if (!v) return {404, "Vault '" + e.vault + "' not found"};
  applied(graph_.vault_outage(e.vault, now(), e.for_ms, e.fault));
  const VaultInfo& vault = graph_.vault_info(*v);
  const auto index = static_cast<std::uint32_t>(graph_.node(*v).detail);
  if (e.for_ms > 0) {
    states_.set("vault", e.vault, "fault", now());
    engine_.schedule_at(vault.fault_until_ms, Event{EventKind::kOutageEnd, index, 0});
    if (profile_.kv_outage_unavailable_after_ms > 0) {  // D13: the 2020 profile's live-site behaviour
      engine_.schedule_at(vault.fault_since_ms + profile_.kv_outage_unavailable_after_ms,
                          Event{EventKind::kOutageThreshold, index, 0});
    }
  }
  return {200, "vault unreachable (" + e.fault + ") for " + format_duration(e.for_ms)};
}

void Simulation::on_outage_end(std::uint32_t v) {
  const VaultInfo& vault = graph_.vault_at(v);
  if (vault.in_fault(now())) return;  // extended by a later outage
  const std::string& name = graph_.node(vault.vertex).name;
  states_.set("vault", name, "reachable", now());
  // D13: for the storage an outage is over when the vault answers again
  for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) {
    Cluster& cl = cluster(c);
    if (key_vault_index(c) != static_cast<int>(v)) continue;
    if (cl.buffering_incident()) incident_of(cl).restored_ms = now();
    if (cl.outage_row >= 0) record_.incidents[static_cast<std::size_t>(cl.outage_row)].restored_ms = now();
  }
}

}  // namespace cmksim::detail
