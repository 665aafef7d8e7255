// `cmksim sweep --keep outcomes` (issue 17, item 4): a sweep that keeps each
// run's outcomes without its timelines holds, table for table, what the same
// sweep keeping everything holds, less the events, states and kv_calls rows;
// shards of it merge to the whole; the report says what it lacks and how to
// get it back.
#include <catch2/catch.hpp>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sim/io/overrides.h"
#include "sim/io/results_reader.h"
#include "sim/model/model.h"
#include "sim/sweep/risk.h"
#include "sim/sweep/shards.h"
#include "sim/sweep/sweep.h"
#include "process_support.h"

using namespace cmksim;

namespace {

using test::TempDir;
using Output = test::CommandResult;

Output run_cmksim(const std::string& args) { return test::run_cmksim_merged(args); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string scenario_file(const std::string& name) { return std::string(CMKSIM_SOURCE_DIR) + "/scenarios/" + name; }

// A year of the production estate under stochastic faults, over a grid of
// two points (so the sweep table is there too), 5 runs each.
SweepPlan risk_plan(bool outcomes_only) {
  const Expected<ScenarioTemplate> scenario = ScenarioTemplate::load(scenario_file("risk-year-production.yaml"));
  REQUIRE(scenario.ok());
  SweepSpec spec;
  spec.axes = {{"aek_cache_ttl", {"10m", "1h"}}};
  spec.runs_per_point = 5;
  spec.outcomes_only = outcomes_only;
  Expected<SweepPlan> plan = make_sweep_plan(*scenario, spec, run_scenario);
  REQUIRE(plan.ok());
  return std::move(plan).value();
}

// The INSERT lines of a dump, by table ("CREATE TABLE" lines under "schema").
std::map<std::string, std::string> dump_by_table(const std::string& db) {
  std::map<std::string, std::string> tables;
  std::istringstream lines(test::sqlite_dump(db));
  std::string line;
  while (std::getline(lines, line)) {
    const std::string insert = "INSERT INTO ";
    if (line.compare(0, insert.size(), insert) != 0) {
      if (line.compare(0, 13, "CREATE TABLE ") == 0) tables["schema"] += line + "\n";
      continue;
    }
    std::string name = line.substr(insert.size(), line.find_first_of(" (", insert.size()) - insert.size());
    if (name.size() > 1 && name.front() == '"') name = name.substr(1, name.size() - 2);
    tables[name] += line + "\n";
  }
  return tables;
}

}  // namespace

TEST_CASE("I17 a sweep keeping outcomes holds every outcome row of the same sweep keeping all, and no timeline") {
  TempDir dir("sweep-keep-test-tables");
  const SweepPlan all = risk_plan(false), outcomes = risk_plan(true);
  REQUIRE(write_sweep(all, dir.file("all.db"), 0, all.total_runs(), 2, nullptr).error.empty());
  REQUIRE(write_sweep(outcomes, dir.file("outcomes.db"), 0, outcomes.total_runs(), 2, nullptr).error.empty());
  std::map<std::string, std::string> a = dump_by_table(dir.file("all.db"));
  std::map<std::string, std::string> o = dump_by_table(dir.file("outcomes.db"));

  for (const char* table : {"runs", "operations", "incidents", "incident_workspaces", "metrics", "data",
                            "expectations", "blast_radius", "sweep"}) {
    INFO(table);
    CHECK(o[table] == a[table]);
  }
  CHECK_FALSE(a["incidents"].empty());  // a year of faults: something to compare
  CHECK_FALSE(a["metrics"].empty());
  for (const char* table : {"events", "states", "kv_calls"}) {
    INFO(table);
    CHECK_FALSE(a[table].empty());
    CHECK(o[table].empty());
  }
  // The tables are all there (readers' SQL keeps working); outcomes_only lists every run.
  CHECK(contains(o["schema"], "CREATE TABLE kv_calls("));
  CHECK(contains(o["schema"], "CREATE TABLE outcomes_only(run_id INTEGER)"));
  CHECK_FALSE(contains(a["schema"], "outcomes_only"));
  std::string listed;
  for (int run = 1; run <= 10; ++run) listed += "INSERT INTO outcomes_only VALUES(" + std::to_string(run) + ");\n";
  CHECK(o["outcomes_only"] == listed);

  // Read back: the runs say so, and their risk figures are those of the whole sweep.
  const Expected<ResultsRead> read_all = read_results_db(dir.file("all.db"));
  const Expected<ResultsRead> read_outcomes = read_results_db(dir.file("outcomes.db"));
  REQUIRE(read_all.ok());
  REQUIRE(read_outcomes.ok());
  REQUIRE(read_outcomes->runs.size() == 10);
  for (std::size_t i = 0; i < 10; ++i) {
    CHECK(read_all->runs[i].timelines_recorded);
    CHECK_FALSE(read_outcomes->runs[i].timelines_recorded);
    const RunOutcome x = outcome_of(read_all->runs[i], static_cast<std::int64_t>(i + 1));
    const RunOutcome y = outcome_of(read_outcomes->runs[i], static_cast<std::int64_t>(i + 1));
    CHECK(x.gb_lost == y.gb_lost);
    CHECK(x.unavailable_s == y.unavailable_s);
    CHECK(x.longest_exposure_s == y.longest_exposure_s);
    CHECK(x.recovery_s == y.recovery_s);
    CHECK(x.incidents == y.incidents);
  }
}

TEST_CASE("I17 shards of a sweep keeping outcomes merge to the database of the whole sweep, empty shards too") {
  TempDir dir("sweep-keep-test-shards");
  const SweepPlan plan = risk_plan(true);
  REQUIRE(write_sweep(plan, dir.file("whole.db"), 0, plan.total_runs(), 1, nullptr).error.empty());
  std::vector<std::string> shards;
  for (const std::uint64_t k : {3u, 13u}) {  // 13 > 10 runs: three shards hold no run
    shards.clear();
    for (std::uint64_t i = k; i-- > 0;) {
      shards.push_back(dir.file("shard-" + std::to_string(i) + "-of-" + std::to_string(k) + ".db"));
      REQUIRE(write_sweep_shard(plan, ShardSpec{i, k}, shards.back(), 1, nullptr).error.empty());
    }
    const std::string merged = dir.file("merged-" + std::to_string(k) + ".db");
    const Expected<std::uint64_t> runs = merge_shards(shards, merged);
    INFO((runs ? std::string() : runs.error().str()));
    REQUIRE(runs.ok());
    CHECK(*runs == 10);
    CHECK(test::sqlite_dump(merged) == test::sqlite_dump(dir.file("whole.db")));
  }
  shards.clear();
  for (std::uint64_t i = 3; i-- > 0;) shards.push_back(dir.file("shard-" + std::to_string(i) + "-of-3.db"));
  // A shard keeping all is another sweep: merge refuses to mix them.
  const SweepPlan other = risk_plan(false);
  REQUIRE(write_sweep_shard(other, ShardSpec{0, 3}, dir.file("all-0.db"), 1, nullptr).error.empty());
  const Expected<std::uint64_t> mixed = merge_shards({dir.file("all-0.db"), shards[0], shards[1]}, dir.file("mixed.db"));
  CHECK_FALSE(mixed.ok());
}

TEST_CASE("I17 the report of a sweep keeping outcomes says its timelines are not stored, what that leaves out, and how to see them") {
  TempDir dir("sweep-keep-test-report");
  const std::string scenario = scenario_file("key-disabled-6h.yaml");
  std::string evidence_d3[2];  // keeping all, keeping outcomes
  for (const char* keep : {"outcomes", "all"}) {
    const std::string db = dir.file(std::string(keep) + ".db");
    const Output swept = run_cmksim("sweep " + scenario + " --runs 3 --no-progress --keep " + keep + " -o " + db);
    INFO(swept.output);
    REQUIRE(swept.status == 0);
    const Output report = run_cmksim("report " + db + " --format md --run 2 -o -");
    REQUIRE(report.status == 0);
    const bool outcomes = std::string(keep) == "outcomes";
    CHECK(contains(report.output, "Timelines not kept") == outcomes);
    CHECK(contains(report.output, "Not in the database: the sweep kept outcomes only") == outcomes);
    CHECK(contains(report.output, "cmksim run " + scenario));  // the command that gives the run in full
    CHECK(contains(report.output, "## Findings"));             // the outcomes are reported either way
    CHECK(contains(report.output, "3 of 3 runs kept their outcomes only") == outcomes);
    // D3 and K1 from the call metrics when the kv_calls rows are not kept: the same evidence.
    const std::size_t d3 = report.output.find("| **D3** |");
    REQUIRE(d3 != std::string::npos);
    evidence_d3[outcomes ? 1 : 0] = report.output.substr(d3, report.output.find('\n', d3) - d3);
    CHECK(contains(report.output, "| **K1** |"));
  }
  CHECK(evidence_d3[0] == evidence_d3[1]);
  CHECK(contains(evidence_d3[0], "Key Vault calls to 1 vault(s)"));
}

TEST_CASE("I17 CLI sweep: --keep all is the default, --keep takes all or outcomes, anything else is bad input") {
  TempDir dir("sweep-keep-test-cli");
  const std::string scenario = scenario_file("key-disabled-6h.yaml");
  const std::string args = "sweep " + scenario + " --runs 2 --no-progress -o ";
  REQUIRE(run_cmksim(args + dir.file("default.db")).status == 0);
  REQUIRE(run_cmksim(args + dir.file("all.db") + " --keep all").status == 0);
  CHECK(test::sqlite_dump(dir.file("default.db")) == test::sqlite_dump(dir.file("all.db")));
  const Output bad = run_cmksim(args + dir.file("bad.db") + " --keep timelines");
  CHECK(bad.status == 2);
  CHECK(contains(bad.output, "--keep expects all or outcomes, got 'timelines'"));
  CHECK(dir.entries() == std::vector<std::string>{"all.db", "default.db"});
}
