// The resource graph's mutations, one per kind of scenario event, and
// graph_at (the scenario's events applied to the graph on its own). Each
// refuses what it cannot apply with a Status; the model decides the
// service's answers and calls them when a change takes effect.
#include <algorithm>
#include <string>

#include "sim/core/text.h"
#include "sim/graph/resource_graph.h"

namespace cmksim {

bool valid_cluster_name(const std::string& name) {
  if (name.size() < 3 || name.size() > 63) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
  });
}

bool identity_locked(const IdentitySpec& current) { return current.kind == IdentitySpec::Kind::kNone; }

bool identity_needs_key_removed(const IdentitySpec& current, const IdentitySpec& next, bool has_key) {
  return current.kind == IdentitySpec::Kind::kUserAssigned && next.kind == IdentitySpec::Kind::kSystemAssigned &&
         has_key;
}


Expected<std::pair<Vertex, Vertex>> ResourceGraph::grant_edge(const std::string& identity, const std::string& vault,
                                                              std::uint8_t permissions, SourcePos pos) {
  const auto v = find(NodeKind::kVault, vault);
  if (!v) return Error("vault '" + vault + "' not found");
  const auto id = identity_vertex(identity, true);
  if (!id) return Error("identity '" + identity + "' not found");
  if (g_[*id].pos.line == 0) g_[*id].pos = pos;
  add_edge_once(*id, *v, {EdgeKind::kGrant, granted_permissions(*v, permissions), false});
  return std::make_pair(*id, *v);
}

// C7 (Resolved): in an rbac vault a grant is a role assignment of the crypto
// service encryption role, which gives Get, Wrap Key and Unwrap Key: a
// permissions list there changes nothing.
std::uint8_t ResourceGraph::granted_permissions(Vertex vault, std::uint8_t asked) const {
  return vaults_[g_[vault].detail].permission_model == PermissionModel::kRbac ? kAllPermissions : asked;
}

// Key Vault replaces the identity's (first) policy, or adds one.
Status ResourceGraph::add_grant(const std::string& identity, const std::string& vault, std::uint8_t permissions,
                                     TimeMs t, SourcePos pos) {
  tick(t);
  const Expected<std::pair<Vertex, Vertex>> edge = grant_edge(identity, vault, permissions, pos);
  if (!edge) return edge.status();
  std::vector<AccessPolicy>& policies = vaults_[g_[edge->second].detail].policies;
  const auto it = std::find_if(policies.begin(), policies.end(),
                               [&](const AccessPolicy& p) { return p.identity == edge->first; });
  const std::uint8_t granted = granted_permissions(edge->second, permissions);
  if (it != policies.end()) {
    it->permissions = granted;
  } else {
    policies.push_back({edge->first, granted});
  }
  return {};
}

// Key Vault removes the identity's first policy; the graph, its grant edge.
Status ResourceGraph::remove_grant(const std::string& identity, const std::string& vault, TimeMs t) {
  tick(t);
  const auto v = find(NodeKind::kVault, vault);
  const auto id = find(NodeKind::kIdentity, identity);
  if (!v || !id) return Error("no grant of '" + identity + "' on vault '" + vault + "'");
  remove_edges(*id, *v, EdgeKind::kGrant);
  std::vector<AccessPolicy>& policies = vaults_[g_[*v].detail].policies;
  const auto it = std::find_if(policies.begin(), policies.end(), [&](const AccessPolicy& p) { return p.identity == *id; });
  if (it != policies.end()) policies.erase(it);
  return {};
}

void ResourceGraph::close_link(WorkspaceInfo& w, TimeMs t) {
  if (!w.cluster) return;
  const Vertex cluster = *w.cluster;
  w.links.back().to_ms = t;
  remove_edges(w.vertex, cluster, EdgeKind::kLink);
  w.cluster.reset();
  const ClusterInfo& c = clusters_[g_[cluster].detail];
  // D12: what it ingested while linked stays in the cluster's storage.
  if (!c.deleted && w.links.back().from_ms < t) add_edge_once(w.vertex, c.storage, {EdgeKind::kData, 0, false});
  refresh_state(w.vertex);
}

Status ResourceGraph::link_workspace(const std::string& workspace, const std::string& cluster, TimeMs t) {
  tick(t);
  const auto w = find(NodeKind::kWorkspace, workspace);
  if (!w) return Error("workspace '" + workspace + "' not found");
  const auto c = find(NodeKind::kCluster, cluster);
  if (!c || clusters_[g_[*c].detail].deleted) return Error("cluster '" + cluster + "' not found");
  WorkspaceInfo& info = workspaces_[g_[*w].detail];
  if (info.deleted) return Error("workspace '" + workspace + "' not found");
  if (info.cluster == c) return Error("workspace '" + workspace + "' is already linked to '" + cluster + "'");
  if (info.cluster) return Error("workspace '" + workspace + "' is linked to another cluster (W1)");
  if (g_[*w].region != g_[*c].region || g_[*w].tenant != g_[*c].tenant) {
    return Error("Key Vault, cluster and linked workspaces must share region and tenant (C3)");
  }
  info.links.push_back({*c, t, kOpenEnd});
  info.cluster = *c;
  remove_edges(*w, clusters_[g_[*c].detail].storage, EdgeKind::kData);
  add_edge_once(*w, *c, {EdgeKind::kLink, 0, false});
  refresh_state(*w);
  return {};
}

Status ResourceGraph::unlink_workspace(const std::string& workspace, TimeMs t) {
  tick(t);
  const auto w = find(NodeKind::kWorkspace, workspace);
  if (!w) return Error("workspace '" + workspace + "' not found");
  WorkspaceInfo& info = workspaces_[g_[*w].detail];
  if (info.deleted) return Error("workspace '" + workspace + "' not found");
  if (!info.cluster) return Error("workspace '" + workspace + "' is not linked");
  close_link(info, t);
  return {};
}

Status ResourceGraph::delete_workspace(const std::string& workspace, TimeMs t) {
  tick(t);
  const auto w = find(NodeKind::kWorkspace, workspace);
  if (!w || workspaces_[g_[*w].detail].deleted) return Error("workspace '" + workspace + "' not found");
  workspaces_[g_[*w].detail].deleted = true;  // W3: soft delete, links kept
  refresh_state(*w);
  return {};
}

Status ResourceGraph::restore_workspace(const std::string& workspace, TimeMs t) {
  tick(t);
  const auto w = find(NodeKind::kWorkspace, workspace);
  if (!w) return Error("workspace '" + workspace + "' not found");
  if (!workspaces_[g_[*w].detail].deleted) return Error("workspace '" + workspace + "' is not deleted");
  workspaces_[g_[*w].detail].deleted = false;  // W3: back, still linked
  refresh_state(*w);
  return {};
}

Status ResourceGraph::set_ingestion(const std::string& workspace, double gb_per_day, TimeMs t) {
  tick(t);
  const auto w = find(NodeKind::kWorkspace, workspace);
  if (!w) return Error("workspace '" + workspace + "' not found");
  std::vector<RateSpan>& rates = workspaces_[g_[*w].detail].rates;
  if (rates.back().from_ms >= t) {
    rates.back().gb_per_day = gb_per_day;
  } else {
    rates.push_back({t, gb_per_day});
  }
  return {};
}

Status ResourceGraph::link_query_storage(const std::string& workspace, const std::string& account, TimeMs t) {
  tick(t);
  const auto w = find(NodeKind::kWorkspace, workspace);
  if (!w) return Error("workspace '" + workspace + "' not found");
  const std::string name = account.empty() ? workspace + "-queries" : account;
  Vertex q = 0;
  if (const auto existing = find(NodeKind::kQueryStorage, name)) {
    q = *existing;
  } else {
    q = add_node(NodeKind::kQueryStorage, name, g_[*w].pos);
    g_[q].region = g_[*w].region;
    g_[q].tenant = g_[*w].tenant;
    g_[q].subscription = g_[*w].subscription;
    refresh_state(q);
  }
  remove_out_edges(*w, EdgeKind::kQueryLink);  // Q1: one account per workspace
  add_edge_once(*w, q, {EdgeKind::kQueryLink, 0, false});
  return {};
}

KeyProblem ResourceGraph::key_problem(const std::string& cluster, const std::string& region,
                                      const std::string& tenant, const KeyRef& ref,
                                      const IdentitySpec& identity) const {
  if (ref.vault.empty() || ref.key.empty()) return KeyProblem::kBadFormat;
  const auto key = find(NodeKind::kKey, ref.vault + "/" + ref.key);
  if (!key || keys_[g_[*key].detail].deleted || keys_[g_[*key].detail].purged ||
      (!ref.version.empty() && !find(NodeKind::kVersion, ref.vault + "/" + ref.key + "/" + ref.version))) {
    return KeyProblem::kNotFound;
  }
  const Vertex vault = keys_[g_[*key].detail].vault;
  if (g_[vault].region != region || g_[vault].tenant != tenant) return KeyProblem::kRegion;
  std::string principal;
  if (identity.kind == IdentitySpec::Kind::kSystemAssigned) principal = "cluster:" + cluster;
  if (identity.kind == IdentitySpec::Kind::kUserAssigned) principal = identity.user_assigned;
  const auto id = principal.empty() ? std::nullopt : find(NodeKind::kIdentity, principal);
  const auto granted = id ? grant_of(*id, vault) : std::nullopt;
  if (!granted || (*granted & kAllPermissions) != kAllPermissions) return KeyProblem::kNoGrant;
  const VaultInfo& v = vaults_[g_[vault].detail];
  if (!v.soft_delete || !v.purge_protection) return KeyProblem::kNotRecoverable;
  if (identity.kind == IdentitySpec::Kind::kUserAssigned && v.private_link) return KeyProblem::kPrivateLink;
  return KeyProblem::kNone;
}

// The graph's own wording of key_problem(), with the behaviour it breaks
// (graph_at's notes); the model words it as the service does.
Status ResourceGraph::key_refusal(const std::string& cluster, const std::string& region,
                                  const std::string& tenant, const KeyRef& ref,
                                  const IdentitySpec& identity) const {
  switch (key_problem(cluster, region, tenant, ref, identity)) {
    case KeyProblem::kNone: return {};
    case KeyProblem::kBadFormat:
    case KeyProblem::kNotFound:
      return Error("Failed to validate key in Key Vault: no key " + ref.vault + "/" + ref.key +
                   (ref.version.empty() ? "" : "/" + ref.version) + " (C2)");
    case KeyProblem::kRegion: return Error("Key Vault, cluster and linked workspaces must share region and tenant (C3)");
    case KeyProblem::kNoGrant: return Error("Failed to validate key in Key Vault: no grant with get, wrap and unwrap (C7)");
    case KeyProblem::kNotRecoverable: return Error("Key is not recoverable (C2)");
    case KeyProblem::kPrivateLink:
      return Error("A user-assigned identity cannot reach a Key Vault behind Private Link (C6)");
  }
  return {};
}

Status ResourceGraph::create_cluster(const ClusterDecl& decl, TimeMs t) {
  if (const auto c = find(NodeKind::kCluster, decl.name); c && !clusters_[g_[*c].detail].deleted) {
    return Error("cluster '" + decl.name + "' already exists");
  }
  if (!valid_cluster_name(decl.name)) return Error("Cluster name is not valid (C1)");
  if (decl.identity.kind == IdentitySpec::Kind::kNone) return Error("Identity is null or empty (C1)");
  if (decl.identity.kind == IdentitySpec::Kind::kUserAssigned && !find(NodeKind::kIdentity, decl.identity.user_assigned)) {
    return Error("identity '" + decl.identity.user_assigned + "' not found");
  }
  if (decl.key) {
    // C1: key details at creation only with a user-assigned identity already granted
    if (decl.identity.kind != IdentitySpec::Kind::kUserAssigned) return Error("KeyVaultProperties are set on creation (C1)");
    if (Status why = key_refusal(decl.name, decl.region, decl.tenant, *decl.key, decl.identity); !why.ok()) return why;
  }
  add_cluster(decl, t);
  return {};
}

Status ResourceGraph::delete_cluster(const std::string& cluster, TimeMs t) {
  tick(t);
  const auto c = find(NodeKind::kCluster, cluster);
  if (!c || clusters_[g_[*c].detail].deleted) return Error("cluster '" + cluster + "' not found");
  const std::size_t index = g_[*c].detail;
  clusters_[index].deleted = true;
  for (WorkspaceInfo& w : workspaces_) {  // C5: every workspace unlinked
    if (w.cluster == *c) close_link(w, t);
    remove_edges(w.vertex, clusters_[index].storage, EdgeKind::kData);
  }
  attach_key(clusters_[index], t);
  attach_identity(clusters_[index]);
  refresh_state(clusters_[index].vertex);
  return {};
}

// C5: a support case brings a soft-deleted cluster back with its key details
// and identity; its workspaces stay unlinked.
Status ResourceGraph::recover_cluster(const std::string& cluster, TimeMs t) {
  tick(t);
  const auto c = find(NodeKind::kCluster, cluster);
  if (!c || !clusters_[g_[*c].detail].deleted) return Error("cluster '" + cluster + "' is not deleted");
  ClusterInfo& info = clusters_[g_[*c].detail];
  info.deleted = false;
  attach_key(info, t);
  attach_identity(info);
  refresh_state(info.vertex);
  return {};
}

Status ResourceGraph::set_cluster_key(const std::string& cluster, const KeyRef& key, TimeMs t) {
  tick(t);
  const auto c = find(NodeKind::kCluster, cluster);
  if (!c || clusters_[g_[*c].detail].deleted) return Error("cluster '" + cluster + "' not found");
  ClusterInfo& info = clusters_[g_[*c].detail];
  if (key.vault.empty() && key.key.empty()) {  // C2, C6: key details removed: new data is under the MMK
    info.key.reset();
    attach_key(info, t);
    return {};
  }
  if (Status why = key_refusal(g_[*c].name, g_[*c].region, g_[*c].tenant, key, info.identity); !why.ok()) return why;
  info.key = key;
  attach_key(info, t);  // R4: the AEK is re-wrapped; all its data now depends on the new key
  return {};
}

Status ResourceGraph::set_cluster_identity(const std::string& cluster, const IdentitySpec& identity, TimeMs t) {
  tick(t);
  const auto c = find(NodeKind::kCluster, cluster);
  if (!c || clusters_[g_[*c].detail].deleted) return Error("cluster '" + cluster + "' not found");
  if (identity.kind == IdentitySpec::Kind::kUserAssigned && !find(NodeKind::kIdentity, identity.user_assigned)) {
    return Error("identity '" + identity.user_assigned + "' not found");
  }
  ClusterInfo& info = clusters_[g_[*c].detail];
  if (identity_locked(info.identity)) {
    return Error("an identity set to none is restored only by support_restore (C6)");
  }
  if (identity_needs_key_removed(info.identity, identity, info.key.has_value())) {
    return Error("remove the key details before changing the identity from user-assigned to system-assigned (C6)");
  }
  if (identity.kind == IdentitySpec::Kind::kNone) info.identity_before_none = info.identity;
  info.identity = identity;
  attach_identity(info);
  return {};
}

Status ResourceGraph::support_restore(const std::string& cluster, TimeMs t) {
  tick(t);
  const auto c = find(NodeKind::kCluster, cluster);
  if (!c || clusters_[g_[*c].detail].deleted) return Error("cluster '" + cluster + "' not found");
  ClusterInfo& info = clusters_[g_[*c].detail];
  if (info.identity.kind != IdentitySpec::Kind::kNone || !info.identity_before_none) {
    return Error("cluster '" + cluster + "' has no identity to restore");
  }
  info.identity = *info.identity_before_none;  // C6: with its grants, which the graph kept
  info.identity_before_none.reset();
  attach_identity(info);
  return {};
}

Status ResourceGraph::set_capacity(const std::string& cluster, double gb_per_day, TimeMs t) {
  tick(t);
  const auto c = find(NodeKind::kCluster, cluster);
  if (!c || clusters_[g_[*c].detail].deleted) return Error("cluster '" + cluster + "' not found");
  clusters_[g_[*c].detail].capacity_gb_per_day = gb_per_day;
  return {};
}

void ResourceGraph::apply_cluster_key(Vertex cluster, const KeyRef& key, TimeMs t) {
  tick(t);
  ClusterInfo& info = clusters_[g_[cluster].detail];
  info.key = key;
  if (key.vault.empty()) info.key.reset();  // C2, C6: key details removed: the AEK is re-wrapped under the MMK
  attach_key(info, t);  // R4: the AEK is re-wrapped; all its data now depends on the new key
}

void ResourceGraph::apply_cluster_identity(Vertex cluster, const IdentitySpec& identity, TimeMs t) {
  tick(t);
  ClusterInfo& info = clusters_[g_[cluster].detail];
  if (identity.kind == IdentitySpec::Kind::kNone) info.identity_before_none = info.identity;
  info.identity = identity;
  attach_identity(info);
}

void ResourceGraph::apply_support_restore(Vertex cluster, TimeMs t) {
  tick(t);
  ClusterInfo& info = clusters_[g_[cluster].detail];
  if (!info.identity_before_none) return;
  info.identity = *info.identity_before_none;  // C6: with its grants, which the graph kept
  info.identity_before_none.reset();
  attach_identity(info);
}

void ResourceGraph::apply_capacity(Vertex cluster, double gb_per_day, TimeMs t) {
  tick(t);
  clusters_[g_[cluster].detail].capacity_gb_per_day = gb_per_day;
}

Status ResourceGraph::set_key_state(const std::string& vault, const std::string& key, Action action, TimeMs t) {
  tick(t);
  const auto k = find(NodeKind::kKey, vault + "/" + key);
  if (!k) return Error("key '" + vault + "/" + key + "' not found");
  KeyInfo& info = keys_[g_[*k].detail];
  const VaultInfo& v = vaults_[g_[info.vault].detail];
  if (info.purged) return Error("key '" + vault + "/" + key + "' is purged");
  switch (action) {
    case Action::kDisableKey: info.enabled = false; break;
    case Action::kEnableKey: info.enabled = true; break;
    case Action::kExpireKey: info.expired = true; break;
    case Action::kDeleteKey:
      info.deleted = true;
      if (!v.soft_delete) info.purged = true;  // no soft delete: gone at once
      break;
    case Action::kRecoverKey:
      if (!info.deleted) return Error("key '" + vault + "/" + key + "' is not deleted");
      info.deleted = false;
      break;
    case Action::kPurgeKey:
      if (!info.deleted) return Error("key '" + vault + "/" + key + "' is not deleted");
      if (v.purge_protection) return Error("purge refused: vault '" + vault + "' has purge protection (C2)");
      info.purged = true;
      break;
    default: return Error(std::string("not a key action: ") + action_info(action).name);
  }
  refresh_state(*k);
  for (const Vertex version : info.versions) refresh_state(version);
  refresh_auto_rotation(*k, t);
  return {};
}

Status ResourceGraph::add_key_version(const std::string& vault, const std::string& key, const std::string& version,
                                           TimeMs t) {
  tick(t);
  const auto k = find(NodeKind::kKey, vault + "/" + key);
  if (!k || keys_[g_[*k].detail].purged) return Error("key '" + vault + "/" + key + "' not found");
  const std::string name = g_[*k].name + "/" + version;
  if (find(NodeKind::kVersion, name)) return Error("version '" + name + "' already exists");
  const Vertex ver = add_node(NodeKind::kVersion, name, g_[*k].pos);
  g_[ver].detail = versions_.size();
  versions_.push_back({ver, *k, version, true});
  keys_[g_[*k].detail].versions.push_back(ver);
  add_edge_once(ver, *k, {EdgeKind::kVersionOf, 0, false});
  refresh_state(ver);
  refresh_auto_rotation(*k, t);
  return {};
}

Status ResourceGraph::set_version_enabled(const std::string& vault, const std::string& key,
                                               const std::string& version, bool enabled, TimeMs t) {
  tick(t);
  const auto ver = find(NodeKind::kVersion, vault + "/" + key + "/" + version);
  if (!ver) return Error("version '" + vault + "/" + key + "/" + version + "' not found");
  versions_[g_[*ver].detail].enabled = enabled;
  refresh_state(*ver);
  // R3: disabling the version in use leaves the AEK wrapped by it (the
  // storage cannot re-wrap without unwrapping); enabling one may move R1.
  refresh_auto_rotation(versions_[g_[*ver].detail].key, t);
  return {};
}

Status ResourceGraph::vault_outage(const std::string& vault, TimeMs t, DurationMs for_ms,
                                        const std::string& fault) {
  tick(t);
  const auto v = find(NodeKind::kVault, vault);
  if (!v) return Error("vault '" + vault + "' not found");
  VaultInfo& info = vaults_[g_[*v].detail];
  if (!info.in_fault(t)) info.fault_since_ms = t;
  info.fault_until_ms = std::max(info.fault_until_ms, t + for_ms);
  info.fault = fault;
  refresh_state(*v);
  return {};
}

Status ResourceGraph::apply_event(const EventDecl& e) {
  tick(e.at_ms);
  const TimeMs t = e.at_ms;
  switch (e.action) {
    case Action::kDisableKey:
    case Action::kEnableKey:
    case Action::kDeleteKey:
    case Action::kRecoverKey:
    case Action::kPurgeKey:
    case Action::kExpireKey: return set_key_state(e.vault, e.key, e.action, t);
    case Action::kAddKeyVersion: return add_key_version(e.vault, e.key, e.version, t);
    case Action::kDisableKeyVersion: return set_version_enabled(e.vault, e.key, e.version, false, t);
    case Action::kEnableKeyVersion: return set_version_enabled(e.vault, e.key, e.version, true, t);
    case Action::kGrantAccess: return add_grant(e.identity, e.vault, e.permissions.value_or(kAllPermissions), t);
    case Action::kRemoveAccess: return remove_grant(e.identity, e.vault, t);
    case Action::kKvOutage: return vault_outage(e.vault, t, e.for_ms, e.fault);
    case Action::kCreateCluster: {
      ClusterDecl decl;
      decl.name = e.cluster;
      decl.region = e.region;
      decl.subscription = e.subscription;
      if (!e.tenant.empty()) decl.tenant = e.tenant;
      decl.identity = parse_identity_spec(e.identity).value_or(IdentitySpec{IdentitySpec::Kind::kNone, ""});
      decl.capacity_gb_per_day = e.capacity_gb_per_day.value_or(decl.capacity_gb_per_day);
      decl.double_encryption = e.double_encryption;
      decl.key = e.key_ref;
      decl.pos = e.pos;
      return create_cluster(decl, t);
    }
    case Action::kUpdateClusterKey: return set_cluster_key(e.cluster, KeyRef{e.vault, e.key, e.version}, t);
    case Action::kSetIdentity: {
      const auto spec = parse_identity_spec(e.identity);
      if (!spec) return Error("identity '" + e.identity + "' is not system_assigned, user_assigned:NAME or none");
      return set_cluster_identity(e.cluster, *spec, t);
    }
    case Action::kSupportRestore: return support_restore(e.cluster, t);
    case Action::kDeleteCluster: return delete_cluster(e.cluster, t);
    case Action::kSupportRecoverCluster: return recover_cluster(e.cluster, t);
    case Action::kSetCapacity: return set_capacity(e.cluster, e.capacity_gb_per_day.value_or(0), t);
    case Action::kLinkWorkspace: return link_workspace(e.workspace, e.cluster, t);
    case Action::kUnlinkWorkspace: return unlink_workspace(e.workspace, t);
    case Action::kDeleteWorkspace: return delete_workspace(e.workspace, t);
    case Action::kRestoreWorkspace: return restore_workspace(e.workspace, t);
    case Action::kSetIngestion: return set_ingestion(e.workspace, e.gb_per_day.value_or(0), t);
    case Action::kLinkQueryStorage: return link_query_storage(e.workspace, e.storage_account, t);
    case Action::kQuery:
    case Action::kSearchJob:
    case Action::kLockboxRequest: return {};
  }
  return {};
}

void ResourceGraph::set_pending(NodeKind kind, const std::string& name, const std::string& operation) {
  const auto v = find(kind, name);
  if (!v) return;
  if (kind == NodeKind::kCluster) clusters_[g_[*v].detail].pending = operation;
  if (kind == NodeKind::kWorkspace) workspaces_[g_[*v].detail].pending = operation;
  refresh_state(*v);
}

// ---- the graph at a time -------------------------------------------------------

ResourceGraph graph_at(const Scenario& scenario, TimeMs at_ms, std::vector<std::string>* skipped) {
  ResourceGraph graph(scenario);
  std::vector<std::size_t> order(scenario.events.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return scenario.events[a].at_ms < scenario.events[b].at_ms;
  });
  for (const std::size_t i : order) {
    const EventDecl& e = scenario.events[i];
    if (e.at_ms > at_ms) break;
    const Status why = graph.apply_event(e);
    if (!why.ok() && skipped != nullptr) {
      skipped->push_back("events[" + std::to_string(i) + "]" + (e.id.empty() ? "" : " (" + e.id + ")") + " at " +
                         format_duration(e.at_ms) + ": " + action_info(e.action).name + ": " + why.error().message);
    }
  }
  graph.advance_to(at_ms);
  return graph;
}

}  // namespace cmksim
