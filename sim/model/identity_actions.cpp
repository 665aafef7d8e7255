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
  const int c = world_.cluster_index(e.cluster);
  if (c < 0) return {404, "Cluster not found"};
  Cluster& cl = cluster(static_cast<std::uint32_t>(c));
  const auto next = parse_identity_spec(e.identity);
  if (!next) return {400, "Identity is null or empty"};
  const IdentitySpec& now_identity = cl.decl.identity;
  if (identity_locked(now_identity)) {
    return {400, "The cluster's identity was set to none; only a support request (support_restore) can restore it"};
  }
  if (next->kind == IdentitySpec::Kind::kUserAssigned) {
    const bool exists = std::any_of(scenario_.identities.begin(), scenario_.identities.end(),
                                    [&](const IdentityDecl& d) { return d.name == next->user_assigned; });
    if (!exists) return {400, "User-assigned identity '" + next->user_assigned + "' not found"};
    const auto vault = cl.has_cmk() ? graph_.find(NodeKind::kVault, cl.decl.key->vault) : std::nullopt;
    if (vault && graph_.vault_info(*vault).private_link) {
      return {400, "A user-assigned identity cannot reach a Key Vault behind Private Link"};
    }
  }
  if (identity_needs_key_removed(now_identity, *next, cl.has_cmk())) {
    return {400, "Remove the key details before changing the identity from user-assigned to system-assigned"};
  }
  if (next->kind == IdentitySpec::Kind::kNone) cl.identity_before_none = now_identity;
  cl.decl.identity = *next;
  mirrored(graph_.set_cluster_identity(e.cluster, *next, now()));
  return {};
}

OperationResult Simulation::support_restore(const EventDecl& e) {
  const int c = world_.cluster_index(e.cluster);
  if (c < 0) return {404, "Cluster not found"};
  Cluster& cl = cluster(static_cast<std::uint32_t>(c));
  if (cl.decl.identity.kind != IdentitySpec::Kind::kNone || !cl.identity_before_none) {
    return {409, "Nothing to restore: the cluster's identity was not set to none"};
  }
  cl.decl.identity = *cl.identity_before_none;  // with its grants, which were never removed
  cl.identity_before_none.reset();
  mirrored(graph_.support_restore(e.cluster, now()));
  return {};
}

}  // namespace cmksim::detail
