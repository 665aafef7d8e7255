#include "sim/model/simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/core/check.h"
#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/random/distributions.h"

namespace cmksim::detail {

void Simulation::on_kv_call(std::uint32_t c) {
  Cluster& cl = cluster(c);
  if (!cl.kv_calls_running) return;  // the cluster was deleted (C5)
  TimeMs next = now() + kv_call_gap(cl);  // D3: drawn before the call, as always
  if (!inline_kv_calls_ || !routine_kv_call(c, now())) {
    engine_.schedule_at(next, Event{EventKind::kKvCall, c, cl.kv_chain});  // before what the call schedules
    kv_call(c);
    return;
  }
  // A routine call schedules nothing, and the routine calls after it run
  // here while no other event comes before them: the same draws and the
  // same records in the same order as one event each, without the queue
  // (most of a quiet year's events are such calls). Until another event
  // runs, only the time changes: the vault's fault window decides each call.
  // The loop's state is in locals, written back after it: the call log's
  // counters are 64-bit integers too, so the compiler would otherwise reload
  // the generator, the cache's expiry and the fault's end after each count.
  const int vault = key_vault_index(c);
  const TimeMs fault_until =
      vault >= 0 ? graph_.vault_at(static_cast<std::size_t>(vault)).fault_until_ms : std::numeric_limits<TimeMs>::min();
  const auto in_fault = [fault_until](TimeMs t) { return t < fault_until; };  // VaultInfo::in_fault
  const bool granted_steadily = steady_grant(c);
  const TimeMs horizon = engine_.inline_horizon();  // nothing is scheduled in this loop
  const DurationMs aek_ttl = profile_.aek_cache_ttl_ms;
  TimeMs aek_until = cl.aek_cached_until_ms;
  Rng rng = cl.rng;
  std::uint64_t calls = 0;
  KvCallLog::Tally tally(kv_log_, vault, static_cast<int>(c));  // added to the log at its end
  TimeMs at = now();
  for (;;) {
    const bool failed = in_fault(at);  // D5: changes nothing
    const bool unwrap = at >= aek_until;
    tally.count(at, unwrap, failed);
    if (unwrap && !failed) aek_until = at + aek_ttl;  // D4
    if (next > horizon) break;
    if (!granted_steadily && !in_fault(next)) break;
    at = next;
    next = at + kv_call_gap_(rng);
    ++calls;
  }
  cl.rng = rng;
  cl.aek_cached_until_ms = aek_until;
  batched_kv_calls_processed_ += calls;
  engine_.schedule_at(next, Event{EventKind::kKvCall, c, cl.kv_chain});
}

// A call at `t` that would change nothing but the call log and the AEK
// cache: failed by a transient fault (D5), or granted (steady_grant).
bool Simulation::routine_kv_call(std::uint32_t c, TimeMs t) {
  const int vault = key_vault_index(c);
  if (vault >= 0 && graph_.vault_at(static_cast<std::size_t>(vault)).in_fault(t)) return true;
  return steady_grant(c);
}

// A granted call would change nothing: the version in use, the storage
// available or recovering (on_call_succeeded).
bool Simulation::steady_grant(std::uint32_t c) {
  const Cluster& cl = cluster(c);
  const AccessVerdict& verdict = verdict_of(c);
  return verdict.granted && verdict.version == cl.wrapping_version &&
         (cl.storage == StorageState::kAvailable || cl.storage == StorageState::kRecovering);
}

// One call now: wrap, or unwrap when the cached AEK ran out (D3, D4).
void Simulation::kv_call(std::uint32_t c) {
  Cluster& cl = cluster(c);
  const int vault = key_vault_index(c);
  const bool unwrap = now() >= cl.aek_cached_until_ms;  // the cache ran out: unwrap, else wrap
  if (vault >= 0 && graph_.vault_at(static_cast<std::size_t>(vault)).in_fault(now())) {
    // D5: a transient fault fails the call but changes nothing; the cached
    // AEK stays in use for the whole fault.
    kv_log_.count(vault, static_cast<int>(c), now(), unwrap, true);
    return;
  }
  const AccessVerdict verdict = verdict_of(c);
  kv_log_.count(vault, static_cast<int>(c), now(), unwrap, !verdict.granted);
  if (verdict.granted) {
    if (unwrap) cl.aek_cached_until_ms = now() + profile_.aek_cache_ttl_ms;
    on_call_succeeded(c, verdict);
  } else {
    on_call_denied(c);
  }
}

void Simulation::on_call_succeeded(std::uint32_t c, const AccessVerdict& verdict) {
  Cluster& cl = cluster(c);
  if (verdict.version != cl.wrapping_version) {  // R1: picked up at the next call
    cl.wrapping_version = verdict.version;
    record_wrapping_version(cl);
    for (const int w : cl.workspaces) open_segment(world_.workspaces[static_cast<std::size_t>(w)]);
  }
  switch (cl.storage) {
    case StorageState::kRevokePending:  // access came back before the AEK ran out
      incident_of(cl).first_success_ms = now();
      close_incident_averted(c);
      break;
    case StorageState::kUnavailable: start_recovery(c); break;
    case StorageState::kAvailable:
    case StorageState::kRecovering: break;
  }
}

void Simulation::on_call_denied(std::uint32_t c) {
  Cluster& cl = cluster(c);
  if (cl.storage == StorageState::kRecovering) {  // revoked again before the resume
    make_unavailable(c);
    return;
  }
  if (revocation_in_outage_pending(cl)) {  // D13: the outage is over, the revocation is not
    IncidentRow& inc = incident_of(cl);
    if (!inc.first_denied_ms) inc.first_denied_ms = now();
    const TimeMs at = unavailable_moment(cl, inc);
    if (at <= now()) {
      revocation_in_outage_takes_effect(c);
    } else {
      schedule_cluster_timer(EventKind::kAekExpiry, c, at);
    }
    return;
  }
  if (cl.storage != StorageState::kAvailable || cl.incident < 0) return;
  IncidentRow& inc = incident_of(cl);
  inc.first_denied_ms = now();
  log_event("kv_denied", name_of(cl), JsonObject().add_string("reason", inc.cause).str());
  const TimeMs at = unavailable_moment(cl, inc);
  if (at <= now()) {
    make_unavailable(c);
  } else {
    set_storage(c, StorageState::kRevokePending);
    schedule_cluster_timer(EventKind::kAekExpiry, c, at);
  }
}

// D7 (Resolved): the first denied call plus the remaining life of the
// cached AEK, capped at the bound (sampled); the bound itself (latest); the
// first denied call (earliest).
TimeMs Simulation::unavailable_moment(const Cluster& cl, const IncidentRow& inc) const {
  const TimeMs bound = inc.change_ms + profile_.revocation_bound_ms;
  switch (timing_) {
    case Timing::kEarliest: return now();
    case Timing::kLatest: return bound;
    case Timing::kSampled: break;
    case Timing::kBounds: break;  // never reaches the model: run as latest and earliest
  }
  return std::min(std::max(now(), cl.aek_cached_until_ms), bound);
}

void Simulation::on_aek_expiry(std::uint32_t c) {
  Cluster& cl = cluster(c);
  if (revocation_in_outage_pending(cl)) {
    if (!cl.access_granted) revocation_in_outage_takes_effect(c);
    return;
  }
  if (cl.storage != StorageState::kRevokePending) return;
  if (cl.access_granted) {
    // Access came back while the AEK was still cached: the next call
    // unwraps normally, nothing became unavailable.
    incident_of(cl).first_success_ms = now();
    close_incident_averted(c);
  } else {
    make_unavailable(c);
  }
}

void Simulation::on_revocation_deadline(std::uint32_t c) {
  // D7: always within the bound, even if no call was ever denied (the
  // vault may have been unreachable since the change).
  const Cluster& cl = cluster(c);
  if (revocation_in_outage_pending(cl)) {  // D13: bounded by D7 from the change
    if (!cl.access_granted && now() >= record_.incidents[static_cast<std::size_t>(cl.incident)].change_ms +
                                             profile_.revocation_bound_ms) {
      revocation_in_outage_takes_effect(c);
    }
    return;
  }
  if (!cl.access_granted && (cl.storage == StorageState::kAvailable || cl.storage == StorageState::kRevokePending)) {
    make_unavailable(c);
  }
}

void Simulation::make_unavailable(std::uint32_t c) {
  catch_up_cluster_queries(c);
  Cluster& cl = cluster(c);
  IncidentRow& inc = incident_of(cl);
  const double hot_gb = hot_gb_of(cl);
  if (!inc.unavailable_ms) {
    inc.unavailable_ms = now();
    inc.exposure_window_ms = now() - inc.change_ms;
  }
  inc.restored_ms.reset();
  inc.first_success_ms.reset();
  set_storage(c, StorageState::kUnavailable);
  // D8: the SSD hot cache is purged; stored data stays, inaccessible.
  cl.ssd_loaded_from_ms = std::numeric_limits<TimeMs>::max();
  for (const int w : cl.workspaces) world_.workspaces[static_cast<std::size_t>(w)].hot_cache.purge();
  log_event("ssd_purged", name_of(cl), JsonObject().add_number("gb_hot", hot_gb).str());
}

// D10 (Resolved): resume = first successful call + SSD reload time, the
// reload growing with the hot volume, capped at restoration + bound.
void Simulation::start_recovery(std::uint32_t c) {
  catch_up_cluster_queries(c);
  Cluster& cl = cluster(c);
  IncidentRow& inc = incident_of(cl);
  if (!inc.restored_ms) inc.restored_ms = now();
  inc.first_success_ms = now();
  const double hot_gb = hot_gb_of(cl);
  const auto reload_ms = static_cast<DurationMs>(std::ceil(hot_gb / profile_.ssd_reload_gb_per_min * kMsPerMinute));
  const TimeMs resume = std::max(now(), std::min(now() + reload_ms, *inc.restored_ms + profile_.recovery_bound_ms));
  cl.ssd_loaded_from_ms = now() + reload_ms;  // queries after a capped resume read cold storage until then
  set_storage(c, StorageState::kRecovering);
  log_event("ssd_reload", name_of(cl),
            JsonObject().add_number("gb_hot", hot_gb).add_int("reload_ms", reload_ms).add_int("resume_ms", resume).str());
  schedule_cluster_timer(EventKind::kResume, c, resume);
}

void Simulation::on_resume(std::uint32_t c) {
  catch_up_cluster_queries(c);  // failed queries still count against the incident
  Cluster& cl = cluster(c);
  if (!cl.access_granted) {
    make_unavailable(c);
    return;
  }
  IncidentRow& inc = incident_of(cl);
  inc.resumed_ms = now();
  inc.recovery_time_ms = now() - *inc.restored_ms;
  if (cl.outage_row >= 0) {  // D13: the outage under the revocation ends with it
    IncidentRow& outage = record_.incidents[static_cast<std::size_t>(cl.outage_row)];
    outage.resumed_ms = now();
    // D10: the storage could resume only once both the vault answered and access was back
    if (outage.restored_ms) outage.recovery_time_ms = now() - std::max(*outage.restored_ms, *inc.restored_ms);
  }
  cl.incident = -1;
  cl.outage_row = -1;
  cl.buffer_incident = -1;
  cl.outage_incident = false;
  cl.buffering = false;  // D13: the buffered data is written to storage under the CMK
  set_storage(c, StorageState::kAvailable);
}

void Simulation::close_incident_averted(std::uint32_t c) {
  Cluster& cl = cluster(c);
  IncidentRow& inc = incident_of(cl);
  if (!inc.restored_ms) inc.restored_ms = now();
  inc.exposure_window_ms = *inc.restored_ms - inc.change_ms;
  log_event("incident_averted", name_of(cl),
            JsonObject().add_string("cause", inc.cause).add_int("restored_ms", *inc.restored_ms).str());
  cl.incident = -1;
  set_storage(c, StorageState::kAvailable);
}

// After anything that may change a cluster's right to use its key, compare
// the verdict of each candidate cluster with the last one and open or
// restore incidents. The candidates come from the resource graph (which
// clusters does this change touch?): the graph holds every cluster's key
// details and identity, so nothing outside it can change a verdict.
void Simulation::recheck_access(const std::vector<std::uint32_t>& candidates, const std::string& because) {
  for (const std::uint32_t c : candidates) {
    Cluster& cl = cluster(c);
    if (!cl.kv_calls_running) continue;  // no key in use (yet), or deleted
    const AccessVerdict verdict = verdict_of(c);
    if (verdict.granted == cl.access_granted) continue;
    cl.access_granted = verdict.granted;
    if (!verdict.granted) {
      on_access_revoked(c, verdict.reason + " (" + because + ")");
    } else {
      on_access_restored(c);
    }
  }
}

std::vector<std::uint32_t> Simulation::all_clusters() const {
  std::vector<std::uint32_t> out(world_.clusters.size());
  for (std::uint32_t c = 0; c < out.size(); ++c) out[c] = c;
  return out;
}

void Simulation::on_access_revoked(std::uint32_t c, const std::string& cause) {
  Cluster& cl = cluster(c);
  log_event("access_revoked", name_of(cl), JsonObject().add_string("cause", cause).str());
  if (cl.buffering_incident()) {  // D13 (Resolved): its own incident
    open_revocation_in_outage(c, cause);
    return;
  }
  if (cl.incident >= 0) {  // revoked again before the last incident closed
    IncidentRow& inc = incident_of(cl);
    inc.restored_ms.reset();
    inc.first_success_ms.reset();
    return;
  }
  IncidentRow inc;
  inc.cluster = name_of(cl);
  inc.cause = cause;
  inc.change_ms = now();
  cl.incident = static_cast<int>(record_.incidents.size());
  record_.incidents.push_back(inc);
  schedule_cluster_timer(EventKind::kRevocationDeadline, c, now() + profile_.revocation_bound_ms);
}

void Simulation::on_access_restored(std::uint32_t c) {
  Cluster& cl = cluster(c);
  log_event("access_restored", name_of(cl), "{}");
  if (cl.incident < 0) return;
  if (revocation_in_outage_pending(cl)) {
    avert_revocation_in_outage(c);
    return;
  }
  incident_of(cl).restored_ms = now();
  if (cl.storage == StorageState::kAvailable) {
    // Restored before the storage ever saw a denial.
    cl.timer_generation += 1;  // cancels the deadline
    close_incident_averted(c);
  }
}

void Simulation::set_storage(std::uint32_t c, StorageState next) {
  catch_up_cluster_queries(c);  // queries before now saw the old state
  Cluster& cl = cluster(c);
  const bool was_down = cl.storage == StorageState::kUnavailable || cl.storage == StorageState::kRecovering;
  const bool is_down = next == StorageState::kUnavailable || next == StorageState::kRecovering;
  if (is_down && !was_down) cl.unavailable_since_ms = now();
  if (was_down && !is_down) cluster_down_ms_[c] += now() - cl.unavailable_since_ms;
  cl.storage = next;
  cl.timer_generation += 1;
  if (states_.set("cluster", name_of(cl), storage_state_name(next), now())) {
    log_event("state", name_of(cl),
              JsonObject().add_string("subject_kind", "cluster").add_string("state", storage_state_name(next)).str());
  }
  for (const int w : cl.workspaces) refresh_workspace(static_cast<std::uint32_t>(w));
}

// A workspace follows its cluster's storage: unavailable (and dropping
// data, D8, D10) while the storage is unavailable or recovering.
void Simulation::refresh_workspace(std::uint32_t w) {
  Workspace& ws = world_.workspaces[w];
  WorkspaceState next = WorkspaceState::kUnlinked;
  if (deleted(ws)) {
    next = WorkspaceState::kDeleted;  // W3
  } else if (ws.provisioning_loss) {
    next = WorkspaceState::kUnavailable;  // D11
  } else if (ws.cluster >= 0) {
    const StorageState s = world_.clusters[static_cast<std::size_t>(ws.cluster)].storage;
    next = (s == StorageState::kUnavailable || s == StorageState::kRecovering) ? WorkspaceState::kUnavailable
                                                                                : WorkspaceState::kAvailable;
  }
  if (next != ws.state) {
    if (next == WorkspaceState::kUnavailable) ws.unavailable_since_ms = now();
    if (ws.state == WorkspaceState::kUnavailable) ws.unavailable_total_ms += now() - ws.unavailable_since_ms;
    ws.state = next;
    states_.set("workspace", ws.decl.name, workspace_state_name(next), now());
  }
  open_segment(ws);
}

// Opens a new ledger segment when the conditions of arriving data change.
void Simulation::open_segment(Workspace& ws) {
  Segment next;
  if (ws.cluster >= 0) {
    const Cluster& cl = world_.clusters[static_cast<std::size_t>(ws.cluster)];
    next.protection = protection_of(cl);
    next.location = Location::kCluster;
    next.cluster = ws.cluster;
    // D8, D10: dropped while unavailable or recovering; D13: unless buffered;
    // D11: dropped while the cluster is still provisioning
    const bool down = ws.state == WorkspaceState::kUnavailable;
    next.lost = ws.provisioning_loss || (down && !cl.buffering);
    next.buffered = !ws.provisioning_loss && down && cl.buffering;
    next.incident = next.lost && !ws.provisioning_loss ? cl.incident : -1;
    next.buffer_incident = next.buffered ? cl.buffer_incident : -1;
    if (next.lost && revocation_in_outage_pending(cl)) next.incident = cl.outage_row;  // not yet the revocation's
  }
  const WorkspaceInfo& info = resource(ws);
  next.gb_per_day = info.deleted ? 0 : info.rates.back().gb_per_day;  // a deleted workspace ingests nothing (W3)
  if (ws.ledger.is_open() && ws.ledger.current().same_conditions(next)) return;
  ws.ledger.open(now(), next);
}

int Simulation::protection_of(const Cluster& cl) {
  if (!has_cmk(cl) || cl.wrapping_version.empty()) return kMmk;  // no CMK in use (yet): K2
  const std::string name = "cmk:" + config(cl).key->vault + "/" + config(cl).key->key + "/" + cl.wrapping_version;
  for (std::size_t i = 0; i < protections_.size(); ++i) {
    if (protections_[i] == name) return static_cast<int>(i);
  }
  protections_.push_back(name);
  return static_cast<int>(protections_.size() - 1);
}

void Simulation::record_wrapping_version(const Cluster& cl) {
  // R4: which version wraps the AEK over time.
  states_.set("aek", name_of(cl), cl.wrapping_version.empty() ? "none" : cl.wrapping_version, now());
}

// K3, D2: the hot volume is the stored data younger than the hot cache
// period in the cluster's workspaces.
double Simulation::hot_gb_of(const Cluster& cl) const {
  double total = 0;
  for (const int w : cl.workspaces) {
    const auto& ws = world_.workspaces[static_cast<std::size_t>(w)];
    total += ws.ledger.stored_gb_between(now() - profile_.hot_cache_period_ms, now(), now(), Location::kCluster,
                                         static_cast<int>(&cl - world_.clusters.data()));
  }
  return total;
}

void Simulation::on_background_query(std::uint32_t w) {
  Workspace& ws = world_.workspaces[w];
  if (!deleted(ws)) count_query(ws, ws.query_range_ms, now());
  schedule_query(w);
}

// Serves one query at `at` (D2, D8): fails while the workspace is
// unavailable; otherwise its latency depends on whether its whole range is on
// SSD. Returns the latency, or nothing when it failed.
std::optional<DurationMs> Simulation::count_query(Workspace& ws, DurationMs range_ms, TimeMs at, int* blocked_by) {
  // D8: its cluster is unavailable; D12, C5: or its range reaches data left
  // in a cluster that is unavailable or soft-deleted
  const int blocking = ws.state == WorkspaceState::kUnavailable ? ws.cluster : unreadable_cluster_reached(ws, range_ms, at);
  if (blocking < 0) {
    ++ws.queries_ok;
    const bool ssd_loaded =
        ws.cluster < 0 || at >= world_.clusters[static_cast<std::size_t>(ws.cluster)].ssd_loaded_from_ms;
    const bool from_ssd = ws.hot_cache.serve(at, range_ms, profile_.hot_cache_period_ms,
                                             profile_.recent_use_ttl_ms, ssd_loaded);
    const DurationMs latency = from_ssd ? profile_.query_latency_ssd_ms : profile_.query_latency_cold_ms;
    ws.queries_from_ssd += from_ssd ? 1 : 0;
    ws.latencies.add(latency);
    return latency;
  }
  ++ws.queries_failed;
  const Cluster& cl = world_.clusters[static_cast<std::size_t>(blocking)];
  if (cl.incident >= 0) ++record_.incidents[static_cast<std::size_t>(cl.incident)].queries_failed;
  if (blocked_by != nullptr) *blocked_by = blocking;
  return std::nullopt;
}

// Batched background queries: a query whose range lies within the hot
// period changes nothing, and its outcome depends only on the workspace's
// state, its cluster's SSD and open incident. So instead of one engine event
// per query, each such stream is advanced in one loop whenever one of those
// is about to change (and at the end): the same draws, the same outcomes,
// without a heap operation per query. A query at exactly the time of a change
// sees the new state. `until` is exclusive.
void Simulation::catch_up_queries(std::uint32_t w, TimeMs until) {
  Workspace& ws = world_.workspaces[w];
  if (!ws.batched_queries) return;
  const bool gone = deleted(ws);  // changes only at events, never within a catch-up
  while (ws.next_query_ms < until) {
    if (!gone) count_query(ws, ws.query_range_ms, ws.next_query_ms);
    ++batched_queries_processed_;
    ws.next_query_ms += std::max<DurationMs>(1, exponential(ws.rng, ws.query_mean_gap_ms));
  }
}

void Simulation::catch_up_cluster_queries(std::uint32_t c) {
  for (const int w : cluster(c).workspaces) catch_up_queries(static_cast<std::uint32_t>(w), now());
  if (!any_left_data_) return;
  // D12: the workspaces with data left in a cluster see its changes too
  for (std::uint32_t w = 0; w < world_.workspaces.size(); ++w) {
    if (world_.workspaces[w].left_data) catch_up_queries(w, now());
  }
}

void Simulation::catch_up_all_queries(TimeMs until) {
  for (std::uint32_t w = 0; w < world_.workspaces.size(); ++w) catch_up_queries(w, until);
}

OperationResult Simulation::set_ingestion(const EventDecl& e) {
  const int w = world_.workspace_index(e.workspace);
  if (w < 0) return {404, "Workspace '" + e.workspace + "' not found"};
  applied(graph_.set_ingestion(e.workspace, e.gb_per_day.value_or(0), now()));
  open_segment(world_.workspaces[static_cast<std::size_t>(w)]);
  return {};
}

OperationResult Simulation::query(const EventDecl& e) {
  const int w = world_.workspace_index(e.workspace);
  if (w < 0 || deleted(world_.workspaces[static_cast<std::size_t>(w)])) return {404, "Workspace not found"};
  Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
  int blocked_by = -1;
  if (const auto latency = count_query(ws, e.range_ms, now(), &blocked_by)) {
    const bool from_ssd = *latency == profile_.query_latency_ssd_ms;
    return {200, "ok in " + format_duration(*latency) + (from_ssd ? " (SSD hot cache)" : " (cold storage)")};
  }
  if (blocked_by != ws.cluster) {
    const Cluster& holder = cluster(static_cast<std::uint32_t>(blocked_by));
    const bool soft_deleted = holder.lifecycle == Lifecycle::kDeleted;
    return {503, "Query failed: its range reaches data left in cluster '" + name_of(holder) + "', which is " +
                     (soft_deleted ? "soft-deleted (C5, D12)" : "unavailable (D8, D12)")};
  }
  return {503, "Query failed: the cluster's storage cannot use its customer-managed key (D8)"};
}

}  // namespace cmksim::detail
