#include "sim/profile/declared_rules.h"

#include <algorithm>
#include <cmath>

#include "sim/core/text.h"

namespace cmksim {

std::string capacity_refusal(const Profile& profile, double gb_per_day) {
  const bool in_steps = std::fmod(gb_per_day, profile.capacity_step_gb_per_day) == 0;
  const bool too_big = profile.capacity_max_gb_per_day > 0 && gb_per_day > profile.capacity_max_gb_per_day;
  if (gb_per_day < profile.capacity_min_gb_per_day || too_big || !in_steps) return "Capacity in SKU is not in range";
  return {};
}

namespace {

bool behind_private_link(const Scenario& scenario, const ClusterDecl& c) {
  if (!c.key) return false;
  return std::any_of(scenario.key_vaults.begin(), scenario.key_vaults.end(),
                     [&](const VaultDecl& v) { return v.name == c.key->vault && v.private_link; });
}

std::string number_text(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string forbidden(const Scenario& scenario, const ClusterDecl& c, const Profile& profile) {
  const std::string cluster = "cluster '" + c.name + "'";
  if (!capacity_refusal(profile, c.capacity_gb_per_day).empty()) {
    std::string range = "at least " + number_text(profile.capacity_min_gb_per_day);
    if (profile.capacity_max_gb_per_day > 0) range += " and at most " + number_text(profile.capacity_max_gb_per_day);
    return cluster + ": capacity_gb_per_day " + number_text(c.capacity_gb_per_day) + " is not allowed by profile '" +
           profile.name + "' (" + range + " GB/day, in steps of " + number_text(profile.capacity_step_gb_per_day) +
           "): \"Capacity in SKU is not in range\" (C1, P1)";
  }
  if (c.identity.kind != IdentitySpec::Kind::kUserAssigned) return {};
  if (!profile.user_assigned_identity_supported) {
    return cluster + ": profile '" + profile.name +
           "' supports no user-assigned identity (system-assigned only); use identity: system_assigned (C6, P1)";
  }
  if (behind_private_link(scenario, c)) {
    return cluster + ": a user-assigned identity cannot reach vault '" + c.key->vault +
           "' behind Private Link; use identity: system_assigned (C6)";
  }
  return {};
}

}  // namespace

Status check_declared_resources(const Scenario& scenario, const Profile& profile) {
  for (const ClusterDecl& c : scenario.clusters) {
    if (const std::string why = forbidden(scenario, c, profile); !why.empty()) {
      return Error{scenario.file, c.pos.line, c.pos.column, why};
    }
  }
  return {};
}

}  // namespace cmksim
