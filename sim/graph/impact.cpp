#include "sim/graph/impact.h"

#include <algorithm>

#include "sim/core/text.h"

namespace cmksim {

const char* const kNeverUnderCmk =
    "Auxiliary-plan tables, saved queries in query packs, dashboards, Logic Apps, Notebooks and Automation runbooks";

namespace {

// GB a workspace ingested over [a, b) at its rates and daily profile (D1).
double gb_between(const WorkspaceInfo& w, TimeMs a, TimeMs b) {
  double total = 0;
  for (std::size_t i = 0; i < w.rates.size(); ++i) {
    const TimeMs from = std::max(a, w.rates[i].from_ms);
    const TimeMs to = std::min(b, i + 1 < w.rates.size() ? w.rates[i + 1].from_ms : b);
    if (to <= from || w.rates[i].gb_per_day == 0) continue;
    total += w.rates[i].gb_per_day * (w.shape.weighted_ms(to) - w.shape.weighted_ms(from)) /
             static_cast<double>(kMsPerDay);
  }
  return total;
}

void add_share(std::vector<DataShare>& shares, const std::string& protection, const std::string& location, double gb) {
  if (gb <= 0) return;
  for (DataShare& s : shares) {
    if (s.protection == protection && s.location == location) {
      s.gb += gb;
      return;
    }
  }
  shares.push_back({protection, location, gb});
}

bool contains(const std::vector<Vertex>& sorted, Vertex v) { return std::binary_search(sorted.begin(), sorted.end(), v); }

// Every edge along which a key's revocation travels to what depends on it.
constexpr std::uint32_t kRevocationEdges = edge_bit(EdgeKind::kVersionOf) | edge_bit(EdgeKind::kWrap) |
                                           edge_bit(EdgeKind::kAek) | edge_bit(EdgeKind::kStorage) |
                                           edge_bit(EdgeKind::kLink) | edge_bit(EdgeKind::kData);

}  // namespace

std::vector<DataShare> workspace_data(const ResourceGraph& graph, Vertex workspace) {
  const WorkspaceInfo& w = graph.workspace_info(workspace);
  const TimeMs hi = graph.now();
  const TimeMs lo = std::max(w.data_begin_ms, hi - w.retention_ms);  // D9
  std::vector<DataShare> shares;
  if (hi <= lo) return shares;
  TimeMs cursor = lo;
  for (const LinkSpan& span : w.links) {
    const TimeMs from = std::max(span.from_ms, lo);
    const TimeMs to = std::min(span.to_ms, hi);
    if (to <= from) continue;
    if (from > cursor) add_share(shares, "mmk", "shared", gb_between(w, cursor, from));
    const ClusterInfo& c = graph.cluster_info(span.cluster);
    const std::string location = "cluster:" + graph.node(span.cluster).name;
    for (std::size_t i = 0; i < c.protection.size(); ++i) {  // K2: MMK before the CMK, then each version
      const TimeMs p_from = std::max(from, c.protection[i].from_ms);
      const TimeMs p_to = std::min(to, i + 1 < c.protection.size() ? c.protection[i + 1].from_ms : to);
      if (p_to > p_from) add_share(shares, c.protection[i].protection, location, gb_between(w, p_from, p_to));
    }
    cursor = std::max(cursor, to);
  }
  if (cursor < hi) add_share(shares, "mmk", "shared", gb_between(w, cursor, hi));
  return shares;
}

std::string KeyTarget::str() const {
  if (kind != Kind::kKey) return vault;
  return vault + "/" + key + (version.empty() ? "" : "/" + version);
}

Expected<KeyTarget> resolve_impact_target(const ResourceGraph& graph, const std::string& text) {
  const auto named = [&](const std::string& prefix) {
    return text.rfind(prefix, 0) == 0 ? std::optional<std::string>(text.substr(prefix.size())) : std::nullopt;
  };
  std::vector<std::string> candidates = graph.names(NodeKind::kVault);
  for (const std::string& n : graph.names(NodeKind::kIdentity)) candidates.push_back(n);
  if (const auto v = named("vault:")) {
    if (graph.find(NodeKind::kVault, *v)) return KeyTarget{*v, "", "", KeyTarget::Kind::kVault};
    return Error("no vault '" + *v + "' in the scenario" + did_you_mean(*v, graph.names(NodeKind::kVault)));
  }
  if (const auto i = named("identity:")) {
    if (graph.find(NodeKind::kIdentity, *i)) return KeyTarget{*i, "", "", KeyTarget::Kind::kIdentity};
    return Error("no identity '" + *i + "' in the scenario" + did_you_mean(*i, graph.names(NodeKind::kIdentity)));
  }
  if (text.find('/') != std::string::npos) {
    const auto key = parse_key_target(text);
    if (!key) return Error("expects VAULT/KEY, VAULT/KEY/VERSION, a vault or an identity, got '" + text + "'");
    return *key;
  }
  const bool vault = graph.find(NodeKind::kVault, text).has_value();
  const bool identity = graph.find(NodeKind::kIdentity, text).has_value();
  if (vault && identity) {
    return Error("'" + text + "' is both a vault and an identity: write vault:" + text + " or identity:" + text);
  }
  if (vault) return KeyTarget{text, "", "", KeyTarget::Kind::kVault};
  if (identity) return KeyTarget{text, "", "", KeyTarget::Kind::kIdentity};
  return Error("no vault or identity '" + text + "' in the scenario (a key is VAULT/KEY)" +
               did_you_mean(text, candidates));
}

std::optional<KeyTarget> parse_key_target(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = text.find('/', start);
    parts.push_back(text.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  for (const auto& p : parts) {
    if (p.empty()) return std::nullopt;
  }
  return KeyTarget{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
}

namespace {

KeyImpact impact_from(const ResourceGraph& graph, const KeyTarget& target, const std::vector<Vertex>& reached);

}  // namespace

Expected<KeyImpact> target_impact(const ResourceGraph& graph, const KeyTarget& target) {
  if (target.kind == KeyTarget::Kind::kKey) return key_impact(graph, target);
  if (target.kind == KeyTarget::Kind::kVault) {
    const auto vault = graph.find(NodeKind::kVault, target.vault);
    if (!vault) return Error("no vault '" + target.vault + "' in the scenario");
    return impact_from(graph, target, graph.dependents({*vault}, kRevocationEdges | edge_bit(EdgeKind::kInVault)));
  }
  const auto identity = graph.find(NodeKind::kIdentity, target.vault);
  if (!identity) return Error("no identity '" + target.vault + "' in the scenario");
  // D6: every cluster using the identity loses its key; the workspaces whose
  // data its storage holds are reached from that storage (D12).
  std::vector<Vertex> roots = {*identity};
  const Graph& g = graph.graph();
  for (const Vertex c : graph.vertices_of(NodeKind::kCluster)) {
    for (const auto e : boost::make_iterator_range(boost::out_edges(c, g))) {
      if (g[e].kind == EdgeKind::kIdentity && boost::target(e, g) == *identity) {
        roots.push_back(graph.cluster_info(c).storage);
      }
    }
  }
  return impact_from(graph, target, graph.dependents(roots, kRevocationEdges | edge_bit(EdgeKind::kIdentity)));
}

Expected<KeyImpact> key_impact(const ResourceGraph& graph, const KeyTarget& target) {
  const std::string key_name = target.vault + "/" + target.key;
  const auto key = graph.find(NodeKind::kKey, key_name);
  if (!key) {
    return Error("no key '" + key_name + "' in the scenario" + did_you_mean(key_name, graph.names(NodeKind::kKey)));
  }
  Vertex root = *key;
  if (!target.version.empty()) {
    const auto version = graph.find(NodeKind::kVersion, target.str());
    if (!version) {
      std::vector<std::string> versions;
      for (const Vertex v : graph.key_info(*key).versions) versions.push_back(graph.node(v).name);
      return Error("no version '" + target.str() + "'" + did_you_mean(target.str(), versions));
    }
    root = *version;  // R3: only clusters whose AEK that version wraps depend on it
  }
  return impact_from(graph, target, graph.dependents({root}, kRevocationEdges));
}

namespace {

KeyImpact impact_from(const ResourceGraph& graph, const KeyTarget& target, const std::vector<Vertex>& reached) {
  KeyImpact impact;
  impact.target = target;
  impact.at_ms = graph.now();
  const Graph& g = graph.graph();

  std::vector<Vertex> affected_clusters;
  for (const Vertex v : graph.vertices_of(NodeKind::kCluster)) {
    const ClusterInfo& c = graph.cluster_info(v);
    if (c.deleted) continue;
    const std::string protection = graph.protection_of(v);
    if (!contains(reached, v)) {
      impact.clusters_not_affected.push_back(g[v].name + " (" + protection + ")");
      continue;
    }
    affected_clusters.push_back(v);
    ClusterImpact ci;
    ci.cluster = g[v].name;
    ci.protection = protection;
    ci.identity = "none";
    for (const auto e : boost::make_iterator_range(boost::out_edges(c.aek, g))) {
      if (g[e].kind == EdgeKind::kWrap) ci.auto_rotation = g[e].auto_rotation;
    }
    for (const auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      if (g[e].kind == EdgeKind::kIdentity) ci.identity = g[boost::target(e, g)].name;
    }
    ci.workspaces = graph.workspaces_of(ci.cluster);
    if (ci.identity != "none" &&
        std::find(impact.identities.begin(), impact.identities.end(), ci.identity) == impact.identities.end()) {
      impact.identities.push_back(ci.identity);
    }
    impact.clusters.push_back(std::move(ci));
  }

  for (const Vertex v : graph.vertices_of(NodeKind::kWorkspace)) {
    const WorkspaceInfo& w = graph.workspace_info(v);
    WorkspaceImpact wi;
    wi.workspace = g[v].name;
    wi.deleted = w.deleted;
    for (const DataShare& share : workspace_data(graph, v)) {
      const bool in_cluster = share.location.rfind("cluster:", 0) == 0;
      const auto cluster = in_cluster ? graph.find(NodeKind::kCluster, share.location.substr(8)) : std::nullopt;
      const bool hit = cluster && std::find(affected_clusters.begin(), affected_clusters.end(), *cluster) !=
                                      affected_clusters.end();
      if (hit && share.protection != "mmk") {
        wi.gb_inaccessible += share.gb;
        add_share(impact.inaccessible, share.protection, "", share.gb);
      } else {
        if (hit) wi.gb_mmk_in_cluster += share.gb;
        else wi.gb_elsewhere += share.gb;
        add_share(impact.not_affected, share.protection, share.location, share.gb);
      }
    }
    if (!contains(reached, v)) {
      const std::string where = w.cluster ? "cluster " + g[*w.cluster].name : "unlinked";
      impact.workspaces_not_affected.push_back(wi.workspace + " (" + where + (w.deleted ? ", deleted" : "") + ")");
      continue;
    }
    for (const Vertex c : affected_clusters) {
      const ClusterInfo& ci = graph.cluster_info(c);
      const bool linked = w.cluster == c;
      bool holds = linked;
      for (const auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
        if (g[e].kind == EdgeKind::kData && boost::target(e, g) == ci.storage) holds = true;
      }
      if (holds) wi.clusters.push_back(g[c].name);
      wi.linked = wi.linked || linked;
    }
    if (wi.linked && !w.deleted) wi.gb_per_day_dropped = w.rates.back().gb_per_day;
    impact.workspaces.push_back(std::move(wi));
  }

  for (const DataShare& s : impact.inaccessible) impact.gb_inaccessible_cmk += s.gb;
  for (const DataShare& s : impact.not_affected) impact.gb_not_affected += s.gb;
  for (const WorkspaceImpact& w : impact.workspaces) {
    impact.gb_mmk_in_affected_storage += w.gb_mmk_in_cluster;
    impact.gb_per_day_dropped += w.gb_per_day_dropped;
  }
  // D8: the MMK data in an affected storage cannot be queried either while it is unavailable
  impact.gb_inaccessible = impact.gb_inaccessible_cmk + impact.gb_mmk_in_affected_storage;
  return impact;
}

}  // namespace

std::vector<KeyImpact> impact_of_every_key(const Scenario& scenario) { return impact_of_every_key(ResourceGraph(scenario)); }

std::vector<KeyImpact> impact_of_every_key(const ResourceGraph& graph) {
  std::vector<KeyImpact> out;
  for (const Vertex key : graph.vertices_of(NodeKind::kKey)) {
    const KeyInfo& info = graph.key_info(key);
    const std::string vault = graph.node(info.vault).name;
    const std::string name = graph.node(key).name.substr(vault.size() + 1);
    Expected<KeyImpact> impact = key_impact(graph, KeyTarget{vault, name, ""});
    if (impact) out.push_back(std::move(impact).value());
  }
  return out;
}

}  // namespace cmksim
