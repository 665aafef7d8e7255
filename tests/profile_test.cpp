// Profiles as data (P1): the shipped profiles, user profile files, and the
// differences between the current and the 2020 edition.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/io/profile_loader.h"
#include "test_support.h"

using namespace cmksim;
using namespace cmksim::test;

TEST_CASE("P1 every shipped profile loads and sets every parameter itself") {
  REQUIRE(profile_names() == std::vector<std::string>{"azure-monitor-current", "azure-monitor-2020"});
  for (const auto& name : profile_names()) {
    INFO(name);
    const auto profile = profile_by_name(name);
    REQUIRE(profile);
    CHECK(profile->name == name);
    CHECK(check_profile(*profile).ok());
    CHECK(profile->revocation_bound_ms == kMsPerHour);   // D7, both editions
    CHECK(profile->recovery_bound_ms == 30 * kMsPerMinute);  // D10
  }
}

TEST_CASE("P1 the 2020 profile differs in capacity, cluster limits, identity and outage behaviour") {
  const Profile now = *profile_by_name("azure-monitor-current");
  const Profile old = *profile_by_name("azure-monitor-2020");
  CHECK(now.capacity_min_gb_per_day == 100);
  CHECK(old.capacity_min_gb_per_day == 1000);
  CHECK(old.capacity_max_gb_per_day == 3000);
  CHECK(now.clusters_active_max == 5);
  CHECK(now.clusters_reserved_max == 7);
  CHECK(old.clusters_active_max == 2);
  CHECK(now.user_assigned_identity_supported);
  CHECK_FALSE(old.user_assigned_identity_supported);
  CHECK(now.kv_outage_unavailable_after_ms == 0);            // D5
  CHECK(old.kv_outage_unavailable_after_ms == 30 * kMsPerMinute);  // D13
  CHECK(old.outage_buffer_ms == 6 * kMsPerHour);
}

TEST_CASE("D13 the 2020 profile turns a 3-hour Key Vault outage into an unavailability without data loss") {
  std::string yaml = small_scenario("  - {at: 1d, action: kv_outage, vault: kv, for: 3h, fault: timeout}\n");
  yaml.replace(yaml.find("capacity_gb_per_day: 500"), 24, "capacity_gb_per_day: 1000");  // P1: the 2020 minimum
  const Scenario scenario = load(yaml);
  RunSettings settings;
  const Expected<Profile> profile = build_profile(scenario, {}, "azure-monitor-2020");
  REQUIRE(profile.ok());
  settings.profile = *profile;
  const RunRecord old = run_scenario(scenario, settings);
  REQUIRE(old.incidents.size() == 1);
  CHECK(*metric(old, "ws-a", "gb_lost") == 0);
  CHECK(*metric(old, "ws-a", "queries_failed") > 0);
  CHECK(run(scenario).incidents.empty());  // current profile: D5
}

TEST_CASE("P1 a profile file with base overrides some parameters, errors carry file:line:col") {
  const auto dir = std::filesystem::temp_directory_path() / "cmksim-profile-test";
  std::filesystem::create_directories(dir);
  const std::string good = (dir / "short-cache.yaml").string();
  std::ofstream(good) << "name: short-cache\nbase: azure-monitor-current\nparams:\n  aek_cache_ttl: 10m\n";
  const Expected<Profile> loaded = resolve_profile(good);
  REQUIRE(loaded.ok());
  CHECK(loaded->aek_cache_ttl_ms == 10 * kMsPerMinute);
  CHECK(loaded->kv_call_interval_max_ms == kMsPerMinute);  // from the base

  const std::string bad = (dir / "bad.yaml").string();
  std::ofstream(bad) << "name: bad\nbase: azure-monitor-current\nparams:\n  aek_cache_tll: 10m\n";
  const Expected<Profile> refused = resolve_profile(bad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().str() == bad + ":4:3: unknown parameter 'aek_cache_tll' (did you mean 'aek_cache_ttl'?)");

  const std::string partial = (dir / "partial.yaml").string();
  std::ofstream(partial) << "name: partial\nparams:\n  aek_cache_ttl: 10m\n";
  CHECK(resolve_profile(partial).error().message ==
        "the profile does not set 'kv_call_interval_min' (a profile without 'base' sets every parameter)");
  CHECK(resolve_profile("azure-monitor-curent").error().message ==
        "unknown profile 'azure-monitor-curent' (did you mean 'azure-monitor-current'?)");
}
