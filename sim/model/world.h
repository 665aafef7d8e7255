// World: the state of the modelled resources at the current simulated time —
// Key Vaults with their keys, versions and grants, clusters with their
// storage, and workspaces. Built from a Scenario; changed by the model's
// event handlers. The one question it answers on its own is D6's: may this
// cluster's storage use its key right now, and if not, why not.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/time.h"
#include "sim/model/hot_cache.h"
#include "sim/model/ingestion.h"
#include "sim/random/rng.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

struct KeyVersionState {
  std::string name;
  bool enabled = true;
};

struct KeyState {
  std::string name;
  bool enabled = true;
  bool expired = false;
  bool deleted = false;  // soft-deleted: recoverable
  bool purged = false;   // gone for good
  std::vector<KeyVersionState> versions;  // oldest first

  const KeyVersionState* find_version(const std::string& version) const;
  // enabled | disabled | deleted | purged (the `states` vocabulary)
  const char* state_name() const;
};

struct GrantState {
  std::string identity;  // "cluster:NAME" or a user-assigned identity's name
  std::uint8_t permissions = kAllPermissions;
};

struct VaultState {
  VaultDecl decl;
  std::vector<KeyState> keys;
  std::vector<GrantState> grants;
  TimeMs fault_until_ms = -1;  // a transient outage (D5) lasts until then
  std::string fault;           // its kind, while it lasts

  bool in_fault(TimeMs now) const { return now < fault_until_ms; }
  KeyState* find_key(const std::string& name);
  const KeyState* find_key(const std::string& name) const;
  const GrantState* find_grant(const std::string& identity) const;
};

// Cluster storage as D7/D10 describe it.
enum class StorageState : std::uint8_t { kAvailable, kRevokePending, kUnavailable, kRecovering };
const char* storage_state_name(StorageState s);

struct ClusterState {
  ClusterDecl decl;
  StorageState storage = StorageState::kAvailable;
  bool access_granted = true;     // D6 verdict at the last check
  TimeMs aek_cached_until_ms = 0; // D4
  std::string wrapping_version;   // the key version wrapping the AEK (R1, R4)
  int incident = -1;              // the open incident, if any
  std::uint32_t timer_generation = 0;  // bumps cancel pending timers
  std::vector<int> workspaces;    // linked workspaces, in declaration order
  Rng rng{0};                     // its Key Vault call stream (D3)
  std::optional<IdentitySpec> identity_before_none;  // what support_restore brings back (C6)
  TimeMs unavailable_since_ms = 0;
  TimeMs ssd_loaded_from_ms = 0;  // the SSD serves queries from then on (D8 purge, D10 reload)

  bool has_cmk() const { return decl.key.has_value(); }
  std::string identity_name() const;  // "cluster:NAME", the user-assigned name, or "" for none
};

enum class WorkspaceState : std::uint8_t { kAvailable, kUnavailable, kUnlinked };
const char* workspace_state_name(WorkspaceState s);

struct WorkspaceRuntime {
  WorkspaceRuntime(WorkspaceDecl d, IngestionLedger l, Rng r)
      : decl(std::move(d)), gb_per_day(decl.ingest_gb_per_day), ledger(std::move(l)), rng(r) {}

  WorkspaceDecl decl;
  int cluster = -1;  // linked cluster index
  double gb_per_day = 0;
  WorkspaceState state = WorkspaceState::kUnlinked;
  IngestionLedger ledger;
  Rng rng{0};       // its background query stream
  DurationMs query_mean_gap_ms = 0;  // 0 = no background queries
  HotCache hot_cache;               // K3, D2
  LatencyHistogram latencies;       // of the queries that succeeded
  std::uint64_t queries_from_ssd = 0;
  std::uint64_t queries_ok = 0;
  std::uint64_t queries_failed = 0;
  TimeMs unavailable_since_ms = 0;
  DurationMs unavailable_total_ms = 0;
};

// D6: may the storage use its key now? `reason` names the permission change
// when not (key disabled, key deleted, access removed, ...).
struct AccessVerdict {
  bool granted = false;
  std::string reason;
  std::string version;  // the version the storage would wrap with (R1/R2)
};

struct World {
  std::vector<VaultState> vaults;
  std::vector<ClusterState> clusters;
  std::vector<WorkspaceRuntime> workspaces;

  VaultState* find_vault(const std::string& name);
  const VaultState* find_vault(const std::string& name) const;
  int cluster_index(const std::string& name) const;
  int workspace_index(const std::string& name) const;
  // `stale_version_revokes`: the R3 profile parameter.
  AccessVerdict access(const ClusterState& cluster, bool stale_version_revokes) const;
};

World build_world(const Scenario& scenario, std::uint64_t seed);

}  // namespace cmksim
