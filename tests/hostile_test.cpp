// Hostile inputs (issue 18, items 2, 6, 7 and 8b): files a careless or
// malicious colleague could hand cmksim. Every case makes its own file (a
// scenario written here, or a normal results database UPDATE-d through
// sqlite3) and checks for one message and exit status 2, never a crash, a
// hang or a silent change of meaning.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "process_support.h"
#include "sim/io/load_limits.h"
#include "sim/io/scenario_loader.h"
#include "sim/io/profile_builder.h"
#include "sim/profile/profile.h"
#include "sim/io/profile_loader.h"
#include "sim/report/report_data.h"

namespace fs = std::filesystem;
using cmksim::test::CommandResult;
using cmksim::test::run_command;
using cmksim::test::TempDir;

namespace {

CommandResult cli(const std::string& args) { return run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>&1"); }

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string source(const std::string& relative) { return std::string(CMKSIM_SOURCE_DIR) + "/" + relative; }

std::size_t line_count(const std::string& text) {
  std::size_t n = 0;
  for (const char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

// A small valid scenario; `extra_params` goes under params:, `workspace`
// replaces the workspace's queries_per_hour line, `clusters` repeats the cluster.
std::string scenario_text(const std::string& duration, const std::string& queries_per_hour,
                          const std::string& params = "", int clusters = 1) {
  std::string text =
      "version: 1\n"
      "name: hostile\n"
      "seed: 1\n"
      "duration: " + duration + "\n"
      "profile: azure-monitor-current\n" +
      (params.empty() ? "" : "params:\n" + params) +
      "key_vaults:\n"
      "  - name: kv\n"
      "    region: westeurope\n"
      "    keys:\n"
      "      - name: k\n"
      "        versions: [v1]\n"
      "clusters:\n";
  for (int c = 0; c < clusters; ++c) {
    text += "  - name: c" + std::to_string(c) + "\n"
            "    region: westeurope\n"
            "    subscription: s" + std::to_string(c) + "\n"
            "    identity: system_assigned\n"
            "    key: {vault: kv, key: k, version: \"\"}\n";
  }
  text +=
      "grants:\n"
      "  - {identity: \"cluster:c0\", vault: kv}\n"
      "workspaces:\n"
      "  - name: ws\n"
      "    region: westeurope\n"
      "    cluster: c0\n"
      "    ingest_gb_per_day: 10\n"
      "    queries_per_hour: " + queries_per_hour + "\n";
  return text;
}

// A results database of one normal run, in `dir`.
std::string normal_db(const TempDir& dir, const std::string& name = "run.db") {
  const std::string db = dir.file(name);
  const CommandResult r = cli("run " + source("scenarios/key-disabled-6h.yaml") + " -o " + db);
  REQUIRE(r.status == 0);
  return db;
}

void update(const std::string& db, const std::string& sql) {
  const CommandResult r = run_command("sqlite3 '" + db + "' \"" + sql + "\" 2>&1");
  INFO(r.output);
  REQUIRE(r.status == 0);
}

// report and diff on `db` both refuse it: exit 2, one line naming `where`.
void refused_by_report_and_diff(const TempDir& dir, const std::string& db, const std::string& where) {
  const CommandResult report = cli("report " + db + " -o " + dir.file("report.md"));
  INFO(report.output);
  CHECK(report.status == 2);
  CHECK(line_count(report.output) == 1);
  CHECK(report.output.find(where) != std::string::npos);
  CHECK(report.output.find("rowid") != std::string::npos);
  const std::string good = normal_db(dir, "good.db");
  const CommandResult diff = cli("diff " + good + " " + db);
  INFO(diff.output);
  CHECK(diff.status == 2);
  CHECK(line_count(diff.output) == 1);
  CHECK(diff.output.find(where) != std::string::npos);
}

}  // namespace

// ---------------------------------------------------------------------------
// Item 2: values from databases are untrusted

TEST_CASE("Issue 18: a normal database is still read by report and diff") {
  TempDir dir("hostile-normal");
  const std::string db = normal_db(dir);
  CHECK(cli("report " + db + " -o " + dir.file("report.md")).status == 0);
  CHECK(cli("diff " + db + " " + db).status == 0);
}

TEST_CASE("Issue 18: a database with INT64_MAX times is refused by report and diff, exit 2") {
  TempDir dir("hostile-int64max");
  const std::string db = normal_db(dir);
  update(db, "UPDATE states SET t_end_ms = 9223372036854775807 WHERE rowid = (SELECT min(rowid) FROM states)");
  refused_by_report_and_diff(dir, db, "states.t_end_ms");
}

TEST_CASE("Issue 18: a database with an INT64_MAX run duration is refused by report and diff, exit 2") {
  TempDir dir("hostile-duration");
  const std::string db = normal_db(dir);
  update(db, "UPDATE runs SET duration_ms = 9223372036854775807");
  refused_by_report_and_diff(dir, db, "runs.duration_ms");
}

TEST_CASE("Issue 18: a database with negative times is refused by report and diff, exit 2") {
  TempDir dir("hostile-negative");
  const std::string db = normal_db(dir);
  update(db, "UPDATE events SET t_ms = -9223372036854775808 WHERE rowid = (SELECT max(rowid) FROM events)");
  refused_by_report_and_diff(dir, db, "events.t_ms");
}

TEST_CASE("Issue 18: a database with an incident time past the run is refused by report and diff, exit 2") {
  TempDir dir("hostile-incident");
  const std::string db = normal_db(dir);
  update(db, "UPDATE incidents SET exposure_window_ms = 9223372036854775807");
  refused_by_report_and_diff(dir, db, "incidents.exposure_window_ms");
}

TEST_CASE("Issue 18: a database with NaN, infinite or negative GB is refused by report and diff, exit 2") {
  TempDir dir("hostile-gb");
  const std::string db = normal_db(dir);
  SECTION("NaN (SQLite stores it as NULL)") {
    update(db, "UPDATE data SET gb_lost = NULL WHERE rowid = (SELECT min(rowid) FROM data)");
    refused_by_report_and_diff(dir, db, "data.gb_lost");
  }
  SECTION("infinite") {
    update(db, "UPDATE data SET gb_at_end = 9e999 WHERE rowid = (SELECT min(rowid) FROM data)");
    refused_by_report_and_diff(dir, db, "data.gb_at_end");
  }
  SECTION("negative") {
    update(db, "UPDATE data SET gb_ingested = -1 WHERE rowid = (SELECT min(rowid) FROM data)");
    refused_by_report_and_diff(dir, db, "data.gb_ingested");
  }
  SECTION("a metric that is not finite") {
    update(db, "UPDATE metrics SET value = -9e999 WHERE rowid = (SELECT min(rowid) FROM metrics)");
    refused_by_report_and_diff(dir, db, "metrics.value");
  }
}

TEST_CASE("Issue 18: a database with negative counts is refused by report and diff, exit 2") {
  TempDir dir("hostile-counts");
  const std::string db = normal_db(dir);
  update(db, "UPDATE kv_calls SET wraps = -1 WHERE rowid = (SELECT min(rowid) FROM kv_calls)");
  refused_by_report_and_diff(dir, db, "kv_calls.wraps");
}

// ---------------------------------------------------------------------------
// Item 6: parameters are validated by `validate`

TEST_CASE("Issue 18: aek_cache_ttl 0 is refused by validate at its position, exit 2") {
  TempDir dir("hostile-ttl");
  const std::string file = dir.file("ttl.yaml");
  write_file(file, scenario_text("1d", "0", "  aek_cache_ttl: 0\n"));
  const CommandResult r = cli("validate " + file);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find(file + ":7:") != std::string::npos);
  CHECK(r.output.find("aek_cache_ttl") != std::string::npos);
  CHECK(r.output.find("D4") != std::string::npos);
  for (const std::string command : {"run", "check"}) {
    const CommandResult refused = cli(command + " " + file + (command == "run" ? " -o " + dir.file("out.db") : ""));
    INFO(command << ": " << refused.output);
    CHECK(refused.status == 2);
    CHECK(refused.output.find("aek_cache_ttl") != std::string::npos);
  }
  CHECK(cli("graph " + file + " --at 1h").status == 2);
}

TEST_CASE("Issue 18: an out-of-range --set, profile file or sweep grid value is refused before any run") {
  TempDir dir("hostile-ranges");
  const std::string file = dir.file("ok.yaml");
  write_file(file, scenario_text("1d", "0"));
  REQUIRE(cli("validate " + file).status == 0);
  SECTION("--set") {
    const CommandResult r = cli("run " + file + " --set aek_cache_ttl=0 -o " + dir.file("out.db"));
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("--set aek_cache_ttl") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.file("out.db")));
  }
  SECTION("a profile file") {
    const std::string profile = dir.file("mine.yaml");
    write_file(profile, "name: mine\nbase: azure-monitor-current\nparams:\n  kv_call_interval_max: 0\n");
    const CommandResult r = cli("run " + file + " --profile " + profile + " -o " + dir.file("out.db"));
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("kv_call_interval_max") != std::string::npos);
  }
  SECTION("a sweep grid value") {
    const CommandResult r =
        cli("sweep " + file + " --runs 2 --set aek_cache_ttl=1h,0 --no-progress -o " + dir.file("sweep.db"));
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("aek_cache_ttl") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.file("sweep.db")));
  }
  SECTION("a cross-parameter rule (D3)") {
    const CommandResult r = cli("run " + file + " --set kv_call_interval_min=2m -o " + dir.file("out.db"));
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("D3") != std::string::npos);
  }
}

TEST_CASE("Issue 18: every number and duration parameter has a range, enforced by set_param") {
  cmksim::Profile profile = *cmksim::profile_by_name("azure-monitor-current");
  for (const cmksim::ParamInfo& info : cmksim::param_table()) {
    if (!cmksim::has_range(info)) continue;
    INFO(info.name);
    CHECK_FALSE(cmksim::range_text(info).empty());
    CHECK(std::string(info.range.why).size() > 3);
    CHECK_FALSE(cmksim::set_param(profile, info.name, "-1").ok());
    const bool duration = std::holds_alternative<cmksim::DurationMs cmksim::Profile::*>(info.field);
    CHECK_FALSE(cmksim::set_param(profile, info.name, duration ? "365001d" : "2e15").ok());
    if (info.range.min_exclusive || info.range.min > 0) CHECK_FALSE(cmksim::set_param(profile, info.name, "0").ok());
  }
  CHECK_FALSE(cmksim::set_param(profile, "aek_cache_ttl", "0").ok());
  CHECK(cmksim::set_param(profile, "aek_cache_ttl", "1ms").ok());
}

TEST_CASE("Issue 18: cmksim profiles NAME shows each parameter's range") {
  const CommandResult r = cli("profiles azure-monitor-current");
  REQUIRE(r.status == 0);
  CHECK(r.output.find("aek_cache_ttl = 1h  [duration; from 1ms to 365000d; D4 D7]") != std::string::npos);
}

// ---------------------------------------------------------------------------
// Item 7: work is bounded, not only input

TEST_CASE("Issue 18: queries_per_hour above what the model serves is a load error at its position") {
  TempDir dir("hostile-qph");
  const std::string file = dir.file("qph.yaml");
  write_file(file, scenario_text("1h", "1e7"));
  const CommandResult r = cli("validate " + file);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find(file + ":") != std::string::npos);
  CHECK(r.output.find("queries_per_hour") != std::string::npos);
  write_file(file, scenario_text("1h", "3600000"));
  CHECK(cli("validate " + file).status == 0);
}

TEST_CASE("Issue 18: a scenario whose estimated work is over --max-work is refused before simulating") {
  TempDir dir("hostile-work");
  SECTION("100 weeks of a million queries per hour") {
    const std::string file = dir.file("queries.yaml");
    write_file(file, scenario_text("100w", "1000000"));
    for (const std::string command : {"run", "check", "validate"}) {
      const CommandResult r = cli(command + " " + file + (command == "run" ? " -o " + dir.file("out.db") : ""));
      INFO(command << ": " << r.output);
      CHECK(r.status == 2);
      CHECK(r.output.find("--max-work") != std::string::npos);
    }
    const CommandResult sweep = cli("sweep " + file + " --runs 1 --no-progress -o " + dir.file("sweep.db"));
    INFO(sweep.output);
    CHECK(sweep.status == 2);
    CHECK(sweep.output.find("--max-work") != std::string::npos);
    const CommandResult graph = cli("graph " + file + " --at 99w");
    INFO(graph.output);
    CHECK(graph.status == 2);
    CHECK(graph.output.find("--max-work") != std::string::npos);
    CHECK(cli("graph " + file + " --at 1h").status == 0);  // an hour of it is fine
  }
  SECTION("ten clusters over 100 years") {
    const std::string file = dir.file("clusters.yaml");
    write_file(file, scenario_text("36525d", "0", "", 10));
    const CommandResult r = cli("run " + file + " -o " + dir.file("out.db"));
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("--max-work") != std::string::npos);
  }
  SECTION("--max-work lowers and raises the limit") {
    const std::string file = dir.file("small.yaml");
    write_file(file, scenario_text("1d", "20"));
    CHECK(cli("run " + file + " --max-work 100 -o " + dir.file("out.db")).status == 2);
    CHECK(cli("run " + file + " --max-work 100000 -o " + dir.file("out.db")).status == 0);
    CHECK(cli("run " + file + " --max-work x -o " + dir.file("out.db")).status == 2);
  }
}

TEST_CASE("Issue 18: every shipped scenario and template is far below the default --max-work") {
  std::vector<fs::path> files;
  for (const char* folder : {"scenarios", "tests/scenarios", "sim/cli/templates"}) {
    const fs::path dir = source(folder);
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
  }
  REQUIRE(files.size() > 10);
  for (const fs::path& file : files) {
    const cmksim::Expected<cmksim::Scenario> scenario = cmksim::load_scenario_file(file.string());
    if (!scenario) continue;  // the invalid test scenarios
    const cmksim::Expected<cmksim::Profile> profile = cmksim::build_profile(*scenario, {}, "");
    if (!profile) continue;
    INFO(file.string());
    CHECK(cmksim::estimate_work(*scenario, *profile, scenario->duration_ms) < cmksim::kDefaultMaxWork / 20);
  }
}

// ---------------------------------------------------------------------------
// Item 8b: the report's varying parameters, found in one pass over the runs

TEST_CASE("Issue 18: a sweep report finds the parameters that vary, a missing one counting as empty") {
  using cmksim::ParamValue;
  std::vector<cmksim::RunRecord> runs(3);
  const auto set = [](cmksim::RunRecord& r, std::vector<ParamValue> params) { r.run.params = std::move(params); };
  const auto kText = ParamValue::Kind::kText;
  set(runs[0], {{"a", "1", kText}, {"b", "x", kText}, {"c", "same", kText}});
  set(runs[1], {{"a", "1", kText}, {"b", "y", kText}, {"c", "same", kText}, {"d", "only here", kText}});
  set(runs[2], {{"a", "1", kText}, {"b", "x", kText}, {"c", "same", kText}, {"e", "", kText}});
  const cmksim::report::ReportData d = cmksim::report::build_report_data(runs, std::nullopt);
  CHECK(d.varying_params == std::vector<std::string>{"b", "d"});
}
