// Expectations and `cmksim check` (sim/check/): the verdict of each kind of
// expectation on a record's rows, over_seeds (the D7 bound as a property),
// the check command's lines and exit statuses, and its JUnit report.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "process_support.h"
#include "sim/check/expectations.h"
#include "sim/check/junit.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace cmksim;
using namespace cmksim::test;

namespace {

// --- hand-built expectations and records -----------------------------------

ExpectationDecl metric_x(const std::string& subject, const std::string& name, std::optional<Bound> min,
                         std::optional<Bound> max) {
  ExpectationDecl x;
  x.kind = ExpectationDecl::Kind::kMetric;
  x.subject = subject;
  x.metric = name;
  x.min = min;
  x.max = max;
  x.text = "metric " + name + " of " + subject;
  return x;
}

ExpectationDecl state_x(const std::string& subject, const std::string& state, TimeMs at) {
  ExpectationDecl x;
  x.kind = ExpectationDecl::Kind::kState;
  x.subject = subject;
  x.state = state;
  x.at_ms = at;
  x.text = "state of " + subject;
  return x;
}

ExpectationDecl operation_x(const std::string& id, int status) {
  ExpectationDecl x;
  x.kind = ExpectationDecl::Kind::kOperation;
  x.operation = id;
  x.status = status;
  x.text = "operation " + id;
  return x;
}

Bound duration(DurationMs ms) { return Bound{static_cast<double>(ms), true}; }
Bound number(double v) { return Bound{v, false}; }

ExpectationRow judge(const ExpectationDecl& x, const RunRecord& r) {
  Scenario s;
  s.expectations = {x};
  const std::vector<ExpectationRow> rows = evaluate_expectations(s, r);
  REQUIRE(rows.size() == 1);
  return rows[0];
}

RunRecord record_with_exposure(double seconds) {
  RunRecord r;
  r.run.duration_ms = 2 * kMsPerDay;
  r.metrics.push_back({"cluster", "cl", "exposure_window", seconds, "s"});
  r.metrics.push_back({"workspace", "ws-a", "gb_lost", 12.5, "GB"});
  r.metrics.push_back({"workspace", "ws-a", "queries_failed", 3, "count"});
  return r;
}

// --- the command -----------------------------------------------------------

using Result = test::CommandResult;  // stdout and stderr together

Result run_cmksim(const std::string& args) {
  return test::run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>&1");
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "cmksim-check-test";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove(p);
  return p;
}

fs::path write_file(const std::string& name, const std::string& text) {
  const fs::path p = scratch(name);
  std::ofstream(p) << text;
  return p;
}

using test::read_file;

std::size_t occurrences(const std::string& text, const std::string& word) {
  std::size_t n = 0;
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

const std::string kDisableAt1d =
    "  - {at: 1d, action: disable_key, vault: kv, key: k}\n"
    "  - {at: 1d6h, action: enable_key, vault: kv, key: k}\n"
    "  - {id: q, at: 1d3h, action: query, workspace: ws-a, range: 1h}\n";

}  // namespace

// ---------------------------------------------------------------------------
// metric

TEST_CASE("Check: a metric max is met or not met, a duration bound against a metric in seconds (D7)") {
  const RunRecord r = record_with_exposure(1952);  // 32m32s
  const ExpectationRow met = judge(metric_x("cl", "exposure_window", std::nullopt, duration(kMsPerHour)), r);
  CHECK(met.passed);
  CHECK(met.observed == "32m32s");
  CHECK(met.expected == "<= 1h");
  const ExpectationRow not_met = judge(metric_x("cl", "exposure_window", std::nullopt, duration(30 * kMsPerMinute)), r);
  CHECK_FALSE(not_met.passed);
  CHECK(not_met.observed == "32m32s");
  CHECK(not_met.expected == "<= 30m");
  CHECK(expectation_line(met) == "  met      metric exposure_window of cl (observed 32m32s)");
  CHECK(expectation_line(not_met) == "  NOT MET  metric exposure_window of cl (observed 32m32s)");
}

TEST_CASE("Check: a metric min, and both bounds, against durations and plain numbers") {
  const RunRecord r = record_with_exposure(3600);
  CHECK(judge(metric_x("cl", "exposure_window", duration(kMsPerHour), duration(kMsPerHour)), r).passed);  // D7 worst
  CHECK_FALSE(judge(metric_x("cl", "exposure_window", duration(kMsPerHour + 1000), std::nullopt), r).passed);
  CHECK(judge(metric_x("cl", "exposure_window", number(3600), std::nullopt), r).passed);  // seconds as written
  const ExpectationRow gb = judge(metric_x("ws-a", "gb_lost", number(20), number(60)), r);
  CHECK_FALSE(gb.passed);
  CHECK(gb.observed == "12.5 GB");
  CHECK(gb.expected == ">= 20 and <= 60");
  CHECK(judge(metric_x("ws-a", "gb_lost", number(10), std::nullopt), r).passed);
  const ExpectationRow count = judge(metric_x("ws-a", "queries_failed", std::nullopt, number(0)), r);
  CHECK_FALSE(count.passed);
  CHECK(count.observed == "3");
}

TEST_CASE("Check: a duration just past a bound is shown exactly, not rounded onto the bound") {
  const RunRecord r = record_with_exposure(3600.4);
  const ExpectationRow row = judge(metric_x("cl", "exposure_window", std::nullopt, duration(kMsPerHour)), r);
  CHECK_FALSE(row.passed);
  CHECK(row.observed == "1h400ms");
}

TEST_CASE("Check: an absent exposure window (no incident) meets a max and fails a min") {
  RunRecord r;
  r.metrics.push_back({"cluster", "cl", "kv_calls", 100, "count"});
  const ExpectationRow max = judge(metric_x("cl", "exposure_window", std::nullopt, duration(kMsPerHour)), r);
  CHECK(max.passed);
  CHECK(max.observed == "none (no incident)");
  const ExpectationRow min = judge(metric_x("cl", "recovery_time", duration(kMsPerMinute), std::nullopt), r);
  CHECK_FALSE(min.passed);
  CHECK(min.observed == "none (no incident)");
  const ExpectationRow other = judge(metric_x("cl", "gb_lost", std::nullopt, number(0)), r);
  CHECK_FALSE(other.passed);
  CHECK(other.observed == "none (no gb_lost recorded for cl)");
}

TEST_CASE("Check: an incident still open at the end of the run fails a max, whatever the other incidents (D10)") {
  RunRecord r;
  IncidentRow recovered;
  recovered.cluster = "cl";
  recovered.unavailable_ms = 10;
  recovered.recovery_time_ms = 60 * kMsPerSecond;
  IncidentRow open;
  open.cluster = "cl";
  open.unavailable_ms = 100;  // never recovered
  r.incidents = {recovered};
  r.metrics.push_back({"cluster", "cl", "recovery_time", 60, "s"});
  CHECK(judge(metric_x("cl", "recovery_time", std::nullopt, duration(30 * kMsPerMinute)), r).passed);
  r.incidents.push_back(open);
  const ExpectationRow both = judge(metric_x("cl", "recovery_time", std::nullopt, duration(30 * kMsPerMinute)), r);
  CHECK_FALSE(both.passed);
  CHECK(both.observed == "1m, and an incident still open at the end of the run");
  r.incidents = {open};
  r.metrics.clear();
  const ExpectationRow only_open = judge(metric_x("cl", "recovery_time", std::nullopt, duration(30 * kMsPerMinute)), r);
  CHECK_FALSE(only_open.passed);
  CHECK(only_open.observed == "none (an incident still open at the end of the run)");
  CHECK(judge(metric_x("cl", "recovery_time", duration(kMsPerMinute), std::nullopt), r).passed);
  // averted incidents and D13 outages have no exposure to close: not open
  CHECK(judge(metric_x("cl", "exposure_window", std::nullopt, duration(kMsPerHour)), r).passed);
}

TEST_CASE("Check: a metric recorded for two subjects of the same name must hold for both") {
  RunRecord r;
  r.metrics.push_back({"cluster", "x", "gb_lost", 0, "GB"});
  r.metrics.push_back({"workspace", "x", "gb_lost", 2, "GB"});
  const ExpectationRow row = judge(metric_x("x", "gb_lost", std::nullopt, number(0)), r);
  CHECK_FALSE(row.passed);
  CHECK(row.observed == "0 GB (cluster), 2 GB (workspace)");
}

// ---------------------------------------------------------------------------
// state and operation

TEST_CASE("Check: a state at a time is read from the states intervals, start included, end excluded") {
  RunRecord r;
  r.run.duration_ms = 100;
  r.states.push_back({"workspace", "ws", "available", 0, 40});
  r.states.push_back({"workspace", "ws", "unavailable", 40, 100});
  r.states.push_back({"aek", "ws", "v1", 0, 100});  // never consulted
  CHECK(judge(state_x("ws", "available", 39), r).passed);
  const ExpectationRow at_change = judge(state_x("ws", "available", 40), r);
  CHECK_FALSE(at_change.passed);
  CHECK(at_change.observed == "unavailable");
  CHECK(at_change.expected == "available at 40ms");
  CHECK(judge(state_x("ws", "unavailable", 100), r).passed);  // the run's end reads the final state
  const ExpectationRow missing = judge(state_x("other", "available", 10), r);
  CHECK_FALSE(missing.passed);
  CHECK(missing.observed == "no state recorded at 10ms");
}

TEST_CASE("Check: a cluster and a workspace sharing a name: either kind in the state meets it") {
  RunRecord r;
  r.run.duration_ms = 100;
  r.states.push_back({"cluster", "x", "revoke_pending", 0, 100});
  r.states.push_back({"workspace", "x", "available", 0, 100});
  CHECK(judge(state_x("x", "revoke_pending", 50), r).passed);
  CHECK(judge(state_x("x", "available", 50), r).passed);
  const ExpectationRow row = judge(state_x("x", "unavailable", 50), r);
  CHECK_FALSE(row.passed);
  CHECK(row.observed == "revoke_pending (cluster), available (workspace)");
}

TEST_CASE("Check: an operation passes when it returned the expected status") {
  RunRecord r;
  r.operations.push_back({"relink", 10, "link_workspace", "ws", 409, "Conflict", 10});
  r.operations.push_back({"q", 20, "query", "ws", 200, "ok", 20});
  const ExpectationRow conflict = judge(operation_x("relink", 409), r);
  CHECK(conflict.passed);
  CHECK(conflict.observed == "409 (Conflict)");
  CHECK(conflict.expected == "status 409");
  CHECK(judge(operation_x("q", 200), r).observed == "200");
  CHECK_FALSE(judge(operation_x("q", 503), r).passed);
  const ExpectationRow absent = judge(operation_x("never", 200), r);
  CHECK_FALSE(absent.passed);
  CHECK(absent.observed == "not run");
}

TEST_CASE("Check: the expectations of a real run, one row per entry in order (D7, D8, D10)") {
  const Scenario s = load(small_scenario(kDisableAt1d) +
                          "expect:\n"
                          "  - {metric: exposure_window, subject: cl, max: 1h}\n"
                          "  - {metric: recovery_time, subject: cl, max: 30m}\n"
                          "  - {metric: gb_lost, subject: ws-free, max: 0}\n"
                          "  - {state: unavailable, subject: ws-a, at: 1d2h}\n"
                          "  - {operation: q, status: 503}\n"
                          "  - {operation: q, status: 200}\n");
  const std::vector<ExpectationRow> rows = evaluate_expectations(s, run(s, 3));
  REQUIRE(rows.size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(rows[static_cast<std::size_t>(i)].idx == i);
  CHECK(rows[0].text == "metric exposure_window of cl <= 1h");
  for (int i = 0; i < 5; ++i) CHECK(rows[static_cast<std::size_t>(i)].passed);
  CHECK_FALSE(rows[5].passed);
}

// ---------------------------------------------------------------------------
// over_seeds

TEST_CASE("Check: over_seeds seeds start with the run's seed and are derived deterministically") {
  const std::vector<std::uint64_t> a = derive_seeds(7, 5);
  REQUIRE(a.size() == 5);
  CHECK(a[0] == 7);
  CHECK(a == derive_seeds(7, 5));
  CHECK(std::vector<std::uint64_t>(a.begin(), a.begin() + 3) == derive_seeds(7, 3));  // a prefix: runs are shared
  CHECK(derive_seeds(8, 5)[1] != a[1]);
  std::vector<std::uint64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
}

TEST_CASE("Check: expectations share the runs of their seeds, and a failure names its seed") {
  Scenario s;
  ExpectationDecl wide = metric_x("cl", "exposure_window", std::nullopt, duration(kMsPerHour));
  wide.over_seeds = 5;
  ExpectationDecl tight = metric_x("cl", "exposure_window", std::nullopt, duration(kMsPerMinute));
  tight.over_seeds = 3;
  s.expectations = {wide, tight, state_x("ws", "available", 0)};
  const std::vector<std::uint64_t> seeds = derive_seeds(11, 5);
  std::vector<std::uint64_t> ran;
  // exposure 10 s, except 2000 s at the third seed
  const auto results = check_expectations(s, 11, [&](std::uint64_t seed) {
    ran.push_back(seed);
    RunRecord r = record_with_exposure(seed == seeds[2] ? 2000 : 10);
    r.states.push_back({"workspace", "ws", "available", 0, 100});
    return r;
  });
  CHECK(ran == seeds);  // five runs for three expectations
  REQUIRE(results.size() == 3);
  CHECK(results[0].row.passed);
  CHECK(results[0].worst_seed == seeds[2]);  // the extreme value
  CHECK(results[0].row.observed == "33m20s at seed " + std::to_string(seeds[2]) + ", the worst of 5 seeds");
  CHECK_FALSE(results[1].row.passed);
  CHECK(results[1].worst_seed == seeds[2]);
  CHECK(results[1].seeds_not_met == 1);
  CHECK(results[1].row.observed == "33m20s at seed " + std::to_string(seeds[2]) + "; 1 of 3 seeds not met");
  CHECK(results[2].row.passed);
  CHECK(results[2].worst_seed == 11);
}

TEST_CASE("D7 over_seeds: exposure_window max 30m fails on some seed and names it, max 1h holds over 200 seeds") {
  const Scenario s = load(small_scenario(kDisableAt1d) +
                          "expect:\n"
                          "  - {metric: exposure_window, subject: cl, max: 30m, over_seeds: 50}\n"
                          "  - {metric: exposure_window, subject: cl, max: 1h, over_seeds: 200}\n");
  CHECK(s.expectations[0].text == "metric exposure_window of cl <= 30m over 50 seeds");
  const auto results = check_expectations(s, 1, [&](std::uint64_t seed) { return run(s, seed); });
  REQUIRE(results.size() == 2);
  CHECK_FALSE(results[0].row.passed);
  const std::vector<std::uint64_t> seeds = derive_seeds(1, 50);
  CHECK(std::find(seeds.begin(), seeds.end(), results[0].worst_seed) != seeds.end());
  CHECK(results[0].row.observed.find("at seed " + std::to_string(results[0].worst_seed)) != std::string::npos);
  // the named seed reproduces the failure on its own
  const RunRecord again = run(s, results[0].worst_seed);
  const auto exposure = metric(again, "cl", "exposure_window");
  REQUIRE(exposure);
  CHECK(*exposure > 30 * 60);
  INFO(results[1].row.observed);
  CHECK(results[1].row.passed);
  CHECK(results[1].seeds_not_met == 0);
}

TEST_CASE("Check: cmksim run judges an over_seeds expectation on its own seed and says so") {
  const Scenario s = load(small_scenario(kDisableAt1d) +
                          "expect: [{metric: exposure_window, subject: cl, max: 1h, over_seeds: 20}]\n");
  const std::vector<ExpectationRow> rows = evaluate_expectations(s, run(s, 1));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].observed.find("this run only, cmksim check runs 20 seeds") != std::string::npos);
}

// ---------------------------------------------------------------------------
// JUnit

TEST_CASE("Check: the JUnit report escapes & < > \" ' and counts failures and errors") {
  JunitSuite suite{"a<b & \"c\" 'd'>", "dir/x&y.yaml", {}, {}};
  suite.cases.push_back({JunitCase::Result::kPassed, "metric gb_lost of w <= 0", "", ""});
  suite.cases.push_back({JunitCase::Result::kFailure, "metric x >= 1", "observed 0, expected >= 1", "line1\nline2"});
  JunitSuite broken{"bad.yaml", "bad.yaml", {{JunitCase::Result::kError, "load bad.yaml", "bad.yaml:1:1: <oops>", ""}}, {}};
  const std::string xml = junit_xml({suite, broken});
  CHECK(xml.find("<testsuites name=\"cmksim check\" tests=\"3\" failures=\"1\" errors=\"1\" time=\"0\">") !=
        std::string::npos);
  CHECK(xml.find("<testsuite name=\"a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\" tests=\"2\" failures=\"1\" "
                 "errors=\"0\" skipped=\"0\" time=\"0\" file=\"dir/x&amp;y.yaml\">") != std::string::npos);
  CHECK(xml.find("name=\"metric gb_lost of w &lt;= 0\"") != std::string::npos);
  CHECK(xml.find("<failure message=\"observed 0, expected &gt;= 1\">line1&#10;line2</failure>") != std::string::npos);
  CHECK(xml.find("<error message=\"bad.yaml:1:1: &lt;oops&gt;\">") != std::string::npos);
  CHECK(xml_escape(std::string("a\x01z")) == "a?z");
  CHECK(xml == junit_xml({suite, broken}));  // no timestamps
}

// ---------------------------------------------------------------------------
// the command

TEST_CASE("CLI: check passes on every shipped scenario (exit 0)") {
  std::string files;
  int count = 0;
  for (const auto& entry : fs::directory_iterator(std::string(CMKSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    files += " " + entry.path().string();
    ++count;
  }
  REQUIRE(count > 0);
  const Result r = run_cmksim("check" + files);
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(occurrences(r.output, "\nscenario ") + (r.output.rfind("scenario ", 0) == 0 ? 1 : 0) ==
        static_cast<std::size_t>(count));
  CHECK(r.output.find("NOT MET") == std::string::npos);
  CHECK(r.output.find("checked " + std::to_string(count) + " scenario(s)") != std::string::npos);
}

TEST_CASE("CLI: check exits 1 when an expectation is not met and prints how to reproduce it") {
  const fs::path yaml = write_file("unmet.yaml", small_scenario(kDisableAt1d) +
                                                     "expect:\n"
                                                     "  - {metric: exposure_window, subject: cl, max: 1h}\n"
                                                     "  - {metric: gb_lost, subject: ws-a, max: 0}\n");
  const Result r = run_cmksim("check " + yaml.string() + " --seed 4");
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("scenario model-test (" + yaml.string() + "): seed 4, timing sampled, 2 expectation(s)") !=
        std::string::npos);
  CHECK(r.output.find("  met      metric exposure_window of cl <= 1h (observed ") != std::string::npos);
  CHECK(r.output.find("  NOT MET  metric gb_lost of ws-a <= 0 (observed ") != std::string::npos);
  CHECK(r.output.find("reproduce: cmksim run " + yaml.string() +
                      " --profile azure-monitor-current --timing sampled --seed 4\n") != std::string::npos);
  CHECK(r.output.find("1 expectation(s) met, 1 not met") != std::string::npos);
}

TEST_CASE("CLI: check exits 2 on a scenario that cannot be loaded, and still checks the others") {
  const fs::path bad = write_file("bad.yaml", "version: 1\nname: t\nduration: 1d\nexpect:\n  - {metric: gb_lost, subject: nope, max: 0}\n");
  const fs::path good = write_file("good.yaml", small_scenario("") + "expect: [{metric: gb_lost, subject: ws-a, max: 0}]\n");
  const fs::path report = scratch("report.xml");
  const Result r = run_cmksim("check " + bad.string() + " " + good.string() + " --junit " + report.string());
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find(bad.string() + ":5:32: unknown subject 'nope'") != std::string::npos);
  CHECK(r.output.find("  met      metric gb_lost of ws-a <= 0") != std::string::npos);
  CHECK(r.output.find("1 scenario(s) with errors") != std::string::npos);
  const std::string xml = read_file(report);
  CHECK(xml.find("errors=\"1\"") != std::string::npos);
  CHECK(xml.find("<error message=\"" + bad.string() + ":5:32: unknown subject &apos;nope&apos;\">") != std::string::npos);
}

TEST_CASE("CLI: check rejects unknown options with did-you-mean, and --help has an example") {
  const Result typo = run_cmksim("check x.yaml --jnuit r.xml");
  CHECK(typo.status == 2);
  CHECK(typo.output.find("unknown option '--jnuit' (did you mean '--junit'?)") != std::string::npos);
  CHECK(run_cmksim("check").status == 2);
  CHECK(run_cmksim("check x.yaml --timing wrost").output.find("(did you mean 'worst'?)") != std::string::npos);
  const Result help = run_cmksim("check --help");
  CHECK(help.status == 0);
  CHECK(help.output.find("example: cmksim check") != std::string::npos);
}

TEST_CASE("CLI: check --junit writes a well-formed report with escaped names, one testcase per expectation") {
  // names with < & " ' > in them (double-quoted YAML strings)
  const std::string yaml =
      "version: 1\n"
      "name: \"sc<&\\\"'>\"\n"
      "duration: 1d\n"
      "workspaces:\n"
      "  - {name: \"ws<&\\\"'>\", region: westeurope, subscription: sub, ingest_gb_per_day: 1}\n"
      "expect:\n"
      "  - {metric: gb_lost, subject: \"ws<&\\\"'>\", max: 0}\n"
      "  - {metric: queries_ok, subject: \"ws<&\\\"'>\", min: 1}\n";
  const fs::path file = write_file("escaped.yaml", yaml);
  const fs::path report = scratch("escaped.xml");
  const Result r = run_cmksim("check " + file.string() + " --junit " + report.string());
  INFO(r.output);
  REQUIRE(r.status == 1);
  const std::string xml = read_file(report);
  INFO(xml);
  CHECK(xml.find("<testsuite name=\"sc&lt;&amp;&quot;&apos;&gt;\" tests=\"2\" failures=\"1\" errors=\"0\"") !=
        std::string::npos);
  CHECK(xml.find("file=\"" + file.string() + "\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"sc&lt;&amp;&quot;&apos;&gt;\" name=\"metric gb_lost of ws&lt;&amp;&quot;&apos;&gt; "
                 "&lt;= 0\" time=\"0\"/>") != std::string::npos);
  CHECK(xml.find("<failure message=\"observed ") != std::string::npos);
  CHECK(xml.find("reproduce: cmksim run") != std::string::npos);
  CHECK(occurrences(xml, "<testcase ") == 2);
  for (const auto& entry : fs::directory_iterator(report.parent_path())) {
    CHECK(entry.path().filename().string().rfind("escaped.xml.tmp", 0) == std::string::npos);
  }
  if (std::system("python3 -c 'import xml.dom.minidom' >/dev/null 2>&1") == 0) {
    const std::string command =
        "python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' '" + report.string() + "'";
    CHECK(std::system(command.c_str()) == 0);
  }
}
