// The data plane of the azure-monitor-current profile, one behaviour of
// BEHAVIORS.md per test, named by its ID. Timing bounds are properties checked
// over 200 seeds.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>
#include <vector>
#include <string>

#include "process_support.h"
#include "sim/io/profile_builder.h"
#include "sim/io/results_db.h"
#include "sim/io/scenario_loader.h"
#include "sim/model/kv_call_log.h"
#include "sim/random/distributions.h"
#include "test_support.h"

using namespace cmksim;
using namespace cmksim::test;

namespace {

constexpr TimeMs kDay = kMsPerDay;
constexpr TimeMs kHour = kMsPerHour;

double gb_per_ms(double gb_per_day) { return gb_per_day / static_cast<double>(kDay); }

const std::string kDisable6h =
    "  - {id: disable, at: 1d, action: disable_key, vault: kv, key: k}\n"
    "  - {id: enable, at: 1d6h, action: enable_key, vault: kv, key: k}\n";

double data_sum(const RunRecord& r, const std::string& ws, const std::string& protection, double DataRow::*field) {
  double total = 0;
  for (const auto& d : r.data) {
    if (d.workspace == ws && (protection.empty() || d.protection == protection)) total += d.*field;
  }
  return total;
}

}  // namespace

TEST_CASE("D1 ingestion accumulates at the configured rate, integrated analytically") {
  const RunRecord r = run_yaml(small_scenario(""));
  CHECK(*metric(r, "ws-a", "gb_ingested") == Approx(200.0).epsilon(1e-12));
  CHECK(*metric(r, "ws-b", "gb_ingested") == Approx(100.0).epsilon(1e-12));
  CHECK(*metric(r, "ws-free", "gb_ingested") == Approx(20.0).epsilon(1e-12));
  CHECK(r.run.events_processed < 20000);  // no event per gigabyte
}

TEST_CASE("D1 a daily profile shapes arrivals over the day and keeps the daily total") {
  std::string yaml = small_scenario("  - {id: q, at: 1h, action: query, workspace: ws-a, range: 1h}\n", "", "\"\"", "1d");
  const std::string from = "ingest_gb_per_day: 100,\n";
  // Twice the rate in the first 12 hours of the day as in the last 12.
  yaml.replace(yaml.find(from), from.size(),
               "ingest_gb_per_day: 100, daily_profile: [2,2,2,2,2,2,2,2,2,2,2,2,1,1,1,1,1,1,1,1,1,1,1,1],\n");
  const Scenario scenario = load(yaml);
  const RunRecord day = run(scenario);
  CHECK(*metric(day, "ws-a", "gb_ingested") == Approx(100.0).epsilon(1e-9));
  Scenario half = scenario;
  half.duration_ms = 12 * kHour;
  const RunRecord morning = run(half);
  CHECK(*metric(morning, "ws-a", "gb_ingested") == Approx(100.0 * 2.0 / 3.0).epsilon(1e-9));
}

TEST_CASE("D1 set_ingestion changes the rate from its event on") {
  const RunRecord r = run_yaml(small_scenario("  - {id: s, at: 1d, action: set_ingestion, workspace: ws-a, gb_per_day: 300}\n"));
  CHECK(operation(r, "s").status == 200);
  CHECK(*metric(r, "ws-a", "gb_ingested") == Approx(400.0).epsilon(1e-12));
  const RunRecord missing = run_yaml(small_scenario("  - {id: s, at: 1d, action: set_ingestion, workspace: nope, gb_per_day: 3}\n"));
  CHECK(operation(missing, "s").status == 404);
}

TEST_CASE("K2 data ingested before the CMK was configured stays under the MMK, after it under the CMK") {
  std::string yaml = small_scenario("");
  const std::string from = "retention: 30d, queries_per_hour: 30}";
  yaml.replace(yaml.find(from), from.size(), "retention: 30d, existing_data: 30d, queries_per_hour: 30}");
  const RunRecord r = run_yaml(yaml);  // key_since: 10d
  CHECK(data_sum(r, "ws-a", "mmk", &DataRow::gb_ingested) == Approx(20 * 100.0).epsilon(1e-12));
  CHECK(data_sum(r, "ws-a", "cmk:kv/k/v2", &DataRow::gb_ingested) == Approx(12 * 100.0).epsilon(1e-12));
  for (const auto& d : r.data) {
    if (d.workspace == "ws-free") CHECK(d.protection == "mmk");
    if (d.workspace == "ws-free") CHECK(d.location == "shared");
    if (d.workspace == "ws-a") CHECK(d.location == "cluster");
  }
}

TEST_CASE("D3 the Key Vault call log holds the same hourly counts whether calls are counted one by one or tallied") {
  // Random interleavings of 4 clusters over 3 vaults (and none: -1): each
  // cluster's calls in time order, as the model makes them, some counted one
  // at a time (kv_call) and some in runs through a Tally (the inline loop);
  // and a log fed out of time order (never done, kept safe). Each against a
  // plain map of (vault, cluster, hour).
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    Rng rng(seed);
    using Key = std::tuple<int, int, std::int64_t>;
    std::map<Key, KvCallCounts> expected;
    KvCallLog log, shuffled;
    std::vector<TimeMs> clock(4, 0);
    std::vector<std::tuple<int, int, TimeMs, bool, bool>> calls;
    for (int step = 0; step < 300; ++step) {
      const int c = static_cast<int>(uniform_int(rng, 0, 3));
      const int vault = static_cast<int>(uniform_int(rng, -1, 2));
      const int run = static_cast<int>(uniform_int(rng, 1, 40));
      const bool tallied = uniform_int(rng, 0, 1) == 1;
      std::optional<KvCallLog::Tally> tally;
      if (tallied) tally.emplace(log, vault, c);
      for (int k = 0; k < run; ++k) {
        clock[static_cast<std::size_t>(c)] += uniform_int(rng, 1, 3 * kMsPerHour / 2);
        const TimeMs t = clock[static_cast<std::size_t>(c)];
        const bool unwrap = uniform_int(rng, 0, 3) == 0, failed = uniform_int(rng, 0, 4) == 0;
        KvCallCounts& e = expected[Key{vault, c, t / kMsPerHour}];
        (unwrap ? e.unwraps : e.wraps) += 1;
        e.failed += failed ? 1 : 0;
        if (tally) {
          tally->count(t, unwrap, failed);
        } else {
          log.count(vault, c, t, unwrap, failed);
        }
        calls.emplace_back(vault, c, t, unwrap, failed);
      }
    }
    for (std::size_t i = calls.size(); i > 1; --i) {  // Fisher-Yates, from the same stream
      std::swap(calls[i - 1], calls[static_cast<std::size_t>(uniform_int(rng, 0, static_cast<std::int64_t>(i) - 1))]);
    }
    for (const auto& [vault, c, t, unwrap, failed] : calls) shuffled.count(vault, c, t, unwrap, failed);
    for (const KvCallLog* l : {&log, &shuffled}) {
      std::vector<std::pair<Key, std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>>> got, want;
      l->each([&](int v, int c, std::int64_t h, const KvCallCounts& n) {
        got.push_back({Key{v, c, h}, {n.wraps, n.unwraps, n.failed}});
      });
      for (const auto& [key, n] : expected) want.push_back({key, {n.wraps, n.unwraps, n.failed}});
      INFO("seed " << seed << (l == &shuffled ? ", out of time order" : ""));
      REQUIRE(got == want);
    }
  }
}

TEST_CASE("D3 each cluster's storage calls Key Vault every 6 to 60 s, and every call is counted") {
  const RunRecord r = run_yaml(small_scenario("", "", "\"\"", "1d"));
  const double calls = *metric(r, "cl", "kv_calls");
  CHECK(calls >= 86400.0 / 60.0);
  CHECK(calls <= 86400.0 / 6.0);
  CHECK(calls == Approx(86400.0 / 33.0).epsilon(0.05));  // uniform gaps: mean 33 s
  std::uint64_t from_rows = 0;
  for (const auto& row : r.kv_calls) from_rows += row.wraps + row.unwraps;
  CHECK(static_cast<double>(from_rows) == calls);
  CHECK(*metric(r, "kv", "kv_calls") == calls);
  CHECK(r.kv_calls.size() == 24);  // one row per hour
}

TEST_CASE("D4 the unwrapped AEK is cached: an unwrap only when the cache has run out") {
  const Scenario scenario = load(small_scenario("", "", "\"\"", "1d"));
  auto unwraps = [&](const std::string& ttl) {
    const RunRecord r = run(scenario, 1, Timing::kSampled, {{"aek_cache_ttl", ttl}});
    std::uint64_t n = 0;
    for (const auto& row : r.kv_calls) n += row.unwraps;
    return n;
  };
  CHECK(unwraps("1h") >= 23);
  CHECK(unwraps("1h") <= 25);
  // the next call comes ~20 s after the cache runs out, so ~139 a day, not 144
  CHECK(unwraps("10m") >= 130);
  CHECK(unwraps("10m") <= 144);
}

TEST_CASE("D5 a transient Key Vault outage fails calls but interrupts nothing") {
  for (const char* fault : {"timeout", "connection", "dns", "throttling"}) {
    const RunRecord r = run_yaml(small_scenario(std::string("  - {at: 12h, action: kv_outage, vault: kv, for: 3h, fault: ") +
                                                fault + "}\n"));
    CHECK(r.incidents.empty());
    CHECK(*metric(r, "ws-a", "gb_lost") == 0);
    CHECK(*metric(r, "ws-a", "queries_failed") == 0);
    CHECK(*metric(r, "cl", "kv_calls_failed") > 150);
    CHECK(state_at(r, "vault", "kv", 13 * kHour) == "fault");
    CHECK(state_at(r, "vault", "kv", 15 * kHour) == "reachable");
    CHECK(state_at(r, "cluster", "cl", 14 * kHour) == "available");
  }
}

TEST_CASE("D5 property: a transient outage loses nothing, over 200 seeds") {
  const Scenario scenario = load(small_scenario("  - {at: 6h, action: kv_outage, vault: kv, for: 5h, fault: timeout}\n"));
  for (const std::uint64_t seed : property_seeds()) {
    const RunRecord r = run(scenario, seed);
    INFO("reproduce with --seed " << seed);
    REQUIRE(r.incidents.empty());
    REQUIRE(*metric(r, "ws-a", "gb_lost") == 0);
    REQUIRE(*metric(r, "ws-b", "queries_failed") == 0);
  }
}

TEST_CASE("D6 every kind of permission change opens an incident naming its cause") {
  struct Case { const char* event; const char* cause; const char* version; };
  const Case cases[] = {
      {"{at: 1d, action: disable_key, vault: kv, key: k}", "key disabled", "\"\""},
      {"{at: 1d, action: delete_key, vault: kv, key: k}", "key deleted", "\"\""},
      {"{at: 1d, action: expire_key, vault: kv, key: k}", "key expired", "\"\""},
      {"{at: 1d, action: remove_access, identity: \"cluster:cl\", vault: kv}", "access removed", "\"\""},
      {"{at: 1d, action: disable_key_version, vault: kv, key: k, version: v1}", "key version disabled", "v1"},
  };
  for (const Case& c : cases) {
    INFO(c.event);
    const RunRecord r = run_yaml(small_scenario(std::string("  - ") + c.event + "\n", "", c.version));
    REQUIRE(r.incidents.size() == 1);
    CHECK(r.incidents[0].cause.rfind(c.cause, 0) == 0);
    CHECK(r.incidents[0].change_ms == kDay);
    CHECK(r.incidents[0].unavailable_ms.has_value());
  }
}

TEST_CASE("D7 revocation is honoured within one hour (timing sampled, 200 seeds)") {
  const Scenario scenario = load(small_scenario(kDisable6h));
  DurationMs shortest = kHour, longest = 0;
  for (const std::uint64_t seed : property_seeds()) {
    const RunRecord r = run(scenario, seed);
    INFO("reproduce with --seed " << seed);
    REQUIRE(r.incidents.size() == 1);
    const IncidentRow& inc = r.incidents[0];
    REQUIRE(inc.unavailable_ms);
    const DurationMs exposure = *inc.exposure_window_ms;
    REQUIRE(exposure > 0);
    REQUIRE(exposure <= kHour);
    REQUIRE(*inc.first_denied_ms > inc.change_ms);
    REQUIRE(*inc.first_denied_ms - inc.change_ms <= 60 * kMsPerSecond);
    REQUIRE(state_at(r, "workspace", "ws-a", *inc.unavailable_ms - 1) == "available");
    REQUIRE(state_at(r, "workspace", "ws-a", *inc.unavailable_ms) == "unavailable");
    shortest = std::min(shortest, exposure);
    longest = std::max(longest, exposure);
  }
  // sampled means sampled: the moment depends on the cached AEK's remaining life
  CHECK(shortest < 20 * kMsPerMinute);
  CHECK(longest > 40 * kMsPerMinute);
}

TEST_CASE("D7 timing worst makes storage unavailable exactly one hour after the change") {
  const Scenario scenario = load(small_scenario(kDisable6h));
  for (const std::uint64_t seed : property_seeds(50)) {
    const RunRecord r = run(scenario, seed, Timing::kWorst);
    REQUIRE(r.incidents.size() == 1);
    REQUIRE(*r.incidents[0].exposure_window_ms == kHour);
    REQUIRE(state_at(r, "cluster", "cl", kDay + 30 * kMsPerMinute) == "revoke_pending");
  }
}

TEST_CASE("D7 timing best makes storage unavailable at the first denied call") {
  const Scenario scenario = load(small_scenario(kDisable6h));
  for (const std::uint64_t seed : property_seeds(50)) {
    const RunRecord r = run(scenario, seed, Timing::kBest);
    REQUIRE(r.incidents.size() == 1);
    const IncidentRow& inc = r.incidents[0];
    REQUIRE(*inc.unavailable_ms == *inc.first_denied_ms);
    REQUIRE(*inc.exposure_window_ms <= 60 * kMsPerSecond);
  }
}

TEST_CASE("D7 sampled timing follows the cached AEK's life (aek_cache_ttl)") {
  const Scenario scenario = load(small_scenario(kDisable6h));
  for (const std::uint64_t seed : property_seeds(50)) {
    const RunRecord r = run(scenario, seed, Timing::kSampled, {{"aek_cache_ttl", "10m"}});
    REQUIRE(*r.incidents[0].exposure_window_ms <= 11 * kMsPerMinute);
  }
}

TEST_CASE("D7 a revocation during a Key Vault outage still takes effect within the hour") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {at: 23h, action: kv_outage, vault: kv, for: 4h, fault: connection}\n" + kDisable6h));
  REQUIRE(r.incidents.size() == 1);
  CHECK_FALSE(r.incidents[0].first_denied_ms.has_value());  // the vault never answered
  CHECK(*r.incidents[0].unavailable_ms == kDay + kHour);
}

TEST_CASE("D7 access restored before the AEK runs out: the incident is averted, nothing lost") {
  const RunRecord r = run_yaml(small_scenario(
      "  - {at: 1d, action: disable_key, vault: kv, key: k}\n"
      "  - {at: 1d2m, action: enable_key, vault: kv, key: k}\n"),
      1, Timing::kWorst);
  REQUIRE(r.incidents.size() == 1);
  CHECK_FALSE(r.incidents[0].unavailable_ms.has_value());
  CHECK(*r.incidents[0].exposure_window_ms == 2 * kMsPerMinute);
  CHECK(*metric(r, "ws-a", "gb_lost") == 0);
}

TEST_CASE("D8 data arriving while storage is unavailable or recovering is dropped for good") {
  const RunRecord r = run_yaml(small_scenario(kDisable6h));
  REQUIRE(r.incidents.size() == 1);
  const IncidentRow& inc = r.incidents[0];
  const auto down_ms = static_cast<double>(*inc.resumed_ms - *inc.unavailable_ms);
  CHECK(*metric(r, "ws-a", "gb_lost") == Approx(gb_per_ms(100) * down_ms).epsilon(1e-9));
  CHECK(*metric(r, "ws-b", "gb_lost") == Approx(gb_per_ms(50) * down_ms).epsilon(1e-9));
  CHECK(inc.gb_lost == Approx(gb_per_ms(150) * down_ms).epsilon(1e-9));
  CHECK(*metric(r, "ws-free", "gb_lost") == 0);  // not linked: not affected
  CHECK(*metric(r, "ws-a", "unavailable_s") == Approx(down_ms / 1000.0));
}

TEST_CASE("D8 queries fail while storage is unavailable") {
  const RunRecord r = run_yaml(small_scenario(kDisable6h +
                                              "  - {id: during, at: 1d3h, action: query, workspace: ws-a, range: 1h}\n"
                                              "  - {id: free, at: 1d3h, action: query, workspace: ws-free, range: 1h}\n"
                                              "  - {id: after, at: 1d8h, action: query, workspace: ws-a, range: 1h}\n"
                                              "  - {id: nowhere, at: 1d8h, action: query, workspace: ws-zz, range: 1h}\n"));
  CHECK(operation(r, "during").status == 503);
  CHECK(operation(r, "free").status == 200);
  CHECK(operation(r, "after").status == 200);
  CHECK(operation(r, "nowhere").status == 404);
  const double failed = *metric(r, "ws-a", "queries_failed") + *metric(r, "ws-b", "queries_failed");
  CHECK(failed > 50);  // ~5 h at 40 queries/h between them
  CHECK(static_cast<double>(r.incidents[0].queries_failed) == failed);
  CHECK(*metric(r, "ws-free", "queries_failed") == 0);
}

TEST_CASE("D8 previously ingested data stays in storage while unavailable, counted as inaccessible") {
  const RunRecord r = run_yaml(small_scenario("  - {at: 1d, action: disable_key, vault: kv, key: k}\n"));
  CHECK(state_at(r, "workspace", "ws-a", 2 * kDay - 1) == "unavailable");
  CHECK(*metric(r, "ws-a", "gb_inaccessible_at_end") == Approx(*metric(r, "ws-a", "gb_at_end")));
  CHECK(*metric(r, "ws-a", "gb_at_end") > 100);  // the first day's data is still there
  CHECK(*metric(r, "ws-free", "gb_inaccessible_at_end") == 0);
}

TEST_CASE("D10 ingestion and queries resume within 30 minutes of restoration (200 seeds)") {
  const Scenario scenario = load(small_scenario(kDisable6h));
  for (const std::uint64_t seed : property_seeds()) {
    const RunRecord r = run(scenario, seed);
    INFO("reproduce with --seed " << seed);
    REQUIRE(r.incidents.size() == 1);
    const IncidentRow& inc = r.incidents[0];
    REQUIRE(*inc.restored_ms == kDay + 6 * kHour);
    REQUIRE(*inc.first_success_ms > *inc.restored_ms);
    REQUIRE(*inc.first_success_ms - *inc.restored_ms <= 60 * kMsPerSecond);  // the next call succeeds
    REQUIRE(*inc.resumed_ms >= *inc.first_success_ms);
    REQUIRE(*inc.recovery_time_ms == *inc.resumed_ms - *inc.restored_ms);
    REQUIRE(*inc.recovery_time_ms <= 30 * kMsPerMinute);
    REQUIRE(state_at(r, "cluster", "cl", *inc.first_success_ms) == "recovering");
    REQUIRE(state_at(r, "workspace", "ws-a", *inc.resumed_ms) == "available");
  }
}

TEST_CASE("D10 the SSD reload takes longer the more hot data there is, capped by the bound") {
  const Scenario scenario = load(small_scenario(kDisable6h));
  const RunRecord fast = run(scenario, 1, Timing::kSampled, {{"ssd_reload_gb_per_min", "1000000"}});
  const IncidentRow& f = fast.incidents[0];
  CHECK(*f.resumed_ms - *f.first_success_ms < kMsPerSecond);
  // ~150 GB hot at 8 GB/min: ~19 minutes of reload
  const RunRecord slow = run(scenario, 1, Timing::kSampled, {{"ssd_reload_gb_per_min", "8"}});
  const IncidentRow& s = slow.incidents[0];
  CHECK(*s.resumed_ms - *s.first_success_ms > 15 * kMsPerMinute);
  CHECK(*s.recovery_time_ms <= 30 * kMsPerMinute);
  const RunRecord capped = run(scenario, 1, Timing::kSampled, {{"ssd_reload_gb_per_min", "0.5"}});
  CHECK(*capped.incidents[0].recovery_time_ms == 30 * kMsPerMinute);
}

TEST_CASE("D10 storage keeps calling Key Vault while unavailable") {
  const RunRecord r = run_yaml(small_scenario(kDisable6h));
  const IncidentRow& inc = r.incidents[0];
  std::uint64_t failed_while_down = 0;
  for (const auto& row : r.kv_calls) {
    const TimeMs hour_start = row.hour * kHour;
    if (hour_start >= *inc.unavailable_ms + kHour && hour_start + kHour <= *inc.restored_ms) failed_while_down += row.failed;
  }
  CHECK(failed_while_down > 3 * 60);  // at least one a minute over the full hours in between
}

TEST_CASE("D10 a key deleted then recovered from soft delete comes back, and purge protection refuses a purge") {
  const RunRecord r = run_yaml(small_scenario("  - {id: del, at: 12h, action: delete_key, vault: kv, key: k}\n"
                                              "  - {id: purge, at: 13h, action: purge_key, vault: kv, key: k}\n"
                                              "  - {id: rec, at: 16h, action: recover_key, vault: kv, key: k}\n"));
  CHECK(operation(r, "purge").status == 403);
  CHECK(operation(r, "rec").status == 200);
  REQUIRE(r.incidents.size() == 1);
  CHECK(*r.incidents[0].restored_ms == 16 * kHour);
  CHECK(r.incidents[0].resumed_ms.has_value());
  CHECK(state_at(r, "key", "kv/k", 14 * kHour) == "deleted");
  CHECK(state_at(r, "key", "kv/k", 17 * kHour) == "enabled");
}

TEST_CASE("D9 retention purges old data whether or not it can be read") {
  std::string yaml = small_scenario("  - {at: 1h, action: disable_key, vault: kv, key: k}\n", "", "\"\"", "10d");
  const std::string from = "retention: 30d, queries_per_hour: 30}";
  yaml.replace(yaml.find(from), from.size(), "retention: 30d, existing_data: 30d, queries_per_hour: 30}");
  const RunRecord r = run_yaml(yaml);
  // 10 days of the 30 already there pass their retention, though unreadable
  CHECK(*metric(r, "ws-a", "gb_purged") == Approx(10 * 100.0).epsilon(1e-9));
}

TEST_CASE("Conservation: gb_ingested = gb_lost + gb_purged + gb_at_end on every data row") {
  const RunRecord r = run_yaml(small_scenario(kDisable6h + "  - {at: 1d12h, action: delete_key, vault: kv, key: k}\n"));
  REQUIRE(!r.data.empty());
  for (const auto& d : r.data) {
    INFO(d.workspace << " " << d.protection << " " << d.location);
    CHECK(d.gb_ingested == Approx(d.gb_lost + d.gb_purged + d.gb_at_end).margin(1e-9));
  }
}

TEST_CASE("R1 auto-rotation wraps with the newest enabled version from the next call on") {
  const RunRecord r = run_yaml(small_scenario("  - {id: add, at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"));
  CHECK(operation(r, "add").status == 200);
  CHECK(state_at(r, "aek", "cl", kDay - 1) == "v2");
  CHECK(state_at(r, "aek", "cl", kDay + 61 * kMsPerSecond) == "v3");
  CHECK(data_sum(r, "ws-a", "cmk:kv/k/v3", &DataRow::gb_ingested) == Approx(100.0).epsilon(0.01));
  CHECK(r.incidents.empty());
}

TEST_CASE("R2 an explicit version is kept when a newer one is added") {
  const RunRecord r = run_yaml(small_scenario("  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n", "", "v1"));
  CHECK(state_at(r, "aek", "cl", 2 * kDay - 1) == "v1");
  CHECK(data_sum(r, "ws-a", "cmk:kv/k/v1", &DataRow::gb_ingested) == Approx(200.0).epsilon(1e-9));
}

TEST_CASE("R3 disabling the version in use is a revocation, disabling another version is not") {
  const RunRecord in_use = run_yaml(small_scenario("  - {at: 1d, action: disable_key_version, vault: kv, key: k, version: v1}\n", "", "v1"));
  CHECK(in_use.incidents.size() == 1);
  const RunRecord other = run_yaml(small_scenario("  - {at: 1d, action: disable_key_version, vault: kv, key: k, version: v2}\n", "", "v1"));
  CHECK(other.incidents.empty());
}

namespace {

// A value for each event field an action may require, so that one event per
// action of the format's table can be written without knowing the actions.
std::string field_value(Action action, const std::string& field) {
  if (field == "identity") {
    return action == Action::kSetIdentity || action == Action::kCreateCluster ? "system_assigned" : "\"cluster:cl\"";
  }
  if (field == "cluster") return action == Action::kCreateCluster ? "cl9" : "cl";
  const std::map<std::string, std::string> values = {
      {"vault", "kv"}, {"key", "k"}, {"version", "v2"}, {"permissions", "[get, wrap, unwrap]"},
      {"for", "1h"}, {"fault", "timeout"}, {"region", "westeurope"}, {"subscription", "sub"},
      {"tenant", "default"}, {"capacity_gb_per_day", "600"}, {"double_encryption", "false"},
      {"workspace", "ws-free"}, {"gb_per_day", "5"}, {"range", "1h"}, {"storage_account", "st"},
      {"decision", "approve"}};
  const auto it = values.find(field);
  REQUIRE(it != values.end());  // a new required field needs a value here
  return it->second;
}

}  // namespace

TEST_CASE("Every action of the format is modelled: none answers 501, each is recorded in events") {
  std::string events;
  std::vector<std::string> ids;
  for (const ActionInfo& info : action_table()) {  // every action, a new one included
    const std::string id = std::string("a-") + info.name;
    events += "  - {id: " + id + ", at: " + std::to_string(ids.size() + 1) + "h, action: " + info.name;
    for (const char* field : info.required) events += std::string(", ") + field + ": " + field_value(info.action, field);
    events += "}\n";
    ids.push_back(id);
  }
  const RunRecord r = run_yaml(small_scenario(events));
  REQUIRE(ids.size() == action_table().size());
  for (const std::string& id : ids) {
    INFO(id << ": " << operation(r, id).message);
    CHECK(operation(r, id).status != 501);
    CHECK(operation(r, id).status != 500);  // the model's "unknown action"
    CHECK(operation(r, id).status >= 200);
  }
  std::size_t scenario_events = 0;
  for (const auto& e : r.events) {
    for (const auto& info : action_table()) scenario_events += e.kind == info.name ? 1 : 0;
  }
  CHECK(scenario_events == action_table().size());
}

TEST_CASE("Unknown targets get the service's answer, not a load error") {
  const RunRecord r = run_yaml(small_scenario("  - {id: a, at: 1h, action: disable_key, vault: kv-nope, key: k}\n"
                                              "  - {id: b, at: 1h, action: disable_key, vault: kv, key: nope}\n"
                                              "  - {id: c, at: 1h, action: remove_access, identity: someone, vault: kv}\n"
                                              "  - {id: d, at: 1h, action: grant_access, identity: ghost, vault: kv}\n"));
  CHECK(operation(r, "a").status == 404);
  CHECK(operation(r, "b").status == 404);
  CHECK(operation(r, "c").status == 404);
  CHECK(operation(r, "d").status == 400);
  CHECK(r.incidents.empty());
}

TEST_CASE("Determinism: the same scenario and seed give the same record, another seed differs") {
  const Scenario scenario = load(small_scenario(kDisable6h));
  const RunRecord a = run(scenario, 9);
  const RunRecord b = run(scenario, 9);
  const RunRecord c = run(scenario, 10);
  REQUIRE(a.incidents.size() == 1);
  CHECK(*a.incidents[0].unavailable_ms == *b.incidents[0].unavailable_ms);
  CHECK(a.run.events_processed == b.run.events_processed);
  CHECK(*metric(a, "ws-a", "queries_ok") == *metric(b, "ws-a", "queries_ok"));
  CHECK(a.events.size() == b.events.size());
  CHECK((*a.incidents[0].unavailable_ms != *c.incidents[0].unavailable_ms ||
         *metric(a, "ws-a", "queries_ok") != *metric(c, "ws-a", "queries_ok")));
}

TEST_CASE("R1 property: disabling the old version after the next call causes no incident (200 seeds)") {
  const Scenario scenario = load(small_scenario("  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"
                                                "  - {at: 1d1m1s, action: disable_key_version, vault: kv, key: k, version: v2}\n"));
  for (const std::uint64_t seed : property_seeds()) {
    const RunRecord r = run(scenario, seed);
    INFO("reproduce with --seed " << seed);
    REQUIRE(r.incidents.empty());
    REQUIRE(state_at(r, "aek", "cl", kDay + 61 * kMsPerSecond) == "v3");
  }
}

TEST_CASE("R1 disabling the old version before the storage re-wrapped its AEK is a revocation") {
  const RunRecord r = run_yaml(small_scenario("  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"
                                              "  - {at: 1d, action: disable_key_version, vault: kv, key: k, version: v2}\n"));
  REQUIRE(r.incidents.size() == 1);
  CHECK(r.incidents[0].cause.rfind("key version in use disabled", 0) == 0);
}

TEST_CASE("R3 property: disabling the configured version before the cluster is updated always revokes (200 seeds)") {
  const Scenario scenario = load(small_scenario("  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"
                                                "  - {at: 1d2h, action: disable_key_version, vault: kv, key: k, version: v1}\n",
                                                "", "v1"));
  for (const std::uint64_t seed : property_seeds()) {
    const RunRecord r = run(scenario, seed);
    INFO("reproduce with --seed " << seed);
    REQUIRE(r.incidents.size() == 1);
    REQUIRE(r.incidents[0].change_ms == kDay + 2 * kHour);
    REQUIRE(*r.incidents[0].exposure_window_ms <= kHour);
  }
}

TEST_CASE("R3 stale_version_revokes: with the pessimistic reading a new version alone revokes") {
  const Scenario scenario = load(small_scenario("  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n", "", "v1"));
  CHECK(run(scenario).incidents.empty());  // the default reading: a new version changes nothing
  const RunRecord pessimistic = run(scenario, 1, Timing::kSampled, {{"stale_version_revokes", "true"}});
  REQUIRE(pessimistic.incidents.size() == 1);
  CHECK(pessimistic.incidents[0].cause.rfind("key version stale", 0) == 0);
}

TEST_CASE("R4 after a rotation all data stays accessible: only the AEK's wrapping changes") {
  const RunRecord r = run_yaml(small_scenario("  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"
                                              "  - {at: 1d1h, action: disable_key_version, vault: kv, key: k, version: v2}\n"
                                              "  - {id: q, at: 1d2h, action: query, workspace: ws-a, range: 2d}\n"));
  CHECK(r.incidents.empty());
  CHECK(operation(r, "q").status == 200);
  CHECK(data_sum(r, "ws-a", "cmk:kv/k/v2", &DataRow::gb_at_end) > 99);  // still there, readable
}

TEST_CASE("D6 C6 setting the cluster identity to none revokes, and only support_restore undoes it") {
  const RunRecord r = run_yaml(small_scenario("  - {id: none, at: 1d, action: set_identity, cluster: cl, identity: none}\n"
                                              "  - {id: back, at: 1d2h, action: set_identity, cluster: cl, identity: system_assigned}\n"
                                              "  - {id: regrant, at: 1d3h, action: grant_access, identity: \"cluster:cl\", vault: kv}\n"
                                              "  - {id: support, at: 1d5h, action: support_restore, cluster: cl}\n"));
  CHECK(operation(r, "none").status == 200);
  CHECK(operation(r, "back").status == 400);
  REQUIRE(r.incidents.size() == 1);
  const IncidentRow& inc = r.incidents[0];
  CHECK(inc.cause.rfind("cluster identity is none", 0) == 0);
  CHECK(*inc.unavailable_ms <= kDay + kHour);
  CHECK(*inc.restored_ms == kDay + 5 * kHour);  // not at 'back' or 'regrant'
  CHECK(*inc.recovery_time_ms <= 30 * kMsPerMinute);
  CHECK(operation(r, "support").status == 200);
}

TEST_CASE("C6 changing system to user-assigned does not interrupt when the new identity is granted first") {
  std::string yaml = small_scenario("  - {at: 12h, action: grant_access, identity: uai, vault: kv}\n"
                                    "  - {id: switch, at: 1d, action: set_identity, cluster: cl, identity: \"user_assigned:uai\"}\n"
                                    "  - {id: back, at: 1d12h, action: set_identity, cluster: cl, identity: system_assigned}\n");
  yaml.replace(yaml.find("clusters:"), 9, "identities:\n  - {name: uai}\nclusters:");
  const RunRecord granted = run_yaml(yaml);
  CHECK(operation(granted, "switch").status == 200);
  CHECK(operation(granted, "back").status == 400);  // user -> system needs the key details removed first
  CHECK(granted.incidents.empty());
  CHECK(*metric(granted, "ws-a", "gb_lost") == 0);

  std::string ungranted_yaml = yaml;
  ungranted_yaml.erase(ungranted_yaml.find("  - {at: 12h, action: grant_access"), std::string("  - {at: 12h, action: grant_access, identity: uai, vault: kv}\n").size());
  const RunRecord ungranted = run_yaml(ungranted_yaml);
  REQUIRE(ungranted.incidents.size() == 1);  // the new identity has no access: a permission change (D6)
  CHECK(ungranted.incidents[0].cause.rfind("access removed", 0) == 0);
}

TEST_CASE("D2 K3 data younger than 14 days is served from SSD, older ranges come onto SSD for recent_use_ttl") {
  std::string yaml = small_scenario("  - {id: young, at: 20d, action: query, workspace: ws-a, range: 3d}\n"
                                    "  - {id: old1, at: 20d, action: query, workspace: ws-a, range: 30d}\n"
                                    "  - {id: old2, at: 20d1h, action: query, workspace: ws-a, range: 30d}\n"
                                    "  - {id: older, at: 20d2h, action: query, workspace: ws-a, range: 35d}\n"
                                    "  - {id: expired, at: 21d3h, action: query, workspace: ws-a, range: 30d}\n",
                                    "", "\"\"", "30d");
  const RunRecord r = run_yaml(yaml);
  CHECK(operation(r, "young").message == "ok in 500ms (SSD hot cache)");
  CHECK(operation(r, "old1").message == "ok in 5s (cold storage)");
  CHECK(operation(r, "old2").message == "ok in 500ms (SSD hot cache)");   // read an hour ago: on SSD (D2)
  CHECK(operation(r, "older").message == "ok in 5s (cold storage)");     // reaches further back
  CHECK(operation(r, "expired").message == "ok in 5s (cold storage)");   // recent_use_ttl (1d) ran out
}

TEST_CASE("D2 D8 D10 after a revocation the SSD is purged and queries read cold storage until the reload completes") {
  const Scenario scenario = load(small_scenario(kDisable6h +
                                                "  - {id: early, at: 1d6h40m, action: query, workspace: ws-a, range: 1h}\n"
                                                "  - {id: late, at: 1d14h, action: query, workspace: ws-a, range: 1h}\n"));
  // ~150 GB hot at 0.5 GB/min: the reload takes ~5 h, far past the 30-minute resume
  const RunRecord r = run(scenario, 1, Timing::kSampled, {{"ssd_reload_gb_per_min", "0.5"}});
  REQUIRE(*r.incidents[0].resumed_ms <= kDay + 6 * kHour + 30 * kMsPerMinute);
  CHECK(operation(r, "early").message == "ok in 5s (cold storage)");
  CHECK(operation(r, "late").message == "ok in 500ms (SSD hot cache)");
}

TEST_CASE("D2 query latency percentiles per workspace are reported in metrics") {
  const RunRecord r = run_yaml(small_scenario(""));
  CHECK(*metric(r, "ws-a", "query_latency_p50") == Approx(0.5));
  CHECK(*metric(r, "ws-a", "query_latency_p99") == Approx(0.5));
  CHECK(*metric(r, "ws-a", "queries_from_ssd") == *metric(r, "ws-a", "queries_ok"));
  const RunRecord slow = run(load(small_scenario("")), 1, Timing::kSampled, {{"query_latency_ssd", "2s"}});
  CHECK(*metric(slow, "ws-b", "query_latency_max") == Approx(2.0));
}

TEST_CASE("D3 D4 D5 routine Key Vault calls run inline give the same results database as one event each") {
  // Every shipped scenario (faults realised, incidents, outages, rotations,
  // deletions), over seeds and both D7 extremes: on_kv_call's inline calls
  // against the reference (every call an event of the queue).
  const TempDir dir("model-inline-kv");
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CMKSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    const Expected<Scenario> scenario = load_scenario_file(entry.path().string());
    REQUIRE(scenario.ok());
    const Expected<Profile> profile = build_profile(*scenario, {}, "");
    REQUIRE(profile.ok());
    for (const auto& [seed, timing] : std::vector<std::pair<std::uint64_t, Timing>>{
             {1, Timing::kSampled}, {7, Timing::kSampled}, {2, Timing::kLatest}, {3, Timing::kEarliest}}) {
      INFO(entry.path().filename().string() << " seed " << seed << " timing " << timing_name(timing));
      RunSettings settings;
      settings.profile = *profile;
      settings.seed = seed;
      settings.timing = timing;
      const std::string inline_db = dir.file("inline.db"), reference_db = dir.file("reference.db");
      REQUIRE(write_results_db(inline_db, run_scenario(*scenario, settings)).ok());
      settings.inline_kv_calls = false;
      REQUIRE(write_results_db(reference_db, run_scenario(*scenario, settings)).ok());
      CHECK(sqlite_dump(inline_db) == sqlite_dump(reference_db));
      std::filesystem::remove(inline_db);
      std::filesystem::remove(reference_db);
      ++compared;
    }
  }
  CHECK(compared >= 80);
}
