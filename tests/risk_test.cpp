// Risk figures of a sweep (issue 17 items 2 and 5, issue 15 item 5): the
// statistics behind them, a hand-computable case against its closed form,
// the grid points side by side, the report's risk section and run choice,
// and `cmksim diff --risk`.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "sim/io/overrides.h"
#include "sim/io/results_reader.h"
#include "sim/model/model.h"
#include "sim/report/report.h"
#include "sim/sweep/risk.h"
#include "sim/sweep/sweep.h"
#include "process_support.h"
#include "test_support.h"

using namespace cmksim;

namespace {

using test::TempDir;

struct Output {
  int status = -1;
  std::string text;
};

Output run_cmksim(const std::string& args) {
  const test::CommandResult r = test::run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>&1");
  return {r.status, r.output};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One Key Vault outage of fixed length F at 1d of a 2-day run under the 2020
// profile (D13), one workspace ingesting R = 480 GB/day. The SSD hot cache is
// off and the cluster calls Key Vault every second, so nothing is random but
// the query times.
const char* const kOutage2020 =
    "version: 1\n"
    "name: risk-closed-form\n"
    "description: One Key Vault outage of fixed length under the 2020 profile.\n"
    "seed: 5\n"
    "duration: 2d\n"
    "profile: azure-monitor-2020\n"
    "params:\n"
    "  hot_cache_period: 0s\n"
    "  kv_call_interval_min: 1s\n"
    "  kv_call_interval_max: 1s\n"
    "key_vaults:\n"
    "  - {name: kv, region: westeurope, subscription: sub, soft_delete: true, purge_protection: true,\n"
    "     keys: [{name: k, versions: [v1]}]}\n"
    "clusters:\n"
    "  - {name: cl, region: westeurope, subscription: sub, identity: system_assigned, capacity_gb_per_day: 1000,\n"
    "     key: {vault: kv, key: k, version: \"\"}, key_since: 30d}\n"
    "grants:\n"
    "  - {identity: \"cluster:cl\", vault: kv}\n"
    "workspaces:\n"
    "  - {name: ws, region: westeurope, subscription: sub, cluster: cl, ingest_gb_per_day: 480, retention: 30d,\n"
    "     queries_per_hour: 60}\n"
    "events:\n"
    "  - {id: outage, at: 1d, action: kv_outage, vault: kv, for: 10h, fault: timeout}\n";

// A sweep of kOutage2020 over F written to `db`; its runs read back.
std::vector<RunRecord> outage_sweep(const TempDir& dir, const std::string& db, const std::string& lengths,
                                    std::uint64_t runs) {
  const std::string yaml = dir.file("outage.yaml");
  std::ofstream(yaml) << kOutage2020;
  const Output sweep = run_cmksim("sweep " + yaml + " --runs " + std::to_string(runs) + " --set events.outage.for=" +
                                  lengths + " -o " + dir.file(db) + " --no-progress --jobs 1");
  INFO(sweep.text);
  REQUIRE(sweep.status == 0);
  Expected<ResultsRead> read = read_results_db(dir.file(db));
  REQUIRE(read.ok());
  return read->runs;
}

RunOutcome outcome(double gb_lost, double years = 1) {
  RunOutcome o;
  o.gb_lost = gb_lost;
  o.years = years;
  o.queries_ok = 100;
  return o;
}

}  // namespace

TEST_CASE("Issue 17 (2): the Wilson interval of a probability matches its published values") {
  // Wilson (1927), z = 1.96: 0 of 10 -> [0, 0.2775]; 5 of 10 -> [0.2366, 0.7634]; 10 of 10 -> [0.7225, 1].
  const Interval none = wilson_interval(0, 10), half = wilson_interval(5, 10), all = wilson_interval(10, 10);
  CHECK(none.low == 0);
  CHECK(none.high == Approx(0.2775).epsilon(1e-3));
  CHECK(half.low == Approx(0.2366).epsilon(1e-3));
  CHECK(half.high == Approx(0.7634).epsilon(1e-3));
  CHECK(all.low == Approx(0.7225).epsilon(1e-3));
  CHECK(all.high == 1);
  // it narrows with the run count: 0 of 1000 -> upper z^2 / (n + z^2)
  CHECK(wilson_interval(0, 1000).high == Approx(3.8415 / 1003.8415).epsilon(1e-3));
}

TEST_CASE("Issue 17 (2): a mean's CI is the normal approximation, a percentile's the order statistics") {
  // 1..100: mean 50.5, s = 29.0115, half-width 1.96 * s / 10 = 5.686
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  const Estimate mean = mean_estimate(v);
  CHECK(mean.value == Approx(50.5));
  CHECK(mean.ci.low == Approx(50.5 - 5.6863).epsilon(1e-3));
  CHECK(mean.ci.high == Approx(50.5 + 5.6863).epsilon(1e-3));
  // p50 of 1..100 by nearest rank is 50; ranks np -/+ 1.96 sqrt(np(1-p)) = 50 -/+ 9.8 -> 40 and 61
  const Estimate p50 = quantile_estimate(v, 50);
  CHECK(p50.value == 50);
  CHECK(p50.ci.low == 40);
  CHECK(p50.ci.high == 61);
  // p99: rank 99, CI ranks 97 .. 100 (clamped)
  const Estimate p99 = quantile_estimate(v, 99);
  CHECK(p99.value == 99);
  CHECK(p99.ci.low == 97);
  CHECK(p99.ci.high == 100);
  // one value: no spread
  CHECK(mean_estimate({7}).ci.low == 7);
}

TEST_CASE("Issue 17 (2): loss is annualised by the run's simulated duration, and P(any loss) per year") {
  // Runs of half a year: 2 GB lost in a run is 4 GB a year; a run losing
  // anything with probability 1/2 per half year loses in a year with
  // probability 1 - (1/2)^2 = 3/4.
  const std::vector<RunOutcome> runs = {outcome(2, 0.5), outcome(0, 0.5), outcome(2, 0.5), outcome(0, 0.5)};
  const RiskFigures f = risk_figures(runs, "half years");
  CHECK(f.annual_gb_lost.value == Approx(2.0));  // (4 + 0 + 4 + 0) / 4
  CHECK(f.p_any_loss.value == Approx(0.75));
  const Interval w = wilson_interval(2, 4);
  CHECK(f.p_any_loss.ci.low == Approx(1 - std::pow(1 - w.low, 2)));
  CHECK(f.p_any_loss.ci.high == Approx(1 - std::pow(1 - w.high, 2)));
  CHECK(f.annual_losses == std::vector<double>{0, 0, 4, 4});
  CHECK(exceedance(f.annual_losses, 0) == 0.5);
  CHECK(exceedance(f.annual_losses, 4) == 0);
  CHECK(format_nines(0.999) == "3.00 nines");
}

// The closed form (D13, profile azure-monitor-2020): an outage of length F
// makes storage unavailable after U = kv_outage_unavailable_after = 30m until
// Key Vault answers again (the next call, 1 s apart; no hot cache to reload,
// so the recovery time is 0): unavailable u = F - U. Arrivals are buffered
// for B = outage_buffer = 6h of it, the rest is lost:
//     GB lost per run      L = R * max(0, u - B) / 1d
//     annual GB lost         = L * 365d / D                 (D = 2d)
//     P(any loss in a year)  = 1 if u > B, else 0 (every run alike)
//     unavailable a year     = u * 365d / D
//     mean time to recovery  = 0
// F = 2h:  u = 1h30m, L = 0, unavailable a year = 273.75 h (11d9h45m).
// F = 10h: u = 9h30m, L = 480 * 3.5 / 24 = 70 GB, annual 70 * 182.5 = 12,775 GB,
//          unavailable a year = 1,733.75 h (72d5h45m).
TEST_CASE("Issue 17 (5): the risk figures of one fixed outage under the 2020 profile match the closed form") {
  TempDir dir("risk-closed-form");
  const std::vector<RunRecord> runs = outage_sweep(dir, "closed.db", "2h,10h", 20);
  const std::vector<RiskFigures> points = risk_by_point(runs);
  REQUIRE(points.size() == 2);
  const RiskFigures& short_outage = points[0];
  const RiskFigures& long_outage = points[1];
  CHECK(short_outage.label == "events.outage.for=2h");
  CHECK(long_outage.label == "events.outage.for=10h");
  CHECK(short_outage.runs == 20);
  CHECK(short_outage.years_per_run == Approx(2.0 / 365));

  CHECK(short_outage.annual_gb_lost.value == 0);
  CHECK(short_outage.p_any_loss.value == 0);
  CHECK(short_outage.annual_unavailable_s.p50.value == Approx(1.5 * 3600 * 182.5));
  CHECK(short_outage.annual_unavailable_s.max == Approx(1.5 * 3600 * 182.5));

  CHECK(long_outage.annual_gb_lost.value == Approx(12775).epsilon(1e-6));
  CHECK(long_outage.annual_gb_lost.ci.low == Approx(12775).epsilon(1e-6));   // every run alike
  CHECK(long_outage.annual_gb_lost.ci.high == Approx(12775).epsilon(1e-6));
  CHECK(long_outage.annual_loss_gb.p50.value == Approx(12775).epsilon(1e-6));
  CHECK(long_outage.annual_loss_gb.p99.value == Approx(12775).epsilon(1e-6));
  CHECK(long_outage.p_any_loss.value == 1);
  CHECK(long_outage.annual_unavailable_s.p95.value == Approx(9.5 * 3600 * 182.5));
  REQUIRE(long_outage.mttr_s);
  CHECK(long_outage.mttr_s->value == 0);
  CHECK(long_outage.incidents == 20);
  CHECK(long_outage.averted == 0);
  // every run of the long outage loses the same: the curve is 1 up to 12,775 GB, then 0
  CHECK(exceedance(long_outage.annual_losses, 12774) == 1);
  CHECK(exceedance(long_outage.annual_losses, 12775.001) == 0);
  // availability of queries: below 1, the same as the runs' own counts
  double mean = 0;
  for (std::size_t i = 20; i < 40; ++i) {
    const double ok = *test::metric(runs[i], "ws", "queries_ok"), failed = *test::metric(runs[i], "ws", "queries_failed");
    mean += ok / (ok + failed) / 20;
  }
  CHECK(long_outage.availability.value == Approx(mean));
  CHECK(long_outage.availability.value < short_outage.availability.value);
}

TEST_CASE("Issue 15 (5): an incident whose access came back before storage became unavailable counts as averted") {
  // key disabled for 5 minutes, well within the AEK cache (D4): an exposure window, never unavailable
  const RunRecord r = test::run_yaml(test::small_scenario(
      "  - {id: off, at: 12h, action: disable_key, vault: kv, key: k}\n"
      "  - {id: on, at: 12h5m, action: enable_key, vault: kv, key: k}\n",
      "  aek_cache_ttl: 1h\n"));
  const RunOutcome o = outcome_of(r, 1);
  REQUIRE(o.incidents == 1);
  CHECK(o.averted == 1);
  CHECK(o.gb_lost == 0);
}

TEST_CASE("Issue 15 (5): the sweep summary shows the grid points side by side with averted incidents and risk") {
  TempDir dir("risk-summary");
  const std::string yaml = dir.file("outage.yaml");
  std::ofstream(yaml) << kOutage2020;
  const Output out = run_cmksim("sweep " + yaml + " --runs 3 --set events.outage.for=2h,10h -o " +
                                dir.file("s.db") + " --no-progress --jobs 1");
  INFO(out.text);
  REQUIRE(out.status == 0);
  CHECK(contains(out.text, "3 runs, 3 with an incident, 0 averted incidents"));
  CHECK(contains(out.text, "side by side (p50 / p95 / max over each point's runs):"));
  CHECK(contains(out.text, "point 1      point 2"));
  CHECK(contains(out.text, "  GB lost max                             0           70\n"));
  CHECK(contains(out.text, "  expected annual GB lost                 0        12775\n"));
}

TEST_CASE("Issue 17 (2): a sweep's report has a risk section with CIs and a loss-exceedance curve, axes labelled") {
  TempDir dir("risk-report");
  const std::vector<RunRecord> runs = outage_sweep(dir, "r.db", "2h,10h", 4);
  const std::string md = report::markdown_report(runs);
  CHECK(contains(md, "## Risk"));
  CHECK(contains(md, "### Grid points side by side"));
  CHECK(contains(md, "| expected annual GB lost | 0 \\[0, 0\\] | 12775 \\[12775, 12775\\] |"));
  CHECK(contains(md, "| P(any loss in a year) | 0 \\[0, 1\\] | 1 \\[1, 1\\] |"));
  CHECK(contains(md, "| incidents (averted) | 4 (0 averted) | 4 (0 averted) |"));
  CHECK(contains(md, "| 12775 | 0 | 0 |"));  // the curve's table: nothing lost beyond the largest loss
  const std::string html = report::html_report(runs);
  CHECK(contains(html, "class=\"exceedance\""));
  CHECK(contains(html, "P(annual loss &gt; x)"));
  CHECK(contains(html, "x: annual GB lost"));
  CHECK(contains(html, "rotate(-90)\" text-anchor=\"middle\" fill=\"#607d8b\">runs</text>"));  // histogram y axis
}

TEST_CASE("Issue 15 (5): report --run N and --worst METRIC pick the run shown, and say which run of which sweep") {
  TempDir dir("risk-pick");
  outage_sweep(dir, "p.db", "2h,10h", 3);
  const std::string db = dir.file("p.db");
  Output out = run_cmksim("report " + db + " --worst gb_lost -o " + dir.file("w.md"));
  INFO(out.text);
  REQUIRE(out.status == 0);
  CHECK(contains(out.text, "(showing run 4)"));  // the first run of the 10h point: all lose 70 GB
  std::ifstream in(dir.file("w.md"));
  const std::string md((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(contains(md, "| representative run | run 4: the most gb_lost of the sweep (70 GB), picked by --worst gb_lost |"));
  CHECK(contains(md, "Run 4 of the sweep in " + db));

  out = run_cmksim("report " + db + " --run 2 -o " + dir.file("r2.md"));
  REQUIRE(out.status == 0);
  CHECK(contains(out.text, "(showing run 2)"));

  out = run_cmksim("report " + db + " --run 7 -o " + dir.file("x.md"));
  CHECK(out.status == 2);
  CHECK(contains(out.text, "--run 7: the database holds runs 1 to 6"));
  out = run_cmksim("report " + db + " --worst gb_lots -o " + dir.file("x.md"));
  CHECK(out.status == 2);
  CHECK(contains(out.text, "did you mean 'gb_lost'?"));
  CHECK_FALSE(std::ifstream(dir.file("x.md")).good());  // no partial output
}

TEST_CASE("Issue 17 (2): diff --risk compares two policies' risk side by side, with the difference and CI overlap") {
  TempDir dir("risk-diff");
  outage_sweep(dir, "short.db", "2h", 5);
  outage_sweep(dir, "long.db", "10h", 5);
  const Output differ = run_cmksim("diff --risk " + dir.file("short.db") + " " + dir.file("long.db"));
  INFO(differ.text);
  CHECK(differ.status == 1);
  CHECK(contains(differ.text, "expected annual GB lost: A 0 [0, 0], B 12775 [12775, 12775], B-A +12775 (CIs DO NOT overlap)"));
  const Output same = run_cmksim("diff --risk " + dir.file("short.db") + " " + dir.file("short.db"));
  INFO(same.text);
  CHECK(same.status == 0);
  CHECK(contains(same.text, "(CIs overlap)"));
  CHECK_FALSE(contains(same.text, "DO NOT"));
}

TEST_CASE("Issue 17 (3): a risk expectation is checked over derived seeds by cmksim check, met or not") {
  TempDir dir("risk-expect");
  const std::string yaml = dir.file("expect.yaml");
  std::ofstream(yaml) << kOutage2020
                      << "expect:\n"
                         "  - {risk: expected_annual_gb_lost, max: 13000, runs: 20}\n"
                         "  - {risk: p_any_loss, min: 0.99, runs: 20}\n"
                         "  - {risk: annual_unavailable_p95, max: 73d, runs: 20}\n"
                         "  - {risk: expected_annual_gb_lost, max: 12000, runs: 20}\n";
  const Scenario s = test::load(std::string(kOutage2020) + "expect:\n  - {risk: p_any_loss, max: 0.5}\n");
  REQUIRE(s.expectations.size() == 1);
  CHECK(s.expectations[0].kind == ExpectationDecl::Kind::kRisk);
  CHECK(s.expectations[0].over_seeds == 100);  // the default runs
  CHECK(s.expectations[0].text == "risk p_any_loss <= 0.5 over 100 runs");

  const Output out = run_cmksim("check " + yaml);
  INFO(out.text);
  CHECK(out.status == 1);
  CHECK(contains(out.text, "  met      risk expected_annual_gb_lost <= 13000 over 20 runs (observed 12775 (95% CI "
                           "12775 to 12775) over 20 runs, seeds derived from 5)"));
  CHECK(contains(out.text, "  met      risk p_any_loss >= 0.99 over 20 runs"));
  CHECK(contains(out.text, "  met      risk annual_unavailable_p95 <= 73d over 20 runs (observed 72d5h45m"));
  CHECK(contains(out.text, "  NOT MET  risk expected_annual_gb_lost <= 12000 over 20 runs"));
  CHECK(contains(out.text, "reproduce: cmksim check " + yaml + " --profile azure-monitor-2020"));
  CHECK(contains(out.text, " --seed 5\n"));
}

TEST_CASE("Issue 17 (3): a malformed risk expectation is one message with its place, exit 2") {
  TempDir dir("risk-malformed");
  const std::string yaml = dir.file("bad.yaml");
  std::ofstream(yaml) << kOutage2020 << "expect:\n  - {risk: expected_annual_gb_lost, max: 3h}\n";
  Output out = run_cmksim("validate " + yaml);
  CHECK(out.status == 2);
  CHECK(contains(out.text, "bad.yaml:25:"));
  CHECK(contains(out.text, "max of expected_annual_gb_lost must be a number"));
  std::ofstream(yaml) << kOutage2020 << "expect:\n  - {risk: expected_annual_gb_lsot, max: 3}\n";
  out = run_cmksim("validate " + yaml);
  CHECK(out.status == 2);
  CHECK(contains(out.text, "expected_annual_gb_lost"));  // did you mean
  std::ofstream(yaml) << kOutage2020 << "expect:\n  - {risk: p_any_loss, max: 0.1, over_seeds: 3}\n";
  out = run_cmksim("validate " + yaml);
  CHECK(out.status == 2);
  CHECK(contains(out.text, "field 'over_seeds' does not belong to a risk expectation"));
}

TEST_CASE("Issue 17 (3): the shipped risk examples meet their risk expectations, and the policy pairs differ") {
  const std::string dir = std::string(CMKSIM_SOURCE_DIR) + "/scenarios/";
  for (const char* name : {"risk-year-production", "risk-year-2020-profile", "risk-rotation-pinned",
                           "risk-rotation-auto", "risk-soft-delete-on", "risk-soft-delete-off"}) {
    const Output out = run_cmksim("check " + dir + name + ".yaml");
    INFO(out.text);
    CHECK(out.status == 0);
    CHECK(contains(out.text, "  met      risk "));
  }
  // soft delete off versus on: the same mistake, a different year (C2)
  TempDir tmp("risk-examples");
  for (const char* name : {"risk-soft-delete-on", "risk-soft-delete-off"}) {
    const Output sweep = run_cmksim("sweep " + dir + name + ".yaml --runs 10 -o " + tmp.file(std::string(name) + ".db") +
                                    " --no-progress --jobs 1");
    INFO(sweep.text);
    REQUIRE(sweep.status == 0);
  }
  const Output diff =
      run_cmksim("diff --risk " + tmp.file("risk-soft-delete-on.db") + " " + tmp.file("risk-soft-delete-off.db"));
  INFO(diff.text);
  CHECK(diff.status == 1);
  CHECK(contains(diff.text, "(CIs DO NOT overlap)"));
  const std::size_t line = diff.text.find("  expected annual GB lost:");
  REQUIRE(line != std::string::npos);
  CHECK(contains(diff.text.substr(line, diff.text.find('\n', line) - line), "(CIs DO NOT overlap)"));
}

TEST_CASE("Issue 17 (2) D7: over 200 seeded years of faults, the longest exposure window stays within the 1 h bound") {
  // A bound, not a statistic: every run must hold it, so no false failures.
  TempDir dir("risk-d7");
  const std::string db = dir.file("d7.db");
  const Output sweep = run_cmksim("sweep " + std::string(CMKSIM_SOURCE_DIR) +
                                  "/scenarios/risk-year-production.yaml --runs 200 -o " + db + " --no-progress");
  INFO(sweep.text);
  REQUIRE(sweep.status == 0);
  const Expected<ResultsRead> read = read_results_db(db);
  REQUIRE(read.ok());
  const std::vector<RiskFigures> points = risk_by_point(read->runs);
  REQUIRE(points.size() == 1);
  CHECK(points[0].runs == 200);
  CHECK(points[0].incidents > 200);              // the faults really happened
  CHECK(points[0].longest_exposure_s.max > 0);
  CHECK(points[0].longest_exposure_s.max <= 3600);
  CHECK(points[0].annual_gb_lost.ci.low < points[0].annual_gb_lost.value);
  CHECK(points[0].annual_gb_lost.value < points[0].annual_gb_lost.ci.high);
}
