// The resource graph's queries: lookups by name and vertex, side tables,
// and the breadth-first searches behind what depends on what.
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/pending/queue.hpp>

#include <algorithm>

#include "sim/core/check.h"
#include "sim/graph/resource_graph.h"

namespace cmksim {
namespace {

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

}  // namespace


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
  for (const AccessPolicy& p : vaults_[g_[vault].detail].policies) {
    if (p.identity == identity) return p.permissions;
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
    case Action::kSupportRecoverCluster:
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
    case Action::kSearchJob:
    case Action::kLinkQueryStorage: add_workspace_cluster(e.workspace); break;
  }
  return out;
}

std::optional<Vertex> ResourceGraph::key_vault_of(Vertex cluster) const {
  const ClusterInfo& c = clusters_[g_[cluster].detail];
  if (!c.key) return std::nullopt;
  return find(NodeKind::kVault, c.key->vault);
}

}  // namespace cmksim
