// Benchmark of the resource-graph issue: build the graph of 5 clusters,
// 5,000 workspaces and 50 vaults, answer an impact query (the blast radius
// of one key, GB figures included), and run the load-time checks. Prints the
// fastest of --repeat runs for each. Target: well under a second.
// Run by hand: build/tools/bench_graph [--clusters N] [--workspaces N] [--vaults N] [--repeat R]
// (wall-clock timing is allowed here: tools/ never feed the results database)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sim/graph/graph_checks.h"
#include "sim/graph/impact.h"
#include "sim/graph/resource_graph.h"

using namespace cmksim;

namespace {

// `vaults` vaults of one key (two versions) each; cluster i uses vault i's
// key; workspaces are spread round-robin over the clusters.
Scenario graph_scenario(int clusters, int workspaces, int vaults) {
  Scenario s;
  s.name = "bench-graph";
  s.file = "(generated)";
  s.duration_ms = kMsPerDay;
  for (int v = 0; v < vaults; ++v) {
    VaultDecl vault;
    vault.name = "kv-" + std::to_string(v);
    vault.region = "westeurope";
    vault.soft_delete = vault.purge_protection = true;
    vault.keys.push_back(KeyDecl{"cmk", {"v1", "v2"}, {}});
    s.key_vaults.push_back(vault);
  }
  for (int c = 0; c < clusters; ++c) {
    ClusterDecl cluster;
    cluster.name = "cl-" + std::to_string(c);
    cluster.region = "westeurope";
    cluster.capacity_gb_per_day = 5000;
    cluster.key = KeyRef{"kv-" + std::to_string(c % vaults), "cmk", ""};
    cluster.key_since_ms = 30 * kMsPerDay;
    s.clusters.push_back(cluster);
    s.grants.push_back(GrantDecl{"cluster:" + cluster.name, cluster.key->vault, kAllPermissions, {}});
  }
  for (int w = 0; w < workspaces; ++w) {
    WorkspaceDecl ws;
    ws.name = "ws-" + std::to_string(w);
    ws.region = "westeurope";
    ws.cluster = "cl-" + std::to_string(w % clusters);
    ws.ingest_gb_per_day = 5;
    ws.retention_ms = 90 * kMsPerDay;
    ws.existing_data_ms = 60 * kMsPerDay;
    s.workspaces.push_back(ws);
  }
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int int_arg(int argc, char** argv, const char* name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::max(1, std::atoi(argv[i + 1]));
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int clusters = int_arg(argc, argv, "--clusters", 5);
  const int workspaces = int_arg(argc, argv, "--workspaces", 5000);
  const int vaults = int_arg(argc, argv, "--vaults", 50);
  const int repeat = int_arg(argc, argv, "--repeat", 5);
  const Scenario scenario = graph_scenario(clusters, workspaces, vaults);

  double build_s = 1e9, impact_s = 1e9, checks_s = 1e9;
  std::size_t vertices = 0, edges = 0, affected = 0;
  double gb = 0;
  for (int r = 0; r < repeat; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    const ResourceGraph graph(scenario);
    build_s = std::min(build_s, seconds_since(t0));
    vertices = graph.vertex_count();
    edges = graph.edge_count();

    t0 = std::chrono::steady_clock::now();
    const Expected<KeyImpact> impact = key_impact(graph, KeyTarget{"kv-0", "cmk", ""});
    impact_s = std::min(impact_s, seconds_since(t0));
    if (!impact) {
      std::fprintf(stderr, "bench_graph: %s\n", impact.error().message.c_str());
      return 1;
    }
    affected = impact->workspaces.size();
    gb = impact->gb_inaccessible;

    t0 = std::chrono::steady_clock::now();
    const auto findings = check_scenario_graph(scenario);
    checks_s = std::min(checks_s, seconds_since(t0));
    if (has_errors(findings)) {
      std::fprintf(stderr, "bench_graph: the generated scenario has graph errors\n");
      return 1;
    }
  }
  std::printf("graph: %d clusters, %d workspaces, %d vaults: %zu vertices, %zu edges\n", clusters, workspaces, vaults,
              vertices, edges);
  std::printf("build:                %8.2f ms\n", build_s * 1e3);
  std::printf("impact of kv-0/cmk:   %8.2f ms (%zu workspaces, %.0f GB inaccessible)\n", impact_s * 1e3, affected, gb);
  std::printf("build + impact:       %8.2f ms (target: well under 1 s)\n", (build_s + impact_s) * 1e3);
  std::printf("load-time checks:     %8.2f ms\n", checks_s * 1e3);
  std::printf("(fastest of %d runs)\n", repeat);
  return 0;
}
