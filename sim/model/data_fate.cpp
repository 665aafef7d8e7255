// Where a workspace's data is and whether it can be read: data left in a
// cluster follows that cluster (D12), a deleted cluster or workspace keeps
// its data through its soft delete and loses it for good after (C5, W3), and
// the 2020 profile's outage buffer with a revocation during the outage (D13).
#include <algorithm>
#include <string>
#include <vector>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/model/simulation.h"

namespace cmksim::detail {

// D12, C5: a cluster's stored data can be read while its storage is up and
// it is not soft-deleted.
bool Simulation::cluster_readable(int c) const {
  const Cluster& cl = world_.clusters[static_cast<std::size_t>(c)];
  const bool down = cl.storage == StorageState::kUnavailable || cl.storage == StorageState::kRecovering;
  return !down && cl.lifecycle != Lifecycle::kDeleted;
}

// D12: the cluster (other than its own) holding data that a query at `at`
// over `range_ms` reaches and cannot read, or -1.
int Simulation::unreadable_cluster_reached(const Workspace& ws, DurationMs range_ms, TimeMs at) const {
  if (!ws.left_data) return -1;
  const TimeMs from = std::max(at - range_ms, at - ws.ledger.retention_ms());  // D9: older data is gone
  for (const Segment& s : ws.ledger.segments()) {
    if (s.location != Location::kCluster || s.cluster == ws.cluster || !s.stored_at(at) || s.gb_per_day <= 0) continue;
    if (s.t_end_ms <= from || s.t_start_ms >= at) continue;
    if (!cluster_readable(s.cluster)) return s.cluster;
  }
  return -1;
}

void Simulation::update_left_data(Workspace& ws) {
  const auto& segments = ws.ledger.segments();
  ws.left_data = std::any_of(segments.begin(), segments.end(), [&](const Segment& s) {
    return s.location == Location::kCluster && s.cluster != ws.cluster && !s.lost && s.erased_ms == kNever;
  });
  any_left_data_ = any_left_data_ || ws.left_data;
}

// GB of the workspace's data that cannot be read at `end` (D8, D12, C5).
double Simulation::inaccessible_gb(const Workspace& ws, TimeMs end) const {
  double gb = 0;
  for (const Segment& s : ws.ledger.segments()) {
    const bool blocked = ws.state == WorkspaceState::kUnavailable ||
                         (s.location == Location::kCluster && s.cluster >= 0 && !cluster_readable(s.cluster));
    if (blocked) gb += ws.ledger.fate(s, end).gb_at_end;
  }
  return gb;
}

// K3, D8: the workspace's data on a loaded SSD at `end`: the young data in
// the storage of each readable cluster whose SSD is not purged.
double Simulation::hot_gb_at(const Workspace& ws, TimeMs end) const {
  std::vector<int> held;
  for (const Segment& s : ws.ledger.segments()) {
    if (s.location == Location::kCluster && s.cluster >= 0 &&
        std::find(held.begin(), held.end(), s.cluster) == held.end()) {
      held.push_back(s.cluster);
    }
  }
  double gb = 0;
  for (const int c : held) {
    if (!cluster_readable(c) || world_.clusters[static_cast<std::size_t>(c)].ssd_loaded_from_ms > end) continue;
    gb += ws.ledger.stored_gb_between(end - profile_.hot_cache_period_ms, end, end, Location::kCluster, c);
  }
  return gb;
}

// C5: the soft-delete period is over: the cluster's data is deleted for good.
void Simulation::on_cluster_purge(std::uint32_t c) {
  Cluster& cl = cluster(c);
  if (cl.lifecycle != Lifecycle::kDeleted || now() != cl.purge_at_ms) return;  // recovered meanwhile
  double gb = 0;
  for (Workspace& ws : world_.workspaces) {
    gb += ws.ledger.erase(static_cast<int>(c), now());
    update_left_data(ws);
  }
  log_event("data_deleted", name_of(cl),
            JsonObject()
                .add_string("reason", "cluster deleted " + format_duration(profile_.cluster_soft_delete_period_ms) +
                                          " earlier: its soft-delete period is over (C5)")
                .add_number("gb", gb)
                .str());
}

// W3: the workspace's soft-delete period is over: its data is deleted for good.
void Simulation::on_workspace_purge(std::uint32_t w) {
  Workspace& ws = world_.workspaces[w];
  if (!deleted(ws) || now() != ws.deleted_at_ms + profile_.workspace_soft_delete_period_ms) return;
  const double gb = ws.ledger.erase(-1, now());
  update_left_data(ws);
  log_event("data_deleted", ws.decl.name,
            JsonObject()
                .add_string("reason", "workspace deleted " + format_duration(profile_.workspace_soft_delete_period_ms) +
                                          " earlier: its soft-delete period is over (W3)")
                .add_number("gb", gb)
                .str());
}

// C5: a support case recovers a soft-deleted cluster with its data; its
// workspaces stay unlinked until linked again.
OperationResult Simulation::support_recover_cluster(const EventDecl& e) {
  const int index = cluster_index(e.cluster);
  if (index < 0) return {404, "Cluster not found"};
  const auto c = static_cast<std::uint32_t>(index);
  Cluster& cl = cluster(c);
  if (cl.lifecycle != Lifecycle::kDeleted) return {409, "The cluster is not deleted"};
  if (now() >= cl.purge_at_ms) {
    return {404, "Cluster not found: deleted for good after its " +
                     format_duration(profile_.cluster_soft_delete_period_ms) + " soft-delete period (C5)"};
  }
  catch_up_all_queries(now());
  applied(graph_.recover_cluster(name_of(cl), now()));
  cl.bound.valid = false;
  cl.purge_at_ms = kNever;
  set_lifecycle(c, Lifecycle::kSucceeded);
  if (has_cmk(cl)) start_kv_calls(c);
  return {200, "Recovered with its data by a support case; its workspaces stay unlinked (C5)"};
}

// ---- D13 (profile azure-monitor-2020) ----------------------------------------

// An outage that has lasted kv_outage_unavailable_after makes the storage of
// every cluster using the vault unavailable. Queries fail; arrivals are
// buffered under the MMK, not lost, for outage_buffer from that moment. Not a
// permission change (D6): no exposure window.
void Simulation::on_outage_threshold(std::uint32_t v) {
  const VaultInfo& vault = graph_.vault_at(v);
  if (!vault.in_fault(now()) || now() < vault.fault_since_ms + profile_.kv_outage_unavailable_after_ms) return;
  for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) {
    Cluster& cl = cluster(c);
    if (!cl.kv_calls_running || key_vault_index(c) != static_cast<int>(v) || cl.incident >= 0) continue;
    catch_up_cluster_queries(c);
    IncidentRow inc;
    inc.cluster = name_of(cl);
    inc.cause = kKvOutageCause;
    inc.change_ms = vault.fault_since_ms;
    inc.unavailable_ms = now();
    cl.incident = static_cast<int>(record_.incidents.size());
    record_.incidents.push_back(inc);
    cl.outage_incident = true;
    cl.buffering = true;
    cl.buffer_incident = cl.incident;
    set_storage(c, StorageState::kUnavailable);
    cl.ssd_loaded_from_ms = kNever;
    schedule_cluster_timer(EventKind::kBufferExhausted, c, now() + profile_.outage_buffer_ms);
    log_event("outage_unavailable", name_of(cl),
              JsonObject()
                  .add_string("cause", inc.cause)
                  .add_string("fault", vault.fault)
                  .add_int("unavailable_after_ms", profile_.kv_outage_unavailable_after_ms)
                  .str());
  }
}

void Simulation::on_buffer_exhausted(std::uint32_t c) {
  Cluster& cl = cluster(c);
  if (cl.buffer_incident < 0) return;
  if (!cl.access_granted && cl.outage_row >= 0) {
    // D13 (Resolved): a revocation took effect during the outage and access
    // did not come back before the buffer ran out: what it held is lost.
    double gb = 0;
    for (Workspace& ws : world_.workspaces) gb += ws.ledger.lose_buffered(cl.buffer_incident, cl.incident);
    log_event("outage_buffer_lost", name_of(cl),
              JsonObject().add_string("cause", incident_of(cl).cause).add_number("gb", gb).str());
  }
  if (!cl.buffering) return;
  cl.buffering = false;  // from now on arrivals are lost
  log_event("outage_buffer_full", name_of(cl), JsonObject().add_int("outage_buffer_ms", profile_.outage_buffer_ms).str());
  for (const int w : cl.workspaces) open_segment(world_.workspaces[static_cast<std::size_t>(w)]);
}

// D13 (Resolved): a permission change during an outage that made the storage
// unavailable is its own incident, bounded by D7 from the change.
void Simulation::open_revocation_in_outage(std::uint32_t c, const std::string& cause) {
  Cluster& cl = cluster(c);
  IncidentRow inc;
  inc.cluster = name_of(cl);
  inc.cause = cause;
  inc.change_ms = now();
  cl.outage_row = cl.incident;
  cl.outage_incident = false;
  cl.incident = static_cast<int>(record_.incidents.size());
  record_.incidents.push_back(inc);
  schedule_cluster_timer(EventKind::kRevocationDeadline, c, now() + profile_.revocation_bound_ms);
}

bool Simulation::revocation_in_outage_pending(const Cluster& cl) const {
  return cl.outage_row >= 0 && cl.incident >= 0 &&
         !record_.incidents[static_cast<std::size_t>(cl.incident)].unavailable_ms;
}

// The revocation takes effect on storage already unavailable: from now on
// arrivals are dropped (D8), no longer buffered.
void Simulation::revocation_in_outage_takes_effect(std::uint32_t c) {
  catch_up_cluster_queries(c);
  Cluster& cl = cluster(c);
  IncidentRow& inc = incident_of(cl);
  inc.unavailable_ms = now();
  inc.exposure_window_ms = now() - inc.change_ms;
  cl.buffering = false;
  log_event("revocation_in_effect", name_of(cl), JsonObject().add_string("cause", inc.cause).str());
  for (const int w : cl.workspaces) open_segment(world_.workspaces[static_cast<std::size_t>(w)]);
}

// Access came back before the revocation took effect: that incident is
// averted and the outage incident is the open one again.
void Simulation::avert_revocation_in_outage(std::uint32_t c) {
  Cluster& cl = cluster(c);
  IncidentRow& inc = incident_of(cl);
  inc.restored_ms = now();
  inc.exposure_window_ms = now() - inc.change_ms;
  log_event("incident_averted", name_of(cl),
            JsonObject().add_string("cause", inc.cause).add_int("restored_ms", now()).str());
  cl.incident = cl.outage_row;
  cl.outage_row = -1;
  cl.outage_incident = true;
}

}  // namespace cmksim::detail
