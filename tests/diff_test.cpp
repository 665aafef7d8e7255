// `cmksim diff` (sim/sweep/diff.h): what it lists for incidents, figures,
// states, operations and expectations, what it treats as context, sweeps run
// by run, and its exit statuses as users see them.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "process_support.h"
#include "sim/io/results_db.h"
#include "sim/sweep/diff.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace cmksim;

namespace {

struct Output {
  int status = -1;
  std::string text;
};

Output run_cmksim(const std::string& args) {
  const test::CommandResult r = test::run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>&1");
  return {r.status, r.output};
}

using test::TempDir;

std::string scenario_file(const std::string& name) { return std::string(CMKSIM_SOURCE_DIR) + "/scenarios/" + name; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A run with one incident, by hand, so every line diff prints is predictable.
RunRecord base_run() {
  RunRecord r;
  r.run.scenario = "s";
  r.run.seed = 7;
  r.run.profile = "azure-monitor-current";
  r.run.timing = "sampled";
  r.run.duration_ms = 3 * kMsPerDay;  // its times are within the run: a database must say so (issue 18)
  r.run.params = {{"aek_cache_ttl", "1h", ParamValue::Kind::kDuration},
                  {"ssd_reload_gb_per_min", "500", ParamValue::Kind::kNumber}};
  IncidentRow i;
  i.cluster = "cl";
  i.cause = "key_disabled";
  i.change_ms = kMsPerDay;
  i.unavailable_ms = kMsPerDay + 30 * kMsPerMinute;
  i.exposure_window_ms = 30 * kMsPerMinute;
  i.recovery_time_ms = 20 * kMsPerMinute;
  i.gb_lost = 12.5;
  i.gb_lost_by_workspace = {{"ws-a", 12.5}};
  r.incidents.push_back(i);
  r.metrics.push_back({"workspace", "ws-a", "gb_lost", 12.5, "GB"});
  r.metrics.push_back({"cluster", "cl", "kv_calls", 1000, "count"});
  r.states.push_back({"cluster", "cl", "available", 0, kMsPerDay + 30 * kMsPerMinute});
  r.states.push_back({"cluster", "cl", "unavailable", kMsPerDay + 30 * kMsPerMinute, 2 * kMsPerDay});
  r.operations.push_back({"off", kMsPerDay, "disable_key", "kv/k", 200, "OK", kMsPerDay});
  r.expectations.push_back({0, "metric exposure_window of cl <= 1h", true, "30m", "<= 1h"});
  return r;
}

}  // namespace

TEST_CASE("Diff: identical runs are the same") {
  const DiffResult d = diff_runs({base_run()}, {base_run()}, "a.db", "b.db");
  CHECK_FALSE(d.differ);
  CHECK(d.runs_differing == 0);
  CHECK(contains(d.text, "same: 1 run"));
}

TEST_CASE("Diff: a changed incident lists each changed figure, before -> after") {
  RunRecord b = base_run();
  b.incidents[0].exposure_window_ms = 10 * kMsPerMinute;
  b.incidents[0].unavailable_ms = kMsPerDay + 10 * kMsPerMinute + 250;
  b.incidents[0].gb_lost = 3.25;
  b.incidents[0].gb_lost_by_workspace = {{"ws-a", 3.25}};
  const DiffResult d = diff_runs({base_run()}, {b}, "a.db", "b.db");
  INFO(d.text);
  CHECK(d.differ);
  CHECK(contains(d.text, "  incident 1 on cl (key_disabled at 1d 00:00:00):\n    unavailable: "));
  CHECK(contains(d.text, "\n    exposure window: 30m -> 10m\n"));
  CHECK(contains(d.text, "unavailable: 1d 00:30:00 -> 1d 00:10:00.250"));
  CHECK(contains(d.text, "GB lost: 12.5 -> 3.25"));
  CHECK(contains(d.text, "GB lost in ws-a: 12.5 -> 3.25"));
  CHECK_FALSE(contains(d.text, "recovery time"));  // unchanged
}

TEST_CASE("Diff: an incident in one run only is named with the database it is in") {
  RunRecord b = base_run();
  b.incidents.clear();
  const DiffResult d = diff_runs({base_run()}, {b}, "before.db", "after.db");
  CHECK(contains(d.text, "incident 1 on cl (key_disabled at 1d 00:00:00): only in before.db"));
}

TEST_CASE("Diff: figures differ beyond rounding noise only") {
  RunRecord b = base_run();
  b.metrics[1].value = 1000 * (1 + 1e-12);
  CHECK_FALSE(diff_runs({base_run()}, {b}, "a", "b").differ);
  b.metrics[1].value = 1001;
  const DiffResult d = diff_runs({base_run()}, {b}, "a", "b");
  CHECK(contains(d.text, "figure kv_calls of cluster cl: 1000 -> 1001 count"));
  b.metrics.push_back({"vault", "kv", "kv_calls", 5, "count"});
  CHECK(contains(diff_runs({base_run()}, {b}, "a", "b").text, "figure kv_calls of vault kv: (none) -> 5 count"));
}

TEST_CASE("Diff: changed state intervals are listed as removed and added") {
  RunRecord b = base_run();
  b.states[0].t_end_ms = kMsPerDay + 10 * kMsPerMinute;
  b.states[1].t_start_ms = kMsPerDay + 10 * kMsPerMinute;
  const DiffResult d = diff_runs({base_run()}, {b}, "a", "b");
  INFO(d.text);
  CHECK(contains(d.text, "states of cluster cl:\n"));
  CHECK(contains(d.text, "- available from 0d 00:00:00 to 1d 00:30:00"));
  CHECK(contains(d.text, "+ available from 0d 00:00:00 to 1d 00:10:00"));
  CHECK(contains(d.text, "- unavailable from 1d 00:30:00 to 2d 00:00:00"));
  CHECK(contains(d.text, "+ unavailable from 1d 00:10:00 to 2d 00:00:00"));
}

TEST_CASE("I17 Diff: a run that kept outcomes only has no states to compare, which is said and is no change") {
  RunRecord outcomes = base_run();
  outcomes.states.clear();
  outcomes.timelines_recorded = false;
  const DiffResult same = diff_runs({base_run()}, {outcomes}, "all.db", "outcomes.db");
  INFO(same.text);
  CHECK_FALSE(same.differ);
  CHECK(contains(same.text, "states not compared: outcomes.db kept outcomes only (cmksim sweep --keep outcomes)"));
  CHECK(contains(same.text, "same: 1 run with the same incidents, figures, operations and expectations"));
  // The outcomes are still compared.
  RunRecord worse = outcomes;
  worse.incidents[0].gb_lost = 20;
  const DiffResult differ = diff_runs({worse}, {base_run()}, "outcomes.db", "all.db");
  INFO(differ.text);
  CHECK(differ.differ);
  CHECK(contains(differ.text, "states not compared: outcomes.db kept outcomes only"));
  CHECK_FALSE(contains(differ.text, "states of cluster"));
  // Both with timelines: states compared, and no such line.
  CHECK_FALSE(contains(diff_runs({base_run()}, {base_run()}, "a", "b").text, "states not compared"));
}

TEST_CASE("Diff: operation statuses and expectation verdicts are compared") {
  RunRecord b = base_run();
  b.operations[0].status = 403;
  b.operations[0].message = "Forbidden";
  b.expectations[0].passed = false;
  b.expectations[0].observed = "1h5m";
  const DiffResult d = diff_runs({base_run()}, {b}, "a", "b");
  CHECK(contains(d.text, "operation off (disable_key kv/k): 200 OK -> 403 Forbidden"));
  CHECK(contains(d.text, "expectation metric exposure_window of cl <= 1h: met (30m) -> not met (1h5m)"));
}

TEST_CASE("Diff: what the runs were asked to do is context, not a change") {
  RunRecord b = base_run();
  b.run.seed = 8;
  b.run.params[0].text = "10m";
  const DiffResult same = diff_runs({base_run()}, {b}, "a", "b");
  CHECK_FALSE(same.differ);
  CHECK(contains(same.text, "seed: 7 -> 8"));
  CHECK(contains(same.text, "parameter aek_cache_ttl: 1h -> 10m"));
  CHECK_FALSE(contains(same.text, "ssd_reload"));
  b.incidents[0].recovery_time_ms = 25 * kMsPerMinute;
  const DiffResult changed = diff_runs({base_run()}, {b}, "a", "b");
  CHECK(changed.differ);
  CHECK(contains(changed.text, "parameter aek_cache_ttl: 1h -> 10m"));
  CHECK(contains(changed.text, "recovery time: 20m -> 25m"));
}

TEST_CASE("Diff: sweeps are compared run by run, each run named with its grid values") {
  std::vector<RunRecord> a(30, base_run()), b(30, base_run());
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i].sweep_params = b[i].sweep_params = {{"aek_cache_ttl", i < 15 ? "10m" : "1h"}};
    if (i % 2 == 1) b[i].incidents[0].gb_lost = 1;
  }
  DiffOptions options;
  options.max_runs_shown = 3;
  const DiffResult d = diff_runs(a, b, "a", "b", options);
  INFO(d.text);
  CHECK(d.runs_compared == 30);
  CHECK(d.runs_differing == 15);
  CHECK(contains(d.text, "run 2 (aek_cache_ttl=10m, seed 7):\n"));
  CHECK_FALSE(contains(d.text, "run 8 "));
  CHECK(contains(d.text, "... and 12 more runs differ"));
  CHECK(contains(d.text, "differ: 15 of 30 runs changed"));

  b.pop_back();
  const DiffResult shorter = diff_runs(a, b, "a", "b");
  CHECK(shorter.differ);
  CHECK(contains(shorter.text, "different numbers of runs: 30 -> 29"));
}

TEST_CASE("CLI diff: the same run twice exits 0, two seeds exit 1 and list the changes") {
  const TempDir dir("diff-test");
  const fs::path a = dir.file("a.db"), b = dir.file("b.db"), c = dir.file("c.db");
  const std::string scenario = scenario_file("key-disabled-6h.yaml");
  REQUIRE(run_cmksim("run " + scenario + " -o " + a.string()).status == 0);
  REQUIRE(run_cmksim("run " + scenario + " -o " + b.string()).status == 0);
  REQUIRE(run_cmksim("run " + scenario + " --seed 8 -o " + c.string()).status == 0);
  const Output same = run_cmksim("diff " + a.string() + " " + b.string());
  INFO(same.text);
  CHECK(same.status == 0);
  CHECK(contains(same.text, "same: 1 run"));
  const Output differ = run_cmksim("diff " + a.string() + " " + c.string());
  INFO(differ.text);
  CHECK(differ.status == 1);
  CHECK(contains(differ.text, "seed: 7 -> 8"));
  CHECK(contains(differ.text, "states of "));
  CHECK(contains(differ.text, "differ: 1 of 1 run changed"));
}

TEST_CASE("CLI diff: a file that is not a cmksim database is bad input (exit 2)") {
  const TempDir dir("diff-test");
  const fs::path a = dir.file("ok.db"), text = dir.file("notes.txt"), empty = dir.file("empty.db");
  REQUIRE(run_cmksim("run " + scenario_file("kv-outage-3h.yaml") + " -o " + a.string()).status == 0);
  std::ofstream(text) << "not a database\n";
  std::ofstream(empty).close();
  for (const fs::path& bad : {text, empty, fs::path(dir.file("missing.db"))}) {
    const Output r = run_cmksim("diff " + a.string() + " " + bad.string());
    INFO(r.text);
    CHECK(r.status == 2);
    CHECK(contains(r.text, bad.string()));
  }
  CHECK(run_cmksim("diff " + a.string()).status == 2);
  CHECK(run_cmksim("diff --help").status == 0);
}

TEST_CASE("CLI diff: a sweep against itself with a changed parameter lists runs with their grid values") {
  const TempDir dir("diff-test");
  const fs::path a = dir.file("sweep-a.db"), b = dir.file("sweep-b.db");
  const std::string sweep = "sweep " + scenario_file("access-policy-removed.yaml") + " --runs 3 --no-progress";
  REQUIRE(run_cmksim(sweep + " --set aek_cache_ttl=1h -o " + a.string()).status == 0);
  REQUIRE(run_cmksim(sweep + " --set aek_cache_ttl=10m -o " + b.string()).status == 0);
  const Output r = run_cmksim("diff " + a.string() + " " + b.string());
  INFO(r.text);
  CHECK(r.status == 1);
  CHECK(contains(r.text, "run 1 (aek_cache_ttl=1h, seed "));
  CHECK(contains(r.text, "grid aek_cache_ttl: 1h -> 10m"));
}

TEST_CASE("CLI diff: a sweep stopped by SIGINT is named as context, not as a change (issue 8)") {
  const TempDir dir("diff-test");
  const RunRecord run = base_run();
  const std::vector<const RunRecord*> runs = {&run, &run};
  std::size_t given = 0;
  const RunSource next = [&](std::int64_t& run_id) -> const RunRecord* {
    if (given == runs.size()) return nullptr;
    run_id = static_cast<std::int64_t>(++given);
    return runs[given - 1];
  };
  const std::string stopped = dir.file("stopped.db");
  REQUIRE(write_results_db(stopped, next, false,
                           [] { return std::optional<SweepStopped>(SweepStopped{5, 0, "SIGINT"}); }).ok());
  const Output r = run_cmksim("diff " + stopped + " " + stopped);
  INFO(r.text);
  CHECK(r.status == 0);
  CHECK(contains(r.text, "note: " + stopped + " holds a sweep stopped by SIGINT after 2 of 5 planned runs\n"));
  CHECK(contains(r.text, "same: 2 runs"));
}
