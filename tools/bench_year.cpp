// Benchmark (b) of the foundation issue: a year of one cluster with 1,000
// workspaces at 20 background queries per hour each, with a six-hour key
// revocation in the middle. Prints events/s, wall time and peak memory.
// Run by hand: build/tools/bench_year [--workspaces N] [--days D] [--db PATH]
// (wall-clock timing is allowed here: tools/ never feed the results database)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/io/load_limits.h"
#include "sim/io/results_db.h"
#include "sim/model/model.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/profile.h"

using namespace cmksim;

namespace {

Scenario year_scenario(int workspaces, int days) {
  Scenario s;
  s.name = "bench-year";
  s.file = "(generated)";
  s.duration_ms = days * kMsPerDay;
  VaultDecl vault;
  vault.name = "kv-bench";
  vault.region = "westeurope";
  vault.soft_delete = vault.purge_protection = true;
  vault.keys.push_back(KeyDecl{"cmk", {"v1"}, {}});
  s.key_vaults.push_back(vault);
  ClusterDecl cluster;
  cluster.name = "cl-bench";
  cluster.region = "westeurope";
  cluster.capacity_gb_per_day = 5000;
  cluster.key = KeyRef{"kv-bench", "cmk", ""};
  cluster.key_since_ms = 30 * kMsPerDay;
  s.clusters.push_back(cluster);
  s.grants.push_back(GrantDecl{"cluster:cl-bench", "kv-bench", kAllPermissions, {}});
  for (int i = 0; i < workspaces; ++i) {
    WorkspaceDecl ws;
    ws.name = "ws-" + std::to_string(i);
    ws.region = "westeurope";
    ws.cluster = "cl-bench";
    ws.ingest_gb_per_day = 5;
    ws.retention_ms = 90 * kMsPerDay;
    ws.existing_data_ms = 30 * kMsPerDay;
    ws.queries_per_hour = 20;
    s.workspaces.push_back(ws);
  }
  EventDecl disable;
  disable.at_ms = s.duration_ms / 2;
  disable.action = Action::kDisableKey;
  disable.vault = "kv-bench";
  disable.key = "cmk";
  EventDecl enable = disable;
  enable.at_ms += 6 * kMsPerHour;
  enable.action = Action::kEnableKey;
  s.events = {disable, enable};
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  int workspaces = 1000;
  int days = 365;
  std::string db = "/tmp/cmksim-bench-year.db";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--workspaces") workspaces = std::atoi(argv[i + 1]);
    else if (flag == "--days") days = std::atoi(argv[i + 1]);
    else if (flag == "--db") db = argv[i + 1];
  }
  const Scenario scenario = year_scenario(workspaces, days);
  RunSettings settings;
  settings.profile = *profile_by_name("azure-monitor-current");
  // The same bound as `cmksim run` (issue 18, item 7): the default must pass.
  const double work = estimate_work(scenario, settings.profile, scenario.duration_ms);
  std::printf("bench_year: estimated work %.3g (--max-work default %.3g)\n", work, kDefaultMaxWork);
  if (const Status bounded = check_work(scenario, settings.profile, kDefaultMaxWork, scenario.duration_ms); !bounded) {
    std::fprintf(stderr, "bench_year: %s\n", bounded.error().str().c_str());
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const RunRecord record = run_scenario(scenario, settings);
  const auto t1 = std::chrono::steady_clock::now();
  const Status written = write_results_db(db, record);
  const std::string problem = written.ok() ? std::string() : written.error().str();
  const auto t2 = std::chrono::steady_clock::now();
  if (!problem.empty()) {
    std::fprintf(stderr, "bench_year: %s\n", problem.c_str());
    return 1;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double simulate_s = std::chrono::duration<double>(t1 - t0).count();
  const double write_s = std::chrono::duration<double>(t2 - t1).count();
  const auto events = static_cast<double>(record.run.events_processed);
  std::printf("bench_year: %d workspaces x 20 queries/h, %d days, 1 cluster\n", workspaces, days);
  std::printf("  events          %.0f (Key Vault calls and other engine events, plus background queries,\n"
              "                  which are served in batches between state changes)\n", events);
  std::printf("  simulate        %.2f s  (%.2f M events/s)\n", simulate_s, events / simulate_s / 1e6);
  std::printf("  write results   %.2f s  (%zu event rows, %zu kv_calls rows)\n", write_s, record.events.size(),
              record.kv_calls.size());
  std::printf("  wall total      %.2f s\n", simulate_s + write_s);
  std::printf("  peak memory     %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
