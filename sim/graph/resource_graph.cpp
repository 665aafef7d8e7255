// The resource graph: building it from declarations, wiring a cluster to
// its key and identity, and the states its vertices show.
#include "sim/graph/resource_graph.h"

#include <algorithm>
#include <utility>

namespace cmksim {
namespace {

const char* key_state_name(const KeyInfo& k) {
  if (k.purged) return "purged";
  if (k.deleted) return "deleted";
  if (!k.enabled) return "disabled";
  if (k.expired) return "expired";
  return "enabled";
}

bool key_usable(const KeyInfo& k) { return k.enabled && !k.expired && !k.deleted && !k.purged; }

}  // namespace

const char* node_kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::kVault: return "vault";
    case NodeKind::kKey: return "key";
    case NodeKind::kVersion: return "version";
    case NodeKind::kIdentity: return "identity";
    case NodeKind::kCluster: return "cluster";
    case NodeKind::kStorage: return "storage";
    case NodeKind::kAek: return "aek";
    case NodeKind::kWorkspace: return "workspace";
    case NodeKind::kQueryStorage: return "query_storage";
  }
  return "?";
}

const char* edge_kind_name(EdgeKind k) {
  switch (k) {
    case EdgeKind::kInVault: return "in";
    case EdgeKind::kVersionOf: return "version";
    case EdgeKind::kWrap: return "wrap/unwrap";
    case EdgeKind::kAek: return "AEK";
    case EdgeKind::kStorage: return "storage";
    case EdgeKind::kIdentity: return "identity";
    case EdgeKind::kGrant: return "grant";
    case EdgeKind::kLink: return "link";
    case EdgeKind::kData: return "data";
    case EdgeKind::kQueryLink: return "link";
  }
  return "?";
}
// ---- building ---------------------------------------------------------------

ResourceGraph::ResourceGraph(const Scenario& scenario) {
  for (const auto& vault : scenario.key_vaults) add_vault(vault);
  for (const auto& identity : scenario.identities) add_identity(identity);
  for (const auto& cluster : scenario.clusters) add_cluster(cluster, 0);
  for (const auto& grant : scenario.grants) {
    // The loader checked the names: a grant naming nothing is left out (as add_cluster leaves out edges).
    const Expected<std::pair<Vertex, Vertex>> edge = grant_edge(grant.identity, grant.vault, grant.permissions, grant.pos);
    if (edge) {  // each declared one
      vaults_[g_[edge->second].detail].policies.push_back({edge->first, granted_permissions(edge->second, grant.permissions)});
    }
  }
  for (const auto& workspace : scenario.workspaces) add_workspace(workspace, 0, scenario.start_hour_of_day, scenario.start_weekday);
}

Vertex ResourceGraph::add_node(NodeKind kind, const std::string& name, SourcePos pos) {
  const Vertex v = boost::add_vertex(g_);
  GraphNode& n = g_[v];
  n.kind = kind;
  n.name = name;
  n.pos = pos;
  by_name_[kind_index(kind)][name] = v;
  return v;
}

void ResourceGraph::add_edge_once(Vertex from, Vertex to, GraphEdge e) {
  for (const auto out : boost::make_iterator_range(boost::out_edges(from, g_))) {
    if (boost::target(out, g_) == to && g_[out].kind == e.kind) {
      g_[out] = e;
      return;
    }
  }
  boost::add_edge(from, to, e, g_);
}

void ResourceGraph::remove_edges(Vertex from, Vertex to, EdgeKind kind) {
  boost::remove_out_edge_if(
      from, [&](const GraphEdgeRef& e) { return boost::target(e, g_) == to && g_[e].kind == kind; }, g_);
}

void ResourceGraph::remove_out_edges(Vertex from, EdgeKind kind) {
  boost::remove_out_edge_if(from, [&](const GraphEdgeRef& e) { return g_[e].kind == kind; }, g_);
}

Vertex ResourceGraph::add_vault(const VaultDecl& decl) {
  const Vertex v = add_node(NodeKind::kVault, decl.name, decl.pos);
  g_[v].region = decl.region;
  g_[v].tenant = decl.tenant;
  g_[v].subscription = decl.subscription;
  g_[v].detail = vaults_.size();
  vaults_.push_back({v, decl.soft_delete, decl.purge_protection, decl.private_link, decl.permission_model, -1, 0, "", {}});
  refresh_state(v);
  for (const auto& key_decl : decl.keys) {
    const std::string key_name = decl.name + "/" + key_decl.name;
    const Vertex k = add_node(NodeKind::kKey, key_name, key_decl.pos);
    g_[k].detail = keys_.size();
    keys_.push_back(KeyInfo{k, v, true, false, false, false, {}});
    add_edge_once(k, v, {EdgeKind::kInVault, 0, false});
    for (const auto& version : key_decl.versions) {
      const Vertex ver = add_node(NodeKind::kVersion, key_name + "/" + version, key_decl.pos);
      g_[ver].detail = versions_.size();
      versions_.push_back({ver, k, version, true});
      keys_[g_[k].detail].versions.push_back(ver);
      add_edge_once(ver, k, {EdgeKind::kVersionOf, 0, false});
      refresh_state(ver);
    }
    refresh_state(k);
  }
  return v;
}

Vertex ResourceGraph::add_identity(const IdentityDecl& decl) {
  const Vertex v = add_node(NodeKind::kIdentity, decl.name, decl.pos);
  g_[v].tenant = decl.tenant;
  refresh_state(v);
  return v;
}

Vertex ResourceGraph::add_cluster(const ClusterDecl& decl, TimeMs t) {
  tick(t);
  const Vertex v = add_node(NodeKind::kCluster, decl.name, decl.pos);
  const Vertex storage = add_node(NodeKind::kStorage, decl.name, decl.pos);
  const Vertex aek = add_node(NodeKind::kAek, decl.name, decl.pos);
  for (const Vertex x : {v, storage, aek}) {
    g_[x].region = decl.region;
    g_[x].tenant = decl.tenant;
    g_[x].subscription = decl.subscription;
    g_[x].detail = clusters_.size();
  }
  add_edge_once(v, storage, {EdgeKind::kStorage, 0, false});
  add_edge_once(storage, aek, {EdgeKind::kAek, 0, false});
  ClusterInfo c;
  c.vertex = v;
  c.storage = storage;
  c.aek = aek;
  c.key = decl.key;
  c.identity = decl.identity;
  c.capacity_gb_per_day = decl.capacity_gb_per_day;
  c.double_encryption = decl.double_encryption.value_or(true);
  c.key_since_ms = decl.key_since_ms;
  c.protection.push_back({kBeforeAll, "mmk"});
  clusters_.push_back(std::move(c));
  ClusterInfo& added = clusters_.back();
  // K2: data ingested since the CMK was configured (key_since before t) is under it.
  attach_key(added, t - (decl.key ? decl.key_since_ms : 0));
  attach_identity(added);
  for (const Vertex x : {v, storage, aek}) refresh_state(x);
  return v;
}

Vertex ResourceGraph::add_workspace(const WorkspaceDecl& decl, TimeMs t, int start_hour_of_day, int start_weekday) {
  tick(t);
  const Vertex v = add_node(NodeKind::kWorkspace, decl.name, decl.pos);
  g_[v].region = decl.region;
  g_[v].tenant = decl.tenant;
  g_[v].subscription = decl.subscription;
  g_[v].detail = workspaces_.size();
  WorkspaceInfo w;
  w.vertex = v;
  w.retention_ms = decl.retention_ms;
  w.data_begin_ms = t - std::min(decl.existing_data_ms, decl.retention_ms);
  w.shape = DailyShape(decl.daily_profile, decl.weekly_profile, start_hour_of_day, start_weekday);
  w.rates.push_back({w.data_begin_ms, decl.ingest_gb_per_day});
  workspaces_.push_back(std::move(w));
  if (const auto c = find(NodeKind::kCluster, decl.cluster)) {
    // Linked at the start: its existing data is in the cluster's storage (K2).
    WorkspaceInfo& info = workspaces_.back();
    info.links.push_back({*c, info.data_begin_ms, kOpenEnd});
    info.cluster = *c;
    add_edge_once(v, *c, {EdgeKind::kLink, 0, false});
  }
  refresh_state(v);
  return v;
}

// ---- cluster wiring ----------------------------------------------------------

std::optional<Vertex> ResourceGraph::wrap_target(Vertex aek) const {
  for (const auto e : boost::make_iterator_range(boost::out_edges(aek, g_))) {
    if (g_[e].kind == EdgeKind::kWrap) return boost::target(e, g_);
  }
  return std::nullopt;
}

void ResourceGraph::attach_key(ClusterInfo& c, TimeMs t) {
  remove_out_edges(c.aek, EdgeKind::kWrap);
  if (c.key && !c.deleted) {
    if (const auto key = find(NodeKind::kKey, c.key->vault + "/" + c.key->key)) {
      const KeyInfo& info = keys_[g_[*key].detail];
      std::optional<Vertex> version;
      if (!c.key->version.empty()) {
        version = find(NodeKind::kVersion, g_[*key].name + "/" + c.key->version);
      } else {  // R1: the newest enabled version, else the newest
        for (auto it = info.versions.rbegin(); it != info.versions.rend() && !version; ++it) {
          if (versions_[g_[*it].detail].enabled) version = *it;
        }
        if (!version && !info.versions.empty()) version = info.versions.back();
      }
      if (version) add_edge_once(c.aek, *version, {EdgeKind::kWrap, 0, c.key->version.empty()});
    }
  }
  if (!c.deleted) note_protection(c, t);
  refresh_state(c.storage);
  refresh_state(c.aek);
}

std::string ResourceGraph::identity_name(const ClusterInfo& c) const {
  switch (c.identity.kind) {
    case IdentitySpec::Kind::kSystemAssigned: return "cluster:" + g_[c.vertex].name;
    case IdentitySpec::Kind::kUserAssigned: return c.identity.user_assigned;
    case IdentitySpec::Kind::kNone: return "";
  }
  return "";
}

std::optional<Vertex> ResourceGraph::identity_vertex(const std::string& identity, bool create) {
  if (const auto v = find(NodeKind::kIdentity, identity)) return v;
  const std::string prefix = "cluster:";
  if (!create || identity.rfind(prefix, 0) != 0) return std::nullopt;
  const auto cluster = find(NodeKind::kCluster, identity.substr(prefix.size()));
  if (!cluster) return std::nullopt;
  // A system-assigned identity: the cluster's, in its tenant (C6).
  const Vertex v = add_node(NodeKind::kIdentity, identity, g_[*cluster].pos);
  g_[v].tenant = g_[*cluster].tenant;
  refresh_state(v);
  return v;
}

void ResourceGraph::attach_identity(ClusterInfo& c) {
  std::vector<Vertex> before;
  for (const auto e : boost::make_iterator_range(boost::out_edges(c.vertex, g_))) {
    if (g_[e].kind == EdgeKind::kIdentity) before.push_back(boost::target(e, g_));
  }
  remove_out_edges(c.vertex, EdgeKind::kIdentity);
  const std::string name = identity_name(c);
  if (!name.empty() && !c.deleted) {
    if (const auto id = identity_vertex(name, true)) {
      add_edge_once(c.vertex, *id, {EdgeKind::kIdentity, 0, false});
      before.push_back(*id);
    }
  }
  for (const Vertex v : before) refresh_state(v);
  refresh_state(c.vertex);
}

std::string ResourceGraph::protection_of(Vertex cluster) const {
  const ClusterInfo& c = clusters_[g_[cluster].detail];
  if (!c.key) return "mmk";
  const auto version = wrap_target(c.aek);
  return "cmk:" + c.key->vault + "/" + c.key->key + "/" + (version ? versions_[g_[*version].detail].version : c.key->version);
}

void ResourceGraph::note_protection(ClusterInfo& c, TimeMs t) {
  const std::string label = protection_of(c.vertex);
  if (c.protection.back().protection == label) return;
  if (c.protection.back().from_ms >= t) {
    c.protection.back().protection = label;
  } else {
    c.protection.push_back({t, label});
  }
}

void ResourceGraph::refresh_auto_rotation(Vertex key, TimeMs t) {
  const KeyInfo& info = keys_[g_[key].detail];
  if (!key_usable(info)) return;
  std::optional<Vertex> newest;
  for (auto it = info.versions.rbegin(); it != info.versions.rend() && !newest; ++it) {
    if (versions_[g_[*it].detail].enabled) newest = *it;
  }
  if (!newest) return;
  // R1: an auto-rotating cluster whose AEK is wrapped by a usable version
  // picks up the newest enabled one (at its next call: here, at once).
  std::vector<std::size_t> moved;
  for (const Vertex version : info.versions) {
    if (version == *newest || !versions_[g_[version].detail].enabled) continue;
    for (const auto e : boost::make_iterator_range(boost::in_edges(version, g_))) {
      if (g_[e].kind == EdgeKind::kWrap && g_[e].auto_rotation) moved.push_back(g_[boost::source(e, g_)].detail);
    }
  }
  for (const std::size_t index : moved) attach_key(clusters_[index], t);
}

// ---- states ------------------------------------------------------------------

void ResourceGraph::refresh_state(Vertex v) {
  GraphNode& n = g_[v];
  switch (n.kind) {
    case NodeKind::kVault: n.state = vaults_[n.detail].fault_until_ms > now_ms_ ? "fault" : "reachable"; break;
    case NodeKind::kKey: n.state = key_state_name(keys_[n.detail]); break;
    case NodeKind::kVersion: {
      const VersionInfo& ver = versions_[n.detail];
      const KeyInfo& key = keys_[g_[ver.key].detail];
      n.state = key.purged ? "purged" : ver.enabled ? "enabled" : "disabled";
      break;
    }
    case NodeKind::kIdentity: n.state = boost::in_degree(v, g_) > 0 ? "assigned" : "unassigned"; break;
    case NodeKind::kCluster: {
      const ClusterInfo& c = clusters_[n.detail];
      n.state = c.deleted ? "deleted" : !c.pending.empty() ? c.pending : "succeeded";
      break;
    }
    case NodeKind::kStorage: {
      const ClusterInfo& c = clusters_[n.detail];
      n.state = c.deleted ? "deleted" : c.key ? "cmk" : "mmk";
      break;
    }
    case NodeKind::kAek: {
      const auto version = wrap_target(v);
      n.state = version ? "wrapped:" + versions_[g_[*version].detail].version : "mmk";
      break;
    }
    case NodeKind::kWorkspace: {
      const WorkspaceInfo& w = workspaces_[n.detail];
      n.state = w.deleted ? "deleted" : !w.pending.empty() ? w.pending : w.cluster ? "linked" : "unlinked";
      break;
    }
    case NodeKind::kQueryStorage: n.state = "linked"; break;
  }
}

void ResourceGraph::tick(TimeMs t) {
  if (t <= now_ms_) return;
  now_ms_ = t;
  for (const VaultInfo& vault : vaults_) {
    if (vault.fault_until_ms >= 0) refresh_state(vault.vertex);
  }
}

void ResourceGraph::advance_to(TimeMs t) {
  tick(t);
  // D9: once retention has purged what a workspace left in a cluster's
  // storage, that storage no longer holds anything of it.
  for (WorkspaceInfo& w : workspaces_) {
    boost::remove_out_edge_if(
        w.vertex,
        [&](const GraphEdgeRef& e) {
          if (g_[e].kind != EdgeKind::kData) return false;
          const Vertex cluster = clusters_[g_[boost::target(e, g_)].detail].vertex;
          TimeMs last = kBeforeAll;
          for (const LinkSpan& span : w.links) {
            if (span.cluster == cluster) last = std::max(last, span.to_ms);
          }
          return last + w.retention_ms <= now_ms_;
        },
        g_);
  }
}

}  // namespace cmksim
