#include "sim/model/model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/engine/engine.h"
#include "sim/model/kv_call_log.h"
#include "sim/model/state_timeline.h"
#include "sim/model/world.h"
#include "sim/random/distributions.h"

namespace cmksim {
namespace {

// The engine's payload: what happens, to which resource, and the timer
// generation it was scheduled under (a newer generation cancels it).
enum class EventKind : std::uint8_t {
  kScenario,            // index: the scenario event
  kKvCall,              // index: cluster (D3)
  kRevocationDeadline,  // index: cluster (D7: the bound)
  kAekExpiry,           // index: cluster (D7: the cached AEK runs out)
  kResume,              // index: cluster (D10)
  kOutageEnd,           // index: vault (D5)
  kQuery,               // index: workspace (background query)
};

struct Event {
  EventKind kind;
  std::uint32_t index;
  std::uint32_t generation;
};

struct OperationResult {
  int status = 200;
  std::string message = "ok";
};

constexpr int kMmk = 0;  // protection class 0 is always "mmk" (K2)

std::string key_path(const std::string& vault, const std::string& key) { return vault + "/" + key; }

class Simulation {
 public:
  Simulation(const Scenario& scenario, const RunSettings& settings)
      : scenario_(scenario),
        profile_(settings.profile),
        timing_(settings.timing),
        seed_(settings.seed),
        world_(build_world(scenario, settings.seed)),
        states_(record_.states) {
    protections_.push_back("mmk");
  }

  RunRecord run() {
    start();
    engine_.run_until(scenario_.duration_ms, [this](TimeMs, const Event& e) { dispatch(e); });
    finish();
    return std::move(record_);
  }

 private:
  using Cluster = ClusterState;
  using Workspace = WorkspaceRuntime;

  TimeMs now() const { return engine_.now(); }
  Cluster& cluster(std::uint32_t i) { return world_.clusters[i]; }
  IncidentRow& incident_of(const Cluster& c) { return record_.incidents[static_cast<std::size_t>(c.incident)]; }

  // ---- set-up -------------------------------------------------------------

  void start() {
    for (std::size_t i = 0; i < scenario_.events.size(); ++i) {
      engine_.schedule_at(scenario_.events[i].at_ms, Event{EventKind::kScenario, static_cast<std::uint32_t>(i), 0});
    }
    for (const auto& vault : world_.vaults) {
      states_.set("vault", vault.decl.name, "reachable", 0);
      for (const auto& key : vault.keys) states_.set("key", key_path(vault.decl.name, key.name), key.state_name(), 0);
    }
    for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) start_cluster(c);
    for (std::uint32_t w = 0; w < world_.workspaces.size(); ++w) start_workspace(w);
    recheck_access("initial configuration");
  }

  void start_cluster(std::uint32_t c) {
    Cluster& cl = cluster(c);
    states_.set("cluster", cl.decl.name, storage_state_name(cl.storage), 0);
    if (!cl.has_cmk()) return;
    const AccessVerdict verdict = world_.access(cl, profile_.stale_version_revokes);
    cl.wrapping_version = verdict.granted ? verdict.version : cl.decl.key->version;
    record_wrapping_version(cl);
    // D4: at the start the storage holds an AEK with some of its life left.
    cl.aek_cached_until_ms = uniform_int(cl.rng, 0, profile_.aek_cache_ttl_ms - 1);
    schedule_kv_call(c);
  }

  void start_workspace(std::uint32_t w) {
    Workspace& ws = world_.workspaces[w];
    ws.state = ws.cluster < 0 ? WorkspaceState::kUnlinked : WorkspaceState::kAvailable;
    states_.set("workspace", ws.decl.name, workspace_state_name(ws.state), 0);
    open_existing_data(ws);
    open_segment(ws);
    if (ws.decl.queries_per_hour > 0) {
      // A Poisson stream: exponential gaps of mean 1 h / rate, at least 1 ms.
      ws.query_mean_gap_ms = std::max<DurationMs>(
          1, static_cast<DurationMs>(std::llround(static_cast<double>(kMsPerHour) / ws.decl.queries_per_hour)));
      schedule_query(w);
    }
  }

  // Data already in the workspace at the start (K2): ingested at its rate
  // over `existing_data` (at most its retention: older data is gone), under
  // the MMK before the cluster's CMK was configured and under the CMK after.
  void open_existing_data(Workspace& ws) {
    const DurationMs span = std::min(ws.decl.existing_data_ms, ws.decl.retention_ms);
    if (span <= 0) return;
    const TimeMs begin = -span;
    if (ws.cluster < 0) {
      ws.ledger.open(begin, ws.gb_per_day, kMmk, Location::kShared, false, -1);
    } else {
      const Cluster& cl = world_.clusters[static_cast<std::size_t>(ws.cluster)];
      const TimeMs cmk_from = cl.has_cmk() ? std::max(begin, -cl.decl.key_since_ms) : 0;
      if (cmk_from > begin) ws.ledger.open(begin, ws.gb_per_day, kMmk, Location::kCluster, false, -1);
      if (cmk_from < 0) ws.ledger.open(cmk_from, ws.gb_per_day, protection_of(cl), Location::kCluster, false, -1);
    }
    ws.ledger.close(0);
  }

  // ---- dispatch -----------------------------------------------------------

  void dispatch(const Event& e) {
    switch (e.kind) {
      case EventKind::kScenario: on_scenario_event(e.index); break;
      case EventKind::kKvCall: on_kv_call(e.index); break;
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
    }
  }

  bool current(const Event& e) { return cluster(e.index).timer_generation == e.generation; }

  void schedule_cluster_timer(EventKind kind, std::uint32_t c, TimeMs at) {
    engine_.schedule_at(std::max(at, now()), Event{kind, c, cluster(c).timer_generation});
  }

  void schedule_kv_call(std::uint32_t c) {
    Cluster& cl = cluster(c);
    const DurationMs gap = uniform_int(cl.rng, profile_.kv_call_interval_min_ms, profile_.kv_call_interval_max_ms);
    engine_.schedule_in(gap, Event{EventKind::kKvCall, c, 0});
  }

  void schedule_query(std::uint32_t w) {
    Workspace& ws = world_.workspaces[w];
    const DurationMs gap = std::max<DurationMs>(1, exponential(ws.rng, ws.query_mean_gap_ms));
    engine_.schedule_in(gap, Event{EventKind::kQuery, w, 0});
  }

  // ---- Key Vault calls (D3, D4, D5, D7, D10) -------------------------------

  void on_kv_call(std::uint32_t c) {
    Cluster& cl = cluster(c);
    schedule_kv_call(c);
    const int vault = vault_index(cl.decl.key->vault);
    const bool unwrap = now() >= cl.aek_cached_until_ms;  // the cache ran out: unwrap, else wrap
    if (vault >= 0 && world_.vaults[static_cast<std::size_t>(vault)].in_fault(now())) {
      // D5: a transient fault fails the call but changes nothing; the cached
      // AEK stays in use for the whole fault.
      kv_log_.count(vault, static_cast<int>(c), now(), unwrap, true);
      return;
    }
    const AccessVerdict verdict = world_.access(cl, profile_.stale_version_revokes);
    kv_log_.count(vault, static_cast<int>(c), now(), unwrap, !verdict.granted);
    if (verdict.granted) {
      if (unwrap) cl.aek_cached_until_ms = now() + profile_.aek_cache_ttl_ms;
      on_call_succeeded(c, verdict);
    } else {
      on_call_denied(c);
    }
  }

  void on_call_succeeded(std::uint32_t c, const AccessVerdict& verdict) {
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

  void on_call_denied(std::uint32_t c) {
    Cluster& cl = cluster(c);
    if (cl.storage == StorageState::kRecovering) {  // revoked again before the resume
      make_unavailable(c);
      return;
    }
    if (cl.storage != StorageState::kAvailable || cl.incident < 0) return;
    IncidentRow& inc = incident_of(cl);
    inc.first_denied_ms = now();
    log_event("kv_denied", cl.decl.name, JsonObject().add_string("reason", inc.cause).str());
    const TimeMs at = unavailable_moment(cl, inc);
    if (at <= now()) {
      make_unavailable(c);
    } else {
      set_storage(c, StorageState::kRevokePending);
      schedule_cluster_timer(EventKind::kAekExpiry, c, at);
    }
  }

  // D7 (Resolved): the first denied call plus the remaining life of the
  // cached AEK, capped at the bound (sampled); the bound itself (worst); the
  // first denied call (best).
  TimeMs unavailable_moment(const Cluster& cl, const IncidentRow& inc) const {
    const TimeMs bound = inc.change_ms + profile_.revocation_bound_ms;
    switch (timing_) {
      case Timing::kBest: return now();
      case Timing::kWorst: return bound;
      case Timing::kSampled: break;
    }
    return std::min(std::max(now(), cl.aek_cached_until_ms), bound);
  }

  void on_aek_expiry(std::uint32_t c) {
    Cluster& cl = cluster(c);
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

  void on_revocation_deadline(std::uint32_t c) {
    // D7: always within the bound, even if no call was ever denied (the
    // vault may have been unreachable since the change).
    const Cluster& cl = cluster(c);
    if (!cl.access_granted && (cl.storage == StorageState::kAvailable || cl.storage == StorageState::kRevokePending)) {
      make_unavailable(c);
    }
  }

  void make_unavailable(std::uint32_t c) {
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
    log_event("ssd_purged", cl.decl.name, JsonObject().add_number("gb_hot", hot_gb).str());
  }

  // D10 (Resolved): resume = first successful call + SSD reload time, the
  // reload growing with the hot volume, capped at restoration + bound.
  void start_recovery(std::uint32_t c) {
    Cluster& cl = cluster(c);
    IncidentRow& inc = incident_of(cl);
    if (!inc.restored_ms) inc.restored_ms = now();
    inc.first_success_ms = now();
    const double hot_gb = hot_gb_of(cl);
    const auto reload_ms = static_cast<DurationMs>(std::ceil(hot_gb / profile_.ssd_reload_gb_per_min * kMsPerMinute));
    const TimeMs resume = std::max(now(), std::min(now() + reload_ms, *inc.restored_ms + profile_.recovery_bound_ms));
    cl.ssd_loaded_from_ms = now() + reload_ms;  // queries after a capped resume read cold storage until then
    set_storage(c, StorageState::kRecovering);
    log_event("ssd_reload", cl.decl.name,
              JsonObject().add_number("gb_hot", hot_gb).add_int("reload_ms", reload_ms).add_int("resume_ms", resume).str());
    schedule_cluster_timer(EventKind::kResume, c, resume);
  }

  void on_resume(std::uint32_t c) {
    Cluster& cl = cluster(c);
    if (!cl.access_granted) {
      make_unavailable(c);
      return;
    }
    IncidentRow& inc = incident_of(cl);
    inc.resumed_ms = now();
    inc.recovery_time_ms = now() - *inc.restored_ms;
    cl.incident = -1;
    set_storage(c, StorageState::kAvailable);
  }

  void close_incident_averted(std::uint32_t c) {
    Cluster& cl = cluster(c);
    IncidentRow& inc = incident_of(cl);
    if (!inc.restored_ms) inc.restored_ms = now();
    inc.exposure_window_ms = *inc.restored_ms - inc.change_ms;
    log_event("incident_averted", cl.decl.name,
              JsonObject().add_string("cause", inc.cause).add_int("restored_ms", *inc.restored_ms).str());
    cl.incident = -1;
    set_storage(c, StorageState::kAvailable);
  }

  // ---- D6: permission changes -------------------------------------------

  // After anything that may change a cluster's right to use its key, compare
  // each cluster's verdict with the last one and open or restore incidents.
  void recheck_access(const std::string& because) {
    for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) {
      Cluster& cl = cluster(c);
      if (!cl.has_cmk()) continue;
      const AccessVerdict verdict = world_.access(cl, profile_.stale_version_revokes);
      if (verdict.granted == cl.access_granted) continue;
      cl.access_granted = verdict.granted;
      if (!verdict.granted) {
        on_access_revoked(c, verdict.reason + " (" + because + ")");
      } else {
        on_access_restored(c);
      }
    }
  }

  void on_access_revoked(std::uint32_t c, const std::string& cause) {
    Cluster& cl = cluster(c);
    log_event("access_revoked", cl.decl.name, JsonObject().add_string("cause", cause).str());
    if (cl.incident >= 0) {  // revoked again before the last incident closed
      IncidentRow& inc = incident_of(cl);
      inc.restored_ms.reset();
      inc.first_success_ms.reset();
      return;
    }
    IncidentRow inc;
    inc.cluster = cl.decl.name;
    inc.cause = cause;
    inc.change_ms = now();
    cl.incident = static_cast<int>(record_.incidents.size());
    record_.incidents.push_back(inc);
    schedule_cluster_timer(EventKind::kRevocationDeadline, c, now() + profile_.revocation_bound_ms);
  }

  void on_access_restored(std::uint32_t c) {
    Cluster& cl = cluster(c);
    log_event("access_restored", cl.decl.name, "{}");
    if (cl.incident < 0) return;
    incident_of(cl).restored_ms = now();
    if (cl.storage == StorageState::kAvailable) {
      // Restored before the storage ever saw a denial.
      cl.timer_generation += 1;  // cancels the deadline
      close_incident_averted(c);
    }
  }

  // ---- state changes --------------------------------------------------------

  void set_storage(std::uint32_t c, StorageState next) {
    Cluster& cl = cluster(c);
    const bool was_down = cl.storage == StorageState::kUnavailable || cl.storage == StorageState::kRecovering;
    const bool is_down = next == StorageState::kUnavailable || next == StorageState::kRecovering;
    if (is_down && !was_down) cl.unavailable_since_ms = now();
    if (was_down && !is_down) cluster_down_ms_[c] += now() - cl.unavailable_since_ms;
    cl.storage = next;
    cl.timer_generation += 1;
    if (states_.set("cluster", cl.decl.name, storage_state_name(next), now())) {
      log_event("state", cl.decl.name,
                JsonObject().add_string("subject_kind", "cluster").add_string("state", storage_state_name(next)).str());
    }
    for (const int w : cl.workspaces) refresh_workspace(static_cast<std::uint32_t>(w));
  }

  // A workspace follows its cluster's storage: unavailable (and dropping
  // data, D8, D10) while the storage is unavailable or recovering.
  void refresh_workspace(std::uint32_t w) {
    Workspace& ws = world_.workspaces[w];
    WorkspaceState next = WorkspaceState::kUnlinked;
    if (ws.cluster >= 0) {
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
  void open_segment(Workspace& ws) {
    int protection = kMmk;
    Location location = Location::kShared;
    bool lost = false;
    int incident = -1;
    if (ws.cluster >= 0) {
      const Cluster& cl = world_.clusters[static_cast<std::size_t>(ws.cluster)];
      protection = protection_of(cl);
      location = Location::kCluster;
      lost = ws.state == WorkspaceState::kUnavailable;
      incident = lost ? cl.incident : -1;
    }
    if (ws.ledger.is_open()) {
      const Segment& s = ws.ledger.current();
      if (s.gb_per_day == ws.gb_per_day && s.protection == protection && s.location == location && s.lost == lost &&
          s.incident == incident) {
        return;
      }
    }
    ws.ledger.open(now(), ws.gb_per_day, protection, location, lost, incident);
  }

  int protection_of(const Cluster& cl) {
    if (!cl.has_cmk()) return kMmk;
    const std::string name = "cmk:" + cl.decl.key->vault + "/" + cl.decl.key->key + "/" + cl.wrapping_version;
    for (std::size_t i = 0; i < protections_.size(); ++i) {
      if (protections_[i] == name) return static_cast<int>(i);
    }
    protections_.push_back(name);
    return static_cast<int>(protections_.size() - 1);
  }

  void record_wrapping_version(const Cluster& cl) {
    // R4: which version wraps the AEK over time.
    states_.set("aek", cl.decl.name, cl.wrapping_version.empty() ? "none" : cl.wrapping_version, now());
  }

  // K3, D2: the hot volume is the stored data younger than the hot cache
  // period in the cluster's workspaces.
  double hot_gb_of(const Cluster& cl) const {
    double total = 0;
    for (const int w : cl.workspaces) {
      const auto& ws = world_.workspaces[static_cast<std::size_t>(w)];
      total += ws.ledger.stored_gb_between(now() - profile_.hot_cache_period_ms, now(), now(), Location::kCluster);
    }
    return total;
  }

  // ---- queries (D8) ---------------------------------------------------------

  void on_background_query(std::uint32_t w) {
    Workspace& ws = world_.workspaces[w];
    count_query(ws, ws.decl.query_range_ms);
    schedule_query(w);
  }

  // Serves one query (D2, D8): fails while the workspace is unavailable;
  // otherwise its latency depends on whether its whole range is on SSD.
  // Returns the latency, or nothing when it failed.
  std::optional<DurationMs> count_query(Workspace& ws, DurationMs range_ms) {
    const bool ok = ws.state != WorkspaceState::kUnavailable;
    if (ok) {
      ++ws.queries_ok;
      const bool ssd_loaded =
          ws.cluster < 0 || now() >= world_.clusters[static_cast<std::size_t>(ws.cluster)].ssd_loaded_from_ms;
      const bool from_ssd = ws.hot_cache.serve(now(), range_ms, profile_.hot_cache_period_ms,
                                               profile_.recent_use_ttl_ms, ssd_loaded);
      const DurationMs latency = from_ssd ? profile_.query_latency_ssd_ms : profile_.query_latency_cold_ms;
      ws.queries_from_ssd += from_ssd ? 1 : 0;
      ws.latencies.add(latency);
      return latency;
    } else {
      ++ws.queries_failed;
      const Cluster& cl = world_.clusters[static_cast<std::size_t>(ws.cluster)];
      if (cl.incident >= 0) ++record_.incidents[static_cast<std::size_t>(cl.incident)].queries_failed;
    }
    return std::nullopt;
  }

  // ---- scenario events ----------------------------------------------------

  void on_scenario_event(std::uint32_t index) {
    const EventDecl& e = scenario_.events[index];
    const ActionInfo& info = action_info(e.action);
    const std::string target = target_of(e);
    const OperationResult result = apply(e);
    OperationRow op;
    op.event_id = e.id.empty() ? "events[" + std::to_string(index) + "]" : e.id;
    op.t_ms = now();
    op.action = info.name;
    op.target = target;
    op.status = result.status;
    op.message = result.message;
    if (result.status != 501) op.completed_ms = now();
    log_event(info.name, target,
              JsonObject().add_string("id", op.event_id).add_int("status", result.status).add_string("message", result.message).str());
    record_.operations.push_back(std::move(op));
    recheck_access(std::string(info.name) + " " + target + " at " + format_duration(now()));
  }

  static std::string target_of(const EventDecl& e) {
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

  OperationResult apply(const EventDecl& e) {
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
      case Action::kSupportRestore: return support_restore(e);
      default: break;
    }
    return {501, std::string("not modelled yet: ") + action_info(e.action).name + " (" +
                     action_info(e.action).behaviours + ") comes in a later version of cmksim"};
  }

  OperationResult apply_key_action(const EventDecl& e) {
    VaultState* vault = world_.find_vault(e.vault);
    if (vault == nullptr) return {404, "Vault '" + e.vault + "' not found"};
    KeyState* key = vault->find_key(e.key);
    if (key == nullptr) return {404, "Key '" + e.key + "' not found in vault '" + e.vault + "'"};
    const bool deleted = key->deleted;
    switch (e.action) {
      case Action::kDisableKey:
        if (deleted) return {404, "Key '" + e.key + "' is deleted"};
        key->enabled = false;
        break;
      case Action::kEnableKey:
        if (deleted) return {404, "Key '" + e.key + "' is deleted"};
        key->enabled = true;
        break;
      case Action::kExpireKey:
        if (deleted) return {404, "Key '" + e.key + "' is deleted"};
        key->expired = true;
        break;
      case Action::kDeleteKey:
        if (deleted) return {404, "Key '" + e.key + "' is deleted"};
        // Without soft delete a deletion is final (C2: such a vault's key is
        // "not recoverable").
        if (vault->decl.soft_delete) key->deleted = true; else key->purged = true;
        break;
      case Action::kRecoverKey:
        if (!deleted) return {409, "Key '" + e.key + "' is not deleted"};
        key->deleted = false;
        break;
      case Action::kPurgeKey:
        if (!deleted) return {409, "Key '" + e.key + "' is not deleted"};
        if (vault->decl.purge_protection) {
          return {403, "Operation 'purge' is not allowed because purge protection is enabled for this vault"};
        }
        key->purged = true;
        break;
      default: break;
    }
    states_.set("key", key_path(e.vault, e.key), key->state_name(), now());
    return {};
  }

  OperationResult apply_version_action(const EventDecl& e) {
    VaultState* vault = world_.find_vault(e.vault);
    if (vault == nullptr) return {404, "Vault '" + e.vault + "' not found"};
    KeyState* key = vault->find_key(e.key);
    if (key == nullptr || key->deleted) return {404, "Key '" + e.key + "' not found in vault '" + e.vault + "'"};
    auto version = std::find_if(key->versions.begin(), key->versions.end(),
                                [&](const KeyVersionState& v) { return v.name == e.version; });
    if (e.action == Action::kAddKeyVersion) {
      if (version != key->versions.end()) return {409, "Key version '" + e.version + "' already exists"};
      key->versions.push_back({e.version, true});
      return {};
    }
    if (version == key->versions.end()) return {404, "Key version '" + e.version + "' not found"};
    version->enabled = e.action == Action::kEnableKeyVersion;
    return {};
  }

  // An identity is "cluster:NAME" (a cluster's system-assigned identity) or a
  // user-assigned identity's name.
  bool identity_exists(const std::string& identity) const {
    if (identity.rfind("cluster:", 0) == 0) {
      const int c = world_.cluster_index(identity.substr(8));
      return c >= 0 && world_.clusters[static_cast<std::size_t>(c)].decl.identity.kind ==
                           IdentitySpec::Kind::kSystemAssigned;
    }
    return std::any_of(scenario_.identities.begin(), scenario_.identities.end(),
                       [&](const IdentityDecl& d) { return d.name == identity; });
  }

  OperationResult grant_access(const EventDecl& e) {
    VaultState* vault = world_.find_vault(e.vault);
    if (vault == nullptr) return {404, "Vault '" + e.vault + "' not found"};
    if (!identity_exists(e.identity)) return {400, "Principal '" + e.identity + "' does not exist"};
    const std::uint8_t permissions = e.permissions.value_or(kAllPermissions);
    for (auto& grant : vault->grants) {
      if (grant.identity == e.identity) {
        grant.permissions = permissions;
        return {};
      }
    }
    vault->grants.push_back({e.identity, permissions});
    return {};
  }

  OperationResult remove_access(const EventDecl& e) {
    VaultState* vault = world_.find_vault(e.vault);
    if (vault == nullptr) return {404, "Vault '" + e.vault + "' not found"};
    auto it = std::find_if(vault->grants.begin(), vault->grants.end(),
                           [&](const GrantState& g) { return g.identity == e.identity; });
    if (it == vault->grants.end()) return {404, "No access granted to '" + e.identity + "' on vault '" + e.vault + "'"};
    vault->grants.erase(it);
    return {};
  }

  // C6: identity changes take effect at the event's time. `none` revokes
  // access (D6) and only a support request (support_restore) undoes it.
  OperationResult set_identity(const EventDecl& e) {
    const int c = world_.cluster_index(e.cluster);
    if (c < 0) return {404, "Cluster not found"};
    Cluster& cl = cluster(static_cast<std::uint32_t>(c));
    const auto next = parse_identity_spec(e.identity);
    if (!next) return {400, "Identity is null or empty"};
    const IdentitySpec& now_identity = cl.decl.identity;
    if (now_identity.kind == IdentitySpec::Kind::kNone) {
      return {400, "The cluster's identity was set to none; only a support request (support_restore) can restore it"};
    }
    if (next->kind == IdentitySpec::Kind::kUserAssigned) {
      const bool exists = std::any_of(scenario_.identities.begin(), scenario_.identities.end(),
                                      [&](const IdentityDecl& d) { return d.name == next->user_assigned; });
      if (!exists) return {400, "User-assigned identity '" + next->user_assigned + "' not found"};
      const VaultState* vault = cl.has_cmk() ? world_.find_vault(cl.decl.key->vault) : nullptr;
      if (vault != nullptr && vault->decl.private_link) {
        return {400, "A user-assigned identity cannot reach a Key Vault behind Private Link"};
      }
    }
    if (now_identity.kind == IdentitySpec::Kind::kUserAssigned && next->kind == IdentitySpec::Kind::kSystemAssigned &&
        cl.has_cmk()) {
      return {400, "Remove the key details before changing the identity from user-assigned to system-assigned"};
    }
    if (next->kind == IdentitySpec::Kind::kNone) cl.identity_before_none = now_identity;
    cl.decl.identity = *next;
    return {};
  }

  OperationResult support_restore(const EventDecl& e) {
    const int c = world_.cluster_index(e.cluster);
    if (c < 0) return {404, "Cluster not found"};
    Cluster& cl = cluster(static_cast<std::uint32_t>(c));
    if (cl.decl.identity.kind != IdentitySpec::Kind::kNone || !cl.identity_before_none) {
      return {409, "Nothing to restore: the cluster's identity was not set to none"};
    }
    cl.decl.identity = *cl.identity_before_none;  // with its grants, which were never removed
    cl.identity_before_none.reset();
    return {};
  }

  OperationResult kv_outage(const EventDecl& e) {
    const int v = vault_index(e.vault);
    if (v < 0) return {404, "Vault '" + e.vault + "' not found"};
    VaultState& vault = world_.vaults[static_cast<std::size_t>(v)];
    vault.fault_until_ms = std::max(vault.fault_until_ms, now() + e.for_ms);
    vault.fault = e.fault;
    if (e.for_ms > 0) {
      states_.set("vault", vault.decl.name, "fault", now());
      engine_.schedule_at(vault.fault_until_ms, Event{EventKind::kOutageEnd, static_cast<std::uint32_t>(v), 0});
    }
    return {200, "vault unreachable (" + e.fault + ") for " + format_duration(e.for_ms)};
  }

  void on_outage_end(std::uint32_t v) {
    VaultState& vault = world_.vaults[v];
    if (vault.in_fault(now())) return;  // extended by a later outage
    states_.set("vault", vault.decl.name, "reachable", now());
  }

  OperationResult set_ingestion(const EventDecl& e) {
    const int w = world_.workspace_index(e.workspace);
    if (w < 0) return {404, "Workspace '" + e.workspace + "' not found"};
    Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
    ws.gb_per_day = e.gb_per_day.value_or(0);
    open_segment(ws);
    return {};
  }

  OperationResult query(const EventDecl& e) {
    const int w = world_.workspace_index(e.workspace);
    if (w < 0) return {404, "Workspace '" + e.workspace + "' not found"};
    Workspace& ws = world_.workspaces[static_cast<std::size_t>(w)];
    if (const auto latency = count_query(ws, e.range_ms)) {
      const bool from_ssd = *latency == profile_.query_latency_ssd_ms;
      return {200, "ok in " + format_duration(*latency) + (from_ssd ? " (SSD hot cache)" : " (cold storage)")};
    }
    return {503, "Query failed: the cluster's storage cannot use its customer-managed key (D8)"};
  }

  int vault_index(const std::string& name) const {
    for (std::size_t i = 0; i < world_.vaults.size(); ++i) {
      if (world_.vaults[i].decl.name == name) return static_cast<int>(i);
    }
    return -1;
  }

  void log_event(const std::string& kind, const std::string& subject, std::string detail) {
    record_.events.push_back(EventRow{record_.events.size() + 1, now(), kind, subject, std::move(detail)});
  }

  // ---- results ------------------------------------------------------------

  void finish() {
    const TimeMs end = scenario_.duration_ms;
    for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) {
      const Cluster& cl = cluster(c);
      if (cl.storage == StorageState::kUnavailable || cl.storage == StorageState::kRecovering) {
        cluster_down_ms_[c] += end - cl.unavailable_since_ms;
      }
    }
    for (auto& ws : world_.workspaces) {
      ws.ledger.close(end);
      if (ws.state == WorkspaceState::kUnavailable) ws.unavailable_total_ms += end - ws.unavailable_since_ms;
    }
    states_.close_all(end);
    record_data_and_losses(end);
    record_metrics();
    record_kv_calls();
    RunInfo& run = record_.run;
    run.scenario = scenario_.name;
    run.scenario_file = scenario_.file;
    run.scenario_sha256 = scenario_.source_sha256;
    run.seed = seed_;
    run.profile = profile_.name;
    run.timing = timing_name(timing_);
    run.params_json = params_json(profile_);
    run.duration_ms = end;
    run.events_processed = engine_.processed();
    run.cmksim_version = CMKSIM_VERSION;
    run.description = scenario_.description;
  }

  void record_data_and_losses(TimeMs end) {
    for (auto& ws : world_.workspaces) {
      // one row per (protection, location), in protection order
      std::map<std::pair<std::string, int>, DataRow> rows;
      std::vector<double> lost_by_incident(record_.incidents.size(), 0.0);
      for (const Segment& s : ws.ledger.segments()) {
        const SegmentFate f = ws.ledger.fate(s, end);
        const std::string& protection = protections_[static_cast<std::size_t>(s.protection)];
        DataRow& row = rows[{protection, static_cast<int>(s.location)}];
        row.gb_ingested += f.gb_ingested;
        row.gb_lost += f.gb_lost;
        row.gb_purged += f.gb_purged;
        row.gb_at_end += f.gb_at_end;
        if (s.lost && s.incident >= 0) lost_by_incident[static_cast<std::size_t>(s.incident)] += f.gb_lost;
      }
      SegmentFate& t = totals_[ws.decl.name];
      for (auto& [key, row] : rows) {
        row.workspace = ws.decl.name;
        row.protection = key.first;
        row.location = key.second == static_cast<int>(Location::kCluster) ? "cluster" : "shared";
        t.gb_ingested += row.gb_ingested;
        t.gb_lost += row.gb_lost;
        t.gb_purged += row.gb_purged;
        t.gb_at_end += row.gb_at_end;
        record_.data.push_back(row);
      }
      for (std::size_t i = 0; i < lost_by_incident.size(); ++i) {
        if (lost_by_incident[i] <= 0) continue;
        record_.incidents[i].gb_lost += lost_by_incident[i];
        record_.incidents[i].gb_lost_by_workspace.emplace_back(ws.decl.name, lost_by_incident[i]);
      }
    }
  }

  void metric(const char* kind, const std::string& subject, const char* name, double value, const char* unit) {
    record_.metrics.push_back(MetricRow{kind, subject, name, value, unit});
  }

  void record_metrics() {
    const TimeMs end = scenario_.duration_ms;
    for (const auto& ws : world_.workspaces) {
      const SegmentFate& t = totals_[ws.decl.name];
      const std::string& name = ws.decl.name;
      metric("workspace", name, "gb_ingested", t.gb_ingested, "GB");
      metric("workspace", name, "gb_lost", t.gb_lost, "GB");
      metric("workspace", name, "gb_purged", t.gb_purged, "GB");
      metric("workspace", name, "gb_at_end", t.gb_at_end, "GB");
      metric("workspace", name, "gb_inaccessible_at_end", ws.state == WorkspaceState::kUnavailable ? t.gb_at_end : 0, "GB");
      metric("workspace", name, "gb_hot",
             ws.ledger.stored_gb_between(end - profile_.hot_cache_period_ms, end, end, Location::kCluster), "GB");
      metric("workspace", name, "queries_ok", static_cast<double>(ws.queries_ok), "count");
      metric("workspace", name, "queries_failed", static_cast<double>(ws.queries_failed), "count");
      metric("workspace", name, "unavailable_s", static_cast<double>(ws.unavailable_total_ms) / 1000.0, "s");
      metric("workspace", name, "queries_from_ssd", static_cast<double>(ws.queries_from_ssd), "count");
      if (ws.latencies.total() > 0) {  // D2
        for (const int p : {50, 95, 99, 100}) {
          const std::string label = p == 100 ? "query_latency_max" : "query_latency_p" + std::to_string(p);
          metric("workspace", name, label.c_str(), static_cast<double>(ws.latencies.percentile(p)) / 1000.0, "s");
        }
      }
    }
    for (std::uint32_t c = 0; c < world_.clusters.size(); ++c) {
      const Cluster& cl = cluster(c);
      std::uint64_t calls = 0, failed = 0;
      for (const auto& [key, counts] : kv_log_.buckets()) {
        if (std::get<1>(key) != static_cast<int>(c)) continue;
        calls += counts.wraps + counts.unwraps;
        failed += counts.failed;
      }
      std::optional<DurationMs> exposure, recovery;
      int incidents = 0;
      double lost = 0;
      for (const auto& inc : record_.incidents) {
        if (inc.cluster != cl.decl.name) continue;
        ++incidents;
        lost += inc.gb_lost;
        if (inc.exposure_window_ms) exposure = std::max(exposure.value_or(0), *inc.exposure_window_ms);
        if (inc.recovery_time_ms) recovery = std::max(recovery.value_or(0), *inc.recovery_time_ms);
      }
      metric("cluster", cl.decl.name, "kv_calls", static_cast<double>(calls), "count");
      metric("cluster", cl.decl.name, "kv_calls_failed", static_cast<double>(failed), "count");
      metric("cluster", cl.decl.name, "unavailable_s", static_cast<double>(cluster_down_ms_[c]) / 1000.0, "s");
      metric("cluster", cl.decl.name, "incidents", incidents, "count");
      metric("cluster", cl.decl.name, "gb_lost", lost, "GB");
      if (exposure) metric("cluster", cl.decl.name, "exposure_window", static_cast<double>(*exposure) / 1000.0, "s");
      if (recovery) metric("cluster", cl.decl.name, "recovery_time", static_cast<double>(*recovery) / 1000.0, "s");
    }
    for (std::size_t v = 0; v < world_.vaults.size(); ++v) {
      std::uint64_t calls = 0, failed = 0;
      for (const auto& [key, counts] : kv_log_.buckets()) {
        if (std::get<0>(key) != static_cast<int>(v)) continue;
        calls += counts.wraps + counts.unwraps;
        failed += counts.failed;
      }
      metric("vault", world_.vaults[v].decl.name, "kv_calls", static_cast<double>(calls), "count");
      metric("vault", world_.vaults[v].decl.name, "kv_calls_failed", static_cast<double>(failed), "count");
    }
  }

  void record_kv_calls() {
    for (const auto& [key, counts] : kv_log_.buckets()) {
      const auto& [v, c, hour] = key;
      KvCallRow row;
      row.vault = v >= 0 ? world_.vaults[static_cast<std::size_t>(v)].decl.name : "";
      row.cluster = world_.clusters[static_cast<std::size_t>(c)].decl.name;
      row.hour = hour;
      row.wraps = counts.wraps;
      row.unwraps = counts.unwraps;
      row.failed = counts.failed;
      record_.kv_calls.push_back(row);
    }
  }

  const Scenario& scenario_;
  const Profile profile_;
  const Timing timing_;
  const std::uint64_t seed_;
  World world_;
  RunRecord record_;
  StateTimeline states_;
  Engine<Event> engine_;
  KvCallLog kv_log_;
  std::vector<std::string> protections_;
  std::map<std::uint32_t, DurationMs> cluster_down_ms_;
  std::map<std::string, SegmentFate> totals_;
};

}  // namespace

RunRecord run_scenario(const Scenario& scenario, const RunSettings& settings) {
  return Simulation(scenario, settings).run();
}

}  // namespace cmksim
