// Data-plane edges: data left in a cluster follows it (D12), deletion for
// good after a soft delete (C5, W3), a revocation during a 2020 outage
// (D13), the SSD accounting after a purge (K3, D8).
#include <catch2/catch.hpp>

#include <string>

#include "test_support.h"

using namespace cmksim;
using namespace cmksim::test;

namespace {

constexpr TimeMs kHour = kMsPerHour;
constexpr TimeMs kDay = kMsPerDay;

}  // namespace

TEST_CASE("K3 D8 gb_hot is 0 after a purge until a reload") {
  const RunRecord r = run_yaml(small_scenario("  - {at: 1d, action: disable_key, vault: kv, key: k}\n"));
  REQUIRE(r.incidents.size() == 1);
  REQUIRE_FALSE(r.incidents[0].resumed_ms.has_value());
  CHECK(*metric(r, "ws-a", "gb_hot") == 0);
  CHECK(*metric(r, "ws-free", "gb_hot") == 0);  // shared storage: no SSD hot cache
}
