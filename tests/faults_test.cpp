// Fault processes (issue 17): the `faults:` section loads, realises into
// ordinary events deterministically per seed and independently per process,
// at the configured rates and with the configured distributions, inside its
// window; `run --list-faults` prints the schedule; the events table marks the
// realised events with kind `fault`; malformed faults are refused with a
// position. Bounds of the statistical checks are set at 5.33 standard
// deviations: P(|Z| > 5.33) < 1e-7 per check, so the whole file's false-
// failure probability is below 1e-6.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "process_support.h"
#include "sim/core/text.h"
#include "sim/scenario/fault_schedule.h"
#include "test_support.h"

using namespace cmksim;
namespace fs = std::filesystem;

namespace {

constexpr double kZ = 5.33;  // two-sided tail below 1e-7

// One vault, one CMK cluster with one workspace, a year from Monday 2026-01-05
// 00:00, and the given `faults:` body (already indented by two spaces).
std::string year_with(const std::string& faults, const std::string& duration = "365d") {
  return "version: 1\n"
         "name: faults-test\n"
         "duration: " + duration + "\n"
         "start: 2026-01-05T00:00:00Z\n"
         "key_vaults:\n"
         "  - {name: kv, region: westeurope, soft_delete: true, purge_protection: true,\n"
         "     keys: [{name: k, versions: [v1]}]}\n"
         "clusters:\n"
         "  - {name: cl, region: westeurope, key: {vault: kv, key: k, version: v1}}\n"
         "grants:\n"
         "  - {identity: \"cluster:cl\", vault: kv, permissions: [get, wrap, unwrap]}\n"
         "workspaces:\n"
         "  - {name: ws, region: westeurope, cluster: cl, ingest_gb_per_day: 10}\n"
         "faults:\n" + faults;
}

const char* const kIssueExample =
    "  - {name: kv-outages, process: kv_outage, vault: kv, rate_per_year: 12,\n"
    "     duration: {lognormal: {median: 20m, p95: 4h}}, fault: timeout}\n"
    "  - {name: oops, process: disable_key, vault: kv, key: k, rate_per_year: 2,\n"
    "     restore_after: {uniform: [30m, 8h]}}\n"
    "  - {name: rotation, process: rotation, vault: kv, key: k, every: 90d,\n"
    "     mistake_probability: 0.1, mistake_delay: {uniform: [0s, 2h]}}\n";

std::vector<EventDecl> of_fault(const std::vector<EventDecl>& events, const std::string& name) {
  std::vector<EventDecl> out;
  for (const EventDecl& e : events) {
    if (e.from_fault == name) out.push_back(e);
  }
  return out;
}

// Fault starts: the events whose id has no ".suffix" after "#N".
std::vector<EventDecl> starts(const std::vector<EventDecl>& events) {
  std::vector<EventDecl> out;
  for (const EventDecl& e : events) {
    if (e.id.find('.', e.id.find('#')) == std::string::npos) out.push_back(e);
  }
  return out;
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("Faults: the issue's example loads, with every process and distribution") {
  const Scenario s = test::load(year_with(
      std::string(kIssueExample) +
      "  - {name: access, process: remove_access, vault: kv, identity: \"cluster:cl\", rate_per_year: 1,\n"
      "     restore_after: {fixed: 2h}, window: {from: 10d, to: 300d, days: weekdays, hours_from: 9, hours_to: 17}}\n"
      "  - {name: none, process: identity_none, cluster: cl, rate_per_year: 1, restore_after: {fixed: 1d}}\n"
      "  - {name: pinned, process: rotation, vault: kv, key: k, every: 30d, mode: explicit, cluster: cl,\n"
      "     update_after: {uniform: [10m, 1h]}}\n"
      "  - {name: mixed, process: kv_outage, vault: kv, rate_per_year: 4, duration: {fixed: 10m},\n"
      "     fault: {timeout: 3, dns: 1}}\n"));
  REQUIRE(s.faults.size() == 7);
  const FaultDecl& kv = s.faults[0];
  CHECK(kv.process == FaultProcess::kKvOutage);
  CHECK(kv.rate_per_year == 12);
  CHECK(kv.duration.kind == DurationDist::Kind::kLognormal);
  CHECK(kv.duration.a == 20 * kMsPerMinute);
  CHECK(kv.duration.b == 4 * kMsPerHour);
  CHECK(s.faults[1].restore_after.kind == DurationDist::Kind::kUniform);
  CHECK(s.faults[2].every_ms == 90 * kMsPerDay);
  CHECK(s.faults[2].mistake_probability == 0.1);
  REQUIRE(s.faults[3].window.has_value());
  CHECK(s.faults[3].window->weekdays_only);
  CHECK(s.faults[3].window->hour_from == 9);
  CHECK(s.faults[5].explicit_version);
  CHECK(s.faults[6].fault_kinds.size() == 2);
}

TEST_CASE("Faults: a realised schedule is the same for the same seed and differs between seeds") {
  const Scenario s = test::load(year_with(kIssueExample));
  const std::string a = fault_schedule_text(realise_faults(s, 7));
  CHECK(a == fault_schedule_text(realise_faults(s, 7)));
  CHECK_FALSE(a.empty());
  CHECK(a != fault_schedule_text(realise_faults(s, 8)));
}

TEST_CASE("Faults: adding a process, before or after, changes no other process's draws") {
  const Scenario alone = test::load(year_with(kIssueExample));
  const std::string extra =
      "  - {name: extra, process: kv_outage, vault: kv, rate_per_year: 50, duration: {fixed: 1h}}\n";
  const Scenario after = test::load(year_with(std::string(kIssueExample) + extra));
  const Scenario before = test::load(year_with(extra + kIssueExample));
  for (const std::uint64_t seed : test::property_seeds(50)) {
    const std::vector<EventDecl> base = realise_faults(alone, seed);
    for (const Scenario* other : {&after, &before}) {
      const std::vector<EventDecl> more = realise_faults(*other, seed);
      CHECK_FALSE(of_fault(more, "extra").empty());
      for (const char* name : {"kv-outages", "oops", "rotation"}) {
        INFO("seed " << seed << ", process " << name);
        CHECK(fault_schedule_text(of_fault(base, name)) == fault_schedule_text(of_fault(more, name)));
      }
    }
  }
}

TEST_CASE("D5 kv_outage arrivals match rate_per_year over 2,000 seeded years, and fault kinds their weights") {
  // Poisson: 2,000 years at 12 a year is Poisson(24,000), sd 155; the bound
  // is 5.33 sd (false failure < 1e-7). The 1 s outages remove 12 s a year of
  // arrival time: a bias of 24,000 * 4e-7 = 0.01, negligible.
  const Scenario s = test::load(year_with(
      "  - {name: kv, process: kv_outage, vault: kv, rate_per_year: 12, duration: {fixed: 1s},\n"
      "     fault: {timeout: 3, dns: 1}}\n"));
  constexpr int kYears = 2000;
  double count = 0, dns = 0;
  for (int seed = 1; seed <= kYears; ++seed) {
    for (const EventDecl& e : realise_faults(s, static_cast<std::uint64_t>(seed))) {
      REQUIRE(e.action == Action::kKvOutage);
      CHECK(e.for_ms == kMsPerSecond);
      ++count;
      dns += e.fault == "dns" ? 1 : 0;
    }
  }
  const double expected = 12.0 * kYears;
  CHECK(std::abs(count - expected) <= kZ * std::sqrt(expected));
  // Binomial(count, 1/4) for dns.
  const double n = count;
  CHECK(std::abs(dns - n / 4) <= kZ * std::sqrt(n * 0.25 * 0.75));
}

TEST_CASE("D6 disable_key faults never overlap, each restored after its drawn time, within the run") {
  const Scenario s = test::load(year_with(
      "  - {name: oops, process: disable_key, vault: kv, key: k, rate_per_year: 20,\n"
      "     restore_after: {uniform: [30m, 8h]}}\n"));
  for (const std::uint64_t seed : test::property_seeds(100)) {
    const std::vector<EventDecl> events = realise_faults(s, seed);
    TimeMs last_end = -1;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const EventDecl& e = events[i];
      CHECK(e.at_ms <= s.duration_ms);
      if (e.action == Action::kDisableKey) {
        CHECK(e.at_ms > last_end);
        if (i + 1 < events.size()) {
          REQUIRE(events[i + 1].action == Action::kEnableKey);
          CHECK(events[i + 1].id == e.id + ".end");
          const DurationMs r = events[i + 1].at_ms - e.at_ms;
          CHECK(r >= 30 * kMsPerMinute);
          CHECK(r <= 8 * kMsPerHour);
          last_end = events[i + 1].at_ms;
        }
      }
    }
  }
}

TEST_CASE("Faults: lognormal draws have the configured median and p95, uniform and fixed their ranges") {
  // Over 200,000 draws the share below the median is Binomial(n, 0.5)/n, sd
  // 0.00112; below the p95, sd 0.00049. Bounds at 5.33 sd.
  constexpr int kDraws = 200000;
  Rng rng = Rng::stream(42, "faults-test");
  const DurationDist lognormal{DurationDist::Kind::kLognormal, 20 * kMsPerMinute, 4 * kMsPerHour};
  int below_median = 0, below_p95 = 0;
  for (int i = 0; i < kDraws; ++i) {
    const DurationMs d = draw_duration(lognormal, rng);
    CHECK(d >= 0);
    below_median += d < lognormal.a ? 1 : 0;
    below_p95 += d < lognormal.b ? 1 : 0;
  }
  CHECK(std::abs(below_median / double(kDraws) - 0.5) <= kZ * std::sqrt(0.25 / kDraws));
  CHECK(std::abs(below_p95 / double(kDraws) - 0.95) <= kZ * std::sqrt(0.95 * 0.05 / kDraws));

  const DurationDist uniform{DurationDist::Kind::kUniform, 30 * kMsPerMinute, 8 * kMsPerHour};
  DurationMs lo = uniform.b, hi = uniform.a;
  double sum = 0;
  for (int i = 0; i < kDraws; ++i) {
    const DurationMs d = draw_duration(uniform, rng);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
    sum += static_cast<double>(d);
  }
  CHECK(lo >= uniform.a);
  CHECK(hi <= uniform.b);
  const double width = static_cast<double>(uniform.b - uniform.a);
  CHECK(static_cast<double>(lo - uniform.a) < width / 1000);  // the ends are reached (P(miss) = (1 - 1e-3)^200000, nil)
  CHECK(static_cast<double>(uniform.b - hi) < width / 1000);
  const double mean = static_cast<double>(uniform.a + uniform.b) / 2.0, sd = width / std::sqrt(12.0);
  CHECK(std::abs(sum / kDraws - mean) <= kZ * sd / std::sqrt(double(kDraws)));

  const DurationDist fixed{DurationDist::Kind::kFixed, 90 * kMsPerMinute, 0};
  for (int i = 0; i < 100; ++i) CHECK(draw_duration(fixed, rng) == 90 * kMsPerMinute);
}

TEST_CASE("Faults: a window's days, hours and bounds are honoured, and the rate still holds per year") {
  // Start: Monday 2026-01-05 00:00, so scenario time t is hour (t mod 1d) of
  // weekday (t div 1d) mod 7, Monday = 0.
  const Scenario s = test::load(year_with(
      "  - {name: office, process: remove_access, vault: kv, identity: \"cluster:cl\", rate_per_year: 10,\n"
      "     restore_after: {fixed: 1s}, window: {days: weekdays, hours_from: 9, hours_to: 17}}\n"
      "  - {name: spring, process: disable_key, vault: kv, key: k, rate_per_year: 10,\n"
      "     restore_after: {fixed: 1s}, window: {from: 60d, to: 150d}}\n"));
  constexpr int kYears = 1000;
  double office = 0, spring = 0;
  for (int seed = 1; seed <= kYears; ++seed) {
    for (const EventDecl& e : starts(realise_faults(s, static_cast<std::uint64_t>(seed)))) {
      if (e.from_fault == "office") {
        ++office;
        const std::int64_t day = e.at_ms / kMsPerDay;
        const std::int64_t hour = (e.at_ms % kMsPerDay) / kMsPerHour;
        INFO("office fault at " << format_instant(e.at_ms));
        CHECK(day % 7 < 5);
        CHECK(hour >= 9);
        CHECK(hour < 17);
      } else {
        ++spring;
        CHECK(e.at_ms >= 60 * kMsPerDay);
        CHECK(e.at_ms < 150 * kMsPerDay);
      }
    }
  }
  // office: 365 days hold 52 weeks and 1 day (a Monday), so the open time is
  // (52 * 40 + 8) / (365 * 24 / 7 * 40 / 24 ...) -- as a share of a year of
  // weeks: (52 * 40 + 8) h against 365 * 40 / 7 h.
  const double office_expected = kYears * 10.0 * (52 * 40 + 8) / (365 * 40 / 7.0);
  CHECK(std::abs(office - office_expected) <= kZ * std::sqrt(office_expected));
  const double spring_expected = kYears * 10.0 * 90 / 365;  // 90 days of a 365-day year
  CHECK(std::abs(spring - spring_expected) <= kZ * std::sqrt(spring_expected));
}

TEST_CASE("R3 rotation: mistake_probability 1 disables the old version before an explicit update, 0 never") {
  const auto load_rotation = [](const std::string& p) {
    return test::load(year_with("  - {name: rot, process: rotation, vault: kv, key: k, every: 90d, mode: explicit,\n"
                                "     cluster: cl, update_after: {fixed: 1h}, mistake_probability: " + p + ",\n"
                                "     mistake_delay: {uniform: [0s, 2h]}}\n"));
  };
  const std::vector<EventDecl> always = realise_faults(load_rotation("1"), 3);
  const std::vector<EventDecl> never = realise_faults(load_rotation("0"), 3);
  REQUIRE(starts(always).size() == 4);  // 90d, 180d, 270d, 360d
  std::map<std::string, TimeMs> at;
  for (const EventDecl& e : always) at[e.id] = e.at_ms;
  std::string old_version = "v1";
  for (int k = 1; k <= 4; ++k) {
    const std::string id = "faults.rot#" + std::to_string(k);
    INFO(id);
    REQUIRE(at.count(id + ".mistake") == 1);
    REQUIRE(at.count(id + ".update") == 1);
    CHECK(at[id] == k * 90 * kMsPerDay);
    CHECK(at[id + ".mistake"] < at[id + ".update"]);
    CHECK(at[id + ".update"] >= at[id] + kMsPerHour);
  }
  for (int k = 1; k <= 4; ++k) {  // the mistake disables the version the cluster still uses
    for (const EventDecl& e : always) {
      if (e.id == "faults.rot#" + std::to_string(k) + ".mistake") CHECK(e.version == old_version);
    }
    old_version = "rot." + std::to_string(k);
  }
  for (const EventDecl& e : never) CHECK(e.action != Action::kDisableKeyVersion);
  CHECK(starts(never).size() == 4);
}

TEST_CASE("Faults: realised faults reach the model as ordinary events: operations, incidents, events of kind fault") {
  const Scenario s = test::load(year_with(
      "  - {name: oops, process: disable_key, vault: kv, key: k, rate_per_year: 12,\n"
      "     restore_after: {fixed: 2h}}\n",
      "180d"));
  const std::vector<EventDecl> realised = realise_faults(s, 5);
  REQUIRE(realised.size() >= 2);
  const RunRecord r = test::run(s, 5);
  std::size_t fault_rows = 0;
  for (const EventRow& e : r.events) {
    if (e.kind != "fault") continue;
    ++fault_rows;
    CHECK(e.detail_json.find("\"process\":\"disable_key\"") != std::string::npos);
    CHECK(e.detail_json.find("\"fault\":\"oops\"") != std::string::npos);
  }
  CHECK(fault_rows == realised.size());
  for (const EventDecl& e : realised) CHECK(test::operation(r, e.id).status == 200);
  // Each disabling cuts the cluster off (D6): one incident per fault.
  CHECK(test::incidents_of(r, "cl").size() == starts(realised).size());
}

TEST_CASE("Faults: run --list-faults prints the seed's schedule without simulating, and run writes kind fault") {
  test::TempDir dir("faults-test-cli");
  const fs::path scenario = dir.path() / "year.yaml";
  write(scenario, year_with(kIssueExample));
  const std::string bin = CMKSIM_BINARY;
  const test::CommandResult listed = test::run_command(bin + " run '" + scenario.string() + "' --list-faults --seed 4 2>&1");
  REQUIRE(listed.status == 0);
  const Scenario s = test::load(year_with(kIssueExample));
  const std::vector<EventDecl> realised = realise_faults(s, 4);
  CHECK(listed.output.find(fault_schedule_text(realised)) != std::string::npos);
  CHECK(listed.output.find("faults.rotation#1  add_key_version kv k rotation.1") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "year.db"));  // nothing simulated, nothing written

  const fs::path db = dir.path() / "out.db";
  const test::CommandResult ran =
      test::run_command("cd '" + dir.path().string() + "' && " + bin + " run year.yaml --seed 4 -o out.db 2>&1");
  REQUIRE(ran.status == 0);
  const test::CommandResult rows = test::run_command(
      "sqlite3 '" + db.string() + "' \"select count(*) from events where kind = 'fault' and detail like "
      "'%\\\"id\\\":\\\"faults.%'\"");
  REQUIRE(rows.status == 0);
  CHECK(std::stoul(rows.output) == realised.size());
}

TEST_CASE("Faults: validate counts a scenario's fault processes beside its events (their events are drawn per seed)") {
  test::TempDir dir("faults-test-validate");
  const fs::path scenario = dir.path() / "year.yaml";
  write(scenario, year_with(kIssueExample));
  const test::CommandResult validated =
      test::run_command(std::string(CMKSIM_BINARY) + " validate '" + scenario.string() + "' 2>/dev/null");
  REQUIRE(validated.status == 0);
  CHECK(validated.output == scenario.string() + ": valid (0 events, 3 fault processes, 0 expectations)\n");
}

TEST_CASE("Faults: malformed faults are refused with file:line:column and exit status 2") {
  test::TempDir dir("faults-test-malformed");
  const std::string bin = CMKSIM_BINARY;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"  - {name: a, process: kv_outgae, vault: kv, rate_per_year: 1, duration: {fixed: 1h}}\n",
       ":15:24: unknown process 'kv_outgae'"},
      {"  - {name: a, process: kv_outage, vault: kv, rate_per_year: 1}\n",
       "missing required field 'duration' for process 'kv_outage'"},
      {"  - {name: a, process: kv_outage, vault: kv, rate_per_year: 1, duration: {normal: 1h}}\n",
       ":15:75: unknown field 'normal' in duration"},
      {"  - {name: a, process: disable_key, vault: kv, key: nokey, rate_per_year: 1, restore_after: {fixed: 1h}}\n",
       ":15:53: fault 'a' names unknown key 'kv/nokey'"},
      {"  - {name: a, process: rotation, vault: kv, key: k, every: 0}\n", ":15:60: every must be at least 1h, got 0"},
      {"  - {name: a, process: kv_outage, vault: kv, rate_per_year: 1e9, duration: {fixed: 1h}}\n",
       "rate_per_year must be at most 100000, got 1e9"},
      {"  - {name: a, process: rotation, vault: kv, key: k, every: 90d, mode: explicit}\n",
       "missing required field 'cluster' for mode 'explicit'"},
      {"  - {name: a, process: kv_outage, vault: kv, rate_per_year: 1, duration: {fixed: 1h}, fault: {dns: 0}}\n",
       "the fault weights must have a positive sum"},
      {"  - {name: a, process: identity_none, cluster: cl, rate_per_year: 1, restore_after: {fixed: 1h},\n"
       "     window: {hours_from: 17, hours_to: 9}}\n",
       ":16:41: the window's hours_to must be after its hours_from"},
  };
  int i = 0;
  for (const auto& [faults, message] : cases) {
    const fs::path file = dir.path() / ("bad-" + std::to_string(i++) + ".yaml");
    write(file, year_with(faults));
    const test::CommandResult r = test::run_command(bin + " validate '" + file.string() + "' 2>&1");
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(file.string() + ":") != std::string::npos);
    CHECK(r.output.find(message) != std::string::npos);
    const test::CommandResult run = test::run_command(bin + " run '" + file.string() + "' --list-faults 2>&1");
    CHECK(run.status == 2);
  }
}

TEST_CASE("Faults: a sweep's axis may be a fault's field (faults.NAME.FIELD), and a bad name is refused") {
  test::TempDir dir("faults-test-sweep");
  const fs::path scenario = dir.path() / "year.yaml";
  write(scenario, year_with("  - {name: kv-outages, process: kv_outage, vault: kv, rate_per_year: 12,\n"
                            "     duration: {fixed: 10m}}\n",
                            "30d"));
  const std::string bin = CMKSIM_BINARY;
  const std::string base = "cd '" + dir.path().string() + "' && " + bin + " sweep year.yaml --runs 3 --no-progress ";
  const test::CommandResult ok = test::run_command(base + "--set faults.kv-outages.rate_per_year=0,400 -o s.db 2>&1");
  INFO(ok.output);
  REQUIRE(ok.status == 0);
  // rate 0: no fault event in the 3 runs of the first point; 400 a year over 30 days: some.
  const test::CommandResult rows = test::run_command(
      "sqlite3 '" + (dir.path() / "s.db").string() +
      "' \"select s.value, count(e.seq) from sweep s left join events e on e.run_id = s.run_id and e.kind = 'fault' "
      "group by s.value order by s.value\"");
  REQUIRE(rows.status == 0);
  INFO(rows.output);
  CHECK(rows.output.rfind("0|0\n", 0) == 0);
  CHECK(rows.output.find("400|0\n") == std::string::npos);
  const test::CommandResult bad = test::run_command(base + "--set faults.kv-outage.rate_per_year=1 -o t.db 2>&1");
  CHECK(bad.status == 2);
  CHECK(bad.output.find("unknown fault 'kv-outage' (did you mean 'kv-outages'?)") != std::string::npos);
}
