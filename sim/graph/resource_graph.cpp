#include "sim/graph/resource_graph.h"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/pending/queue.hpp>

#include <algorithm>
#include <utility>

#include "sim/core/check.h"
#include "sim/core/text.h"

namespace cmksim {
namespace {

constexpr std::size_t kind_index(NodeKind k) { return static_cast<std::size_t>(k); }

// Keeps the edges whose kind is in `mask` (filtered_graph wants it default
// constructible and copyable).
struct EdgeMaskFilter {
  const Graph* g = nullptr;
  std::uint32_t mask = 0;
  std::uint8_t grant_permissions = 0;  // a grant edge must give all of these
  bool operator()(const GraphEdgeRef& e) const {
    const GraphEdge& edge = (*g)[e];
    if ((edge_bit(edge.kind) & mask) == 0) return false;
    return edge.kind != EdgeKind::kGrant || (edge.permissions & grant_permissions) == grant_permissions;
  }
};

// Records each vertex as the search discovers it.
struct DiscoverRecorder : boost::default_bfs_visitor {
  std::vector<Vertex>* out = nullptr;
  explicit DiscoverRecorder(std::vector<Vertex>* o) : out(o) {}
  template <typename V, typename G>
  void discover_vertex(V v, const G&) const {
    out->push_back(v);
  }
};

template <typename G>
void bfs_from(const G& g, std::size_t vertex_total, const std::vector<Vertex>& roots, std::vector<Vertex>& out) {
  std::vector<boost::default_color_type> colors(vertex_total, boost::white_color);
  auto color = boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, g));
  boost::queue<Vertex> queue;
  for (const Vertex root : roots) {
    if (colors[root] == boost::white_color) boost::breadth_first_visit(g, root, queue, DiscoverRecorder(&out), color);
  }
}

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
    static_cast<void>(add_grant(grant.identity, grant.vault, grant.permissions, 0, grant.pos));
  }
  for (const auto& workspace : scenario.workspaces) add_workspace(workspace, 0, scenario.start_hour_of_day);
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
  vaults_.push_back({v, decl.soft_delete, decl.purge_protection, decl.private_link, decl.permission_model, -1, 0, ""});
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
  c.protection.push_back({kBeforeAll, "mmk"});
  clusters_.push_back(std::move(c));
  ClusterInfo& added = clusters_.back();
  // K2: data ingested since the CMK was configured (key_since before t) is under it.
  attach_key(added, t - (decl.key ? decl.key_since_ms : 0));
  attach_identity(added);
  for (const Vertex x : {v, storage, aek}) refresh_state(x);
  return v;
}

Vertex ResourceGraph::add_workspace(const WorkspaceDecl& decl, TimeMs t, int start_hour_of_day) {
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
  if (decl.daily_profile) w.shape = DailyShape(*decl.daily_profile, start_hour_of_day);
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

// ---- mutations ---------------------------------------------------------------

Status ResourceGraph::add_grant(const std::string& identity, const std::string& vault, std::uint8_t permissions,
                                     TimeMs t, SourcePos pos) {
  tick(t);
  const auto v = find(NodeKind::kVault, vault);
  if (!v) return Error("vault '" + vault + "' not found");
  const auto id = identity_vertex(identity, true);
  if (!id) return Error("identity '" + identity + "' not found");
  if (g_[*id].pos.line == 0) g_[*id].pos = pos;
  add_edge_once(*id, *v, {EdgeKind::kGrant, permissions, false});
  return {};
}

Status ResourceGraph::remove_grant(const std::string& identity, const std::string& vault, TimeMs t) {
  tick(t);
  const auto v = find(NodeKind::kVault, vault);
  const auto id = find(NodeKind::kIdentity, identity);
  if (!v || !id) return Error("no grant of '" + identity + "' on vault '" + vault + "'");
  remove_edges(*id, *v, EdgeKind::kGrant);
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
  if (const auto c = find(NodeKind::kCluster, decl.name)) {
    return Error(clusters_[g_[*c].detail].deleted ? "cluster name '" + decl.name + "' is reserved after deletion (C5)"
                                            : "cluster '" + decl.name + "' already exists");
  }
  const bool name_ok = decl.name.size() >= 3 && decl.name.size() <= 63 &&
                       std::all_of(decl.name.begin(), decl.name.end(), [](char ch) {
                         return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
                       });
  if (!name_ok) return Error("Cluster name is not valid (C1)");
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

Status ResourceGraph::set_cluster_key(const std::string& cluster, const KeyRef& key, TimeMs t) {
  tick(t);
  const auto c = find(NodeKind::kCluster, cluster);
  if (!c || clusters_[g_[*c].detail].deleted) return Error("cluster '" + cluster + "' not found");
  ClusterInfo& info = clusters_[g_[*c].detail];
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
  if (info.identity.kind == IdentitySpec::Kind::kNone) {
    return Error("an identity set to none is restored only by support_restore (C6)");
  }
  if (info.identity.kind == IdentitySpec::Kind::kUserAssigned &&
      identity.kind == IdentitySpec::Kind::kSystemAssigned && info.key) {
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
    case Action::kSetCapacity: return set_capacity(e.cluster, e.capacity_gb_per_day.value_or(0), t);
    case Action::kLinkWorkspace: return link_workspace(e.workspace, e.cluster, t);
    case Action::kUnlinkWorkspace: return unlink_workspace(e.workspace, t);
    case Action::kDeleteWorkspace: return delete_workspace(e.workspace, t);
    case Action::kRestoreWorkspace: return restore_workspace(e.workspace, t);
    case Action::kSetIngestion: return set_ingestion(e.workspace, e.gb_per_day.value_or(0), t);
    case Action::kLinkQueryStorage: return link_query_storage(e.workspace, e.storage_account, t);
    case Action::kQuery:
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

// ---- queries -----------------------------------------------------------------

std::size_t ResourceGraph::vertex_count() const { return boost::num_vertices(g_); }
std::size_t ResourceGraph::edge_count() const { return boost::num_edges(g_); }

std::optional<Vertex> ResourceGraph::find(NodeKind kind, const std::string& name) const {
  const auto& names = by_name_[kind_index(kind)];
  const auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  return it->second;
}

std::vector<Vertex> ResourceGraph::vertices_of(NodeKind kind) const {
  std::vector<Vertex> out;
  for (const Vertex v : boost::make_iterator_range(boost::vertices(g_))) {
    if (g_[v].kind == kind) out.push_back(v);
  }
  return out;
}

std::vector<std::string> ResourceGraph::names(NodeKind kind) const {
  std::vector<std::string> out;
  for (const Vertex v : vertices_of(kind)) out.push_back(g_[v].name);
  return out;
}

const VaultInfo& ResourceGraph::vault_info(Vertex vault) const {
  CMKSIM_CHECK(g_[vault].kind == NodeKind::kVault, "not a vault vertex");
  return vaults_[g_[vault].detail];
}
const KeyInfo& ResourceGraph::key_info(Vertex key) const {
  CMKSIM_CHECK(g_[key].kind == NodeKind::kKey, "not a key vertex");
  return keys_[g_[key].detail];
}
const VersionInfo& ResourceGraph::version_info(Vertex version) const {
  CMKSIM_CHECK(g_[version].kind == NodeKind::kVersion, "not a version vertex");
  return versions_[g_[version].detail];
}
const ClusterInfo& ResourceGraph::cluster_info(Vertex cluster) const {
  const NodeKind k = g_[cluster].kind;
  CMKSIM_CHECK(k == NodeKind::kCluster || k == NodeKind::kStorage || k == NodeKind::kAek, "not a cluster vertex");
  return clusters_[g_[cluster].detail];
}
const WorkspaceInfo& ResourceGraph::workspace_info(Vertex workspace) const {
  CMKSIM_CHECK(g_[workspace].kind == NodeKind::kWorkspace, "not a workspace vertex");
  return workspaces_[g_[workspace].detail];
}

std::optional<std::uint8_t> ResourceGraph::grant_of(Vertex identity, Vertex vault) const {
  for (const auto e : boost::make_iterator_range(boost::out_edges(identity, g_))) {
    if (g_[e].kind == EdgeKind::kGrant && boost::target(e, g_) == vault) return g_[e].permissions;
  }
  return std::nullopt;
}

std::vector<Vertex> ResourceGraph::dependents(const std::vector<Vertex>& roots, std::uint32_t edge_mask) const {
  const boost::filtered_graph<Graph, EdgeMaskFilter> kept(g_, EdgeMaskFilter{&g_, edge_mask, 0});
  std::vector<Vertex> out;
  bfs_from(boost::make_reverse_graph(kept), boost::num_vertices(g_), roots, out);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Vertex> ResourceGraph::dependencies(Vertex root, std::uint32_t edge_mask,
                                                std::uint8_t grant_permissions) const {
  const boost::filtered_graph<Graph, EdgeMaskFilter> kept(g_, EdgeMaskFilter{&g_, edge_mask, grant_permissions});
  std::vector<Vertex> out;
  bfs_from(kept, boost::num_vertices(g_), {root}, out);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// The edges from a key down to the clusters whose AEK it wraps.
constexpr std::uint32_t kKeyToCluster =
    edge_bit(EdgeKind::kVersionOf) | edge_bit(EdgeKind::kWrap) | edge_bit(EdgeKind::kAek) | edge_bit(EdgeKind::kStorage);

}  // namespace

std::vector<std::string> ResourceGraph::dependent_clusters(std::optional<Vertex> root, std::uint32_t edge_mask,
                                                           bool live_only) const {
  std::vector<std::string> out;
  if (!root) return out;
  for (const Vertex v : dependents({*root}, edge_mask)) {
    if (g_[v].kind == NodeKind::kCluster && !(live_only && clusters_[g_[v].detail].deleted)) out.push_back(g_[v].name);
  }
  return out;
}

std::vector<std::string> ResourceGraph::clusters_using_key(const std::string& vault, const std::string& key,
                                                           const std::string& version) const {
  const auto root = version.empty() ? find(NodeKind::kKey, vault + "/" + key)
                                    : find(NodeKind::kVersion, vault + "/" + key + "/" + version);
  return dependent_clusters(root, kKeyToCluster, true);
}

std::vector<std::string> ResourceGraph::clusters_using_vault(const std::string& vault) const {
  return dependent_clusters(find(NodeKind::kVault, vault), kKeyToCluster | edge_bit(EdgeKind::kInVault), true);
}

std::vector<std::string> ResourceGraph::clusters_with_identity(const std::string& identity) const {
  return dependent_clusters(find(NodeKind::kIdentity, identity), edge_bit(EdgeKind::kIdentity), false);
}

std::vector<std::string> ResourceGraph::workspaces_of(const std::string& cluster) const {
  const auto c = find(NodeKind::kCluster, cluster);
  std::vector<Vertex> linked;
  if (c) {
    for (const auto e : boost::make_iterator_range(boost::in_edges(*c, g_))) {
      if (g_[e].kind == EdgeKind::kLink) linked.push_back(boost::source(e, g_));
    }
  }
  std::sort(linked.begin(), linked.end());
  std::vector<std::string> out;
  for (const Vertex v : linked) out.push_back(g_[v].name);
  return out;
}

std::vector<std::string> ResourceGraph::clusters_affected_by(const EventDecl& e) const {
  std::vector<std::string> out;
  const auto add_cluster_named = [&](const std::string& name) {
    if (find(NodeKind::kCluster, name) && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  };
  const auto add_workspace_cluster = [&](const std::string& workspace) {
    if (const auto w = find(NodeKind::kWorkspace, workspace)) {
      if (const auto c = workspaces_[g_[*w].detail].cluster) add_cluster_named(g_[*c].name);
    }
  };
  switch (e.action) {
    case Action::kDisableKey:
    case Action::kEnableKey:
    case Action::kDeleteKey:
    case Action::kRecoverKey:
    case Action::kPurgeKey:
    case Action::kExpireKey:
    case Action::kAddKeyVersion:
    case Action::kDisableKeyVersion:
    case Action::kEnableKeyVersion: out = clusters_using_key(e.vault, e.key); break;
    case Action::kGrantAccess:
    case Action::kRemoveAccess: {
      const std::vector<std::string> in_vault = clusters_using_vault(e.vault);
      for (const std::string& name : clusters_with_identity(e.identity)) {
        if (std::find(in_vault.begin(), in_vault.end(), name) != in_vault.end()) out.push_back(name);
      }
      break;
    }
    case Action::kKvOutage: out = clusters_using_vault(e.vault); break;
    case Action::kCreateCluster:
      out.push_back(e.cluster);
      break;
    case Action::kUpdateClusterKey:
    case Action::kSetIdentity:
    case Action::kSupportRestore:
    case Action::kDeleteCluster:
    case Action::kSetCapacity:
    case Action::kLockboxRequest: add_cluster_named(e.cluster); break;
    case Action::kLinkWorkspace:
      add_workspace_cluster(e.workspace);
      add_cluster_named(e.cluster);
      break;
    case Action::kUnlinkWorkspace:
    case Action::kDeleteWorkspace:
    case Action::kRestoreWorkspace:
    case Action::kSetIngestion:
    case Action::kQuery:
    case Action::kLinkQueryStorage: add_workspace_cluster(e.workspace); break;
  }
  return out;
}

std::optional<Vertex> ResourceGraph::key_vault_of(Vertex cluster) const {
  const ClusterInfo& c = clusters_[g_[cluster].detail];
  if (!c.key) return std::nullopt;
  return find(NodeKind::kVault, c.key->vault);
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
