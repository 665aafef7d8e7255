#include "sim/model/simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/random/distributions.h"

namespace cmksim::detail {

// C6: identity changes take effect at the event's time. `none` revokes
// access (D6) and only a support request (support_restore) undoes it.
OperationResult Simulation::set_identity(const EventDecl& e) {
  const int c = cluster_index(e.cluster);
  if (c < 0) return {404, "Cluster not found"};
  Cluster& cl = cluster(static_cast<std::uint32_t>(c));
  if (cl.lifecycle == Lifecycle::kDeleted) return {404, "Cluster not found, the cluster might have been deleted"};
  if (const std::string why = busy_refusal(cl); !why.empty()) return {400, why};  // C2
  const auto next = parse_identity_spec(e.identity);
  if (!next) return {400, "Identity is null or empty"};
  const IdentitySpec now_identity = config(cl).identity;
  if (identity_locked(now_identity)) {
    return {400, "The cluster's identity was set to none; only a support request (support_restore) can restore it"};
  }
  if (next->kind == IdentitySpec::Kind::kUserAssigned) {
    if (!profile_.user_assigned_identity_supported) {
      return {400, "Identity is null or empty: set the identity type to SystemAssigned"};  // P1: 2020
    }
    const bool exists = std::any_of(scenario_.identities.begin(), scenario_.identities.end(),
                                    [&](const IdentityDecl& d) { return d.name == next->user_assigned; });
    if (!exists) return {400, "User-assigned identity '" + next->user_assigned + "' not found"};
    const auto vault = has_cmk(cl) ? graph_.find(NodeKind::kVault, config(cl).key->vault) : std::nullopt;
    if (vault && graph_.vault_info(*vault).private_link) {
      return {400, "A user-assigned identity cannot reach a Key Vault behind Private Link"};
    }
  }
  if (identity_needs_key_removed(now_identity, *next, has_cmk(cl))) {
    return {400, "Remove the key details before changing the identity from user-assigned to system-assigned"};
  }
  graph_.apply_cluster_identity(cl.vertex, *next, now());  // `none` keeps the one before for C6
  return {};
}

OperationResult Simulation::support_restore(const EventDecl& e) {
  const int c = cluster_index(e.cluster);
  if (c < 0) return {404, "Cluster not found"};
  Cluster& cl = cluster(static_cast<std::uint32_t>(c));
  if (config(cl).identity.kind != IdentitySpec::Kind::kNone || !config(cl).identity_before_none) {
    return {409, "Nothing to restore: the cluster's identity was not set to none"};
  }
  graph_.apply_support_restore(cl.vertex, now());  // with its grants, which were never removed
  return {};
}

}  // namespace cmksim::detail
