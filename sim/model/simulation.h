// Simulation: the internals of run_scenario(), shared by the files that
// implement it. Not part of the model's interface (model.h): one Simulation
// runs one scenario once; its member functions are grouped by concern, one
// file per group, as the comments below say.
// Ownership: the graph (graph_) holds every resource's configuration,
// clusters' included (read by vertex through config()); world_ holds only
// run-time state. A change the model accepts is made in the graph then.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/check.h"
#include "sim/core/status.h"
#include "sim/engine/engine.h"
#include "sim/graph/impact.h"
#include "sim/graph/resource_graph.h"
#include "sim/model/kv_call_log.h"
#include "sim/model/model.h"
#include "sim/model/state_timeline.h"
#include "sim/model/world.h"
#include "sim/random/distributions.h"

namespace cmksim::detail {

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
  kClusterOpDone,       // index: cluster; generation: its op_generation (C1, C2, C5)
  kLinkDone,            // index: workspace (W1, W3)
  kOutageThreshold,     // index: vault (D13: the outage has lasted long enough)
  kBufferExhausted,     // index: cluster (D13: the MMK buffer is full)
  kClusterPurge,        // index: cluster (C5: its soft delete is over)
  kWorkspacePurge,      // index: workspace (W3: its soft delete is over)
  kLockboxDecision,     // index: the operations row of a lockbox_request (L1)
};

struct Event {
  EventKind kind;
  std::uint32_t index;
  std::uint32_t generation;
};

struct OperationResult {
  int status = 200;
  std::string message = "ok";
  bool asynchronous = false;  // accepted, completes later (202, or 200 under P1's 2020 edition)
};

constexpr int kMmk = 0;  // protection class 0 is always "mmk" (K2)


inline std::string key_path(const std::string& vault, const std::string& key) { return vault + "/" + key; }

class Simulation {
 public:
  Simulation(const Scenario& scenario, const RunSettings& settings)
      : scenario_(scenario),
        profile_(settings.profile),
        timing_(settings.timing),
        seed_(settings.seed),
        inline_kv_calls_(settings.inline_kv_calls),
        record_timelines_(settings.record_timelines),
        kv_call_gap_(settings.profile.kv_call_interval_min_ms, settings.profile.kv_call_interval_max_ms),
        graph_(scenario),
        world_(build_world(scenario, settings.seed, graph_)),
        states_(record_.states) {
    protections_.push_back("mmk");
  }

  RunRecord run() {
    start_impacts_ = impact_of_every_key(graph_);  // the run's graph before any event
    start();
    engine_.run_until(scenario_.duration_ms, [this](TimeMs, const Event& e) { dispatch(e); });
    finish();
    return std::move(record_);
  }

  // The run up to `at_ms` (events at it included), then its graph.
  GraphSnapshot snapshot(TimeMs at_ms) {
    start();
    engine_.run_until(at_ms, [this](TimeMs, const Event& e) { dispatch(e); });
    graph_.advance_to(at_ms);  // Key Vault faults over by then end, retention purges (D9)
    return {std::move(graph_), std::move(record_.operations)};
  }

 private:
  using Cluster = ClusterState;
  using Workspace = WorkspaceRuntime;

  TimeMs now() const { return engine_.now(); }
  Cluster& cluster(std::uint32_t i) { return world_.clusters[i]; }
  // A cluster's configuration and name: the graph's, by its vertex.
  const ClusterInfo& config(const Cluster& cl) const { return graph_.cluster_info(cl.vertex); }
  const std::string& name_of(const Cluster& cl) const { return graph_.node(cl.vertex).name; }
  bool has_cmk(const Cluster& cl) const { return config(cl).key.has_value(); }
  int cluster_index(const std::string& name) const { return world_.cluster_index(graph_, name); }
  // A workspace as a resource (deleted, its ingestion rate, links): the
  // graph's, at the same index as world_.workspaces.
  const WorkspaceInfo& resource(const Workspace& ws) const {
    return graph_.workspace_at(static_cast<std::size_t>(&ws - world_.workspaces.data()));
  }
  bool deleted(const Workspace& ws) const { return resource(ws).deleted; }
  IncidentRow& incident_of(const Cluster& c) { return record_.incidents[static_cast<std::size_t>(c.incident)]; }

  bool current(const Event& e) { return cluster(e.index).timer_generation == e.generation; }
  // D6 for cluster c now, read from the graph.
  const AccessVerdict& verdict_of(std::uint32_t c) {
    Cluster& cl = cluster(c);
    bind_key(graph_, cl);
    KeyBinding& b = cl.bound;
    if (!b.verdict || b.verdict_wrapping != cl.wrapping_version) {
      b.verdict = access(graph_, cl, profile_.stale_version_revokes);
      b.verdict_wrapping = cl.wrapping_version;
    }
    return *b.verdict;
  }
  // A change the model decided must be one the graph can make.
  static void applied(const Status& s) { CMKSIM_CHECK(s.ok(), "the resource graph refused a change the model made"); }
  // The graph's link mutations refuse what the model has already answered
  // (a link that is already there): those refusals change nothing.
  static void mirrored(const Status&) {}
  // The vault index (graph side table) of a cluster's key, or -1.
  int key_vault_index(std::uint32_t c) {
    Cluster& cl = cluster(c);
    bind_key(graph_, cl);
    return cl.bound.vault ? static_cast<int>(graph_.node(*cl.bound.vault).detail) : -1;
  }
  bool current_op(const Event& e) { return cluster(e.index).op_generation == e.generation; }


  // ---- set-up, dispatch and scenario events (model.cpp) ----------------------

  void start();
  void start_cluster(std::uint32_t c);
  void start_workspace(std::uint32_t w);
  // Data already in the workspace at the start (K2): ingested at its rate
  // over `existing_data` (at most its retention: older data is gone), under
  // the MMK before the cluster's CMK was configured and under the CMK after.
  void open_existing_data(Workspace& ws);
  void dispatch(const Event& e);
  void schedule_cluster_timer(EventKind kind, std::uint32_t c, TimeMs at);
  void schedule_kv_call(std::uint32_t c);
  // D3: the next call's gap, from the cluster's stream (inline: a
  // cluster-year draws about a million).
  DurationMs kv_call_gap(Cluster& cl) const { return kv_call_gap_(cl.rng); }
  // D3, D4: a provisioned cluster with a key starts calling Key Vault.
  void start_kv_calls(std::uint32_t c);
  void schedule_query(std::uint32_t w);
  void on_scenario_event(std::uint32_t index);
  static std::string target_of(const EventDecl& e);
  OperationResult apply(const EventDecl& e);
  void log_event(const std::string& kind, const std::string& subject, std::string detail);

  // ---- the data plane: Key Vault calls, revocation and recovery, ingestion, queries (data_plane.cpp)

  void on_kv_call(std::uint32_t c);
  void kv_call(std::uint32_t c);
  bool routine_kv_call(std::uint32_t c, TimeMs t);
  bool steady_grant(std::uint32_t c);
  void on_call_succeeded(std::uint32_t c, const AccessVerdict& verdict);
  void on_call_denied(std::uint32_t c);
  // D7 (Resolved): the first denied call plus the remaining life of the
  // cached AEK, capped at the bound (sampled); the bound itself (worst); the
  // first denied call (best).
  TimeMs unavailable_moment(const Cluster& cl, const IncidentRow& inc) const;
  void on_aek_expiry(std::uint32_t c);
  void on_revocation_deadline(std::uint32_t c);
  void make_unavailable(std::uint32_t c);
  // D10 (Resolved): resume = first successful call + SSD reload time, the
  // reload growing with the hot volume, capped at restoration + bound.
  void start_recovery(std::uint32_t c);
  void on_resume(std::uint32_t c);
  void close_incident_averted(std::uint32_t c);
  // After anything that may change a cluster's right to use its key, compare
  // each cluster's verdict with the last one and open or restore incidents.
  void recheck_access(const std::vector<std::uint32_t>& candidates, const std::string& because);
  std::vector<std::uint32_t> all_clusters() const;
  // The clusters the resource graph says an event touches (issue: the model
  // asks the graph what depends on what).
  std::vector<std::uint32_t> clusters_affected_by(const EventDecl& e) const;
  void on_access_revoked(std::uint32_t c, const std::string& cause);
  void on_access_restored(std::uint32_t c);
  void set_storage(std::uint32_t c, StorageState next);
  // A workspace follows its cluster's storage: unavailable (and dropping
  // data, D8, D10) while the storage is unavailable or recovering.
  void refresh_workspace(std::uint32_t w);
  // Opens a new ledger segment when the conditions of arriving data change.
  void open_segment(Workspace& ws);
  int protection_of(const Cluster& cl);
  void record_wrapping_version(const Cluster& cl);
  // K3, D2: the hot volume is the stored data younger than the hot cache
  // period in the cluster's workspaces.
  double hot_gb_of(const Cluster& cl) const;
  void on_background_query(std::uint32_t w);
  // Serves one query (D2, D8): fails while the workspace is unavailable;
  // otherwise its latency depends on whether its whole range is on SSD.
  // Returns the latency, or nothing when it failed.
  // `blocked_by`: the cluster whose data could not be read, when it failed.
  std::optional<DurationMs> count_query(Workspace& ws, DurationMs range_ms, TimeMs at, int* blocked_by = nullptr);
  void catch_up_queries(std::uint32_t w, TimeMs until);
  void catch_up_cluster_queries(std::uint32_t c);  // to now()
  void catch_up_all_queries(TimeMs until);
  OperationResult set_ingestion(const EventDecl& e);
  OperationResult query(const EventDecl& e);

  // ---- Key Vault actions: keys, versions, grants, outages (key_vault_actions.cpp)

  OperationResult apply_key_action(const EventDecl& e);
  OperationResult apply_version_action(const EventDecl& e);
  // An identity is "cluster:NAME" (a cluster's system-assigned identity) or a
  // user-assigned identity's name.
  bool identity_exists(const std::string& identity) const;
  OperationResult grant_access(const EventDecl& e);
  OperationResult remove_access(const EventDecl& e);
  OperationResult kv_outage(const EventDecl& e);
  void on_outage_end(std::uint32_t v);

  // ---- the control plane: clusters and workspaces (control_plane.cpp) ----------

  OperationResult create_cluster(const EventDecl& e);
  OperationResult update_cluster_key(const EventDecl& e);
  OperationResult delete_cluster(const EventDecl& e);
  OperationResult set_capacity(const EventDecl& e);
  OperationResult link_workspace(const EventDecl& e);
  OperationResult unlink_workspace(const EventDecl& e);
  OperationResult delete_workspace(const EventDecl& e);
  OperationResult restore_workspace(const EventDecl& e);
  OperationResult link_query_storage(const EventDecl& e);
  OperationResult lockbox_request(const EventDecl& e);
  void on_cluster_op_done(std::uint32_t c);
  void on_link_done(std::uint32_t w);
  // Starts an asynchronous cluster operation ending at `at`; the operation
  // row written for the current event is completed then.
  void start_cluster_op(std::uint32_t c, Lifecycle state, TimeMs at);
  void set_lifecycle(std::uint32_t c, Lifecycle next);
  void attach(std::uint32_t w, int c);  // moves a workspace's data home (-1: shared storage)
  // Why this key may not be set on this cluster, or "" (C2, C3, C7).
  // `name`, `region`, `tenant`: the cluster's (it may not exist yet).
  std::string key_refusal(const std::string& name, const std::string& region, const std::string& tenant,
                          const KeyRef& ref, const IdentitySpec& identity) const;
  std::string capacity_refusal(double gb_per_day) const;
  std::string busy_refusal(const Cluster& cl) const;  // C2
  KeyRef pinned(const KeyRef& ref) const;             // R1, P1
  void fail_link(std::uint32_t w, const std::string& why);  // C2
  void stop_kv_calls(std::uint32_t c);                       // C2, C6
  OperationResult accepted(const std::string& what, DurationMs takes) const;  // P1
  OperationResult search_job(const EventDecl& e);                             // Q3
  void on_lockbox_decision(std::uint32_t row);                                // L1

  // ---- where the data is: D12, C5, W3; the 2020 outages, D13 (data_fate.cpp)

  bool cluster_readable(int c) const;
  int unreadable_cluster_reached(const Workspace& ws, DurationMs range_ms, TimeMs at) const;
  void update_left_data(Workspace& ws);
  double inaccessible_gb(const Workspace& ws, TimeMs end) const;
  double hot_gb_at(const Workspace& ws, TimeMs end) const;
  void on_cluster_purge(std::uint32_t c);
  void on_workspace_purge(std::uint32_t w);
  OperationResult support_recover_cluster(const EventDecl& e);
  void on_outage_threshold(std::uint32_t v);
  void on_buffer_exhausted(std::uint32_t c);
  void open_revocation_in_outage(std::uint32_t c, const std::string& cause);
  bool revocation_in_outage_pending(const Cluster& cl) const;
  void revocation_in_outage_takes_effect(std::uint32_t c);
  void avert_revocation_in_outage(std::uint32_t c);

  // ---- cluster identity (identity_actions.cpp) -------------------------------

  // C6: identity changes take effect at the event's time. `none` revokes
  // access (D6) and only a support request (support_restore) undoes it.
  OperationResult set_identity(const EventDecl& e);
  OperationResult support_restore(const EventDecl& e);

  // ---- the results tables (results.cpp) --------------------------------------

  void finish();
  void record_data_and_losses(TimeMs end);
  void metric(const char* kind, const std::string& subject, const char* name, double value, const char* unit);
  void record_metrics();
  void record_kv_calls();
  // The blast radius of every declared key revoked at the start, as the
  // run's resource graph answered it before the first event (start_impacts_).
  void record_blast_radius();

  // ---- state ---------------------------------------------------------------

  const Scenario& scenario_;
  const Profile profile_;
  const Timing timing_;
  const std::uint64_t seed_;
  const bool inline_kv_calls_;  // routine Key Vault calls without the queue (on_kv_call)
  const bool record_timelines_;  // events, states and kv_calls rows in the record (RunSettings)
  const UniformInt kv_call_gap_;  // D3: kv_call_interval_min to _max
  ResourceGraph graph_;  // the resources, their relations and states: changed where the model decides
  World world_;          // built from graph_: declared after it
  RunRecord record_;
  StateTimeline states_;
  Engine<Event> engine_;
  KvCallLog kv_log_;
  std::vector<std::string> protections_;
  std::vector<KeyImpact> start_impacts_;  // impact_of_every_key(graph_) at time 0
  std::map<std::uint32_t, DurationMs> cluster_down_ms_;
  std::map<std::string, SegmentFate> totals_;
  std::map<std::string, double> buffered_gb_;  // D13, per workspace
  std::uint64_t batched_queries_processed_ = 0;  // background queries served in batches
  std::uint64_t batched_kv_calls_processed_ = 0;  // routine Key Vault calls run inline (on_kv_call)
  bool any_left_data_ = false;  // some workspace has data left in a cluster (D12)

};

}  // namespace cmksim::detail
