// Issue 15 (items 1, 2, 3, 8): answers a reviewer can trust and paste. Both
// D7 extremes (latest: the longest exposure; earliest: the most loss) and
// where a sampled run sits between them; refused events and typos in event
// targets are never silent; every reproduce line reruns the same run; and
// `cmksim check` works as a CI gate (--seeds, causes, lint warnings,
// incidents, durations).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "process_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace cmksim;
using namespace cmksim::test;

namespace {

CommandResult run_cli(const std::string& args) { return run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>&1"); }

std::string shipped(const std::string& name) { return std::string(CMKSIM_SOURCE_DIR) + "/scenarios/" + name; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One column of one query, one line per row (sqlite3's list mode).
std::string query(const std::string& db, const std::string& sql) {
  const CommandResult r = run_command("sqlite3 '" + db + "' \"" + sql + "\"");
  REQUIRE(r.status == 0);
  return r.output;
}

// The text after "reproduce: " on the first line that has it.
std::string reproduce_of(const std::string& output) {
  const std::size_t at = output.find("reproduce: ");
  REQUIRE(at != std::string::npos);
  const std::size_t start = at + 11;
  return output.substr(start, output.find('\n', start) - start);
}

// A small cluster whose key is disabled at 4h and enabled at 10h; line 28 is
// an event whose key is a typo (the service answers 404). Its capacity, 1000
// GB/day, is one both profiles allow (the 2020 one's least, C1 P1).
const char* kGate = R"(version: 1
name: gate
seed: 7
duration: 1d
key_vaults:
  - name: kv-prod
    region: westeurope
    soft_delete: true
    purge_protection: true
    keys:
      - name: logs-cmk
        versions: [v1]
clusters:
  - name: lacluster01
    region: westeurope
    subscription: sub-ops
    capacity_gb_per_day: 1000
    key: {vault: kv-prod, key: logs-cmk, version: ""}
grants:
  - {identity: "cluster:lacluster01", vault: kv-prod}
workspaces:
  - name: ws-app
    region: westeurope
    subscription: sub-app
    cluster: lacluster01
    ingest_gb_per_day: 300
events:
  - {id: typo, at: 2h, action: disable_key, vault: kv-prod, key: logs-cmx}
  - {id: off, at: 4h, action: disable_key, vault: kv-prod, key: logs-cmk}
  - {id: on, at: 10h, action: enable_key, vault: kv-prod, key: logs-cmk}
)";

std::string write_gate(const TempDir& dir, const std::string& expect = "") {
  const std::string path = dir.file("gate.yaml");
  std::ofstream(path) << kGate << expect;
  return path;
}

double number(const std::string& text) { return std::stod(text); }

}  // namespace

// --- item 1: both worst cases -------------------------------------------------

TEST_CASE("D7 latest gives the longest exposure and earliest the most loss, with sampled between them, over many seeds") {
  const Scenario s = load(read_file(shipped("key-disabled-6h.yaml")));
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const RunRecord latest = run(s, seed, Timing::kLatest), earliest = run(s, seed, Timing::kEarliest),
                    sampled = run(s, seed, Timing::kSampled);
    const auto exposure = [](const RunRecord& r) { return metric(r, "lacluster01", "exposure_window").value_or(-1); };
    const auto lost = [](const RunRecord& r) { return metric(r, "lacluster01", "gb_lost").value_or(-1); };
    CAPTURE(seed);
    CHECK(exposure(latest) == 3600);  // exactly the D7 bound
    CHECK(exposure(earliest) <= exposure(sampled));
    CHECK(exposure(sampled) <= exposure(latest));
    CHECK(lost(latest) <= lost(sampled));
    CHECK(lost(sampled) <= lost(earliest));
    CHECK(lost(latest) < lost(earliest));
  }
}

TEST_CASE("D7 run --timing bounds writes run 1 latest and run 2 earliest and prints them side by side") {
  const TempDir dir("gate-bounds");
  const std::string db = dir.file("b.db");
  const CommandResult r = run_cli("run " + shipped("key-disabled-6h.yaml") + " --timing bounds -o " + db);
  REQUIRE(r.status == 0);
  CHECK(query(db, "SELECT run_id, timing FROM runs ORDER BY run_id") == "1|latest\n2|earliest\n");
  const double exposure_latest = number(query(db, "SELECT value FROM metrics WHERE run_id=1 AND subject='lacluster01' AND name='exposure_window'"));
  const double exposure_earliest = number(query(db, "SELECT value FROM metrics WHERE run_id=2 AND subject='lacluster01' AND name='exposure_window'"));
  const double lost_latest = number(query(db, "SELECT value FROM metrics WHERE run_id=1 AND subject='lacluster01' AND name='gb_lost'"));
  const double lost_earliest = number(query(db, "SELECT value FROM metrics WHERE run_id=2 AND subject='lacluster01' AND name='gb_lost'"));
  CHECK(exposure_latest > exposure_earliest);
  CHECK(lost_earliest > lost_latest);
  CHECK(contains(r.output, "D7 bounds, the same seed (run 1 = latest"));
  CHECK(contains(r.output, "lacluster01: exposure window 1h latest [D7: within 1h] ... "));
  CHECK(contains(r.output, "reproduce: cmksim run " + shipped("key-disabled-6h.yaml") +
                               " --profile azure-monitor-current --timing earliest --seed 7"));
}

TEST_CASE("D7 worst and best still load as latest and earliest, with a note that names the preferred name") {
  const TempDir dir("gate-alias");
  const std::string db = dir.file("w.db");
  const CommandResult r = run_cli("run " + shipped("key-disabled-6h.yaml") + " --timing worst -o " + db);
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, "note: timing 'worst' is 'latest'"));
  CHECK(contains(r.output, "prefer 'latest'"));
  CHECK(query(db, "SELECT timing FROM runs") == "latest\n");
  CHECK(parse_timing_name("best") == Timing::kEarliest);
  // in a scenario file: loads as earliest, and validate and check name the preferred name
  std::string text = kGate;
  text.replace(text.find("seed: 7\n"), 8, "seed: 7\ntiming: best\n");
  const std::string file = dir.file("best.yaml");
  std::ofstream(file) << text;
  CHECK(load(text).timing == Timing::kEarliest);
  CHECK(contains(run_cli("validate " + file).output, "note: timing 'best' is 'earliest'"));
  const CommandResult checked = run_cli("check " + file);
  CHECK(contains(checked.output, "note: timing 'best' is 'earliest'"));
  CHECK(contains(checked.output, "seed 7, timing earliest"));
  CHECK(preferred_timing_name("worst") == "latest");
  CHECK(run_cli("run " + shipped("key-disabled-6h.yaml") + " --timing sideways -o " + db).output.find(
            "--timing expects sampled, latest, earliest or bounds") != std::string::npos);
}

TEST_CASE("D7 a sampled run states where it sits between its bounds, in the summary and the report") {
  const TempDir dir("gate-sampled");
  const std::string db = dir.file("s.db"), md = dir.file("s.md");
  const CommandResult r = run_cli("run " + shipped("key-disabled-6h.yaml") + " -o " + db);
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, "D7 bounds, the same seed"));
  CHECK(contains(r.output, "lacluster01: exposure "));
  CHECK(contains(r.output, " earliest ... 1h latest); GB lost "));
  CHECK(query(db, "SELECT name FROM metrics WHERE subject='lacluster01' AND name LIKE '%_l%test' ORDER BY name") ==
        "exposure_window_latest\ngb_lost_latest\n");
  REQUIRE(run_cli("report " + db + " --format md -o " + md).status == 0);
  const std::string report = read_file(md);
  CHECK(contains(report, "D7 bounds:"));
  CHECK(contains(report, " earliest ... 1h latest"));
}

TEST_CASE("D7 check and sweep take timing bounds: both extremes, each judged and each run") {
  const TempDir dir("gate-check-bounds");
  const std::string gate = write_gate(dir, "expect:\n  - {metric: gb_lost, subject: ws-app, max: 1000}\n");
  const std::string junit = dir.file("j.xml");
  const CommandResult c = run_cli("check " + gate + " --timing bounds --junit " + junit);
  CHECK(c.status == 0);
  CHECK(contains(c.output, "timing latest (bounds)"));
  CHECK(contains(c.output, "timing earliest (bounds)"));
  CHECK(contains(read_file(junit), "metric gb_lost of ws-app &lt;= 1000 [earliest]"));
  const std::string db = dir.file("sw.db");
  const CommandResult s = run_cli("sweep " + gate + " --runs 2 --timing bounds --no-progress --jobs 1 -o " + db);
  REQUIRE(s.status == 0);
  CHECK(query(db, "SELECT timing FROM runs ORDER BY run_id") == "latest\nlatest\nearliest\nearliest\n");
}

// --- item 2: nothing silent ----------------------------------------------------

TEST_CASE("Nothing silent: a refused scenario event is listed in the run summary and the report's findings") {
  const TempDir dir("gate-refused");
  const std::string gate = write_gate(dir), db = dir.file("g.db"), md = dir.file("g.md");
  const CommandResult r = run_cli("run " + gate + " -o " + db);
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, "1 scenario event was refused or failed:\n"
                           "  typo (disable_key kv-prod/logs-cmx, at 0d 02:00:00): 404 "));
  REQUIRE(run_cli("report " + db + " --format md -o " + md).status == 0);
  CHECK(contains(read_file(md), "1 scenario event was refused or failed: typo (disable_key kv-prod/logs-cmx"));
}

TEST_CASE("Nothing silent: an event naming a key its vault does not declare is a validate warning at file:line:column") {
  const TempDir dir("gate-typo");
  const std::string gate = write_gate(dir);
  const CommandResult r = run_cli("validate --strict " + gate);
  CHECK(r.status == 1);
  CHECK(contains(r.output, gate + ":28:5: warning: disable_key at 2h names unknown key 'logs-cmx' of vault 'kv-prod' "
                                  "(did you mean 'logs-cmk'?)"));
}

// --- item 3: complete reproduce lines ---------------------------------------

TEST_CASE("Complete reproduce lines: the summary's command carries profile, --set, timing and seed and reruns the same run") {
  const TempDir dir("gate-reproduce");
  const std::string a = dir.file("a.db"), b = dir.file("b.db");
  // a scenario whose declared capacity the 2020 profile allows (P1: else a load error)
  const CommandResult r = run_cli("run " + shipped("kv-outage-2020-profile.yaml") +
                                 " --profile azure-monitor-2020 --set aek_cache_ttl=10m --seed 3 --timing earliest -o " + a);
  REQUIRE(r.status == 0);
  const std::string line = reproduce_of(r.output);
  CHECK(contains(line, "--profile azure-monitor-2020"));
  CHECK(contains(line, "--set aek_cache_ttl=10m"));
  CHECK(contains(line, "--timing earliest --seed 3"));
  const std::string rerun = std::string(CMKSIM_BINARY) + line.substr(std::string("cmksim").size()) + " -o " + b;
  REQUIRE(run_command(rerun).status == 0);
  CHECK(sqlite_dump(a) == sqlite_dump(b));
}

TEST_CASE("Complete reproduce lines: a sweep's seeds as stored in runs.seed are accepted by --seed, and its worst run has its own line") {
  const TempDir dir("gate-seeds");
  const std::string db = dir.file("sw.db"), one = dir.file("one.db");
  const CommandResult s = run_cli("sweep " + shipped("key-disabled-6h.yaml") + " --runs 6 --no-progress --jobs 1 -o " + db);
  REQUIRE(s.status == 0);
  CHECK(contains(s.output, "      reproduce: cmksim run "));
  const std::string negative = query(db, "SELECT seed FROM runs WHERE seed < 0 ORDER BY run_id LIMIT 1");
  REQUIRE(!negative.empty());  // 6 random 64-bit seeds: some are 2^63 or more
  const std::string seed = negative.substr(0, negative.size() - 1);
  const CommandResult r = run_cli("run " + shipped("key-disabled-6h.yaml") + " --seed " + seed + " -o " + one);
  REQUIRE(r.status == 0);
  CHECK(query(one, "SELECT seed FROM runs") == negative);
  CHECK(contains(reproduce_of(r.output), " --seed " + std::to_string(static_cast<std::uint64_t>(std::stoll(seed)))));
}

// --- item 8: check as a CI gate ----------------------------------------------

TEST_CASE("check as a CI gate: --seeds, --profile and --set, a failure names its incident, its event and a complete reproduce line") {
  const TempDir dir("gate-check");
  const std::string gate = write_gate(dir, "expect:\n  - {metric: gb_lost, subject: ws-app, max: 0}\n");
  const CommandResult r = run_cli("check " + gate + " --seeds 3 --profile azure-monitor-2020 --set aek_cache_ttl=10m");
  CHECK(r.status == 1);
  CHECK(contains(r.output, "of 3 seeds not met"));
  CHECK(contains(r.output, "cause: incident #1 on lacluster01: key disabled (disable_key kv-prod/logs-cmk at 4h)"));
  const std::string line = reproduce_of(r.output);
  CHECK(contains(line, "--profile azure-monitor-2020"));
  CHECK(contains(line, "--set aek_cache_ttl=10m"));
  CHECK(contains(line, "--timing sampled --seed "));
}

TEST_CASE("check as a CI gate: the plan lint's warnings appear in check's output and in the JUnit file") {
  const TempDir dir("gate-lint");
  const std::string gate = write_gate(dir, "expect:\n  - {metric: incidents, subject: lacluster01, max: 1}\n");
  const std::string junit = dir.file("j.xml");
  const CommandResult r = run_cli("check " + gate + " --junit " + junit);
  CHECK(r.status == 0);
  CHECK(contains(r.output, gate + ":28:5: warning: disable_key at 2h names unknown key 'logs-cmx'"));
  CHECK(contains(read_file(junit), "<system-out>" + gate + ":28:5: warning: disable_key at 2h names unknown key"));
}

TEST_CASE("check as a CI gate: incidents and incidents_averted can be expected, and time metrics print as durations") {
  const TempDir dir("gate-metrics");
  const std::string gate = write_gate(dir,
                                      "expect:\n"
                                      "  - {metric: incidents, subject: lacluster01, min: 1, max: 1}\n"
                                      "  - {metric: incidents_averted, subject: lacluster01, max: 0}\n"
                                      "  - {metric: unavailable_s, subject: lacluster01, max: 60}\n");
  const CommandResult r = run_cli("check " + gate);
  CHECK(r.status == 1);
  CHECK(contains(r.output, "  met      metric incidents of lacluster01 >= 1 and <= 1 (observed 1)"));
  CHECK(contains(r.output, "  met      metric incidents_averted of lacluster01 <= 0 (observed 0)"));
  CHECK(contains(r.output, "  NOT MET  metric unavailable_s of lacluster01 <= 60 (observed 5h"));

  // access back 10 minutes after the change, before the D7 bound: averted under latest
  std::string text = read_file(gate);
  text.replace(text.find("at: 10h, action: enable_key"), 27, "at: 4h10m, action: enable_key");
  text += "  - {metric: incidents_averted, subject: lacluster01, min: 1}\n";
  std::ofstream(gate) << text;
  const CommandResult averted = run_cli("check " + gate + " --timing latest");
  CHECK(contains(averted.output, "  met      metric incidents_averted of lacluster01 >= 1 (observed 1)"));
  CHECK(contains(averted.output, "  met      metric unavailable_s of lacluster01 <= 60 (observed 0"));
}

TEST_CASE("D7 a results database that says worst or best still reads, as latest and earliest") {
  const TempDir dir("gate-old-names");
  const std::string db = dir.file("old.db"), fresh = dir.file("new.db"), md = dir.file("old.md");
  REQUIRE(run_cli("run " + shipped("key-disabled-6h.yaml") + " --timing latest -o " + db).status == 0);
  REQUIRE(run_cli("run " + shipped("key-disabled-6h.yaml") + " --timing latest -o " + fresh).status == 0);
  REQUIRE(run_command("sqlite3 '" + db + "' \"UPDATE runs SET timing = 'worst'\"").status == 0);  // as older versions wrote it
  REQUIRE(run_cli("report " + db + " --format md -o " + md).status == 0);
  CHECK(contains(read_file(md), "--timing latest --seed 7"));
  const CommandResult d = run_cli("diff " + db + " " + fresh);
  CHECK(d.status == 0);
  CHECK(!contains(d.output, "timing"));
}
