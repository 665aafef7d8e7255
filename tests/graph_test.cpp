// The resource graph (Boost.Graph): what depends on what, kept current by the
// scenario's events; the blast radius of revoking a key; the load-time
// checks (C3, C2, C6, C7, warnings); and `cmksim graph` / `cmksim validate`
// as users call them, DOT output included.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "process_support.h"
#include "sim/graph/graph_checks.h"
#include "sim/graph/graph_format.h"
#include "sim/graph/impact.h"
#include "sim/graph/resource_graph.h"
#include "sim/model/model.h"
#include "test_support.h"

using namespace cmksim;
using namespace cmksim::test;

namespace fs = std::filesystem;

namespace {

constexpr TimeMs kDay = kMsPerDay;
using Names = std::vector<std::string>;

// One vault with two keys; c1 on k1 (auto-rotation, CMK since 10 days), c2
// on k2/v1 (explicit, CMK since 30 days); w1 on c1, w2 on c2, w3 unlinked.
// At the start: w1 holds 1000 GB mmk + 1000 GB cmk:kv/k1/v2 in c1, w2 1500 GB
// cmk:kv/k2/v1 in c2 (existing 60d clipped to the 30d retention), w3 50 GB
// mmk in shared storage.
std::string two_clusters(const std::string& events = "", const std::string& extra_top = "") {
  std::string y =
      "version: 1\n"
      "name: graph-test\n"
      "duration: 10d\n" +
      extra_top +
      "key_vaults:\n"
      "  - name: kv\n"
      "    region: westeurope\n"
      "    subscription: sub\n"
      "    soft_delete: true\n"
      "    purge_protection: true\n"
      "    keys:\n"
      "      - {name: k1, versions: [v1, v2]}\n"
      "      - {name: k2, versions: [v1]}\n"
      "clusters:\n"
      "  - {name: c1, region: westeurope, subscription: sub, identity: system_assigned, capacity_gb_per_day: 500,\n"
      "     key: {vault: kv, key: k1, version: \"\"}, key_since: 10d}\n"
      "  - {name: c2, region: westeurope, subscription: sub, identity: system_assigned, capacity_gb_per_day: 500,\n"
      "     key: {vault: kv, key: k2, version: v1}, key_since: 30d}\n"
      "grants:\n"
      "  - {identity: \"cluster:c1\", vault: kv}\n"
      "  - {identity: \"cluster:c2\", vault: kv}\n"
      "workspaces:\n"
      "  - {name: w1, region: westeurope, subscription: sub, cluster: c1, ingest_gb_per_day: 100, retention: 30d,\n"
      "     existing_data: 20d}\n"
      "  - {name: w2, region: westeurope, subscription: sub, cluster: c2, ingest_gb_per_day: 50, retention: 30d,\n"
      "     existing_data: 60d}\n"
      "  - {name: w3, region: westeurope, subscription: sub, ingest_gb_per_day: 10, existing_data: 5d}\n";
  if (!events.empty()) y += "events:\n" + events;
  return y;
}

KeyImpact impact_of(const ResourceGraph& graph, const std::string& target) {
  const auto parsed = parse_key_target(target);
  REQUIRE(parsed);
  const Expected<KeyImpact> r = key_impact(graph, *parsed);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return *r;
}

Names cluster_names(const KeyImpact& impact) {
  Names out;
  for (const auto& c : impact.clusters) out.push_back(c.cluster);
  return out;
}

Names workspace_names(const KeyImpact& impact) {
  Names out;
  for (const auto& w : impact.workspaces) out.push_back(w.workspace);
  return out;
}

const WorkspaceImpact& workspace_row(const KeyImpact& impact, const std::string& name) {
  for (const auto& w : impact.workspaces) {
    if (w.workspace == name) return w;
  }
  FAIL("no workspace " << name << " in the impact");
  return impact.workspaces.front();
}

double share(const std::vector<DataShare>& shares, const std::string& protection, const std::string& location = "") {
  double gb = 0;
  for (const auto& s : shares) {
    if (s.protection == protection && (location.empty() || s.location == location)) gb += s.gb;
  }
  return gb;
}

std::vector<GraphFinding> findings_of(const std::string& yaml) { return check_scenario_graph(load(yaml)); }

std::string finding_lines(const std::vector<GraphFinding>& findings) {
  std::string out;
  for (const auto& f : findings) out += f.str("t.yaml") + "\n";
  return out;
}

// Replaces the first occurrence of `from` in `s`.
std::string with(std::string s, const std::string& from, const std::string& to) {
  const std::size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

struct Result {
  int status = -1;
  std::string out;  // stdout only
  std::string err;  // stderr only
};

Result cmksim_cli(const std::string& args) {
  // one file per process: ctest runs test cases in parallel
  const fs::path err_file = fs::temp_directory_path() / ("cmksim-graph-test-" + std::to_string(getpid()) + ".err");
  const test::CommandResult run =
      test::run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>" + err_file.string());
  Result r{run.status, run.output, test::read_file(err_file)};
  fs::remove(err_file);
  return r;
}

fs::path write_scratch(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("cmksim-graph-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / name;
  std::ofstream(p) << text;
  return p;
}

std::string shipped(const std::string& name) { return std::string(CMKSIM_SOURCE_DIR) + "/scenarios/" + name; }

// A DOT file as `format_dot` writes it, read back: nodes with their
// attributes, edges (from, to) with theirs.
struct ParsedDot {
  std::map<std::string, std::map<std::string, std::string>> nodes;
  std::vector<std::tuple<std::string, std::string, std::map<std::string, std::string>>> edges;
  bool ok = true;
};

std::map<std::string, std::string> dot_attributes(const std::string& text) {
  static const std::regex attr(R"re((\w+)=("(?:[^"\\]|\\.)*"|[^,\]\s]+))re");
  std::map<std::string, std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), attr); it != std::sregex_iterator(); ++it) {
    std::string value = (*it)[2];
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    out[(*it)[1]] = value;
  }
  return out;
}

ParsedDot parse_dot(const std::string& dot) {
  static const std::regex node(R"re(^\s*"((?:[^"\\]|\\.)*)" \[(.*)\];$)re");
  static const std::regex edge(R"re(^\s*"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)" \[(.*)\];$)re");
  ParsedDot parsed;
  std::istringstream in(dot);
  std::string line;
  int depth = 0;
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.rfind("//", 0) == 0 || line.empty()) continue;
    if (line.rfind("digraph ", 0) == 0 && line.back() == '{') {
      ++depth;
    } else if (line == "}") {
      --depth;
    } else if (std::regex_match(line, m, edge)) {
      parsed.edges.emplace_back(m[1], m[2], dot_attributes(m[3]));
    } else if (std::regex_match(line, m, node)) {
      parsed.ok = parsed.ok && parsed.nodes.count(m[1]) == 0;  // each node once
      parsed.nodes[m[1]] = dot_attributes(m[2]);
    } else if (line.rfind("  graph [", 0) != 0 && line.rfind("  node [", 0) != 0 && line.rfind("  edge [", 0) != 0) {
      parsed.ok = false;
    }
  }
  parsed.ok = parsed.ok && depth == 0;
  return parsed;
}

// 5 clusters, each with 1,000 workspaces; 50 vaults of one key each, the
// first five used by the clusters.
Scenario large_scenario() {
  Scenario s;
  s.name = "large";
  s.duration_ms = kDay;
  for (int v = 0; v < 50; ++v) {
    VaultDecl vault;
    vault.name = "kv" + std::to_string(v);
    vault.region = "westeurope";
    vault.keys.push_back({"k", {"v1", "v2"}, {}});
    s.key_vaults.push_back(vault);
  }
  for (int c = 0; c < 5; ++c) {
    ClusterDecl cluster;
    cluster.name = "c" + std::to_string(c);
    cluster.region = "westeurope";
    cluster.key = KeyRef{"kv" + std::to_string(c), "k", ""};
    cluster.key_since_ms = 10 * kDay;
    s.clusters.push_back(cluster);
    s.grants.push_back({"cluster:" + cluster.name, "kv" + std::to_string(c), kAllPermissions, {}});
  }
  for (int w = 0; w < 5000; ++w) {
    WorkspaceDecl ws;
    ws.name = "ws" + std::to_string(w);
    ws.region = "westeurope";
    ws.cluster = "c" + std::to_string(w % 5);
    ws.ingest_gb_per_day = 1;
    ws.existing_data_ms = 30 * kDay;
    s.workspaces.push_back(ws);
  }
  return s;
}

}  // namespace

// ---- the graph and its queries -------------------------------------------------

TEST_CASE("Graph: every declared resource is a vertex, in declaration order, with its attributes") {
  const ResourceGraph graph(load(two_clusters()));
  CHECK(graph.names(NodeKind::kVault) == Names{"kv"});
  CHECK(graph.names(NodeKind::kKey) == Names{"kv/k1", "kv/k2"});
  CHECK(graph.names(NodeKind::kVersion) == Names{"kv/k1/v1", "kv/k1/v2", "kv/k2/v1"});
  CHECK(graph.names(NodeKind::kCluster) == Names{"c1", "c2"});
  CHECK(graph.names(NodeKind::kIdentity) == Names{"cluster:c1", "cluster:c2"});
  CHECK(graph.names(NodeKind::kWorkspace) == Names{"w1", "w2", "w3"});
  const GraphNode& vault = graph.node(*graph.find(NodeKind::kVault, "kv"));
  CHECK(vault.region == "westeurope");
  CHECK(vault.tenant == "default");
  CHECK(vault.subscription == "sub");
  CHECK(graph.node(*graph.find(NodeKind::kWorkspace, "w3")).state == "unlinked");
  CHECK(graph.workspaces_of("c1") == Names{"w1"});
  CHECK(graph.clusters_with_identity("cluster:c2") == Names{"c2"});
  CHECK(graph.clusters_using_vault("kv") == Names{"c1", "c2"});
}

TEST_CASE("R1 an auto-rotating cluster's AEK is wrapped by the newest version, R2 an explicit one by its own") {
  const ResourceGraph graph(load(two_clusters()));
  CHECK(graph.protection_of(*graph.find(NodeKind::kCluster, "c1")) == "cmk:kv/k1/v2");
  CHECK(graph.protection_of(*graph.find(NodeKind::kCluster, "c2")) == "cmk:kv/k2/v1");
  CHECK(graph.clusters_using_key("kv", "k1") == Names{"c1"});
  CHECK(graph.clusters_using_key("kv", "k1", "v2") == Names{"c1"});
  CHECK(graph.clusters_using_key("kv", "k1", "v1").empty());
  CHECK(graph.clusters_using_key("kv", "nope").empty());
}

TEST_CASE("R1 R3 auto-rotation picks up an added version, disabling the version in use leaves the AEK on it") {
  const Scenario s = load(two_clusters("  - {at: 1d, action: add_key_version, vault: kv, key: k1, version: v3}\n"
                                       "  - {at: 2d, action: disable_key_version, vault: kv, key: k1, version: v3}\n"
                                       "  - {at: 3d, action: add_key_version, vault: kv, key: k1, version: v4}\n"));
  CHECK(graph_at(s, kDay).clusters_using_key("kv", "k1", "v3") == Names{"c1"});
  CHECK(graph_at(s, kDay).clusters_using_key("kv", "k1", "v2").empty());
  // R3: the AEK is wrapped by v3 until the storage can unwrap it again
  CHECK(graph_at(s, 3 * kDay).clusters_using_key("kv", "k1", "v3") == Names{"c1"});
  CHECK(graph_at(s, 3 * kDay).clusters_using_key("kv", "k1", "v4").empty());
  CHECK(graph_at(s, 3 * kDay).node(*graph_at(s, 3 * kDay).find(NodeKind::kVersion, "kv/k1/v3")).state == "disabled");
}

TEST_CASE("Graph: events keep it current: grants, links, clusters created, moved to another key and deleted") {
  std::string yaml = two_clusters(
      "  - {at: 1d, action: update_cluster_key, cluster: c1, vault: kv, key: k2, version: v1}\n"
      "  - {at: 2d, action: unlink_workspace, workspace: w1}\n"
      "  - {at: 3d, action: link_workspace, workspace: w3, cluster: c2}\n"
      "  - {at: 4d, action: remove_access, identity: \"cluster:c2\", vault: kv}\n"
      "  - {at: 5d, action: create_cluster, cluster: c30, region: westeurope, subscription: sub,\n"
      "     identity: \"user_assigned:uai\", capacity_gb_per_day: 100, key: {vault: kv, key: k1}}\n"
      "  - {at: 6d, action: delete_cluster, cluster: c2}\n"
      "  - {at: 7d, action: link_workspace, workspace: nope, cluster: c1}\n");
  yaml = with(yaml, "clusters:\n", "identities:\n  - {name: uai}\nclusters:\n");
  yaml = with(yaml, "workspaces:\n", "  - {identity: uai, vault: kv}\nworkspaces:\n");
  const Scenario s = load(yaml);
  const auto has_grant = [](const ResourceGraph& g, const std::string& cluster) {
    const auto reached = g.dependencies(*g.find(NodeKind::kCluster, cluster),
                                        edge_bit(EdgeKind::kIdentity) | edge_bit(EdgeKind::kGrant), kPermWrap | kPermUnwrap);
    return std::binary_search(reached.begin(), reached.end(), *g.find(NodeKind::kVault, "kv"));
  };
  SECTION("at the start") {
    const ResourceGraph g = graph_at(s, 0);
    CHECK(g.clusters_using_key("kv", "k1") == Names{"c1"});
    CHECK(g.clusters_using_key("kv", "k2") == Names{"c2"});
    CHECK(has_grant(g, "c2"));
  }
  SECTION("C2 R4 a cluster moved to another key depends on the new key only") {
    const ResourceGraph g = graph_at(s, kDay);
    CHECK(g.clusters_using_key("kv", "k1").empty());
    CHECK(g.clusters_using_key("kv", "k2") == Names{"c1", "c2"});
  }
  SECTION("W3 D12 an unlinked workspace leaves the cluster's list but its data stays in the storage") {
    const ResourceGraph g = graph_at(s, 2 * kDay);
    CHECK(g.workspaces_of("c1").empty());
    CHECK(g.node(*g.find(NodeKind::kWorkspace, "w1")).state == "unlinked");
    const KeyImpact impact = impact_of(g, "kv/k2");
    const WorkspaceImpact& w1 = workspace_row(impact, "w1");
    CHECK_FALSE(w1.linked);
    CHECK(w1.gb_per_day_dropped == 0);
    CHECK(w1.gb_inaccessible == Approx(1200));  // [-10d, 2d) at 100 GB/day, under k1/v2 then k2/v1
  }
  SECTION("W1 a linked workspace joins the cluster's list") {
    const ResourceGraph g = graph_at(s, 3 * kDay);
    CHECK(g.workspaces_of("c2") == Names{"w2", "w3"});
  }
  SECTION("D6 a removed grant cuts the grant path") {
    CHECK_FALSE(has_grant(graph_at(s, 4 * kDay), "c2"));
    CHECK(has_grant(graph_at(s, 4 * kDay), "c1"));
  }
  SECTION("C1 a created cluster appears with its identity and key") {
    const ResourceGraph g = graph_at(s, 5 * kDay);
    CHECK(g.clusters_using_key("kv", "k1") == Names{"c30"});
    CHECK(g.clusters_with_identity("uai") == Names{"c30"});
    REQUIRE(g.find(NodeKind::kCluster, "c30"));
    CHECK(g.protection_of(*g.find(NodeKind::kCluster, "c30")) == "cmk:kv/k1/v2");
  }
  SECTION("C5 a deleted cluster depends on nothing and its workspaces are unlinked") {
    std::vector<std::string> skipped;
    const ResourceGraph g = graph_at(s, 7 * kDay, &skipped);
    CHECK(g.clusters_using_key("kv", "k2") == Names{"c1"});
    CHECK(g.workspaces_of("c2").empty());
    CHECK(g.node(*g.find(NodeKind::kCluster, "c2")).state == "deleted");
    CHECK(g.node(*g.find(NodeKind::kWorkspace, "w2")).state == "unlinked");
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0] == "events[6] at 7d: link_workspace: workspace 'nope' not found");
  }
}

TEST_CASE("C1 C2 C3 C6 W3 the graph refuses the changes the service refuses, and says why") {
  std::string yaml = two_clusters(
      "  - {at: 1h, action: set_identity, cluster: c1, identity: none}\n"
      "  - {at: 2h, action: set_identity, cluster: c1, identity: system_assigned}\n"
      "  - {at: 3h, action: update_cluster_key, cluster: c2, vault: kv-east, key: k}\n"
      "  - {at: 4h, action: update_cluster_key, cluster: c2, vault: kv-weak, key: k}\n"
      "  - {at: 5h, action: link_workspace, workspace: w-east, cluster: c2}\n"
      "  - {at: 6h, action: create_cluster, cluster: c90, region: westeurope, subscription: sub,\n"
      "     identity: system_assigned, capacity_gb_per_day: 100, key: {vault: kv, key: k1}}\n"
      "  - {at: 7h, action: delete_workspace, workspace: w3}\n"
      "  - {at: 8h, action: link_workspace, workspace: w3, cluster: c2}\n"
      "  - {at: 9h, action: support_restore, cluster: c1}\n");
  yaml = with(yaml, "clusters:\n",
              "  - {name: kv-east, region: eastus, subscription: sub, soft_delete: true, purge_protection: true,\n"
              "     keys: [{name: k}]}\n"
              "  - {name: kv-weak, region: westeurope, subscription: sub, keys: [{name: k}]}\n"
              "clusters:\n");
  yaml = with(yaml, "workspaces:\n", "  - {identity: \"cluster:c2\", vault: kv-weak}\nworkspaces:\n");
  yaml = with(yaml, "events:\n", "  - {name: w-east, region: eastus, subscription: sub, ingest_gb_per_day: 1}\nevents:\n");
  std::vector<std::string> skipped;
  const ResourceGraph g = graph_at(load(yaml), 10 * kMsPerHour, &skipped);
  CHECK(skipped == Names{
                       "events[1] at 2h: set_identity: an identity set to none is restored only by support_restore (C6)",
                       "events[2] at 3h: update_cluster_key: Key Vault, cluster and linked workspaces must share "
                       "region and tenant (C3)",
                       "events[3] at 4h: update_cluster_key: Key is not recoverable (C2)",
                       "events[4] at 5h: link_workspace: Key Vault, cluster and linked workspaces must share region "
                       "and tenant (C3)",
                       "events[5] at 6h: create_cluster: KeyVaultProperties are set on creation (C1)",
                       "events[7] at 8h: link_workspace: workspace 'w3' not found",
                   });
  CHECK(g.clusters_with_identity("cluster:c1") == Names{"c1"});  // support_restore brought it back
  CHECK(g.clusters_using_key("kv", "k2") == Names{"c2"});
  CHECK(g.workspaces_of("c2") == Names{"w2"});
  CHECK(g.node(*g.find(NodeKind::kWorkspace, "w3")).state == "deleted");
  CHECK_FALSE(g.find(NodeKind::kCluster, "c90"));
}

TEST_CASE("C7 D6 a grant declared twice: Key Vault reads the first policy, the graph's edge shows the last") {
  // access policies: in an rbac vault a permissions list is ignored (C7)
  const std::string yaml = with(with(two_clusters(), "  - {identity: \"cluster:c2\", vault: kv}\n",
                                     "  - {identity: \"cluster:c2\", vault: kv}\n"
                                     "  - {identity: \"cluster:c2\", vault: kv, permissions: [get]}\n"),
                                "    purge_protection: true\n", "    purge_protection: true\n    permission_model: access_policy\n");
  ResourceGraph g(load(yaml));
  const Vertex id = *g.find(NodeKind::kIdentity, "cluster:c2");
  const Vertex kv = *g.find(NodeKind::kVault, "kv");
  CHECK(g.grant_of(id, kv) == std::optional<std::uint8_t>(kAllPermissions));
  for (const auto e : boost::make_iterator_range(boost::out_edges(id, g.graph()))) {
    if (g.graph()[e].kind == EdgeKind::kGrant) CHECK(g.graph()[e].permissions == kPermGet);
  }
  REQUIRE(g.remove_grant("cluster:c2", "kv", kDay).ok());  // the first policy goes; the second stays
  CHECK(g.grant_of(id, kv) == std::optional<std::uint8_t>(kPermGet));
  REQUIRE(g.add_grant("cluster:c2", "kv", kPermWrap | kPermUnwrap, 2 * kDay).ok());  // replaces it
  CHECK(g.grant_of(id, kv) == std::optional<std::uint8_t>(kPermWrap | kPermUnwrap));
}

TEST_CASE("D9 an unlinked workspace's data stops depending on the cluster once retention has purged it") {
  ResourceGraph g = graph_at(load(two_clusters("  - {at: 2d, action: unlink_workspace, workspace: w1}\n")), 2 * kDay);
  CHECK(workspace_names(impact_of(g, "kv/k1")) == Names{"w1"});
  g.advance_to(32 * kDay - 1);
  CHECK(workspace_names(impact_of(g, "kv/k1")) == Names{"w1"});
  g.advance_to(32 * kDay);
  CHECK(workspace_names(impact_of(g, "kv/k1")).empty());
  CHECK(cluster_names(impact_of(g, "kv/k1")) == Names{"c1"});
}

TEST_CASE("Graph: clusters_affected_by names the clusters whose access or workspaces an event changes") {
  const ResourceGraph g(load(two_clusters()));
  const auto affected = [&](const std::string& event) {
    const Scenario s = load(two_clusters("  - " + event + "\n"));
    return g.clusters_affected_by(s.events.at(0));
  };
  CHECK(affected("{at: 1h, action: disable_key, vault: kv, key: k1}") == Names{"c1"});
  CHECK(affected("{at: 1h, action: disable_key_version, vault: kv, key: k2, version: v1}") == Names{"c2"});
  CHECK(affected("{at: 1h, action: remove_access, identity: \"cluster:c2\", vault: kv}") == Names{"c2"});
  CHECK(affected("{at: 1h, action: kv_outage, vault: kv, for: 1h, fault: dns}") == Names{"c1", "c2"});
  CHECK(affected("{at: 1h, action: unlink_workspace, workspace: w2}") == Names{"c2"});
  CHECK(affected("{at: 1h, action: link_workspace, workspace: w3, cluster: c1}") == Names{"c1"});
  CHECK(affected("{at: 1h, action: set_ingestion, workspace: w3, gb_per_day: 1}").empty());
  CHECK(affected("{at: 1h, action: delete_cluster, cluster: c2}") == Names{"c2"});
}

// ---- blast radius ---------------------------------------------------------------

TEST_CASE("K2 D8 revoking a key at the start: its cluster, workspaces, identity and GB by protection class") {
  const ResourceGraph g(load(two_clusters()));
  const KeyImpact impact = impact_of(g, "kv/k1");
  CHECK(cluster_names(impact) == Names{"c1"});
  CHECK(impact.identities == Names{"cluster:c1"});
  CHECK(workspace_names(impact) == Names{"w1"});
  CHECK(impact.clusters[0].auto_rotation);
  CHECK(impact.clusters[0].protection == "cmk:kv/k1/v2");
  CHECK(share(impact.inaccessible, "cmk:kv/k1/v2") == Approx(1000));
  CHECK(impact.gb_inaccessible_cmk == Approx(1000));
  CHECK(impact.gb_inaccessible == Approx(2000));  // D8: with the MMK data in its storage, unqueryable too
  CHECK(impact.gb_per_day_dropped == Approx(100));
  // what would not become inaccessible: MMK data, other clusters' data, shared storage
  CHECK(share(impact.not_affected, "mmk", "cluster:c1") == Approx(1000));
  CHECK(impact.gb_mmk_in_affected_storage == Approx(1000));
  CHECK(share(impact.not_affected, "cmk:kv/k2/v1", "cluster:c2") == Approx(1500));
  CHECK(share(impact.not_affected, "mmk", "shared") == Approx(50));
  CHECK(impact.gb_not_affected == Approx(2550));
  CHECK(impact.clusters_not_affected == Names{"c2 (cmk:kv/k2/v1)"});
  CHECK(impact.workspaces_not_affected == Names{"w2 (cluster c2)", "w3 (unlinked)"});
  const std::string text = format_impact(impact);
  CHECK(text.find("cmk:kv/k1/v2: 1000 GB") != std::string::npos);
  CHECK(text.find("never under the CMK (K5): Auxiliary-plan tables") != std::string::npos);
}

TEST_CASE("R3 revoking a version hits only the clusters whose AEK it wraps") {
  const ResourceGraph g(load(two_clusters()));
  CHECK(cluster_names(impact_of(g, "kv/k1/v1")).empty());
  CHECK(impact_of(g, "kv/k1/v1").gb_inaccessible == 0);
  CHECK(cluster_names(impact_of(g, "kv/k1/v2")) == Names{"c1"});
  CHECK(cluster_names(impact_of(g, "kv/k2/v1")) == Names{"c2"});
  CHECK(share(impact_of(g, "kv/k2/v1").inaccessible, "cmk:kv/k2/v1") == Approx(1500));
}

TEST_CASE("Impact: two clusters sharing a vault: one key's revocation leaves the other's data alone, a shared key takes both") {
  const std::string separate = two_clusters();
  const ResourceGraph g(load(separate));
  CHECK(cluster_names(impact_of(g, "kv/k2")) == Names{"c2"});
  CHECK(workspace_names(impact_of(g, "kv/k2")) == Names{"w2"});
  // both clusters on k1
  const ResourceGraph shared(load(with(separate, "key: {vault: kv, key: k2, version: v1}", "key: {vault: kv, key: k1, version: v1}")));
  const KeyImpact both = impact_of(shared, "kv/k1");
  CHECK(cluster_names(both) == Names{"c1", "c2"});
  CHECK(workspace_names(both) == Names{"w1", "w2"});
  CHECK(both.identities == Names{"cluster:c1", "cluster:c2"});
  CHECK(share(both.inaccessible, "cmk:kv/k1/v2") == Approx(1000));
  CHECK(share(both.inaccessible, "cmk:kv/k1/v1") == Approx(1500));
  // a version: only the cluster pinned to it
  CHECK(cluster_names(impact_of(shared, "kv/k1/v1")) == Names{"c2"});
}

TEST_CASE("R4 one cluster moving keys mid-run: its whole storage follows the new key") {
  const Scenario s = load(two_clusters("  - {at: 1d, action: update_cluster_key, cluster: c1, vault: kv, key: k2, version: v1}\n"));
  const KeyImpact before = impact_of(graph_at(s, kDay - 1), "kv/k2");
  CHECK(cluster_names(before) == Names{"c2"});
  const ResourceGraph after_graph = graph_at(s, kDay);
  const KeyImpact after = impact_of(after_graph, "kv/k2");
  CHECK(cluster_names(after) == Names{"c1", "c2"});
  CHECK(workspace_names(after) == Names{"w1", "w2"});
  // w1's CMK data was written under k1/v2; the AEK is now wrapped by k2 (R4)
  CHECK(share(after.inaccessible, "cmk:kv/k1/v2") == Approx(1100));
  CHECK(cluster_names(impact_of(after_graph, "kv/k1")).empty());
  CHECK(impact_of(after_graph, "kv/k1").gb_inaccessible == 0);
}

TEST_CASE("Impact: a hand-built graph: unknown targets are refused with a suggestion") {
  ResourceGraph g;
  VaultDecl vault;
  vault.name = "kv";
  vault.region = "r";
  vault.keys.push_back({"key-a", {"v1"}, {}});
  g.add_vault(vault);
  ClusterDecl c;
  c.name = "c";
  c.region = "r";
  c.key = KeyRef{"kv", "key-a", ""};
  g.add_cluster(c, 0);
  CHECK(g.add_grant("cluster:c", "kv", kAllPermissions, 0).ok());
  const Status refused = g.add_grant("nobody", "kv", kAllPermissions, 0);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "identity 'nobody' not found");
  WorkspaceDecl w;
  w.name = "w";
  w.cluster = "c";
  w.ingest_gb_per_day = 24;
  w.existing_data_ms = kDay;
  g.add_workspace(w, 0);
  CHECK(workspace_names(impact_of(g, "kv/key-a")) == Names{"w"});
  CHECK(key_impact(g, {"kv", "key-b", ""}).error().message ==
        "no key 'kv/key-b' in the scenario (did you mean 'kv/key-a'?)");
  CHECK(key_impact(g, {"kv", "key-a", "v9"}).error().message.rfind("no version 'kv/key-a/v9'", 0) == 0);
  CHECK_FALSE(parse_key_target("kv"));
  CHECK_FALSE(parse_key_target("kv//v1"));
  CHECK(parse_key_target("kv/k/v1")->version == "v1");
}

TEST_CASE("K2 the impact's GB at the start equal the model's starting ledger") {
  // w1's daily profile makes the integration non-trivial
  std::string yaml = with(two_clusters(), "ingest_gb_per_day: 100, retention: 30d,\n     existing_data: 20d}",
                          "ingest_gb_per_day: 100, retention: 30d,\n     existing_data: 20d, daily_profile: [0.2, 0.2, 0.2, "
                          "0.2, 0.2, 0.4, 0.8, 1.2, 1.6, 2, 2, 2, 2, 2, 2, 1.6, 1.2, 1, 0.8, 0.6, 0.4, 0.2, 0.2, 0.2]}");
  yaml = with(yaml, "duration: 10d", "duration: 1d\nstart: 2026-01-05T07:30:00Z");
  const Scenario s = load(yaml);
  const RunRecord record = run(s);
  const ResourceGraph g(s);
  for (const Vertex w : g.vertices_of(NodeKind::kWorkspace)) {
    const std::string name = g.node(w).name;
    for (const DataShare& d : workspace_data(g, w)) {
      if (d.protection != "mmk" || d.location == "shared") continue;  // the only rows holding existing data alone
      double model = -1;
      for (const auto& row : record.data) {
        if (row.workspace == name && row.protection == "mmk" && row.location == "cluster") model = row.gb_ingested;
      }
      INFO(name);
      CHECK(d.gb == Approx(model).epsilon(1e-9));
    }
  }
  CHECK(share(workspace_data(g, *g.find(NodeKind::kWorkspace, "w1")), "mmk") > 0);
}

TEST_CASE("Impact: every key's blast radius at the start is available to reports") {
  const auto all = impact_of_every_key(load(two_clusters()));
  REQUIRE(all.size() == 2);
  CHECK(all[0].target.str() == "kv/k1");
  CHECK(cluster_names(all[0]) == Names{"c1"});
  CHECK(all[1].target.str() == "kv/k2");
  CHECK(all[1].gb_inaccessible == Approx(1500));
}

TEST_CASE("Graph: 5 clusters, 5,000 workspaces and 50 vaults build and answer an impact query") {
  const ResourceGraph g(large_scenario());
  CHECK(g.vertex_count() == 50 * 4 + 5 * 4 + 5000);
  const KeyImpact impact = impact_of(g, "kv3/k");
  CHECK(cluster_names(impact) == Names{"c3"});
  CHECK(impact.workspaces.size() == 1000);
  CHECK(impact.gb_inaccessible_cmk == Approx(1000 * 10));
  CHECK(impact.gb_inaccessible == Approx(impact.gb_inaccessible_cmk + impact.gb_mmk_in_affected_storage));
  CHECK(cluster_names(impact_of(g, "kv40/k")).empty());
}

// ---- load-time checks --------------------------------------------------------------

TEST_CASE("C3 a cluster whose key lives in another region is refused") {
  const auto findings = findings_of(with(two_clusters(), "    region: westeurope\n    subscription: sub\n    soft_delete",
                                         "    region: northeurope\n    subscription: sub\n    soft_delete"));
  CHECK(finding_lines(findings) ==
        "t.yaml:14:5: cluster 'c1' is in region 'westeurope' but its key's vault 'kv' is in 'northeurope': Key Vault "
        "and cluster must share region and tenant [C3]\n"
        "t.yaml:16:5: cluster 'c2' is in region 'westeurope' but its key's vault 'kv' is in 'northeurope': Key Vault "
        "and cluster must share region and tenant [C3]\n");
  CHECK(has_errors(findings));
}

TEST_CASE("C3 a cluster whose key lives in another tenant is refused") {
  const auto findings = findings_of(with(two_clusters(), "    subscription: sub\n    soft_delete",
                                         "    subscription: sub\n    tenant: fabrikam\n    soft_delete"));
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].behaviour == "C3");
  CHECK(findings[0].message ==
        "cluster 'c1' is in tenant 'default' but its key's vault 'kv' is in tenant 'fabrikam': Key Vault and cluster "
        "must share region and tenant");
}

TEST_CASE("C3 a workspace linked to a cluster in another region or tenant is refused") {
  std::string yaml = with(two_clusters(), "{name: w2, region: westeurope", "{name: w2, region: eastus");
  yaml = with(yaml, "{name: w1, region: westeurope,", "{name: w1, region: westeurope, tenant: other,");
  CHECK(finding_lines(findings_of(yaml)) ==
        "t.yaml:22:5: workspace 'w1' is in tenant 'other' but its cluster 'c1' is in tenant 'default': linked "
        "workspaces must share the cluster's tenant [C3]\n"
        "t.yaml:24:5: workspace 'w2' is in region 'eastus' but its cluster 'c2' is in 'westeurope': linked workspaces "
        "must share the cluster's region [C3]\n");
  // an unlinked workspace may be anywhere
  CHECK(findings_of(with(two_clusters(), "{name: w3, region: westeurope", "{name: w3, region: eastus")).empty());
}

TEST_CASE("C2 a cluster with no grant path from its identity to its vault is refused") {
  const auto findings = findings_of(with(two_clusters(), "  - {identity: \"cluster:c2\", vault: kv}\n", ""));
  CHECK(finding_lines(findings) ==
        "t.yaml:16:5: cluster 'c2' has no grant path to vault 'kv': its identity 'cluster:c2' has no grant there, so "
        "its key 'kv/k2' could not have been set (\"Failed to validate key in Key Vault\"); add it to grants: [C2]\n");
}

TEST_CASE("C7 a grant without wrap or unwrap gives no grant path") {
  // access policies: in an rbac vault a permissions list is ignored (C7)
  const auto findings = findings_of(with(with(two_clusters(), "  - {identity: \"cluster:c2\", vault: kv}\n",
                                              "  - {identity: \"cluster:c2\", vault: kv, permissions: [get, unwrap]}\n"),
                                         "    purge_protection: true\n",
                                         "    purge_protection: true\n    permission_model: access_policy\n"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].behaviour == "C7");
  CHECK(findings[0].severity == Severity::kError);
  CHECK(findings[0].message.find("lacks wrap or unwrap") != std::string::npos);
}

TEST_CASE("C6 a user-assigned identity gives a grant path, identity none gives none") {
  std::string yaml = with(two_clusters(), "clusters:\n", "identities:\n  - {name: uai}\nclusters:\n");
  yaml = with(yaml, "name: c2, region: westeurope, subscription: sub, identity: system_assigned",
              "name: c2, region: westeurope, subscription: sub, identity: \"user_assigned:uai\"");
  yaml = with(yaml, "identity: \"cluster:c2\"", "identity: uai");
  CHECK(finding_lines(findings_of(yaml)).empty());
  const std::string none = with(two_clusters(), "name: c2, region: westeurope, subscription: sub, identity: system_assigned",
                                "name: c2, region: westeurope, subscription: sub, identity: none");
  const auto findings = findings_of(none);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].behaviour == "C6");
  CHECK(findings[0].message ==
        "cluster 'c2' uses key 'kv/k2' but its identity is none: nothing can reach its vault (set system_assigned or "
        "user_assigned:NAME)");
  CHECK(findings[1].severity == Severity::kWarning);  // and its grant is now unused
  CHECK(findings[1].behaviour == "C7");
}

TEST_CASE("K1 C6 C7 W1 a resource nothing refers to is a warning, not an error") {
  std::string yaml = with(two_clusters(), "      - {name: k2, versions: [v1]}\n",
                          "      - {name: k2, versions: [v1]}\n      - {name: k-spare}\n"
                          "  - {name: kv-idle, region: westeurope, keys: [{name: k}]}\n");
  yaml = with(yaml, "clusters:\n", "identities:\n  - {name: uai-idle}\nclusters:\n");
  yaml = with(yaml, "grants:\n", "  - {name: c-empty, region: westeurope, subscription: sub, identity: system_assigned}\ngrants:\n");
  yaml = with(yaml, "  - {identity: \"cluster:c2\", vault: kv}\n",
              "  - {identity: \"cluster:c2\", vault: kv}\n  - {identity: \"cluster:c-empty\", vault: kv}\n");
  const auto findings = findings_of(yaml);
  CHECK(finding_lines(findings) ==
        "t.yaml:13:9: warning: key 'kv/k-spare' is used by no cluster: it protects no data [K1]\n"
        "t.yaml:14:5: warning: vault 'kv-idle' is used by no cluster: none of its keys wraps a cluster's AEK [K1]\n"
        "t.yaml:16:5: warning: identity 'uai-idle' is used by no cluster [C6]\n"
        "t.yaml:22:5: warning: cluster 'c-empty' has no workspace linked to it [W1]\n"
        "t.yaml:26:5: warning: grant of 'cluster:c-empty' on vault 'kv' is used by no cluster: no cluster with that "
        "identity keeps its key there [C7]\n");
  CHECK_FALSE(has_errors(findings));
}

TEST_CASE("Checks: what an event will use or link counts as referenced") {
  std::string yaml = with(two_clusters(), "      - {name: k2, versions: [v1]}\n",
                          "      - {name: k2, versions: [v1]}\n      - {name: k3}\n");
  yaml = with(yaml, "grants:\n", "  - {name: c-later, region: westeurope, subscription: sub, identity: system_assigned}\ngrants:\n");
  CHECK(findings_of(yaml).size() == 2);  // k3 unused, c-later has no workspace
  yaml += "events:\n"
          "  - {at: 1d, action: update_cluster_key, cluster: c1, vault: kv, key: k3}\n"
          "  - {at: 1d, action: link_workspace, workspace: w3, cluster: c-later}\n";
  CHECK(finding_lines(findings_of(yaml)).empty());
}

TEST_CASE("Checks: no shipped scenario has a graph error, and each warning is a known, real one") {
  const std::set<std::string> known = {};
  for (const auto& entry : fs::directory_iterator(std::string(CMKSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    const Expected<Scenario> loaded = load_scenario_file(entry.path().string());
    REQUIRE(loaded.ok());
    INFO(entry.path());
    const auto findings = check_scenario_graph(*loaded);
    CHECK_FALSE(has_errors(findings));
    for (const auto& f : findings) CHECK(known.count(f.str(entry.path().filename().string())) == 1);
  }
}

// ---- the command --------------------------------------------------------------------

TEST_CASE("CLI: validate reports graph errors as file:line:col: message [C3], exit 2, and warnings with exit 0") {
  const fs::path bad = write_scratch("c3.yaml", with(two_clusters(), "{name: w2, region: westeurope", "{name: w2, region: eastus"));
  const Result r = cmksim_cli("validate " + bad.string());
  CHECK(r.status == 2);
  CHECK(r.err == bad.string() +
                     ":24:5: workspace 'w2' is in region 'eastus' but its cluster 'c2' is in 'westeurope': linked "
                     "workspaces must share the cluster's region [C3]\n");
  CHECK(r.out.empty());
  const fs::path warn = write_scratch("warn.yaml", with(two_clusters(), "clusters:\n", "identities:\n  - {name: uai}\nclusters:\n"));
  const Result w = cmksim_cli("validate " + warn.string());
  CHECK(w.status == 0);
  CHECK(w.err == warn.string() + ":14:5: warning: identity 'uai' is used by no cluster [C6]\n");
  CHECK(w.out == warn.string() + ": valid (0 events, 0 expectations)\n");
}

TEST_CASE("CLI: graph --format dot reads back as every vertex and edge, labelled wrap/unwrap, grant, link") {
  const std::string file = shipped("security-review-worst-case.yaml");
  const Result r = cmksim_cli("graph " + file + " --format dot");
  REQUIRE(r.status == 0);
  const ParsedDot dot = parse_dot(r.out);
  CHECK(dot.ok);
  const Expected<Scenario> loaded = load_scenario_file(file);
  REQUIRE(loaded.ok());
  const ResourceGraph g(*loaded);
  CHECK(dot.nodes.size() == g.vertex_count());
  CHECK(dot.edges.size() == g.edge_count());
  std::set<std::string> labels;
  for (const auto& [from, to, attrs] : dot.edges) {
    CHECK(dot.nodes.count(from) == 1);
    CHECK(dot.nodes.count(to) == 1);
    labels.insert(attrs.at("label"));
  }
  CHECK(labels.count("wrap/unwrap (auto-rotation)") == 1);
  CHECK(labels.count("grant (get, wrap, unwrap)") == 1);
  CHECK(labels.count("link") == 1);
  const auto& cluster = dot.nodes.at("cluster:cl-finance");
  CHECK(cluster.at("kind") == "cluster");
  CHECK(cluster.at("state") == "succeeded");
  CHECK(cluster.at("region") == "westeurope");
  CHECK(cluster.at("subscription") == "sub-ops");
  CHECK(cluster.at("shape") == "box");
  // the edges read back are the graph's edges
  std::set<std::tuple<std::string, std::string, std::string>> from_dot, from_graph;
  for (const auto& [from, to, attrs] : dot.edges) from_dot.insert({from, to, attrs.at("kind")});
  const Graph& raw = g.graph();
  for (const auto e : boost::make_iterator_range(boost::edges(raw))) {
    const GraphNode& s = raw[boost::source(e, raw)];
    const GraphNode& t = raw[boost::target(e, raw)];
    from_graph.insert({std::string(node_kind_name(s.kind)) + ":" + s.name,
                       std::string(node_kind_name(t.kind)) + ":" + t.name, edge_kind_name(raw[e].kind)});
  }
  CHECK(from_dot == from_graph);
  // disabled and deleted resources are styled by state
  const fs::path events = write_scratch("states.yaml", two_clusters("  - {at: 1h, action: disable_key, vault: kv, key: k1}\n"
                                                                    "  - {at: 2h, action: delete_cluster, cluster: c2}\n"));
  const Result at_3h = cmksim_cli("graph " + events.string() + " --format dot --at 3h");
  const ParsedDot later = parse_dot(at_3h.out);
  CHECK(later.nodes.at("key:kv/k1").at("state") == "disabled");
  CHECK(later.nodes.at("key:kv/k1").at("style") == "filled,dashed");
  // C5: the deletion takes delete_unlink_duration (1h30m): pending at 3h, done at 3h30m
  CHECK(later.nodes.at("cluster:c2").at("style") == "filled,bold");
  CHECK(later.nodes.at("cluster:c2").at("state") == "deleting");
  CHECK(at_3h.err == events.string() + ": note: pending at 3h: events[1]: delete_cluster c2, requested at 2h "
                                       "(its edges change when it completes)\n");
  const ParsedDot done = parse_dot(cmksim_cli("graph " + events.string() + " --format dot --at 3h30m").out);
  CHECK(done.nodes.at("cluster:c2").at("style") == "filled,dotted,bold");
}

TEST_CASE("CLI: graph DOT output is accepted by Graphviz when it is installed") {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    WARN("graphviz is not installed: dot -Tsvg not run");
    return;
  }
  for (const char* name : {"key-disabled-6h.yaml", "security-review-worst-case.yaml"}) {
    const fs::path dot_file = write_scratch(std::string(name) + ".dot", cmksim_cli("graph " + shipped(name) + " --format dot").out);
    const fs::path svg = dot_file.string() + ".svg";
    fs::remove(svg);
    const std::string command = "dot -Tsvg '" + dot_file.string() + "' -o '" + svg.string() + "' 2>&1";
    INFO(command);
    CHECK(std::system(command.c_str()) == 0);
    std::ifstream in(svg);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("<svg") != std::string::npos);
    CHECK(text.find("wrap/unwrap") != std::string::npos);
  }
}

TEST_CASE("CLI: graph prints an indented tree, at a time, and a blast radius") {
  const std::string file = shipped("key-disabled-6h.yaml");
  const Result text = cmksim_cli("graph " + file);
  REQUIRE(text.status == 0);
  CHECK(text.out.find("vault kv-prod [reachable] region westeurope, tenant contoso, subscription sub-sec") != std::string::npos);
  CHECK(text.out.find("\n            workspace ws-app [linked]") != std::string::npos);
  CHECK(text.out.find("  <- link\n") != std::string::npos);
  CHECK(text.out.find("\nworkspace ws-sandbox [unlinked]") != std::string::npos);
  const Result at = cmksim_cli("graph " + file + " --at 1d1h");
  CHECK(at.out.find("key kv-prod/logs-cmk [disabled]") != std::string::npos);
  CHECK(at.out.find("at 1d1h:") != std::string::npos);
  // D1: with the scenario's start (2026-01-05T00:00:00Z) --at may be an ISO time within the run, as `at:`.
  const Result iso = cmksim_cli("graph " + file + " --at 2026-01-06T01:00:00Z");
  REQUIRE(iso.status == 0);
  CHECK(iso.out.find("key kv-prod/logs-cmk [disabled]") != std::string::npos);
  const Result before = cmksim_cli("graph " + file + " --at 2026-01-05T23:00:00Z");
  REQUIRE(before.status == 0);
  CHECK(before.out.find("key kv-prod/logs-cmk [enabled]") != std::string::npos);
  const Result impact = cmksim_cli("graph " + file + " --impact kv-prod/logs-cmk");
  REQUIRE(impact.status == 0);
  CHECK(impact.out.find("  ws-app on lacluster01: 3000 GB inaccessible, 6000 GB mmk, 300 GB/day dropped") != std::string::npos);
  CHECK(impact.out.find("workspaces not affected: ws-sandbox (unlinked)") != std::string::npos);
  const Result dot = cmksim_cli("graph " + file + " --impact kv-prod/logs-cmk --format dot");
  CHECK(parse_dot(dot.out).nodes.at("cluster:lacluster01").at("penwidth") == "3");
}

TEST_CASE("CLI: graph refuses bad input with one message and exit 2") {
  const std::string file = shipped("key-disabled-6h.yaml");
  const struct {
    std::string args, message;
  } cases[] = {
      {file + " --impact kv-prod/logs-cmx",
       "cmksim graph: --impact: no key 'kv-prod/logs-cmx' in the scenario (did you mean 'kv-prod/logs-cmk'?)\n"},
      {file + " --impact kv-prod/", "cmksim graph: --impact expects VAULT/KEY, VAULT/KEY/VERSION, a vault or an identity, "
                                    "got 'kv-prod/'\n"},
      {file + " --impact kv-prd",
       "cmksim graph: --impact: no vault or identity 'kv-prd' in the scenario (a key is VAULT/KEY) (did you mean "
       "'kv-prod'?)\n"},
      {file + " --format svg", "cmksim graph: --format expects text or dot, got 'svg'\n"},
      {file + " --at 4d", "cmksim graph: --at 4d is after the scenario's end (3d)\n"},
      {file + " --at soon", ""},
      {file + " --at 2026-01-09T00:00:00Z", "cmksim graph: --at 2026-01-09T00:00:00Z is after the scenario's end (3d)\n"},
      {file + " --at 2026-01-04T23:00:00Z",
       "cmksim graph: --at 2026-01-04T23:00:00Z is before the scenario's start (2026-01-05T00:00:00Z)\n"},
      {file + " --at 2026-13-01T00:00:00Z", ""},
      {shipped("access-policy-removed.yaml") + " --at 2026-01-05T01:00:00Z",
       "cmksim graph: --at 2026-01-05T01:00:00Z is a date, but the scenario has no 'start' (give a duration like "
       "1d6h)\n"},
      {file + " --fromat dot", "cmksim graph: unknown option '--fromat' (did you mean '--format'?)\n"},
      {"", ""},
  };
  for (const auto& c : cases) {
    const Result r = cmksim_cli("graph " + c.args);
    INFO(c.args << "\n" << r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    if (!c.message.empty()) CHECK(r.err == c.message);
  }
  CHECK(cmksim_cli("graph --help").status == 0);
}

TEST_CASE("W1 C1 C2 C5 D5 graph --at follows the model: asynchronous operations show as pending, then change the graph as they complete") {
  const Scenario s = load(two_clusters(
      "  - {id: move, at: 1d, action: update_cluster_key, cluster: c1, vault: kv, key: k2, version: v1}\n"
      "  - {id: link, at: 1d, action: link_workspace, workspace: w3, cluster: c2}\n"
      "  - {id: down, at: 2d, action: kv_outage, vault: kv, for: 3h, fault: timeout}\n"));
  const auto snapshot_at = [&](std::uint64_t seed, TimeMs at) {
    RunSettings settings;
    const Expected<Profile> profile = build_profile(s, {}, "");
    REQUIRE(profile.ok());
    settings.profile = *profile;
    settings.seed = seed;
    return graph_snapshot(s, settings, at);
  };
  const auto pending = [](const GraphSnapshot& snap, const std::string& id) {
    for (const OperationRow& op : snap.operations) {
      if (op.event_id == id) return op.status == 202 && !op.completed_ms;
    }
    return false;
  };
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    const RunRecord record = run(s, seed);
    const TimeMs moved = *operation(record, "move").completed_ms;
    const TimeMs linked = *operation(record, "link").completed_ms;
    REQUIRE(moved > kDay);
    REQUIRE(linked > kDay);
    // Requested, not completed: the graph is as before, and the operations are pending.
    const auto state = [](const GraphSnapshot& snap, NodeKind kind, const std::string& name) {
      return snap.graph.node(*snap.graph.find(kind, name)).state;
    };
    const GraphSnapshot before_move = snapshot_at(seed, moved - 1);
    CHECK(before_move.graph.clusters_using_key("kv", "k1") == Names{"c1"});
    CHECK(pending(before_move, "move"));
    CHECK(state(before_move, NodeKind::kCluster, "c1") == "updating");
    const GraphSnapshot before_link = snapshot_at(seed, linked - 1);
    CHECK(before_link.graph.workspaces_of("c2") == Names{"w2"});
    CHECK(pending(before_link, "link"));
    CHECK(state(before_link, NodeKind::kWorkspace, "w3") == "linking");
    // Completed: the new key and the new link, at the very millisecond of the run's completed_ms.
    const GraphSnapshot after_move = snapshot_at(seed, moved);
    CHECK(after_move.graph.clusters_using_key("kv", "k1").empty());
    CHECK(after_move.graph.clusters_using_key("kv", "k2") == Names{"c1", "c2"});
    CHECK_FALSE(pending(after_move, "move"));
    CHECK(state(after_move, NodeKind::kCluster, "c1") == "succeeded");
    const GraphSnapshot after_link = snapshot_at(seed, linked);
    CHECK(after_link.graph.workspaces_of("c2") == Names{"w2", "w3"});
    CHECK(state(after_link, NodeKind::kWorkspace, "w3") == "linked");
  }
  // C1: a cluster created by an event is provisioning until its operation completes.
  const Scenario created = load(two_clusters(
      "  - {id: new, at: 1h, action: create_cluster, cluster: cluster3, region: westeurope, subscription: sub,\n"
      "     identity: system_assigned, capacity_gb_per_day: 100}\n"));
  RunSettings settings;
  const Expected<Profile> profile = build_profile(created, {}, "");
  REQUIRE(profile.ok());
  settings.profile = *profile;
  const TimeMs provisioned = *operation(run(created), "new").completed_ms;
  REQUIRE(provisioned > kMsPerHour);
  const GraphSnapshot provisioning = graph_snapshot(created, settings, provisioned - 1);
  CHECK(provisioning.graph.node(*provisioning.graph.find(NodeKind::kCluster, "cluster3")).state == "provisioning");
  const GraphSnapshot ready = graph_snapshot(created, settings, provisioned);
  CHECK(ready.graph.node(*ready.graph.find(NodeKind::kCluster, "cluster3")).state == "succeeded");

  // D5: the outage shows on the vault while it lasts (it interrupts nothing).
  const GraphSnapshot during = snapshot_at(1, 2 * kDay + kMsPerHour);
  CHECK(during.graph.node(*during.graph.find(NodeKind::kVault, "kv")).state == "fault");
  const GraphSnapshot after = snapshot_at(1, 2 * kDay + 3 * kMsPerHour);
  CHECK(after.graph.node(*after.graph.find(NodeKind::kVault, "kv")).state == "reachable");
}

TEST_CASE("C5 graph --at: a cluster re-created under a freed name has a vertex of its own, the deleted one keeps its own") {
  // C1: a created cluster's name has 3 to 63 characters, so c2 becomes cl2
  std::string yaml = two_clusters("  - {id: del, at: 1h, action: delete_cluster, cluster: c2}\n"
                                    "  - {id: again, at: 5h, action: create_cluster, cluster: c2, identity: system_assigned, region: westeurope,\n"
                                    "     subscription: sub, capacity_gb_per_day: 500}\n",
                                  "params: {cluster_soft_delete_period: 1h}\n");
  for (auto at = yaml.find("c2"); at != std::string::npos; at = yaml.find("c2", at + 3)) yaml.replace(at, 2, "cl2");
  const fs::path events = write_scratch("recreate.yaml", yaml);
  const Result at_1d = cmksim_cli("graph " + events.string() + " --format dot --at 1d");
  REQUIRE(at_1d.status == 0);
  const ParsedDot dot = parse_dot(at_1d.out);
  // the name names the newest; the deleted one is told apart by its vertex
  CHECK(dot.nodes.at("cluster:cl2").at("state") == "succeeded");
  int deleted = 0;
  for (const auto& [id, attrs] : dot.nodes) {
    if (id.rfind("cluster:cl2#", 0) == 0 && attrs.at("state") == "deleted") ++deleted;
  }
  CHECK(deleted == 1);
  bool identity_edge = false;
  for (const auto& [from, to, attrs] : dot.edges) {
    if (from == "cluster:cl2" && to == "identity:cluster:cl2" && attrs.at("kind") == "identity") identity_edge = true;
  }
  CHECK(identity_edge);
}
