// Helpers shared by the model tests: a small scenario written in YAML, run
// through the real loader and model, and lookups into the RunRecord.
#pragma once
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/model/model.h"

namespace cmksim::test {

// One vault (soft delete, purge protection), one CMK cluster with two
// workspaces linked (ws-a 100 GB/day, ws-b 50 GB/day) and one unlinked
// workspace (ws-free 10 GB/day). `events` and `params` are YAML list/map
// bodies, already indented by two spaces.
inline std::string small_scenario(const std::string& events, const std::string& params = "",
                                  const std::string& version = "\"\"", const std::string& duration = "2d") {
  std::string y =
      "version: 1\n"
      "name: model-test\n"
      "duration: " + duration + "\n";
  if (!params.empty()) y += "params:\n" + params;
  y +=
      "key_vaults:\n"
      "  - name: kv\n"
      "    region: westeurope\n"
      "    subscription: sub\n"
      "    soft_delete: true\n"
      "    purge_protection: true\n"
      "    keys:\n"
      "      - {name: k, versions: [v1, v2]}\n"
      "clusters:\n"
      "  - name: cl\n"
      "    region: westeurope\n"
      "    subscription: sub\n"
      "    identity: system_assigned\n"
      "    capacity_gb_per_day: 500\n"
      "    key: {vault: kv, key: k, version: " + version + "}\n"
      "    key_since: 10d\n"
      "grants:\n"
      "  - {identity: \"cluster:cl\", vault: kv}\n"
      "workspaces:\n"
      "  - {name: ws-a, region: westeurope, subscription: sub, cluster: cl, ingest_gb_per_day: 100,\n"
      "     retention: 30d, queries_per_hour: 30}\n"
      "  - {name: ws-b, region: westeurope, subscription: sub, cluster: cl, ingest_gb_per_day: 50,\n"
      "     retention: 30d, queries_per_hour: 10}\n"
      "  - {name: ws-free, region: westeurope, subscription: sub, ingest_gb_per_day: 10, queries_per_hour: 10}\n";
  if (!events.empty()) y += "events:\n" + events;
  return y;
}

inline Scenario load(const std::string& yaml) {
  Expected<Scenario> loaded = load_scenario_text(yaml, "test.yaml");
  INFO((loaded ? std::string() : loaded.error().str()));
  REQUIRE(loaded.ok());
  return std::move(loaded).value();
}

inline RunRecord run(const Scenario& scenario, std::uint64_t seed = 1, Timing timing = Timing::kSampled,
                     const std::vector<std::pair<std::string, std::string>>& sets = {}) {
  RunSettings settings;
  const Expected<Profile> profile = build_profile(scenario, sets, "");
  INFO((profile ? std::string() : profile.error().str()));
  REQUIRE(profile.ok());
  settings.profile = *profile;
  settings.seed = seed;
  settings.timing = timing;
  return run_scenario(scenario, settings);
}

inline RunRecord run_yaml(const std::string& yaml, std::uint64_t seed = 1, Timing timing = Timing::kSampled) {
  return run(load(yaml), seed, timing);
}

inline std::optional<double> metric(const RunRecord& r, const std::string& subject, const std::string& name) {
  for (const auto& m : r.metrics) {
    if (m.subject == subject && m.name == name) return m.value;
  }
  return std::nullopt;
}

inline const OperationRow& operation(const RunRecord& r, const std::string& id) {
  for (const auto& op : r.operations) {
    if (op.event_id == id) return op;
  }
  FAIL("no operation " << id);
  return r.operations.front();
}

// The state of a subject at time t, from the `states` intervals [start, end).
inline std::string state_at(const RunRecord& r, const std::string& kind, const std::string& subject, TimeMs t) {
  for (const auto& s : r.states) {
    if (s.subject_kind == kind && s.subject == subject && s.t_start_ms <= t && t < s.t_end_ms) return s.state;
  }
  return "";
}

inline std::vector<IncidentRow> incidents_of(const RunRecord& r, const std::string& cluster) {
  std::vector<IncidentRow> out;
  for (const auto& inc : r.incidents) {
    if (inc.cluster == cluster) out.push_back(inc);
  }
  return out;
}

// 200 seeds, derived from Catch's --rng-seed so a failing run can be replayed.
inline std::vector<std::uint64_t> property_seeds(int n = 200) {
  std::vector<std::uint64_t> seeds;
  std::uint64_t base = Catch::rngSeed();
  for (int i = 0; i < n; ++i) seeds.push_back(base * 1000003ULL + static_cast<std::uint64_t>(i) + 1);
  return seeds;
}

}  // namespace cmksim::test
