#include "sim/model/world.h"

namespace cmksim {

const KeyVersionState* KeyState::find_version(const std::string& version) const {
  for (const auto& v : versions) {
    if (v.name == version) return &v;
  }
  return nullptr;
}

const char* KeyState::state_name() const {
  if (purged) return "purged";
  if (deleted) return "deleted";
  return enabled ? "enabled" : "disabled";
}

KeyState* VaultState::find_key(const std::string& name) {
  for (auto& key : keys) {
    if (key.name == name && !key.purged) return &key;
  }
  return nullptr;
}

const KeyState* VaultState::find_key(const std::string& name) const {
  return const_cast<VaultState*>(this)->find_key(name);
}

const GrantState* VaultState::find_grant(const std::string& identity) const {
  for (const auto& grant : grants) {
    if (grant.identity == identity) return &grant;
  }
  return nullptr;
}

const char* storage_state_name(StorageState s) {
  switch (s) {
    case StorageState::kAvailable: return "available";
    case StorageState::kRevokePending: return "revoke_pending";
    case StorageState::kUnavailable: return "unavailable";
    case StorageState::kRecovering: return "recovering";
  }
  return "?";
}

const char* workspace_state_name(WorkspaceState s) {
  switch (s) {
    case WorkspaceState::kAvailable: return "available";
    case WorkspaceState::kUnavailable: return "unavailable";
    case WorkspaceState::kUnlinked: return "unlinked";
    case WorkspaceState::kDeleted: return "deleted";
  }
  return "?";
}

const char* lifecycle_name(Lifecycle l) {
  switch (l) {
    case Lifecycle::kProvisioning: return "provisioning";
    case Lifecycle::kSucceeded: return "succeeded";
    case Lifecycle::kUpdating: return "updating";
    case Lifecycle::kDeleting: return "deleting";
    case Lifecycle::kDeleted: return "deleted";
  }
  return "?";
}

std::string ClusterState::identity_name() const {
  switch (decl.identity.kind) {
    case IdentitySpec::Kind::kSystemAssigned: return "cluster:" + decl.name;
    case IdentitySpec::Kind::kUserAssigned: return decl.identity.user_assigned;
    case IdentitySpec::Kind::kNone: return "";
  }
  return "";
}

VaultState* World::find_vault(const std::string& name) {
  for (auto& vault : vaults) {
    if (vault.decl.name == name) return &vault;
  }
  return nullptr;
}

const VaultState* World::find_vault(const std::string& name) const {
  return const_cast<World*>(this)->find_vault(name);
}

// The newest cluster of that name: a name freed after a soft delete (C5) may
// be taken again by a new cluster.
int World::cluster_index(const std::string& name) const {
  for (std::size_t i = clusters.size(); i > 0; --i) {
    if (clusters[i - 1].decl.name == name) return static_cast<int>(i - 1);
  }
  return -1;
}

int World::workspace_index(const std::string& name) const {
  for (std::size_t i = 0; i < workspaces.size(); ++i) {
    if (workspaces[i].decl.name == name) return static_cast<int>(i);
  }
  return -1;
}

AccessVerdict World::access(const ClusterState& cluster, bool stale_version_revokes) const {
  AccessVerdict v;
  if (!cluster.decl.key) {
    v.granted = true;  // no CMK: nothing to revoke
    return v;
  }
  const KeyRef& ref = *cluster.decl.key;
  const VaultState* vault = nullptr;
  for (const auto& candidate : vaults) {
    if (candidate.decl.name == ref.vault) vault = &candidate;
  }
  if (vault == nullptr) return {false, "vault not found", ""};
  const std::string identity = cluster.identity_name();
  if (identity.empty()) return {false, "cluster identity is none", ""};  // D6, C6
  const GrantState* grant = vault->find_grant(identity);
  const std::uint8_t needed = kPermWrap | kPermUnwrap;
  if (grant == nullptr || (grant->permissions & needed) != needed) return {false, "access removed", ""};
  const KeyState* key = nullptr;
  for (const auto& candidate : vault->keys) {
    if (candidate.name == ref.key) key = &candidate;
  }
  if (key == nullptr) return {false, "key not found", ""};
  if (key->purged) return {false, "key purged", ""};
  if (key->deleted) return {false, "key deleted", ""};
  if (!key->enabled) return {false, "key disabled", ""};
  if (key->expired) return {false, "key expired", ""};
  // The version the storage wraps the AEK with at its next call: the newest
  // enabled one (R1, auto-rotation) or the configured one (R2).
  const KeyVersionState* target = nullptr;
  if (ref.version.empty()) {
    for (auto it = key->versions.rbegin(); it != key->versions.rend() && target == nullptr; ++it) {
      if (it->enabled) target = &*it;
    }
    if (target == nullptr) return {false, "no enabled key version", ""};
  } else {
    target = key->find_version(ref.version);
    if (target == nullptr) return {false, "key version not found", ""};
    if (!target->enabled) return {false, "key version disabled", ""};
    // R3 (pessimistic reading, off by default): a newer enabled version the
    // cluster has not been updated to is itself a permission change.
    if (stale_version_revokes && key->versions.back().enabled && key->versions.back().name != ref.version) {
      return {false, "key version stale (stale_version_revokes)", ""};
    }
  }
  // R3: until the storage re-wraps it, the AEK is wrapped by the version in
  // use, and unwrapping it needs that version.
  if (!cluster.wrapping_version.empty() && cluster.wrapping_version != target->name) {
    const KeyVersionState* in_use = key->find_version(cluster.wrapping_version);
    if (in_use == nullptr || !in_use->enabled) return {false, "key version in use disabled", ""};
  }
  return {true, "", target->name};
}

World build_world(const Scenario& scenario, std::uint64_t seed) {
  World world;
  for (const auto& decl : scenario.key_vaults) {
    VaultState vault;
    vault.decl = decl;
    for (const auto& key_decl : decl.keys) {
      KeyState key;
      key.name = key_decl.name;
      for (const auto& version : key_decl.versions) key.versions.push_back({version, true});
      vault.keys.push_back(std::move(key));
    }
    world.vaults.push_back(std::move(vault));
  }
  for (const auto& grant : scenario.grants) {
    world.find_vault(grant.vault)->grants.push_back({grant.identity, grant.permissions});
  }
  for (const auto& decl : scenario.clusters) {
    ClusterState cluster;
    cluster.decl = decl;
    cluster.rng = Rng::stream(seed, "kv/" + decl.name);
    world.clusters.push_back(std::move(cluster));
  }
  for (const auto& decl : scenario.workspaces) {
    const DailyShape shape = decl.daily_profile ? DailyShape(*decl.daily_profile, scenario.start_hour_of_day)
                                                : DailyShape();
    WorkspaceRuntime ws(decl, IngestionLedger(shape, decl.retention_ms), Rng::stream(seed, "queries/" + decl.name));
    if (!decl.cluster.empty()) {
      ws.cluster = world.cluster_index(decl.cluster);
      world.clusters[static_cast<std::size_t>(ws.cluster)].workspaces.push_back(
          static_cast<int>(world.workspaces.size()));
    }
    world.workspaces.push_back(std::move(ws));
  }
  return world;
}

}  // namespace cmksim
