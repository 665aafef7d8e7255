// The control plane: cluster and workspace operations, answered with the
// status codes and messages the source documents list (C1-C8, W1-W3, Q1,
// L1, K4). Asynchronous operations answer 202 and complete later; their
// `operations` row gets its completed_ms then.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/model/simulation.h"
#include "sim/profile/declared_rules.h"

namespace cmksim::detail {
namespace {

bool listed(const std::string& comma_list, const std::string& item) {
  std::size_t from = 0;
  while (from <= comma_list.size()) {
    const std::size_t to = std::min(comma_list.find(',', from), comma_list.size());
    if (comma_list.compare(from, to - from, item) == 0 && to > from) return true;
    from = to + 1;
  }
  return false;
}

bool is_live(Lifecycle l) { return l != Lifecycle::kDeleted; }

}  // namespace

// P1: the current edition answers an asynchronous request 202 Accepted; the
// 2020 edition 200 OK with an Azure-AsyncOperation header to poll. Either way
// the operation completes later (its row gets completed_ms then).
OperationResult Simulation::accepted(const std::string& what, DurationMs takes) const {
  const std::string tail = what + " (completes in " + format_duration(takes) + ")";
  if (profile_.async_answers_ok) {
    return {200, "OK, Azure-AsyncOperation header to poll: " + tail, true};
  }
  return {202, "Accepted: " + tail, true};
}

// C2 (Resolved): every cluster update (capacity, identity, key details,
// delete) while a creation or an update is in progress fails; nothing
// accepted is cancelled by a later request.
std::string Simulation::busy_refusal(const Cluster& cl) const {
  if (cl.lifecycle == Lifecycle::kDeleting) return "Cluster is in deleting state";
  if (cl.lifecycle != Lifecycle::kSucceeded) return "Operation cannot be executed now";
  return {};
}

std::string Simulation::capacity_refusal(double gb_per_day) const {
  return cmksim::capacity_refusal(profile_, gb_per_day);  // C1, P1: one rule for declared and created clusters
}

// C2, C3, C7: the checks update_cluster_key (and a key given at creation)
// make against Key Vault before accepting a key: the graph's rule, in the
// service's words.
std::string Simulation::key_refusal(const std::string& name, const std::string& region, const std::string& tenant,
                                    const KeyRef& ref, const IdentitySpec& identity) const {
  switch (graph_.key_problem(name, region, tenant, ref, identity)) {
    case KeyProblem::kNone: return {};
    case KeyProblem::kBadFormat: return "KeyVaultProperties is not empty but has a bad format";
    case KeyProblem::kNotFound: return "Failed to validate key in Key Vault";
    case KeyProblem::kRegion: return "Key Vault, cluster and linked workspaces must share region and tenant";  // C3
    case KeyProblem::kNoGrant: return "Failed to validate key in Key Vault";  // C7: Get, Wrap Key and Unwrap Key are all needed
    case KeyProblem::kNotRecoverable: return "Key is not recoverable";
    case KeyProblem::kPrivateLink: return "A user-assigned identity cannot reach a Key Vault behind Private Link";  // C6
  }
  return {};
}

OperationResult Simulation::create_cluster(const EventDecl& e) {
  if (!valid_cluster_name(e.cluster)) return {400, "Cluster name is not valid"};
  const int existing = cluster_index(e.cluster);
  if (existing >= 0) {
    const Cluster& other = cluster(static_cast<std::uint32_t>(existing));
    if (is_live(other.lifecycle)) return {409, "Conflict: a cluster named '" + e.cluster + "' already exists"};
    if (now() < other.deleted_at_ms + profile_.cluster_soft_delete_period_ms) {
      return {409, "Conflict: the name of a cluster deleted in the last " +
                       format_duration(profile_.cluster_soft_delete_period_ms) + " stays reserved"};  // C5
    }
  }
  const auto identity = parse_identity_spec(e.identity);
  if (!identity || identity->kind == IdentitySpec::Kind::kNone) return {400, "Identity is null or empty"};
  if (identity->kind == IdentitySpec::Kind::kUserAssigned) {
    if (!profile_.user_assigned_identity_supported) {
      return {400, "Identity is null or empty: set the identity type to SystemAssigned"};  // P1: 2020
    }
    if (!identity_exists(identity->user_assigned)) {
      return {400, "User-assigned identity '" + identity->user_assigned + "' not found"};
    }
  }
  if (!e.capacity_gb_per_day) return {400, "Missing Capacity in SKU"};  // C1: the 2020 edition's list of errors
  const double capacity = *e.capacity_gb_per_day;
  if (const std::string why = capacity_refusal(capacity); !why.empty()) return {400, why};
  const bool double_encryption = e.double_encryption.value_or(true);  // K4: on by default
  if (double_encryption && listed(profile_.double_encryption_unsupported_regions, e.region)) {
    return {400, "Double encryption for clusters isn't supported in region '" + e.region +
                     "'; create it with double_encryption: false"};
  }
  // C4: limits per region and subscription
  int active = 0, reserved = 0;
  for (const Cluster& other : world_.clusters) {
    const GraphNode& where = graph_.node(other.vertex);
    if (where.region != e.region || where.subscription != e.subscription) continue;
    if (is_live(other.lifecycle)) ++active;
    if (is_live(other.lifecycle) || now() < other.deleted_at_ms + profile_.cluster_soft_delete_period_ms) ++reserved;
  }
  if (active >= profile_.clusters_active_max) {
    return {400, "Limit reached: at most " + json_number(profile_.clusters_active_max) +
                     " active clusters per region and subscription"};
  }
  if (reserved >= profile_.clusters_reserved_max) {
    return {400, "Limit reached: at most " + json_number(profile_.clusters_reserved_max) +
                     " reserved clusters (active or recently deleted) per region and subscription"};
  }
  ClusterDecl decl;
  decl.name = e.cluster;
  decl.region = e.region;
  decl.subscription = e.subscription;
  decl.tenant = e.tenant.empty() ? "default" : e.tenant;
  decl.identity = *identity;
  decl.capacity_gb_per_day = capacity;
  decl.double_encryption = double_encryption;
  decl.pos = e.pos;
  if (e.key_ref) {
    // C1: key details at creation only with a user-assigned identity
    // already granted; a system-assigned one exists only after creation.
    if (identity->kind != IdentitySpec::Kind::kUserAssigned) return {400, "KeyVaultProperties are set on creation"};
    const std::string why = key_refusal(decl.name, decl.region, decl.tenant, *e.key_ref, *identity);
    if (!why.empty()) return {400, why == "Failed to validate key in Key Vault" ? "KeyVaultProperties are set on creation" : why};
    decl.key = pinned(*e.key_ref);  // R1
  }
  ClusterState cl;
  cl.rng = Rng::stream(seed_, "kv/" + e.cluster + "#" + std::to_string(world_.clusters.size()));
  // Provisioning (C1): in the graph from its acceptance; under a freed name
  // (C5) as a vertex of its own.
  cl.vertex = graph_.add_cluster(decl, now());
  world_.clusters.push_back(std::move(cl));
  const auto c = static_cast<std::uint32_t>(world_.clusters.size() - 1);
  states_.set("cluster", e.cluster, storage_state_name(StorageState::kAvailable), now());
  start_cluster_op(c, Lifecycle::kProvisioning, now() + profile_.cluster_provision_duration_ms);
  return accepted("provisioning", profile_.cluster_provision_duration_ms);
}

OperationResult Simulation::update_cluster_key(const EventDecl& e) {
  const int c = cluster_index(e.cluster);
  if (c < 0 || !is_live(cluster(static_cast<std::uint32_t>(c)).lifecycle)) {
    return {404, "Cluster not found, the cluster might have been deleted"};
  }
  Cluster& cl = cluster(static_cast<std::uint32_t>(c));
  if (const std::string why = busy_refusal(cl); !why.empty()) return {400, why};  // C2
  const KeyRef ref{e.vault, e.key, e.version};
  if (ref.vault.empty()) {  // C2, C6: removing the key details is an asynchronous key update too
    cl.pending_key = ref;
    start_cluster_op(static_cast<std::uint32_t>(c), Lifecycle::kUpdating, now() + profile_.key_update_duration_ms);
    return accepted("removing the key details", profile_.key_update_duration_ms);
  }
  const GraphNode& where = graph_.node(cl.vertex);
  if (const std::string why = key_refusal(where.name, where.region, where.tenant, ref, config(cl).identity); !why.empty()) {
    return {400, why};
  }
  cl.pending_key = ref;
  start_cluster_op(static_cast<std::uint32_t>(c), Lifecycle::kUpdating, now() + profile_.key_update_duration_ms);
  return accepted("updating the key", profile_.key_update_duration_ms);
}

OperationResult Simulation::delete_cluster(const EventDecl& e) {
  const int c = cluster_index(e.cluster);
  if (c < 0 || !is_live(cluster(static_cast<std::uint32_t>(c)).lifecycle)) {
    return {404, "Cluster not found, the cluster might have been deleted"};
  }
  Cluster& cl = cluster(static_cast<std::uint32_t>(c));
  if (cl.lifecycle == Lifecycle::kProvisioning) return {409, "Can't delete a cluster while in provisioning state"};  // C5
  if (const std::string why = busy_refusal(cl); !why.empty()) return {400, why};  // C2: a key update is never cancelled
  // C5: every workspace is unlinked, asynchronously, before the soft delete
  start_cluster_op(static_cast<std::uint32_t>(c), Lifecycle::kDeleting, now() + profile_.delete_unlink_duration_ms);
  return accepted("unlinking " + std::to_string(cl.workspaces.size()) + " workspace(s), then a soft delete",
                  profile_.delete_unlink_duration_ms);
}

OperationResult Simulation::set_capacity(const EventDecl& e) {
  const int c = cluster_index(e.cluster);
  if (c < 0 || !is_live(cluster(static_cast<std::uint32_t>(c)).lifecycle)) {
    return {404, "Cluster not found, the cluster might have been deleted"};
  }
  Cluster& cl = cluster(static_cast<std::uint32_t>(c));
  if (const std::string why = busy_refusal(cl); !why.empty()) return {400, why};  // C2
  const double capacity = e.capacity_gb_per_day.value_or(0);
  if (const std::string why = capacity_refusal(capacity); !why.empty()) return {400, why};
  if (capacity < config(cl).capacity_gb_per_day && now() < cl.capacity_updated_ms + profile_.capacity_lock_period_ms) {
    return {400, "Capacity is locked for " + format_duration(profile_.capacity_lock_period_ms)};  // C8
  }
  cl.capacity_updated_ms = now();
  graph_.apply_capacity(cl.vertex, capacity, now());
  return {};
}

OperationResult Simulation::link_workspace(const EventDecl& e) {
  const int w = world_.workspace_index(e.workspace);
  if (w < 0 || deleted(world_.workspaces[static_cast<std::size_t>(w)])) return {404, "Workspace not found"};
  Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
  if (ws.link_op != Workspace::LinkOp::kNone) return {409, "A workspace link or unlink operation is in progress"};
  const int c = cluster_index(e.cluster);
  if (c < 0 || cluster(static_cast<std::uint32_t>(c)).lifecycle == Lifecycle::kDeleted ||
      cluster(static_cast<std::uint32_t>(c)).lifecycle == Lifecycle::kDeleting) {
    return {400, "Cluster not found, the cluster you specified doesn't exist or was deleted"};
  }
  if (ws.cluster == c) return {200, "The workspace is already linked to this cluster"};
  if (ws.cluster >= 0) {
    return {400, "The workspace is linked to another cluster ('" +
                     name_of(cluster(static_cast<std::uint32_t>(ws.cluster))) + "'); unlink it first"};  // W1
  }
  Cluster& cl = cluster(static_cast<std::uint32_t>(c));
  if (ws.decl.region != graph_.node(cl.vertex).region || ws.decl.tenant != graph_.node(cl.vertex).tenant) {
    return {400, "Key Vault, cluster and linked workspaces must share region and tenant"};  // C3
  }
  // C4, W2: links still in progress count toward the workspaces per cluster
  // (one linking to a cluster still provisioning is already in its list).
  const auto linking = std::count_if(world_.workspaces.begin(), world_.workspaces.end(), [&](const Workspace& other) {
    return other.link_op == Workspace::LinkOp::kLinking && other.link_target == c && other.cluster != c;
  });
  if (static_cast<double>(cl.workspaces.size()) + static_cast<double>(linking) >= profile_.workspaces_per_cluster_max) {
    return {400, "Limit reached: at most " + json_number(profile_.workspaces_per_cluster_max) +
                     " workspaces per cluster"};  // C4
  }
  const auto recent = std::count_if(ws.link_operations.begin(), ws.link_operations.end(),
                                    [&](TimeMs t) { return t > now() - profile_.link_operations_window_ms; });
  if (static_cast<double>(recent) >= profile_.link_operations_max) {
    return {400, "Limit reached: at most " + json_number(profile_.link_operations_max) + " link operations per workspace in " +
                     format_duration(profile_.link_operations_window_ms)};  // W2
  }
  ws.link_operations.push_back(now());
  ws.link_op = Workspace::LinkOp::kLinking;
  graph_.set_pending(NodeKind::kWorkspace, ws.decl.name, "linking");
  ws.link_target = c;
  ws.link_row = static_cast<int>(record_.operations.size());
  ws.link_due_ms = now() + profile_.link_duration_ms;
  if (cl.lifecycle == Lifecycle::kProvisioning) {
    // D11 (Resolved): accepted, but what arrives until provisioning
    // completes is deleted; the link completes no earlier than that.
    ws.provisioning_loss = true;
    attach(static_cast<std::uint32_t>(w), c);
    log_event("link_before_provisioning", ws.decl.name,
              JsonObject().add_string("cluster", name_of(cl)).add_string("behaviour", "D11").str());
  }
  engine_.schedule_at(ws.link_due_ms, Event{EventKind::kLinkDone, static_cast<std::uint32_t>(w), 0});
  return accepted("linking", profile_.link_duration_ms);
}

OperationResult Simulation::unlink_workspace(const EventDecl& e) {
  const int w = world_.workspace_index(e.workspace);
  if (w < 0 || deleted(world_.workspaces[static_cast<std::size_t>(w)])) return {404, "Workspace not found"};
  Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
  if (ws.link_op != Workspace::LinkOp::kNone) return {409, "A workspace link or unlink operation is in progress"};
  if (ws.cluster < 0) return {400, "The workspace is not linked to a cluster"};
  ws.link_operations.push_back(now());  // W2 (Resolved): an unlink counts toward the limit but is never refused (W3)
  ws.link_op = Workspace::LinkOp::kUnlinking;
  graph_.set_pending(NodeKind::kWorkspace, ws.decl.name, "unlinking");
  ws.link_target = -1;
  ws.link_row = static_cast<int>(record_.operations.size());
  ws.link_due_ms = now() + profile_.unlink_duration_ms;
  engine_.schedule_at(ws.link_due_ms, Event{EventKind::kLinkDone, static_cast<std::uint32_t>(w), 0});
  return accepted("unlinking", profile_.unlink_duration_ms);
}

void Simulation::on_link_done(std::uint32_t w) {
  Workspace& ws = world_.workspaces[w];
  if (ws.link_op == Workspace::LinkOp::kNone || now() < ws.link_due_ms) return;
  if (ws.link_op == Workspace::LinkOp::kLinking && ws.link_target >= 0 &&
      world_.clusters[static_cast<std::size_t>(ws.link_target)].lifecycle == Lifecycle::kProvisioning) {
    return;  // D11: completes when the cluster's provisioning does (on_cluster_op_done)
  }
  if (ws.link_row >= 0) record_.operations[static_cast<std::size_t>(ws.link_row)].completed_ms = now();
  const int target = ws.link_op == Workspace::LinkOp::kLinking ? ws.link_target : -1;
  ws.link_op = Workspace::LinkOp::kNone;
  graph_.set_pending(NodeKind::kWorkspace, ws.decl.name, "");
  ws.link_row = -1;
  attach(w, target);  // D12: after an unlink, new data goes to shared storage under the MMK
  if (target >= 0) {
    mirrored(graph_.link_workspace(ws.decl.name, name_of(cluster(static_cast<std::uint32_t>(target))), now()));
  } else {
    mirrored(graph_.unlink_workspace(ws.decl.name, now()));
  }
}

// C2: an accepted link that cannot complete ends with a recorded failure:
// its row gets completed_ms and the reason, and `events` says so.
void Simulation::fail_link(std::uint32_t w, const std::string& why) {
  Workspace& ws = world_.workspaces[w];
  if (ws.link_row >= 0) {
    OperationRow& row = record_.operations[static_cast<std::size_t>(ws.link_row)];
    row.completed_ms = now();
    row.message += "; failed: " + why;
  }
  log_event("operation_failed", ws.decl.name,
            JsonObject().add_string("action", "link_workspace").add_string("reason", why).add_string("behaviour", "C2").str());
  ws.link_op = Workspace::LinkOp::kNone;
  ws.link_target = -1;
  ws.link_row = -1;
  ws.provisioning_loss = false;
  graph_.set_pending(NodeKind::kWorkspace, ws.decl.name, "");
  refresh_workspace(w);
}

// Moves a workspace's data home: its cluster's storage, or shared storage.
void Simulation::attach(std::uint32_t w, int c) {
  Workspace& ws = world_.workspaces[w];
  if (ws.cluster >= 0) {
    auto& list = world_.clusters[static_cast<std::size_t>(ws.cluster)].workspaces;
    list.erase(std::remove(list.begin(), list.end(), static_cast<int>(w)), list.end());
  }
  ws.cluster = c;
  if (c >= 0) {
    auto& list = world_.clusters[static_cast<std::size_t>(c)].workspaces;
    list.insert(std::upper_bound(list.begin(), list.end(), static_cast<int>(w)), static_cast<int>(w));
  }
  refresh_workspace(w);
  update_left_data(ws);  // D12: what it left behind follows that cluster
}

OperationResult Simulation::delete_workspace(const EventDecl& e) {
  const int w = world_.workspace_index(e.workspace);
  if (w < 0 || deleted(world_.workspaces[static_cast<std::size_t>(w)])) return {404, "Workspace not found"};
  Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
  applied(graph_.delete_workspace(e.workspace, now()));  // W3: allowed while linked; it stays linked
  ws.deleted_at_ms = now();
  refresh_workspace(static_cast<std::uint32_t>(w));
  engine_.schedule_at(now() + profile_.workspace_soft_delete_period_ms,
                      Event{EventKind::kWorkspacePurge, static_cast<std::uint32_t>(w), 0});  // W3
  return {};
}

OperationResult Simulation::restore_workspace(const EventDecl& e) {
  const int w = world_.workspace_index(e.workspace);
  if (w < 0) return {404, "Workspace not found"};
  Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
  if (!deleted(ws)) return {409, "The workspace is not deleted"};
  if (now() >= ws.deleted_at_ms + profile_.workspace_soft_delete_period_ms) return {404, "Workspace not found"};
  applied(graph_.restore_workspace(e.workspace, now()));  // W3: back, still linked
  refresh_workspace(static_cast<std::uint32_t>(w));
  return {};
}

OperationResult Simulation::link_query_storage(const EventDecl& e) {
  const int w = world_.workspace_index(e.workspace);
  if (w < 0 || deleted(world_.workspaces[static_cast<std::size_t>(w)])) return {404, "Workspace not found"};
  applied(graph_.link_query_storage(e.workspace, e.storage_account, now()));
  log_event("saved_queries_removed", e.workspace,  // Q1: lost unless copied first
            JsonObject()
                .add_string("storage_account", e.storage_account.empty() ? e.workspace + "-queries" : e.storage_account)
                .add_string("behaviour", "Q1")
                .str());
  return {200, "Linked: the workspace's existing saved queries are removed, query history and pin-to-dashboard "
               "stop working (Q1)"};
}

OperationResult Simulation::lockbox_request(const EventDecl& e) {
  const int c = cluster_index(e.cluster);
  if (c < 0 || !is_live(cluster(static_cast<std::uint32_t>(c)).lifecycle)) {
    return {404, "Cluster not found, the cluster might have been deleted"};
  }
  if (listed(profile_.lockbox_unavailable_regions, graph_.node(cluster(static_cast<std::uint32_t>(c)).vertex).region)) {
    return {400, "Customer Lockbox is not available in this region"};  // L1
  }
  // L1: the engineer waits for the customer: the answer is the decision,
  // made lockbox_decision_time later (the row's completed_ms, and a
  // lockbox_decision event); until then no access is given.
  const auto row = static_cast<std::uint32_t>(record_.operations.size());  // the row this event is about to write
  engine_.schedule_at(now() + profile_.lockbox_decision_time_ms, Event{EventKind::kLockboxDecision, row, 0});
  const std::string after = " after " + format_duration(profile_.lockbox_decision_time_ms) + " (L1)";
  if (e.decision == "approve") return {200, "Customer Lockbox: access approved by the customer" + after, true};
  return {403, "Customer Lockbox: access rejected by the customer" + after, true};
}

void Simulation::on_lockbox_decision(std::uint32_t row) {
  OperationRow& op = record_.operations[row];
  op.completed_ms = now();
  log_event("lockbox_decision", op.target,
            JsonObject().add_string("id", op.event_id).add_int("status", op.status).add_string("behaviour", "L1").str());
}

// C2, C6: with the key details removed the storage stops calling Key Vault
// and new data is under the MMK until a key is set again.
void Simulation::stop_kv_calls(std::uint32_t c) {
  Cluster& cl = cluster(c);
  if (!cl.kv_calls_running) return;
  cl.kv_calls_running = false;
  cl.kv_chain += 1;  // the pending call is void: a new key starts a chain of its own
  cl.wrapping_version.clear();
  record_wrapping_version(cl);
  for (const int w : cl.workspaces) open_segment(world_.workspaces[static_cast<std::size_t>(w)]);
  log_event("key_details_removed", name_of(cl),
            JsonObject().add_string("protection", "mmk").add_string("behaviour", "C6").str());
}

// Q3: asynchronous search jobs are not supported on a workspace whose data
// is under a CMK (linked to a cluster with a key); elsewhere the job is
// accepted (its results are not modelled: the request completes at once).
OperationResult Simulation::search_job(const EventDecl& e) {
  const int w = world_.workspace_index(e.workspace);
  if (w < 0 || deleted(world_.workspaces[static_cast<std::size_t>(w)])) return {404, "Workspace not found"};
  const Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
  if (ws.cluster >= 0 && has_cmk(cluster(static_cast<std::uint32_t>(ws.cluster)))) {
    return {400, "Search jobs are not supported on workspaces whose data is under a customer-managed key (Q3)"};
  }
  const std::string what = "search job over the last " + format_duration(e.range_ms) + " (Q3)";
  return profile_.async_answers_ok ? OperationResult{200, "OK: " + what} : OperationResult{202, "Accepted: " + what};
}

void Simulation::start_cluster_op(std::uint32_t c, Lifecycle state, TimeMs at) {
  Cluster& cl = cluster(c);
  cl.op_generation += 1;
  cl.op_row = static_cast<int>(record_.operations.size());  // the row the current event is about to write
  set_lifecycle(c, state);
  engine_.schedule_at(at, Event{EventKind::kClusterOpDone, c, cl.op_generation});
}

void Simulation::set_lifecycle(std::uint32_t c, Lifecycle next) {
  Cluster& cl = cluster(c);
  cl.lifecycle = next;
  states_.set("cluster_provisioning", name_of(cl), lifecycle_name(next), now());
  const bool settled = next == Lifecycle::kSucceeded || next == Lifecycle::kDeleted;
  graph_.set_pending(NodeKind::kCluster, name_of(cl), settled ? "" : lifecycle_name(next));
}

void Simulation::on_cluster_op_done(std::uint32_t c) {
  Cluster& cl = cluster(c);
  cl.bound.valid = false;  // a key update or deletion changes what it refers to
  if (cl.op_row >= 0) record_.operations[static_cast<std::size_t>(cl.op_row)].completed_ms = now();
  cl.op_row = -1;
  switch (cl.lifecycle) {
    case Lifecycle::kProvisioning: {
      set_lifecycle(c, Lifecycle::kSucceeded);
      if (has_cmk(cl)) start_kv_calls(c);
      // D11: the loss of links requested during provisioning ends now; a
      // link whose own duration has passed completes now too
      for (std::uint32_t w = 0; w < world_.workspaces.size(); ++w) {
        Workspace& ws = world_.workspaces[w];
        if (ws.link_op == Workspace::LinkOp::kLinking && ws.link_target == static_cast<int>(c)) {
          ws.provisioning_loss = false;
          refresh_workspace(w);
          on_link_done(w);
        }
      }
      break;
    }
    case Lifecycle::kUpdating: {
      // D10: access restored by a key update counts from its completion
      const bool first_key = !has_cmk(cl);
      graph_.apply_cluster_key(cl.vertex, pinned(*cl.pending_key), now());  // R1
      cl.pending_key.reset();
      set_lifecycle(c, Lifecycle::kSucceeded);
      if (!has_cmk(cl)) {
        stop_kv_calls(c);  // C2, C6: key details removed
      } else if (first_key) {
        start_kv_calls(c);
      } else {
        // R3, D10: the update re-wraps the AEK with the new key details, so
        // a disabled old version no longer matters ("update the cluster with
        // the new key identifier details to resume ingestion and queries").
        cl.wrapping_version.clear();
        const AccessVerdict verdict = verdict_of(c);
        if (verdict.granted) {
          cl.wrapping_version = verdict.version;
          record_wrapping_version(cl);
          for (const int w : cl.workspaces) open_segment(world_.workspaces[static_cast<std::size_t>(w)]);
        }
      }
      recheck_access({c}, "update_cluster_key " + name_of(cl) + " completed at " + format_duration(now()));
      break;
    }
    case Lifecycle::kDeleting: {
      const std::vector<int> linked = cl.workspaces;
      for (const int w : linked) attach(static_cast<std::uint32_t>(w), -1);  // D12
      for (std::uint32_t w = 0; w < world_.workspaces.size(); ++w) {  // C2: never cancelled silently
        const Workspace& ws = world_.workspaces[w];
        if (ws.link_op == Workspace::LinkOp::kLinking && ws.link_target == static_cast<int>(c)) {
          fail_link(w, "the cluster was deleted before the link completed");
        }
      }
      applied(graph_.delete_cluster(name_of(cl), now()));  // the newest of its name: this one
      cl.deleted_at_ms = now();
      cl.kv_calls_running = false;
      cl.kv_chain += 1;  // its pending call is void: a recovery (C5) starts a chain of its own
      set_lifecycle(c, Lifecycle::kDeleted);
      // C5: its data stays, unreadable (D12), until deleted for good
      cl.purge_at_ms = now() + profile_.cluster_soft_delete_period_ms;
      engine_.schedule_at(cl.purge_at_ms, Event{EventKind::kClusterPurge, c, 0});
      break;
    }
    case Lifecycle::kSucceeded:
    case Lifecycle::kDeleted: break;
  }
}

}  // namespace cmksim::detail
