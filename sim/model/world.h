// World: the simulation's run-time state of each cluster and workspace at the
// current simulated time (storage state, AEK cache, incident, timers, hot
// cache, ledger, random streams, query counters, link operations). The
// resources themselves — vaults with their keys, versions, outages and
// grants, and each cluster's configuration (key details, identity, capacity,
// region, tenant, subscription, double encryption) — live once, in the
// ResourceGraph; a cluster refers to its own by vertex and to its key and
// identity through KeyBinding. The one question World answers is D6's: may
// this cluster's storage use its key right now, and if not, why not.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/time.h"
#include "sim/graph/resource_graph.h"
#include "sim/model/hot_cache.h"
#include "sim/model/ingestion.h"
#include "sim/random/rng.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

// Cluster storage as D7/D10 describe it.
enum class StorageState : std::uint8_t { kAvailable, kRevokePending, kUnavailable, kRecovering };
const char* storage_state_name(StorageState s);

// The cluster resource's provisioning state (C1, C2, C5), apart from its
// storage's state: an update in progress does not interrupt the storage.
enum class Lifecycle : std::uint8_t { kProvisioning, kSucceeded, kUpdating, kDeleting, kDeleted };
const char* lifecycle_name(Lifecycle l);

// The graph's vertices a cluster's key details and identity name: resolved
// when they may have changed (after a scenario event or a completed cluster
// operation), so that a Key Vault call (D3) looks nothing up by name.
// D6: may the storage use its key now? `reason` names the permission change
// when not (key disabled, key deleted, access removed, ...).
struct AccessVerdict {
  bool granted = false;
  std::string reason;
  std::string version;  // the version the storage would wrap with (R1/R2)
};

struct KeyBinding {
  bool valid = false;
  std::optional<Vertex> vault, key, identity;
  // The last verdict (D6) and the wrapping version it was given for: the
  // graph changes only where the binding is invalidated, so a Key Vault call
  // with the same wrapping version gets the same answer (issue 17: the calls
  // are most of a year's events).
  std::optional<AccessVerdict> verdict;
  std::string verdict_wrapping;
};

// The `states` vocabulary of a key (enabled | disabled | deleted | purged).
const char* key_state_name(const KeyInfo& key);

// A cluster's run-time state. Its configuration is the graph's ClusterInfo
// at `vertex` (a cluster re-created under a freed name, C5, has a new one).
struct ClusterState {
  Vertex vertex = 0;
  KeyBinding bound;  // see KeyBinding
  Lifecycle lifecycle = Lifecycle::kSucceeded;
  std::uint32_t op_generation = 0;   // bumps cancel a pending completion
  int op_row = -1;                   // operations row of the asynchronous operation running
  std::optional<KeyRef> pending_key; // update_cluster_key in progress (C2)
  TimeMs deleted_at_ms = 0;          // C5: the name stays reserved after this
  TimeMs capacity_updated_ms = std::numeric_limits<TimeMs>::min();  // C8
  bool kv_calls_running = false;     // D3: once provisioned with a key
  std::uint32_t kv_chain = 0;        // bumps when calls stop (key details removed, C6; deleted, C5): a pending call is void
  bool buffering = false;            // D13: arrivals buffered under the MMK, not lost
  StorageState storage = StorageState::kAvailable;
  bool access_granted = true;     // D6 verdict at the last check
  TimeMs aek_cached_until_ms = 0; // D4
  std::string wrapping_version;   // the key version wrapping the AEK (R1, R4)
  int incident = -1;              // the open incident, if any
  std::uint32_t timer_generation = 0;  // bumps cancel pending timers
  // Linked workspaces, in declaration order: where their data goes now. A
  // D11 link moves it here before the graph's link edge (the configuration)
  // exists, when the link completes.
  std::vector<int> workspaces;
  Rng rng{0};                     // its Key Vault call stream (D3)
  TimeMs unavailable_since_ms = 0;
  TimeMs ssd_loaded_from_ms = 0;  // the SSD serves queries from then on (D8 purge, D10 reload)

  bool outage_incident = false;  // the open incident is a D13 outage, not a revocation
  int buffer_incident = -1;      // D13: the outage incident whose buffer holds the arrivals
  int outage_row = -1;           // D13: the outage incident under a revocation opened during it
  TimeMs purge_at_ms = kNever;   // C5: deleted for good then, unless recovered first
  bool buffering_incident() const { return incident >= 0 && outage_incident; }
};

enum class WorkspaceState : std::uint8_t { kAvailable, kUnavailable, kUnlinked, kDeleted };
const char* workspace_state_name(WorkspaceState s);

struct WorkspaceRuntime {
  WorkspaceRuntime(WorkspaceDecl d, IngestionLedger l, Rng r)
      : rng(r), query_range_ms(d.query_range_ms), ledger(std::move(l)),
        decl(std::move(d)) {}

  // The fields a background query touches come first, together: with
  // 1,000 workspaces the query path is bound by memory, not arithmetic.
  Rng rng;                           // its background query stream
  DurationMs query_mean_gap_ms = 0;  // 0 = no background queries
  DurationMs query_range_ms = 0;     // how far back a background query reads
  bool batched_queries = false;      // served in batches, not as engine events
  TimeMs next_query_ms = 0;          // the next batched background query
  int cluster = -1;                  // linked cluster index
  WorkspaceState state = WorkspaceState::kUnlinked;
  std::uint64_t queries_ok = 0;
  std::uint64_t queries_failed = 0;
  std::uint64_t queries_from_ssd = 0;
  LatencyHistogram latencies;        // of the queries that succeeded (D2)
  HotCache hot_cache;                // K3, D2

  enum class LinkOp : std::uint8_t { kNone, kLinking, kUnlinking } link_op = LinkOp::kNone;  // W1, W3
  int link_target = -1;             // the cluster a link in progress goes to
  int link_row = -1;                // its operations row
  TimeMs link_due_ms = 0;           // when it completes (a D11 link: not before provisioning)
  std::vector<TimeMs> link_operations;  // W2: times of link and unlink requests
  bool provisioning_loss = false;   // D11: linked to a cluster still provisioning
  TimeMs deleted_at_ms = 0;          // W3: when it was soft-deleted (the graph says whether it is)
  bool left_data = false;            // D12: it has stored data in a cluster it is no longer linked to
  IngestionLedger ledger;
  TimeMs unavailable_since_ms = 0;
  DurationMs unavailable_total_ms = 0;
  WorkspaceDecl decl;
};

struct World {
  std::vector<ClusterState> clusters;
  std::vector<WorkspaceRuntime> workspaces;

  // The newest cluster of that name (C5: a freed name may be taken again).
  int cluster_index(const ResourceGraph& graph, const std::string& name) const;
  int cluster_of(Vertex vertex) const;  // -1 when none has it
  int workspace_index(const std::string& name) const;
};

// Resolves `cluster.bound` from the graph when it is not valid.
void bind_key(const ResourceGraph& graph, ClusterState& cluster);
// D6, read from the graph through `cluster.bound` (which must be valid).
// `stale_version_revokes`: the R3 profile parameter.
AccessVerdict access(const ResourceGraph& graph, const ClusterState& cluster, bool stale_version_revokes);

// The scenario's clusters and workspaces at the start; `graph` is the
// scenario's graph at the start (it holds their configuration).
World build_world(const Scenario& scenario, std::uint64_t seed, const ResourceGraph& graph);

// "cluster:NAME", the user-assigned identity's name, or "" for none.
std::string identity_name(const ResourceGraph& graph, Vertex cluster);

}  // namespace cmksim
