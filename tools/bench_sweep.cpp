// Benchmark of the sweep issue: a sweep of 10,000 runs of a shipped scenario
// into one results database, at 1 job and at 2 jobs (every core of the
// development machine). Prints runs/s, the speedup over one job and the peak
// memory of each, and the cores it really had (CPU time / wall time: on a
// busy machine, fewer than its jobs), plus the simulation alone (no database) at each, which
// shows what the writer costs. Each measurement runs in a child process of
// its own, so its peak memory is its own.
// Run by hand: build/tools/bench_sweep [--scenario PATH] [--runs N] [--jobs 1,2] [--db PATH]
//              [--set PATH=a,b]...
// (wall-clock timing is allowed here: tools/ never feed the results database)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_child.h"
#include "sim/model/model.h"
#include "sim/sweep/sweep.h"

using namespace cmksim;
using bench::in_child;
using bench::Measure;

namespace {


std::vector<unsigned> parse_jobs(const std::string& text) {
  std::vector<unsigned> jobs;
  for (const std::string& j : split_values(text)) jobs.push_back(static_cast<unsigned>(std::atoi(j.c_str())));
  return jobs;
}

}  // namespace

int main(int argc, char** argv) {
  SweepSpec spec;
  spec.scenario_path = std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml";
  spec.runs_per_point = 10000;
  std::vector<unsigned> jobs_list = {1, 2};
  std::string db = "/tmp/cmksim-bench-sweep.db";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--scenario") spec.scenario_path = value;
    else if (flag == "--runs") spec.runs_per_point = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--jobs") jobs_list = parse_jobs(value);
    else if (flag == "--db") db = value;
    else if (flag == "--set") {
      const std::size_t eq = value.find('=');
      spec.axes.push_back({value.substr(0, eq), split_values(value.substr(eq + 1))});
    } else {
      std::fprintf(stderr, "bench_sweep: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  const Expected<SweepPlan> planned = make_sweep_plan(spec, run_scenario);
  if (!planned.ok()) {
    std::fprintf(stderr, "bench_sweep: %s\n", planned.error().str().c_str());
    return 2;
  }
  const SweepPlan& plan = *planned;
  const std::uint64_t total = plan.total_runs();
  std::printf("sweep of %s: %llu runs (%zu points), %u cores\n", spec.scenario_path.c_str(),
              static_cast<unsigned long long>(total), plan.points.size(), default_jobs());
  std::printf("%-22s %10s %10s %9s %10s %10s %10s\n", "", "seconds", "runs/s", "speedup", "cores used", "peak MB",
              "db MB");

  for (const unsigned jobs : jobs_list) {
    const Measure sim_only = in_child([&] {
      RunPipeline pipeline(plan, {IndexRange{0, total}}, jobs);
      while (pipeline.next() != nullptr) {
      }
      return true;
    });
    char label[40];
    std::snprintf(label, sizeof label, "%u job%s, no database", jobs, jobs == 1 ? "" : "s");
    if (sim_only.ok) {
      std::printf("%-22s %10.2f %10.0f %9s %10.2f %10.1f %10s\n", label, sim_only.seconds,
                  static_cast<double>(total) / sim_only.seconds, "", sim_only.cpu_seconds / sim_only.seconds,
                  static_cast<double>(sim_only.peak_kb) / 1024.0, "-");
    }
  }
  double base_rate = 0;
  for (const unsigned jobs : jobs_list) {
    const Measure m = in_child([&] { return write_sweep(plan, db, 0, total, jobs, nullptr).error.empty(); });
    if (!m.ok) {
      std::fprintf(stderr, "bench_sweep: the sweep with %u jobs failed\n", jobs);
      return 1;
    }
    const double rate = static_cast<double>(total) / m.seconds;
    if (base_rate == 0) base_rate = rate;
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(db, ec);
    char label[32];
    std::snprintf(label, sizeof label, "%u job%s", jobs, jobs == 1 ? "" : "s");
    std::printf("%-22s %10.2f %10.0f %8.2fx %10.2f %10.1f %10.1f\n", label, m.seconds, rate, rate / base_rate,
                m.cpu_seconds / m.seconds, static_cast<double>(m.peak_kb) / 1024.0,
                ec ? 0.0 : static_cast<double>(bytes) / 1e6);
  }
  std::filesystem::remove(db);
  return 0;
}
