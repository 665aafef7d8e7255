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
#include "sim/scenario/fault_schedule.h"

namespace cmksim::detail {

void Simulation::start() {
  for (std::size_t i = 0; i < scenario_.events.size(); ++i) {
    engine_.schedule_at(scenario_.events[i].at_ms, Event{EventKind::kScenario, static_cast<std::uint32_t>(i), 0});
  }
  for (const Vertex v : boost::make_iterator_range(boost::vertices(graph_.graph()))) {  // declaration order
    const GraphNode& node = graph_.node(v);
    if (node.kind == NodeKind::kVault) states_.set("vault", node.name, "reachable", 0);
    if (node.kind == NodeKind::kKey) states_.set("key", node.name, key_state_name(graph_.key_info(v)), 0);
  }
  for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) {
    if (has_cmk(cluster(c)) && pinned(*config(cluster(c)).key).version != config(cluster(c)).key->version) {
      graph_.apply_cluster_key(cluster(c).vertex, pinned(*config(cluster(c)).key), 0);  // R1: pinned at the start
    }
    start_cluster(c);
  }
  for (std::uint32_t w = 0; w < world_.workspaces.size(); ++w) start_workspace(w);
  recheck_access(all_clusters(), "initial configuration");
}

// R1, P1: without auto-rotation (the 2020 edition) an empty version names
// the newest enabled version at the moment the key is set.
KeyRef Simulation::pinned(const KeyRef& ref) const {
  if (profile_.auto_rotation || !ref.version.empty()) return ref;
  const auto k = graph_.find(NodeKind::kKey, key_path(ref.vault, ref.key));
  if (!k) return ref;
  const KeyInfo& key = graph_.key_info(*k);
  for (auto it = key.versions.rbegin(); it != key.versions.rend(); ++it) {
    if (graph_.version_info(*it).enabled) return KeyRef{ref.vault, ref.key, graph_.version_info(*it).version};
  }
  return ref;
}

void Simulation::start_cluster(std::uint32_t c) {
  Cluster& cl = cluster(c);
  states_.set("cluster", name_of(cl), storage_state_name(cl.storage), 0);
  states_.set("cluster_provisioning", name_of(cl), lifecycle_name(cl.lifecycle), 0);
  if (has_cmk(cl)) start_kv_calls(c);
}

void Simulation::start_kv_calls(std::uint32_t c) {
  Cluster& cl = cluster(c);
  const AccessVerdict verdict = verdict_of(c);
  cl.access_granted = true;  // a change from here on is a permission change (D6)
  cl.wrapping_version = verdict.granted ? verdict.version : config(cl).key->version;
  record_wrapping_version(cl);
  for (const int w : cl.workspaces) {  // K2: data from now on is under the CMK
    Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
    if (ws.ledger.is_open()) open_segment(ws);  // (at the start, start_workspace opens it)
  }
  // D4: the storage holds an AEK with some of its life left.
  cl.aek_cached_until_ms = now() + uniform_int(cl.rng, 0, profile_.aek_cache_ttl_ms - 1);
  if (cl.kv_calls_running) return;  // already calling (its chain of calls goes on)
  cl.kv_calls_running = true;
  schedule_kv_call(c);
}

void Simulation::start_workspace(std::uint32_t w) {
  Workspace& ws = world_.workspaces[w];
  ws.state = ws.cluster < 0 ? WorkspaceState::kUnlinked : WorkspaceState::kAvailable;
  states_.set("workspace", ws.decl.name, workspace_state_name(ws.state), 0);
  open_existing_data(ws);
  open_segment(ws);
  if (ws.decl.queries_per_hour > 0) {
    // A Poisson stream: exponential gaps of mean 1 h / rate, at least 1 ms.
    ws.query_mean_gap_ms = std::max<DurationMs>(
        1, static_cast<DurationMs>(std::llround(static_cast<double>(kMsPerHour) / ws.decl.queries_per_hour)));
    // Queries within the hot period change nothing: served in batches (see
    // catch_up_queries). Longer ones bring data onto the SSD: one event each.
    ws.batched_queries = ws.query_range_ms <= profile_.hot_cache_period_ms;
    if (ws.batched_queries) {
      ws.next_query_ms = std::max<DurationMs>(1, exponential(ws.rng, ws.query_mean_gap_ms));
    } else {
      schedule_query(w);
    }
  }
}

// Data already in the workspace at the start (K2): ingested at its rate
// over `existing_data` (at most its retention: older data is gone), under
// the MMK before the cluster's CMK was configured and under the CMK after.
void Simulation::open_existing_data(Workspace& ws) {
  const DurationMs span = std::min(ws.decl.existing_data_ms, ws.decl.retention_ms);
  if (span <= 0) return;
  const TimeMs begin = -span;
  Segment existing;
  existing.gb_per_day = resource(ws).rates.back().gb_per_day;
  if (ws.cluster < 0) {
    ws.ledger.open(begin, existing);
  } else {
    const Cluster& cl = world_.clusters[static_cast<std::size_t>(ws.cluster)];
    existing.location = Location::kCluster;
    existing.cluster = ws.cluster;
    const TimeMs cmk_from = has_cmk(cl) ? std::max(begin, -config(cl).key_since_ms) : 0;
    if (cmk_from > begin) ws.ledger.open(begin, existing);
    if (cmk_from < 0) {
      existing.protection = protection_of(cl);
      ws.ledger.open(cmk_from, existing);
    }
  }
  ws.ledger.close(0);
}

void Simulation::dispatch(const Event& e) {
  switch (e.kind) {
    case EventKind::kScenario: on_scenario_event(e.index); break;
    case EventKind::kKvCall:
      if (e.generation == cluster(e.index).kv_chain) on_kv_call(e.index);
      break;
    case EventKind::kRevocationDeadline:
      if (current(e)) on_revocation_deadline(e.index);
      break;
    case EventKind::kAekExpiry:
      if (current(e)) on_aek_expiry(e.index);
      break;
    case EventKind::kResume:
      if (current(e)) on_resume(e.index);
      break;
    case EventKind::kOutageEnd: on_outage_end(e.index); break;
    case EventKind::kQuery: on_background_query(e.index); break;
    case EventKind::kClusterOpDone:
      if (current_op(e)) {
        catch_up_all_queries(now());
        on_cluster_op_done(e.index);
      }
      break;
    case EventKind::kLinkDone:
      catch_up_all_queries(now());
      on_link_done(e.index);
      break;
    case EventKind::kOutageThreshold: on_outage_threshold(e.index); break;
    case EventKind::kLockboxDecision: on_lockbox_decision(e.index); break;
    case EventKind::kBufferExhausted:
      if (current(e)) on_buffer_exhausted(e.index);
      break;
    case EventKind::kClusterPurge:
      catch_up_all_queries(now());
      on_cluster_purge(e.index);
      break;
    case EventKind::kWorkspacePurge:
      catch_up_all_queries(now());
      on_workspace_purge(e.index);
      break;
  }
}

void Simulation::schedule_cluster_timer(EventKind kind, std::uint32_t c, TimeMs at) {
  engine_.schedule_at(std::max(at, now()), Event{kind, c, cluster(c).timer_generation});
}

void Simulation::schedule_kv_call(std::uint32_t c) {
  Cluster& cl = cluster(c);
  engine_.schedule_in(kv_call_gap(cl), Event{EventKind::kKvCall, c, cl.kv_chain});
}

void Simulation::schedule_query(std::uint32_t w) {
  Workspace& ws = world_.workspaces[w];
  const DurationMs gap = std::max<DurationMs>(1, exponential(ws.rng, ws.query_mean_gap_ms));
  engine_.schedule_in(gap, Event{EventKind::kQuery, w, 0});
}

void Simulation::on_scenario_event(std::uint32_t index) {
  catch_up_all_queries(now());  // an event may change any workspace
  const EventDecl& e = scenario_.events[index];
  const ActionInfo& info = action_info(e.action);
  const std::string target = target_of(e);
  const std::vector<std::uint32_t> affected = clusters_affected_by(e);  // before the change
  const OperationResult result = apply(e);  // changes the graph where it accepts
  for (Cluster& cl : world_.clusters) cl.bound.valid = false;  // names may now resolve differently
  OperationRow op;
  op.event_id = e.id.empty() ? "events[" + std::to_string(index) + "]" : e.id;
  op.t_ms = now();
  op.action = info.name;
  op.target = target;
  op.status = result.status;
  op.message = result.message;
  if (!result.asynchronous) op.completed_ms = now();  // asynchronous: completed later
  if (e.from_fault.empty()) {
    log_event(info.name, target,
              JsonObject().add_string("id", op.event_id).add_int("status", result.status).add_string("message", result.message).str());
  } else {  // a realised fault (issue 17): kind `fault`, with its action and process
    log_event("fault", target,
              JsonObject().add_string("id", op.event_id).add_int("status", result.status).add_string("message", result.message)
                  .add_string("action", info.name).add_string("fault", e.from_fault).add_string("process", e.fault_process).str());
  }
  record_.operations.push_back(std::move(op));
  recheck_access(affected, std::string(info.name) + " " + target + " at " + format_duration(now()));
}

std::vector<std::uint32_t> Simulation::clusters_affected_by(const EventDecl& e) const {
  std::vector<std::uint32_t> out;
  for (const std::string& name : graph_.clusters_affected_by(e)) {
    const int c = cluster_index(name);
    if (c >= 0) out.push_back(static_cast<std::uint32_t>(c));
  }
  return out;
}

std::string Simulation::target_of(const EventDecl& e) {
  switch (e.action) {
    case Action::kAddKeyVersion:
    case Action::kDisableKeyVersion:
    case Action::kEnableKeyVersion: return e.vault + "/" + e.key + "/" + e.version;
    case Action::kGrantAccess:
    case Action::kRemoveAccess: return e.identity + "@" + e.vault;
    default: break;
  }
  if (!e.key.empty()) return key_path(e.vault, e.key);
  if (!e.vault.empty()) return e.vault;
  if (!e.cluster.empty()) return e.cluster;
  return e.workspace;
}

OperationResult Simulation::apply(const EventDecl& e) {
  switch (e.action) {
    case Action::kDisableKey:
    case Action::kEnableKey:
    case Action::kDeleteKey:
    case Action::kRecoverKey:
    case Action::kPurgeKey:
    case Action::kExpireKey: return apply_key_action(e);
    case Action::kAddKeyVersion:
    case Action::kDisableKeyVersion:
    case Action::kEnableKeyVersion: return apply_version_action(e);
    case Action::kGrantAccess: return grant_access(e);
    case Action::kRemoveAccess: return remove_access(e);
    case Action::kKvOutage: return kv_outage(e);
    case Action::kSetIngestion: return set_ingestion(e);
    case Action::kQuery: return query(e);
    case Action::kSetIdentity: return set_identity(e);
    case Action::kCreateCluster: return create_cluster(e);
    case Action::kUpdateClusterKey: return update_cluster_key(e);
    case Action::kDeleteCluster: return delete_cluster(e);
    case Action::kSetCapacity: return set_capacity(e);
    case Action::kLinkWorkspace: return link_workspace(e);
    case Action::kUnlinkWorkspace: return unlink_workspace(e);
    case Action::kDeleteWorkspace: return delete_workspace(e);
    case Action::kRestoreWorkspace: return restore_workspace(e);
    case Action::kLinkQueryStorage: return link_query_storage(e);
    case Action::kLockboxRequest: return lockbox_request(e);
    case Action::kSearchJob: return search_job(e);
    case Action::kSupportRestore: return support_restore(e);
    case Action::kSupportRecoverCluster: return support_recover_cluster(e);
  }
  return {500, "unknown action"};  // unreachable: the switch covers every Action
}

void Simulation::log_event(const std::string& kind, const std::string& subject, std::string detail) {
  record_.events.push_back(EventRow{record_.events.size() + 1, now(), kind, subject, std::move(detail)});
}

}  // namespace cmksim::detail

namespace cmksim {

// Fault processes become ordinary events first, from the run's seed (issue 17).
RunRecord run_scenario(const Scenario& scenario, const RunSettings& settings) {
  CMKSIM_CHECK(settings.timing != Timing::kBounds, "timing bounds is run as latest and earliest by the caller (D7)");
  if (scenario.faults.empty()) return detail::Simulation(scenario, settings).run();
  const Scenario realised = with_realised_faults(scenario, settings.seed);
  return detail::Simulation(realised, settings).run();
}

GraphSnapshot graph_snapshot(const Scenario& scenario, const RunSettings& settings, TimeMs at_ms) {
  CMKSIM_CHECK(settings.timing != Timing::kBounds, "timing bounds is run as latest and earliest by the caller (D7)");
  if (scenario.faults.empty()) return detail::Simulation(scenario, settings).snapshot(at_ms);
  const Scenario realised = with_realised_faults(scenario, settings.seed);
  return detail::Simulation(realised, settings).snapshot(at_ms);
}

}  // namespace cmksim
