// Issue 15, items 6, 7 and 9: what a reviewer reads and pastes. Wall-clock
// dates beside offsets, `at:` as an ISO time, the weekly profile (D1); the
// time unavailable and a zoomed timeline in the report; a report that
// prints (page numbers, nothing cut off); the blast radius of a vault or an
// identity, with the MMK data that becomes unqueryable (D8).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "process_support.h"
#include "sim/core/civil_time.h"
#include "sim/core/text.h"
#include "sim/graph/impact.h"
#include "sim/io/results_reader.h"
#include "sim/report/report.h"
#include "sim/report/report_data.h"
#include "sim/report/svg_timeline.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace cmksim;

namespace {

using Result = cmksim::test::CommandResult;  // stdout and stderr together

Result run_cmksim(const std::string& args) {
  return cmksim::test::run_command("cd '" + std::string(CMKSIM_SOURCE_DIR) + "' && " + std::string(CMKSIM_BINARY) +
                                   " " + args + " 2>&1");
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "cmksim-reviewer-report-test";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove_all(p);
  return p;
}

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

fs::path shipped_db(const std::string& stem, const std::string& name) {
  const fs::path db = scratch(name);
  const Result r = run_cmksim("run scenarios/" + stem + ".yaml -o '" + db.string() + "'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  return db;
}

std::string without_space(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

// One vault, one cluster, one workspace of 70 GB/day; `header` adds top-level
// fields (start), `workspace` fields of the workspace, `events` the events.
std::string clock_scenario(const std::string& header, const std::string& workspace, const std::string& events = "",
                           const std::string& duration = "7d") {
  std::string y = "version: 1\nname: clock\nduration: " + duration + "\n" + header +
                  "key_vaults:\n"
                  "  - {name: kv, region: westeurope, subscription: sub, soft_delete: true, purge_protection: true,\n"
                  "     keys: [{name: k, versions: [v1]}]}\n"
                  "clusters:\n"
                  "  - {name: cl, region: westeurope, subscription: sub, identity: system_assigned,\n"
                  "     capacity_gb_per_day: 500, key: {vault: kv, key: k, version: \"\"}}\n"
                  "grants:\n"
                  "  - {identity: \"cluster:cl\", vault: kv}\n"
                  "workspaces:\n"
                  "  - {name: ws, region: westeurope, subscription: sub, cluster: cl, ingest_gb_per_day: 70" +
                  workspace + "}\n";
  if (!events.empty()) y += "events:\n" + events;
  return y;
}

double gb_ingested(const RunRecord& r) { return cmksim::test::metric(r, "ws", "gb_ingested").value_or(-1); }

}  // namespace

// ---- item 6: wall-clock time ---------------------------------------------------------------

TEST_CASE("D1 civil dates: days_from_civil and civil_from_days agree with known dates and round-trip") {
  CHECK(days_from_civil({1970, 1, 1}) == 0);
  CHECK(days_from_civil({2000, 3, 1}) == 11017);
  CHECK(days_from_civil({1969, 12, 31}) == -1);
  CHECK(days_from_civil({2026, 3, 3}) == 20515);
  CHECK(weekday_name(weekday_from_days(days_from_civil({2026, 3, 3}))) == std::string("Tue"));
  CHECK(weekday_name(weekday_from_days(days_from_civil({2024, 2, 29}))) == std::string("Thu"));
  CHECK(weekday_name(weekday_from_days(-1)) == std::string("Wed"));
  for (std::int64_t d = days_from_civil({1800, 1, 1}); d < days_from_civil({2400, 1, 1}); d += 13) {
    const CivilDate c = civil_from_days(d);
    INFO(d);
    REQUIRE(days_from_civil(c) == d);
    REQUIRE(weekday_from_days(d + 7) == weekday_from_days(d));
  }
  CHECK(parse_iso8601_ms("2026-03-03T05:00:00+02:00") == parse_iso8601_ms("2026-03-03T03:00:00Z"));
  CHECK(!parse_iso8601_ms("2026-02-29"));  // not a leap year
  CHECK(format_utc(*parse_iso8601_ms("2026-03-01T00:00:00Z") + 2 * kMsPerDay + 3 * kMsPerHour) ==
        "Tue 2026-03-03 03:00 UTC");
  CHECK(format_utc(*parse_iso8601_ms("2026-03-03T03:00:07.250Z")) == "Tue 2026-03-03 03:00:07 UTC");
}

TEST_CASE("D1 an ISO 8601 at: within the run is the event at that offset from start") {
  const std::string events = "  - {id: off, at: 2026-03-04T06:30:00Z, action: disable_key, vault: kv, key: k}\n"
                             "  - {id: on, at: \"2026-03-04T09:30:00+02:00\", action: enable_key, vault: kv, key: k}\n";
  const Scenario s = cmksim::test::load(clock_scenario("start: 2026-03-03T00:00:00Z\n", "", events));
  REQUIRE(s.events.size() == 2);
  CHECK(s.events[0].at_ms == kMsPerDay + 6 * kMsPerHour + 30 * kMsPerMinute);
  CHECK(s.events[1].at_ms == kMsPerDay + 7 * kMsPerHour + 30 * kMsPerMinute);  // 07:30 UTC
  // format v1 offsets keep working beside them
  const Scenario v1 = cmksim::test::load(
      clock_scenario("start: 2026-03-03T00:00:00Z\n", "", "  - {at: 1d6h30m, action: disable_key, vault: kv, key: k}\n"));
  CHECK(v1.events[0].at_ms == s.events[0].at_ms);
}

TEST_CASE("D1 an ISO at: outside the run or without start is a load error with file:line:col, exit 2, no output") {
  struct Case {
    std::string header, at, message;
  };
  const std::vector<Case> cases = {
      {"start: 2026-03-03T00:00:00Z\n", "2026-03-12T00:00:00Z", "is outside the run"},
      {"start: 2026-03-03T00:00:00Z\n", "2026-03-02T23:00:00Z", "is outside the run"},
      {"", "2026-03-04T00:00:00Z", "the scenario has no 'start'"},
      {"start: 2026-03-03T00:00:00Z\n", "2026-02-30T00:00:00Z", "is not an ISO 8601 time"},
  };
  for (const Case& c : cases) {
    INFO(c.at);
    const fs::path yaml = scratch("iso-at.yaml");
    const fs::path db = scratch("iso-at.db");
    std::ofstream(yaml) << clock_scenario(c.header, "", "  - {at: " + c.at + ", action: disable_key, vault: kv, key: k}\n");
    const Result r = run_cmksim("run '" + yaml.string() + "' -o '" + db.string() + "'");
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(contains(r.output, c.message));
    CHECK(std::regex_search(r.output, std::regex("iso-at\\.yaml:1[0-9]:[0-9]+: 'at'")));
    CHECK(!fs::exists(db));
  }
}

TEST_CASE("D1 weekly_profile weights each day from start's weekday, mean 1 over a week") {
  // weekdays 1, weekend 0: normalized, a weekday carries 7/5 of the mean rate
  const std::string weekly = ", weekly_profile: [1, 1, 1, 1, 1, 0, 0]";
  const RunRecord saturday = cmksim::test::run_yaml(clock_scenario("start: 2026-03-07T00:00:00Z\n", weekly, "", "2d"));
  CHECK(gb_ingested(saturday) == Approx(0).margin(1e-6));
  const RunRecord monday = cmksim::test::run_yaml(clock_scenario("start: 2026-03-09T00:00:00Z\n", weekly, "", "2d"));
  CHECK(gb_ingested(monday) == Approx(2 * 70 * 1.4));
  // without start, day 0 is a Monday
  const RunRecord no_start = cmksim::test::run_yaml(clock_scenario("", weekly, "", "2d"));
  CHECK(gb_ingested(no_start) == Approx(2 * 70 * 1.4));
  // over any whole week the mean weight is 1, whatever the start, with a daily profile too
  for (const std::string start : {"2026-03-03T00:00:00Z", "2026-03-07T13:00:00Z", "2026-03-08T23:00:00Z"}) {
    INFO(start);
    const RunRecord week = cmksim::test::run_yaml(
        clock_scenario("start: " + start + "\n",
                       weekly + ", daily_profile: [0,0,0,0,0,0,1,2,3,3,3,3,3,3,3,3,2,1,1,0,0,0,0,0]", "", "7d"));
    CHECK(gb_ingested(week) == Approx(7 * 70));
  }
  // a seven-entry list only
  const Expected<Scenario> bad = load_scenario_text(clock_scenario("", ", weekly_profile: [1, 1, 1]"), "bad.yaml");
  REQUIRE(!bad.ok());
  CHECK(contains(bad.error().str(), "weekly_profile must have 7 weights"));
}

TEST_CASE("D1 with start, the summary shows dates and weekdays beside offsets") {
  const fs::path db = scratch("summary.db");
  const Result r = run_cmksim("run scenarios/key-disabled-6h.yaml -o '" + db.string() + "'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, "from Mon 2026-01-05 00:00 UTC to Thu 2026-01-08 00:00 UTC"));
  CHECK(contains(r.output, "change 1d 00:00:00 (Tue 2026-01-06 00:00 UTC)"));
  CHECK(contains(r.output, "access restored 1d 06:00:00 (Tue 2026-01-06 06:00 UTC)"));
  // without start: offsets only
  const Result plain = run_cmksim("run scenarios/access-policy-removed.yaml -o '" + scratch("plain.db").string() + "'");
  CHECK(plain.status == 0);
  CHECK(!contains(plain.output, " UTC"));
}

TEST_CASE("D7 the report of run --timing bounds names its two runs as the bounds of one seed, not a sweep") {
  const fs::path db = scratch("bounds.db");
  const Result ran = run_cmksim("run scenarios/key-disabled-6h.yaml --timing bounds -o '" + db.string() + "'");
  INFO(ran.output);
  REQUIRE(ran.status == 0);
  const Result r = run_cmksim("report '" + db.string() + "' --format md -o -");
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, "| runs | 2: the D7 timing bounds of one seed (run 1 latest, run 2 earliest"));
  CHECK(contains(r.output, "the longer exposure window of the two bounds"));
  CHECK_FALSE(contains(r.output, "(a sweep)"));
  // Two seeded runs of a sweep stay a sweep.
  const fs::path swept = scratch("two-runs.db");
  REQUIRE(run_cmksim("sweep scenarios/key-disabled-6h.yaml --runs 2 --no-progress -o '" + swept.string() + "'").status ==
          0);
  const Result s = run_cmksim("report '" + swept.string() + "' --format md -o -");
  CHECK(contains(s.output, "| runs | 2 (a sweep) |"));
  CHECK_FALSE(contains(s.output, "timing bounds of one seed"));
}

TEST_CASE("D8 the report's findings give the time unavailable, and dates beside offsets with start") {
  const fs::path db = shipped_db("key-disabled-6h", "findings.db");
  const fs::path md = scratch("findings.md");
  const Result r = run_cmksim("report '" + db.string() + "' --format md -o '" + md.string() + "'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const std::string text = cmksim::test::read_file(md);
  CHECK(std::regex_search(text, std::regex(R"(\*\*Time unavailable:\*\* \*\*5h[0-9]+m[0-9]+s\*\* in all)")));
  CHECK(contains(text, "| wall clock (start) | Mon 2026-01-05 00:00 UTC to Thu 2026-01-08 00:00 UTC |"));
  CHECK(contains(text, "| 1d 00:00:00 (Tue 2026-01-06 00:00 UTC) |"));
  const fs::path quiet = shipped_db("steady-state", "steady.db");
  const Result s = run_cmksim("report '" + quiet.string() + "' --format md -o -");
  CHECK(contains(s.output, "**Time unavailable:** none"));
}

TEST_CASE("D7 the HTML timeline adds a view zoomed on each incident, and legends list only what occurs") {
  const fs::path db = shipped_db("key-disabled-6h", "zoom.db");
  const fs::path html = scratch("zoom.html");
  REQUIRE(run_cmksim("report '" + db.string() + "' -o '" + html.string() + "'").status == 0);
  const std::string page = cmksim::test::read_file(html);
  const auto at = page.find("<svg id=\"timeline-incident-1\"");
  REQUIRE(at != std::string::npos);
  const std::string zoomed = page.substr(at, page.find("</svg>", at) - at);
  // the window is around the incident: ticks are hours of day 1, not days
  CHECK(contains(zoomed, ">1d 00:00<"));
  CHECK(!contains(zoomed, ">2d<"));
  CHECK(contains(zoomed, "revoke_pending"));

  // steady-state has no refused event and no revocation: its legend says neither
  const Expected<ResultsRead> steady = read_results_db(shipped_db("steady-state", "steady-legend.db").string());
  REQUIRE(steady.ok());
  const report::ReportData data = report::build_report_data(steady->runs);
  const std::string svg = report::svg_timeline(data.timeline);
  CHECK(!contains(svg, "event refused (4xx/5xx)"));
  CHECK(!contains(svg, "not modelled yet (501)"));
  CHECK(!contains(svg, ">revoke_pending<"));
}

// ---- item 7: a PDF that prints ---------------------------------------------------------------

TEST_CASE("Report: the print stylesheet numbers pages, wraps tables, keeps headings with what follows, hides screen-only text") {
  const fs::path db = shipped_db("key-disabled-6h", "print.db");
  const fs::path html = scratch("print.html");
  REQUIRE(run_cmksim("report '" + db.string() + "' -o '" + html.string() + "'").status == 0);
  const std::string page = cmksim::test::read_file(html);
  const auto print = page.find("@media print");
  REQUIRE(print != std::string::npos);
  const std::string css = page.substr(print, page.find("</style>") - print);
  CHECK(contains(page, "counter(page)"));
  CHECK(contains(css, "break-after: avoid"));
  CHECK(contains(css, ".screen-only { display: none; }"));
  CHECK(contains(css, ".table-wrap { overflow: visible; }"));
  CHECK(contains(css, "overflow-wrap: anywhere"));
  // "hover" is screen-only text, and the hour-by-hour table is printed as its chart
  CHECK(contains(page, "<span class=\"screen-only\"> Hover a bar or marker for its details.</span>"));
  const auto hourly = page.find("<div class=\"screen-only\"><details><summary>Calls per hour to kv-prod as a table");
  CHECK(hourly != std::string::npos);
  CHECK(page.rfind("<svg", hourly) > page.find("Calls per hour to kv-prod</h3>"));  // the chart comes before it
}

TEST_CASE("Report: the PDF of key-disabled-6h has every parameter and workspace row, within 12 pages") {
  const std::string which = cmksim::test::run_command("command -v pdftotext; command -v pdfinfo").output;
  if (std::count(which.begin(), which.end(), '\n') < 2) {
    WARN("skipped: pdftotext and pdfinfo (poppler-utils) are not installed; tools/test installs them");
    return;
  }
  const fs::path db = shipped_db("key-disabled-6h", "pdf.db");
  const fs::path pdf = scratch("report.pdf");
  const Result r = run_cmksim("report '" + db.string() + "' --format pdf -o '" + pdf.string() + "'");
  if (r.status != 0 && contains(r.output, "Chromium")) {
    WARN("skipped: no Chromium to print with: " << r.output);
    return;
  }
  INFO(r.output);
  REQUIRE(r.status == 0);
  const std::string text = cmksim::test::run_command("pdftotext -layout '" + pdf.string() + "' -").output;
  const std::string flat = without_space(text);
  const Expected<ResultsRead> results = read_results_db(db.string());
  REQUIRE(results.ok());
  const RunRecord& run = results->runs.front();
  REQUIRE(!run.run.params.empty());
  for (const ParamValue& p : run.run.params) {
    INFO(p.name << " = " << p.text);
    CHECK(contains(flat, without_space(p.name)));
    CHECK(contains(flat, without_space(p.text.empty() ? "(none)" : p.text)));
  }
  const report::ReportData data = report::build_report_data(results->runs);
  REQUIRE(data.workspaces.size() == 3);
  for (const report::WorkspaceFinding& w : data.workspaces) {
    INFO(w.name);
    // the row of the "GB lost per workspace" table, whole: name, GB figures, time unavailable, queries
    const std::string row = w.name + format_gb(w.gb_ingested) + format_gb(w.gb_lost) + format_gb(w.gb_purged) +
                            format_gb(w.gb_at_end);
    CHECK(contains(flat, without_space(row)));
  }
  CHECK(!contains(flat, "Hover"));
  CHECK(contains(text, "page 1 of "));
  const std::string info = cmksim::test::run_command("pdfinfo '" + pdf.string() + "'").output;
  std::smatch pages;
  REQUIRE(std::regex_search(info, pages, std::regex(R"(Pages:\s+([0-9]+))")));
  CHECK(std::stoi(pages[1]) <= 12);
}

// ---- item 9: impact beyond keys ---------------------------------------------------------------

TEST_CASE("D6 graph --impact takes a vault and an identity as well as a key") {
  const Result vault = run_cmksim("graph scenarios/two-clusters-one-vault.yaml --impact kv-shared");
  INFO(vault.output);
  REQUIRE(vault.status == 0);
  CHECK(contains(vault.output, "blast radius of losing vault kv-shared"));
  CHECK(contains(vault.output, "clusters (2):"));
  const Result identity = run_cmksim("graph scenarios/two-clusters-one-vault.yaml --impact cluster:clustera");
  INFO(identity.output);
  REQUIRE(identity.status == 0);
  CHECK(contains(identity.output, "blast radius of identity cluster:clustera losing its access"));
  CHECK(contains(identity.output, "clusters (1):\n  clustera:"));
  CHECK(contains(identity.output, "workspaces not affected: ws-b"));
  const Result dot = run_cmksim("graph scenarios/two-clusters-one-vault.yaml --impact vault:kv-shared --format dot");
  CHECK(dot.status == 0);
  const Result typo = run_cmksim("graph scenarios/two-clusters-one-vault.yaml --impact kv-sharde");
  CHECK(typo.status == 2);
  CHECK(contains(typo.output, "did you mean 'kv-shared'?"));
}

TEST_CASE("D8 the inaccessible headline counts the MMK data in the affected storage, split CMK + MMK") {
  const Scenario s = cmksim::test::load(cmksim::test::read_file(fs::path(CMKSIM_SOURCE_DIR) / "scenarios/key-disabled-6h.yaml"));
  const Expected<KeyImpact> impact = key_impact(ResourceGraph(s), KeyTarget{"kv-prod", "logs-cmk", ""});
  REQUIRE(impact.ok());
  CHECK(impact->gb_mmk_in_affected_storage > 0);  // key_since 10d, existing data 30d (K2)
  CHECK(impact->gb_inaccessible == Approx(impact->gb_inaccessible_cmk + impact->gb_mmk_in_affected_storage));
  const Result r = run_cmksim("graph scenarios/key-disabled-6h.yaml --impact kv-prod/logs-cmk");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, "  total: " + format_gb(impact->gb_inaccessible) + " GB (CMK " +
                               format_gb(impact->gb_inaccessible_cmk) + " GB + MMK " +
                               format_gb(impact->gb_mmk_in_affected_storage) + " GB)"));
  // the report's blast radius says the same
  const Result md = run_cmksim("report '" + shipped_db("key-disabled-6h", "blast.db").string() + "' --format md -o -");
  CHECK(contains(md.output, format_gb(impact->gb_inaccessible) + " GB inaccessible** (CMK " +
                                format_gb(impact->gb_inaccessible_cmk) + " GB + MMK "));
}
