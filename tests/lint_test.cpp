// Plan lint (`cmksim validate`): the pitfalls the documents call out, each a
// warning citing its behaviour ID, at the event's position.
#include <catch2/catch.hpp>

#include <string>

#include "sim/io/profile_loader.h"
#include "sim/lint/plan_lint.h"
#include "test_support.h"

using namespace cmksim;
using namespace cmksim::test;

namespace {

std::vector<LintFinding> lint(const std::string& yaml) {
  return lint_plan(load(yaml), *profile_by_name("azure-monitor-current"));
}

bool has(const std::vector<LintFinding>& findings, const std::string& behaviour, const std::string& part) {
  for (const auto& f : findings) {
    if (f.behaviour == behaviour && f.message.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("Lint: a clean plan has no warnings") {
  CHECK(lint(small_scenario("  - {at: 1d, action: disable_key, vault: kv, key: k}\n")).empty());
}

TEST_CASE("Lint R3: disabling the version in use before the cluster moves to the new one") {
  const auto findings = lint(small_scenario("  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"
                                            "  - {at: 1d1h, action: disable_key_version, vault: kv, key: k, version: v1}\n",
                                            "", "v1"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].behaviour == "R3");
  CHECK(findings[0].pos.line > 0);
  const auto fixed = lint(small_scenario("  - {at: 1d, action: add_key_version, vault: kv, key: k, version: v3}\n"
                                         "  - {at: 1d, action: update_cluster_key, cluster: cl, vault: kv, key: k, version: v3}\n"
                                         "  - {at: 1d1h, action: disable_key_version, vault: kv, key: k, version: v1}\n",
                                         "", "v1"));
  CHECK(fixed.empty());
}

TEST_CASE("Lint C2 C6 D11 W2: identity with key, identity none, link before provisioning, a third link") {
  const auto findings = lint(small_scenario(
      "  - {at: 1h, action: set_identity, cluster: cl, identity: none}\n"
      "  - {at: 2h, action: set_identity, cluster: cl, identity: system_assigned}\n"
      "  - {at: 2h, action: update_cluster_key, cluster: cl, vault: kv, key: k}\n"
      "  - {at: 3h, action: create_cluster, cluster: clnew, region: westeurope, subscription: sub,"
      " identity: system_assigned, capacity_gb_per_day: 100}\n"
      "  - {at: 3h30m, action: link_workspace, workspace: ws-free, cluster: clnew}\n"
      "  - {at: 5h, action: unlink_workspace, workspace: ws-free}\n"
      "  - {at: 6h, action: link_workspace, workspace: ws-free, cluster: clnew}\n"));
  CHECK(has(findings, "C6", "identity to none"));
  CHECK(has(findings, "C2", "same time as its identity"));
  CHECK(has(findings, "D11", "before cluster 'clnew' is provisioned"));
  CHECK(has(findings, "W2", "link operation 3 of workspace 'ws-free'"));
}

TEST_CASE("Lint C2: a key in a vault without soft delete or purge protection") {
  std::string yaml = small_scenario("");
  yaml.replace(yaml.find("    purge_protection: true\n"), 27, "");
  const auto findings = lint(yaml);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].behaviour == "C2");
  CHECK(findings[0].message.find("no purge protection") != std::string::npos);
}

TEST_CASE("Lint: a name referenced nowhere else is a probable typo, with did-you-mean") {
  const auto findings = lint(small_scenario("  - {at: 1h, action: disable_key, vault: kv2, key: k}\n"
                                            "  - {at: 1h, action: query, workspace: ws-aa, range: 1h}\n"));
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].message.find("names unknown vault 'kv2' (did you mean 'kv'?)") != std::string::npos);
  CHECK(findings[1].message.find("names unknown workspace 'ws-aa' (did you mean 'ws-a'?)") != std::string::npos);
}
