#include "sim/model/world.h"

namespace cmksim {

const char* key_state_name(const KeyInfo& key) {
  if (key.purged) return "purged";
  if (key.deleted) return "deleted";
  return key.enabled ? "enabled" : "disabled";
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

std::string identity_name(const ResourceGraph& graph, Vertex cluster) {
  const IdentitySpec& identity = graph.cluster_info(cluster).identity;
  switch (identity.kind) {
    case IdentitySpec::Kind::kSystemAssigned: return "cluster:" + graph.node(cluster).name;
    case IdentitySpec::Kind::kUserAssigned: return identity.user_assigned;
    case IdentitySpec::Kind::kNone: return "";
  }
  return "";
}

// The newest cluster of that name: a name freed after a soft delete (C5) may
// be taken again by a new cluster.
int World::cluster_index(const ResourceGraph& graph, const std::string& name) const {
  const auto v = graph.find(NodeKind::kCluster, name);  // the newest of that name
  return v ? cluster_of(*v) : -1;
}

int World::cluster_of(Vertex vertex) const {
  for (std::size_t i = clusters.size(); i > 0; --i) {
    if (clusters[i - 1].vertex == vertex) return static_cast<int>(i - 1);
  }
  return -1;
}

int World::workspace_index(const std::string& name) const {
  for (std::size_t i = 0; i < workspaces.size(); ++i) {
    if (workspaces[i].decl.name == name) return static_cast<int>(i);
  }
  return -1;
}

void bind_key(const ResourceGraph& graph, ClusterState& cluster) {
  if (cluster.bound.valid) return;
  KeyBinding b;
  b.valid = true;
  const ClusterInfo& config = graph.cluster_info(cluster.vertex);
  if (config.key) {
    const KeyRef& ref = *config.key;
    b.vault = graph.find(NodeKind::kVault, ref.vault);
    if (b.vault) b.key = graph.find(NodeKind::kKey, ref.vault + "/" + ref.key);
  }
  // By name: a re-created cluster's system-assigned identity is the one
  // its name had before (C5), with its grants.
  const std::string identity = identity_name(graph, cluster.vertex);
  if (!identity.empty()) b.identity = graph.find(NodeKind::kIdentity, identity);
  cluster.bound = b;
}

namespace {

// The version named `name` among a key's versions, if any.
std::optional<Vertex> find_version(const ResourceGraph& graph, const KeyInfo& key, const std::string& name) {
  for (const Vertex v : key.versions) {
    if (graph.version_info(v).version == name) return v;
  }
  return std::nullopt;
}

}  // namespace

AccessVerdict access(const ResourceGraph& graph, const ClusterState& cluster, bool stale_version_revokes) {
  AccessVerdict v;
  const ClusterInfo& config = graph.cluster_info(cluster.vertex);
  if (!config.key) {
    v.granted = true;  // no CMK: nothing to revoke
    return v;
  }
  const KeyRef& ref = *config.key;
  const KeyBinding& b = cluster.bound;
  if (!b.vault) return {false, "vault not found", ""};
  if (config.identity.kind == IdentitySpec::Kind::kNone) return {false, "cluster identity is none", ""};  // D6, C6
  const auto grant = b.identity ? graph.grant_of(*b.identity, *b.vault) : std::nullopt;
  const std::uint8_t needed = kPermWrap | kPermUnwrap;
  if (!grant || (*grant & needed) != needed) return {false, "access removed", ""};
  if (!b.key) return {false, "key not found", ""};
  const KeyInfo& key = graph.key_info(*b.key);
  if (key.purged) return {false, "key purged", ""};
  if (key.deleted) return {false, "key deleted", ""};
  if (!key.enabled) return {false, "key disabled", ""};
  if (key.expired) return {false, "key expired", ""};
  // The version the storage wraps the AEK with at its next call: the newest
  // enabled one (R1, auto-rotation) or the configured one (R2).
  const VersionInfo* target = nullptr;
  if (ref.version.empty()) {
    for (auto it = key.versions.rbegin(); it != key.versions.rend() && target == nullptr; ++it) {
      if (graph.version_info(*it).enabled) target = &graph.version_info(*it);
    }
    if (target == nullptr) return {false, "no enabled key version", ""};
  } else {
    const auto found = find_version(graph, key, ref.version);
    if (!found) return {false, "key version not found", ""};
    target = &graph.version_info(*found);
    if (!target->enabled) return {false, "key version disabled", ""};
    // R3 (pessimistic reading, off by default): a newer enabled version the
    // cluster has not been updated to is itself a permission change.
    const VersionInfo& newest = graph.version_info(key.versions.back());
    if (stale_version_revokes && newest.enabled && newest.version != ref.version) {
      return {false, "key version stale (stale_version_revokes)", ""};
    }
  }
  // R3: until the storage re-wraps it, the AEK is wrapped by the version in
  // use, and unwrapping it needs that version.
  if (!cluster.wrapping_version.empty() && cluster.wrapping_version != target->version) {
    const auto in_use = find_version(graph, key, cluster.wrapping_version);
    if (!in_use || !graph.version_info(*in_use).enabled) return {false, "key version in use disabled", ""};
  }
  return {true, "", target->version};
}

World build_world(const Scenario& scenario, std::uint64_t seed, const ResourceGraph& graph) {
  World world;
  for (const auto& decl : scenario.clusters) {
    ClusterState cluster;
    cluster.vertex = *graph.find(NodeKind::kCluster, decl.name);  // declared names are unique
    cluster.rng = Rng::stream(seed, "kv/" + decl.name);
    world.clusters.push_back(std::move(cluster));
  }
  for (const auto& decl : scenario.workspaces) {
    const DailyShape shape(decl.daily_profile, decl.weekly_profile, scenario.start_hour_of_day, scenario.start_weekday);
    WorkspaceRuntime ws(decl, IngestionLedger(shape, decl.retention_ms), Rng::stream(seed, "queries/" + decl.name));
    if (!decl.cluster.empty()) {
      ws.cluster = world.cluster_index(graph, decl.cluster);
      world.clusters[static_cast<std::size_t>(ws.cluster)].workspaces.push_back(
          static_cast<int>(world.workspaces.size()));
    }
    world.workspaces.push_back(std::move(ws));
  }
  return world;
}

}  // namespace cmksim
