#include "sim/graph/graph_format.h"

#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>

#include <algorithm>
#include <sstream>

#include "sim/core/text.h"

namespace cmksim {
namespace {

// A DOT string literal's body. Line breaks stay line breaks (labels use
// them); every other control character, from a name a scenario chose, is
// written as an escape (one_line) so the output stays valid for Graphviz and
// harmless on a terminal (issue 18).
std::string escape(const std::string& text) {
  const std::string s = terminal_safe_lines(text);
  std::string out;
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// "kind:name"; a vertex whose name a newer one took (a cluster re-created
// under a freed name, C5) adds "#vertex", so DOT keeps the two apart.
std::string node_id(const ResourceGraph& graph, Vertex v) {
  const GraphNode& n = graph.node(v);
  const std::string id = std::string(node_kind_name(n.kind)) + ":" + n.name;
  return graph.find(n.kind, n.name) == v ? id : id + "#" + std::to_string(v);
}

struct KindStyle {
  const char* shape;
  const char* fill;
};

KindStyle kind_style(NodeKind k) {
  switch (k) {
    case NodeKind::kVault: return {"cylinder", "#cfe2f3"};
    case NodeKind::kKey: return {"ellipse", "#ffe599"};
    case NodeKind::kVersion: return {"ellipse", "#fff2cc"};
    case NodeKind::kIdentity: return {"hexagon", "#d9ead3"};
    case NodeKind::kCluster: return {"box", "#b4a7d6"};
    case NodeKind::kStorage: return {"cylinder", "#d9d2e9"};
    case NodeKind::kAek: return {"diamond", "#ead1dc"};
    case NodeKind::kWorkspace: return {"folder", "#f3f3f3"};
    case NodeKind::kQueryStorage: return {"cylinder", "#fce5cd"};
  }
  return {"ellipse", "#ffffff"};
}

// Fill and line style by state: what is impaired stands out.
void state_style(const std::string& state, std::string& fill, std::string& style, std::string& extra) {
  if (state == "disabled" || state == "expired") {
    fill = "#f4cccc";
    style = "filled,dashed";
  } else if (state == "deleted" || state == "purged") {
    fill = "#cccccc";
    style = "filled,dotted";
    extra += ", fontcolor=\"#666666\"";
  } else if (state == "fault") {
    fill = "#f9cb9c";
    extra += ", color=\"#e69138\", penwidth=2";
  } else if (state == "unlinked" || state == "unassigned" || state == "mmk") {
    style = "filled,dashed";
  }
}

// "region R, tenant T, subscription S", leaving out what the kind lacks.
std::string places(const GraphNode& n) {
  std::string out;
  const std::pair<const char*, const std::string*> parts[] = {
      {"region ", &n.region}, {"tenant ", &n.tenant}, {"subscription ", &n.subscription}};
  for (const auto& [label, value] : parts) {
    if (value->empty()) continue;
    if (!out.empty()) out += ", ";
    out += label + *value;
  }
  return out;
}

std::string permissions_text(std::uint8_t p) {
  std::string out;
  const auto add = [&](std::uint8_t bit, const char* name) {
    if ((p & bit) == 0) return;
    if (!out.empty()) out += ", ";
    out += name;
  };
  add(kPermGet, "get");
  add(kPermWrap, "wrap");
  add(kPermUnwrap, "unwrap");
  return out.empty() ? "none" : out;
}

std::string edge_text(const GraphEdge& e) {
  std::string label = edge_kind_name(e.kind);
  if (e.kind == EdgeKind::kGrant) label += " (" + permissions_text(e.permissions) + ")";
  if (e.kind == EdgeKind::kWrap && e.auto_rotation) label += " (auto-rotation)";
  return label;
}

// The attributes a line of the text tree gives after "kind name [state]".
std::string details(const ResourceGraph& graph, Vertex v) {
  const GraphNode& n = graph.node(v);
  std::string out;
  const auto add = [&](const std::string& s) {
    if (s.empty()) return;
    out += out.empty() ? " " : ", ";
    out += s;
  };
  switch (n.kind) {
    case NodeKind::kVault: {
      const VaultInfo& info = graph.vault_info(v);
      add(places(n));
      add(info.permission_model == PermissionModel::kRbac ? "rbac" : "access policy");
      if (info.soft_delete) add("soft delete");
      if (info.purge_protection) add("purge protection");
      break;
    }
    case NodeKind::kIdentity:
    case NodeKind::kQueryStorage: add(places(n)); break;
    case NodeKind::kCluster: {
      const ClusterInfo& c = graph.cluster_info(v);
      add(places(n));
      add(format_gb(c.capacity_gb_per_day) + " GB/day reserved");
      add("new data " + graph.protection_of(v));
      break;
    }
    case NodeKind::kWorkspace: {
      const WorkspaceInfo& w = graph.workspace_info(v);
      add(places(n));
      add(format_gb(w.rates.back().gb_per_day) + " GB/day");
      double stored = 0;
      for (const DataShare& s : workspace_data(graph, v)) stored += s.gb;
      add(format_gb(stored) + " GB stored");
      break;
    }
    default: break;
  }
  return out;
}

// Prints the tree as a depth-first search over the reversed graph discovers
// it: tree_edge names the edge, discover_vertex prints the line, an edge to
// a vertex already printed prints "(above)".
class TreePrinter : public boost::default_dfs_visitor {
 public:
  TreePrinter(const ResourceGraph& graph, std::ostringstream& out, int& depth, std::string& edge)
      : graph_(&graph), out_(&out), depth_(&depth), edge_(&edge) {}

  template <typename E, typename G>
  void tree_edge(E e, const G& g) const {
    *edge_ = edge_text(g[e]);
  }
  template <typename V, typename G>
  void discover_vertex(V v, const G&) const {
    line(v, *depth_, false);
    ++*depth_;
    edge_->clear();
  }
  template <typename V, typename G>
  void finish_vertex(V, const G&) const {
    --*depth_;
  }
  template <typename E, typename G>
  void forward_or_cross_edge(E e, const G& g) const {
    *edge_ = edge_text(g[e]);
    line(boost::target(e, g), *depth_, true);
    edge_->clear();
  }

 private:
  void line(Vertex v, int depth, bool again) const {
    const GraphNode& n = graph_->node(v);
    // Names come from the scenario: the line is printed through one_line (issue 18).
    std::string text = std::string(static_cast<std::size_t>(depth) * 2, ' ') + node_kind_name(n.kind) + " " + n.name;
    text += again ? std::string(" (above)") : " [" + n.state + "]" + details(*graph_, v);
    if (!edge_->empty()) text += "  <- " + *edge_;
    *out_ << one_line(text) << "\n";
  }

  const ResourceGraph* graph_;
  std::ostringstream* out_;
  int* depth_;
  std::string* edge_;
};

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

std::string at_text(TimeMs t) { return t == 0 ? "the start" : format_duration(t); }

}  // namespace

std::string format_dot(const ResourceGraph& graph, const std::string& title, const std::vector<Vertex>& highlight) {
  const Graph& g = graph.graph();
  std::ostringstream out;
  out << "// cmksim resource graph: an edge A -> B reads 'A depends on B'\n";
  out << "digraph \"" << escape(title) << "\" {\n";
  out << "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=\"" << escape(title) << " at "
      << at_text(graph.now()) << "\"];\n";
  out << "  node [fontname=\"Helvetica\", fontsize=11];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const Vertex v : boost::make_iterator_range(boost::vertices(g))) {
    const GraphNode& n = g[v];
    const KindStyle k = kind_style(n.kind);
    std::string fill = k.fill, style = "filled", extra;
    state_style(n.state, fill, style, extra);
    if (n.kind == NodeKind::kCluster) style += ",bold";
    if (std::binary_search(highlight.begin(), highlight.end(), v)) extra += ", color=\"#cc0000\", penwidth=3";
    std::string label = n.name + "\n" + node_kind_name(n.kind) + ": " + n.state;
    const bool own_place = n.kind != NodeKind::kStorage && n.kind != NodeKind::kAek;  // else the cluster's
    if (own_place && !places(n).empty()) label += "\n" + places(n);
    out << "  \"" << escape(node_id(graph, v)) << "\" [label=\"" << escape(label) << "\", shape=" << k.shape
        << ", style=\"" << style << "\", fillcolor=\"" << fill << "\"" << extra << ", kind=\"" << node_kind_name(n.kind)
        << "\", state=\"" << escape(n.state) << "\", region=\"" << escape(n.region) << "\", tenant=\""
        << escape(n.tenant) << "\", subscription=\"" << escape(n.subscription) << "\"];\n";
  }
  for (const Vertex v : boost::make_iterator_range(boost::vertices(g))) {
    for (const auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      const GraphEdge& edge = g[e];
      std::string style;
      switch (edge.kind) {
        case EdgeKind::kWrap: style = ", color=\"#cc0000\", fontcolor=\"#cc0000\""; break;
        case EdgeKind::kGrant: style = ", color=\"#38761d\", fontcolor=\"#38761d\", style=dashed"; break;
        case EdgeKind::kLink: style = ", penwidth=1.5"; break;
        case EdgeKind::kData:
        case EdgeKind::kQueryLink: style = ", style=dotted"; break;
        default: style = ", color=\"#999999\", fontcolor=\"#666666\""; break;
      }
      out << "  \"" << escape(node_id(graph, v)) << "\" -> \"" << escape(node_id(graph, boost::target(e, g)))
          << "\" [label=\"" << escape(edge_text(edge)) << "\", kind=\"" << edge_kind_name(edge.kind) << "\"" << style
          << "];\n";
    }
  }
  out << "}\n";
  return out.str();
}

std::string format_text(const ResourceGraph& graph, const std::string& title) {
  const Graph& g = graph.graph();
  std::ostringstream out;
  out << "resource graph of " << one_line(title) << " at " << at_text(graph.now()) << ": " << graph.vertex_count()
      << " resources, " << graph.edge_count() << " dependencies\n";
  out << "(each line depends on the line it is indented under, through the edge after '<-')\n";
  const auto reversed = boost::make_reverse_graph(g);
  std::vector<boost::default_color_type> colors(boost::num_vertices(g), boost::white_color);
  auto color = boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, g));
  int depth = 0;
  std::string edge;
  const TreePrinter printer(graph, out, depth, edge);
  // Roots: what depends on nothing, in creation order.
  for (const Vertex v : boost::make_iterator_range(boost::vertices(g))) {
    if (boost::out_degree(v, g) == 0 && colors[v] == boost::white_color) {
      boost::depth_first_visit(reversed, v, printer, color);
    }
  }
  return out.str();
}

std::vector<Vertex> impact_vertices(const ResourceGraph& graph, const KeyImpact& impact) {
  std::vector<Vertex> out;
  const auto add = [&](NodeKind kind, const std::string& name) {
    if (const auto v = graph.find(kind, name)) out.push_back(*v);
  };
  const KeyTarget::Kind kind = impact.target.kind;
  add(kind == KeyTarget::Kind::kVault      ? NodeKind::kVault
      : kind == KeyTarget::Kind::kIdentity ? NodeKind::kIdentity
      : impact.target.version.empty()      ? NodeKind::kKey
                                           : NodeKind::kVersion,
      impact.target.str());
  for (const auto& c : impact.clusters) {
    add(NodeKind::kCluster, c.cluster);
    add(NodeKind::kStorage, c.cluster);
    add(NodeKind::kAek, c.cluster);
    if (const auto aek = graph.find(NodeKind::kAek, c.cluster)) {  // the version wrapping it
      for (const auto e : boost::make_iterator_range(boost::out_edges(*aek, graph.graph()))) {
        if (graph.graph()[e].kind == EdgeKind::kWrap) out.push_back(boost::target(e, graph.graph()));
      }
    }
  }
  for (const auto& id : impact.identities) add(NodeKind::kIdentity, id);
  for (const auto& w : impact.workspaces) add(NodeKind::kWorkspace, w.workspace);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

std::string impact_subject(const KeyTarget& target) {
  switch (target.kind) {
    case KeyTarget::Kind::kVault: return "losing vault " + target.str() + " (every key in it revoked)";
    case KeyTarget::Kind::kIdentity:
      return "identity " + target.str() + " losing its access (identity none, or its grants removed)";
    case KeyTarget::Kind::kKey: break;
  }
  return "revoking " + target.str();
}

}  // namespace

std::string format_impact(const KeyImpact& impact) {
  std::ostringstream out;
  out << "blast radius of " << impact_subject(impact.target) << " at " << at_text(impact.at_ms)
      << " (D6: its clusters' storage becomes unavailable within 1 h, D7)\n";
  out << "\nclusters (" << impact.clusters.size() << "):\n";
  if (impact.clusters.empty()) out << "  none\n";
  for (const auto& c : impact.clusters) {
    out << "  " << c.cluster << ": AEK wrapped by " << c.protection << (c.auto_rotation ? " (auto-rotation)" : "")
        << ", identity " << c.identity << ", " << c.workspaces.size() << " linked workspace"
        << (c.workspaces.size() == 1 ? "" : "s") << "\n";
  }
  out << "\nidentities (" << impact.identities.size() << "): " << joined(impact.identities) << "\n";
  out << "\nworkspaces (" << impact.workspaces.size() << "):\n";
  if (impact.workspaces.empty()) out << "  none\n";
  for (const auto& w : impact.workspaces) {
    out << "  " << w.workspace << " on " << joined(w.clusters) << (w.linked ? "" : " (unlinked, data kept: D12)")
        << (w.deleted ? " (deleted)" : "") << ": " << format_gb(w.gb_inaccessible) << " GB inaccessible";
    if (w.gb_mmk_in_cluster > 0) out << ", " << format_gb(w.gb_mmk_in_cluster) << " GB mmk";
    if (w.gb_per_day_dropped > 0) out << ", " << format_gb(w.gb_per_day_dropped) << " GB/day dropped while unavailable";
    out << "\n";
  }
  out << "\ninaccessible data, by protection class:\n";
  for (const auto& s : impact.inaccessible) out << "  " << s.protection << ": " << format_gb(s.gb) << " GB\n";
  if (impact.gb_mmk_in_affected_storage > 0) {
    out << "  mmk in the affected storage, unqueryable with its workspaces (D8): "
        << format_gb(impact.gb_mmk_in_affected_storage) << " GB\n";
  }
  out << "  total: " << format_gb(impact.gb_inaccessible) << " GB (CMK " << format_gb(impact.gb_inaccessible_cmk)
      << " GB + MMK " << format_gb(impact.gb_mmk_in_affected_storage) << " GB)";
  if (impact.gb_per_day_dropped > 0) {
    out << ", and " << format_gb(impact.gb_per_day_dropped) << " GB/day of arrivals dropped while unavailable (D8)";
  }
  out << "\n";
  out << "\nnot under this key, by protection class and location:\n";
  for (const auto& s : impact.not_affected) {
    out << "  " << s.protection << " in " << (s.location == "shared" ? "shared storage" : s.location) << ": "
        << format_gb(s.gb) << " GB\n";
  }
  out << "  total: " << format_gb(impact.gb_not_affected) << " GB\n";
  if (impact.gb_mmk_in_affected_storage > 0) {
    out << "  note: " << format_gb(impact.gb_mmk_in_affected_storage)
        << " GB of it is mmk data in an affected cluster's storage (K2: ingested before the CMK was configured);"
           " the key does not encrypt it, but queries on its workspaces fail while the storage is unavailable (D8),"
           " so the total above counts it\n";
  }
  out << "  clusters not affected: " << joined(impact.clusters_not_affected) << "\n";
  out << "  workspaces not affected: " << joined(impact.workspaces_not_affected) << "\n";
  out << "  never under the CMK (K5): " << kNeverUnderCmk << "; saved-query storage accounts (Q1) keep their own keys\n";
  return out.str();
}

}  // namespace cmksim
