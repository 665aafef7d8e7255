// ResourceGraph: the resources of a scenario and what depends on what, as a
// Boost.Graph adjacency list with bundled properties.
//
// Vertices are resources: vaults, keys, key versions, identities, clusters,
// each cluster's storage and AEK, workspaces and query storage accounts.
// Tenants, subscriptions and regions are attributes, not vertices. A directed
// edge A -> B reads "A depends on B":
//
//   key -in-> vault            version -version-> key
//   aek -wrap/unwrap-> version (the version wrapping the AEK now, R1-R4)
//   storage -AEK-> aek         cluster -storage-> storage
//   cluster -identity-> identity               identity -grant-> vault
//   workspace -link-> cluster  workspace -data-> storage (unlinked, data kept)
//   workspace -link-> query storage account (Q1)
//
// So whatever a revocation takes down is whatever reaches the revoked vertex:
// a reverse breadth-first search (see dependents()).
//
// Invariants: vertices are never removed (a deleted resource keeps its vertex,
// state "deleted"), so descriptors are stable and vertex order is creation
// order: declaration order for the scenario's resources, then event order.
// Out-edges keep insertion order. At most one edge of a kind joins two
// vertices. Iteration never depends on hashing or addresses.
//
// Ownership: the graph is where vaults (with their outages), keys, versions,
// grants, clusters' configuration (key details, identity, capacity, region,
// tenant, subscription, double encryption) and workspaces (deleted,
// ingestion rate, query storage) exist; the
// model's run-time state refers to them by vertex or side-table index and
// changes them here at the moment it accepts a change. Cluster configuration
// and links are changed here when the model's operation takes effect
// (synchronous ones at acceptance; link, unlink, key update and deletion at
// completion).
// Time: every mutation takes the simulated time it happens at; mutations must
// come in non-decreasing time. The mutations refuse, with a Status, what they
// cannot apply; the service's answers (status codes) are the model's. The
// rules both need are stated once here (key_problem, valid_cluster_name,
// identity_locked, ...); graph_at applies a scenario's events on the graph
// alone with the same mutations.
// Not thread-safe; one owner.
#pragma once
#include <boost/graph/adjacency_list.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/core/time.h"
#include "sim/scenario/daily_shape.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

enum class NodeKind : std::uint8_t {
  kVault, kKey, kVersion, kIdentity, kCluster, kStorage, kAek, kWorkspace, kQueryStorage,
};
const char* node_kind_name(NodeKind k);  // "vault", "key", "version", ...

enum class EdgeKind : std::uint8_t {
  kInVault,    // key -> vault
  kVersionOf,  // version -> key
  kWrap,       // aek -> version: the version wrapping the AEK
  kAek,        // storage -> aek
  kStorage,    // cluster -> storage
  kIdentity,   // cluster -> identity
  kGrant,      // identity -> vault, with permissions (C7)
  kLink,       // workspace -> cluster
  kData,       // workspace -> storage: unlinked, but its data is still there (D12)
  kQueryLink,  // workspace -> query storage account (Q1)
};
const char* edge_kind_name(EdgeKind k);  // "in", "version", "wrap/unwrap", "AEK", ...
// A bit per kind, for the edge filters of the traversals.
constexpr std::uint32_t edge_bit(EdgeKind k) { return 1u << static_cast<unsigned>(k); }

struct GraphNode {
  NodeKind kind = NodeKind::kVault;
  std::string name;   // as scenarios write it: "kv", "kv/k", "kv/k/v1", "cluster:c", "c", "ws", ...
  std::string state;  // in the kind's vocabulary (see ResourceGraph::refresh_state)
  std::string region, tenant, subscription;  // empty where the kind has none
  SourcePos pos;      // its declaration (or the event that created it)
  std::size_t detail = 0;  // index into the kind's side table, where it has one
};

struct GraphEdge {
  EdgeKind kind = EdgeKind::kInVault;
  std::uint8_t permissions = 0;  // kGrant: kPermGet | kPermWrap | kPermUnwrap
  bool auto_rotation = false;    // kWrap: the cluster's version is "" (R1)
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, GraphNode, GraphEdge>;
using Vertex = Graph::vertex_descriptor;
using GraphEdgeRef = Graph::edge_descriptor;

// One access policy of a vault: what Key Vault checks (D6, C7).
struct AccessPolicy {
  Vertex identity = 0;
  std::uint8_t permissions = 0;
};

// Side tables: what a vertex of a kind knows beyond its GraphNode.
struct VaultInfo {
  Vertex vertex = 0;
  bool soft_delete = false, purge_protection = false, private_link = false;  // C2, C6
  PermissionModel permission_model = PermissionModel::kRbac;                 // C7
  TimeMs fault_until_ms = -1;  // D5: a transient fault lasts until then
  TimeMs fault_since_ms = 0;   // when the current fault began (D13)
  std::string fault;           // its kind, while it lasts
  // In Key Vault's order. A grant declared twice is two policies: Key Vault
  // reads the first, while the grant edge shows the last (a known quirk kept
  // as it was); grant_of() reads these.
  std::vector<AccessPolicy> policies;

  bool in_fault(TimeMs t) const { return t < fault_until_ms; }
};

struct KeyInfo {
  Vertex vertex = 0;
  Vertex vault = 0;
  bool enabled = true, expired = false, deleted = false, purged = false;
  std::vector<Vertex> versions;  // oldest first
};

struct VersionInfo {
  Vertex vertex = 0;
  Vertex key = 0;
  std::string version;
  bool enabled = true;
};

// Which protection class new data of a cluster's workspaces gets from `from_ms`
// on (K2): "mmk" or "cmk:vault/key/version".
struct ProtectionSpan {
  TimeMs from_ms = 0;
  std::string protection;
};

struct ClusterInfo {
  Vertex vertex = 0, storage = 0, aek = 0;
  std::optional<KeyRef> key;   // the key details in force
  IdentitySpec identity;
  std::optional<IdentitySpec> identity_before_none;  // what support_restore brings back (C6)
  double capacity_gb_per_day = 0;
  bool double_encryption = true;  // K4: fixed at creation
  DurationMs key_since_ms = 0;    // the CMK was configured this long before the start (K2)
  bool deleted = false;
  std::string pending;  // an asynchronous operation under way, shown as the state ("deleting"); "" none
  std::vector<ProtectionSpan> protection;  // chronological; the first starts before any data
};

struct RateSpan {
  TimeMs from_ms = 0;
  double gb_per_day = 0;
};

// A workspace's time linked to one cluster: its data of [from, to) is in that
// cluster's storage. `to` is kOpenEnd while linked.
struct LinkSpan {
  Vertex cluster = 0;
  TimeMs from_ms = 0;
  TimeMs to_ms = 0;
};

struct WorkspaceInfo {
  Vertex vertex = 0;
  DurationMs retention_ms = 0;
  TimeMs data_begin_ms = 0;  // -min(existing_data, retention): its oldest data (K2, D9)
  DailyShape shape;          // D1
  std::vector<RateSpan> rates;  // chronological; the first starts at data_begin_ms
  std::vector<LinkSpan> links;  // chronological
  std::optional<Vertex> cluster;  // linked now
  bool deleted = false;
  std::string pending;  // "linking", "unlinking" while the model runs the operation; "" none
};

// Why key details cannot be set on a cluster (see ResourceGraph::key_problem).
enum class KeyProblem : std::uint8_t {
  kNone,
  kBadFormat,       // no vault or no key named
  kNotFound,        // no such key (or deleted), or no such version (C2)
  kRegion,          // the vault is in another region or tenant (C3)
  kNoGrant,         // the identity lacks get, wrap and unwrap on the vault (C7)
  kNotRecoverable,  // the vault lacks soft delete or purge protection (C2)
  kPrivateLink,     // a user-assigned identity and a Private Link vault (C6)
};

// C1: 3-63 characters of a-z, A-Z, 0-9 (the rule the model answers with
// 400 and graph_at notes).
bool valid_cluster_name(const std::string& name);

// C6: an identity set to none comes back only through support_restore; a
// user-assigned identity becomes system-assigned only without key details.
bool identity_locked(const IdentitySpec& current);
bool identity_needs_key_removed(const IdentitySpec& current, const IdentitySpec& next, bool has_key);

constexpr TimeMs kOpenEnd = INT64_MAX;
constexpr TimeMs kBeforeAll = INT64_MIN / 4;

class ResourceGraph {
 public:
  ResourceGraph() = default;  // empty; add resources with the add_* methods
  // The scenario's resources as they stand at the start (time 0).
  explicit ResourceGraph(const Scenario& scenario);

  // ---- building (declaration order = vertex order) ------------------------
  Vertex add_vault(const VaultDecl& decl);  // with its keys and versions
  Vertex add_identity(const IdentityDecl& decl);
  // A key or identity it names that does not exist leaves that edge out (the
  // checks report it). Returns the cluster's vertex.
  // A cluster re-created under a freed name (C5) gets a vertex of its own;
  // find() then names the newest, the deleted one keeps its vertex.
  Vertex add_cluster(const ClusterDecl& decl, TimeMs t);
  // Links it when decl.cluster names a cluster. `start_hour_of_day` anchors
  // its daily profile (D1).
  Vertex add_workspace(const WorkspaceDecl& decl, TimeMs t, int start_hour_of_day = 0, int start_weekday = 0);

  // ---- mutations, one per kind of scenario event ---------------------------
  // Each returns ok when the graph changed, or why it did not (an unknown
  // name, a link that already exists): the graph never throws on them.
  Status add_grant(const std::string& identity, const std::string& vault, std::uint8_t permissions, TimeMs t,
                        SourcePos pos = {});
  Status remove_grant(const std::string& identity, const std::string& vault, TimeMs t);
  Status link_workspace(const std::string& workspace, const std::string& cluster, TimeMs t);
  Status unlink_workspace(const std::string& workspace, TimeMs t);
  Status delete_workspace(const std::string& workspace, TimeMs t);
  Status restore_workspace(const std::string& workspace, TimeMs t);
  Status set_ingestion(const std::string& workspace, double gb_per_day, TimeMs t);
  Status link_query_storage(const std::string& workspace, const std::string& account, TimeMs t);
  Status create_cluster(const ClusterDecl& decl, TimeMs t);
  Status delete_cluster(const std::string& cluster, TimeMs t);  // C5: unlinks its workspaces
  Status recover_cluster(const std::string& cluster, TimeMs t);  // C5: within the soft delete
  Status set_cluster_key(const std::string& cluster, const KeyRef& key, TimeMs t);
  Status set_cluster_identity(const std::string& cluster, const IdentitySpec& identity, TimeMs t);
  Status support_restore(const std::string& cluster, TimeMs t);
  Status set_capacity(const std::string& cluster, double gb_per_day, TimeMs t);
  // disable/enable/delete/recover/purge/expire_key
  Status set_key_state(const std::string& vault, const std::string& key, Action action, TimeMs t);
  Status add_key_version(const std::string& vault, const std::string& key, const std::string& version, TimeMs t);
  Status set_version_enabled(const std::string& vault, const std::string& key, const std::string& version,
                                  bool enabled, TimeMs t);
  // D5: `fault` ("timeout", "dns", ...) from t for `for_ms`; an outage
  // already under way is extended, keeping its start (D13).
  Status vault_outage(const std::string& vault, TimeMs t, DurationMs for_ms, const std::string& fault = "");
  // ---- the model's accepted cluster changes, by vertex ----------------------
  // The model has checked them when it accepted them (and words its own
  // refusals): these apply them unconditionally, so the graph's
  // configuration is the one the run uses.
  void apply_cluster_key(Vertex cluster, const KeyRef& key, TimeMs t);  // C2 at completion (R4)
  // C6: `none` keeps the identity before it for support_restore.
  void apply_cluster_identity(Vertex cluster, const IdentitySpec& identity, TimeMs t);
  void apply_support_restore(Vertex cluster, TimeMs t);  // C6
  void apply_capacity(Vertex cluster, double gb_per_day, TimeMs t);  // C8

  // Dispatches a scenario event at its time to the mutation above. Events
  // that change no resource (query, search_job, lockbox_request) return ok.
  Status apply_event(const EventDecl& e);
  // What the model says while an asynchronous operation runs on a cluster
  // (C1, C2, C5: "provisioning", "updating", "deleting") or a workspace (W1:
  // "linking", "unlinking"); "" when it has completed. Shown as the node's
  // state; it changes no edge (the operation does, when it completes).
  void set_pending(NodeKind kind, const std::string& name, const std::string& operation);
  // Moves the clock to t: ends Key Vault faults that are over and drops
  // "data" edges whose data retention has purged (D9).
  void advance_to(TimeMs t);

  // ---- queries --------------------------------------------------------------
  const Graph& graph() const { return g_; }
  const GraphNode& node(Vertex v) const { return g_[v]; }
  TimeMs now() const { return now_ms_; }
  std::size_t vertex_count() const;
  std::size_t edge_count() const;

  // kVault "kv", kKey "kv/k", kVersion "kv/k/v1", kIdentity "uai" or
  // "cluster:c", kCluster/kWorkspace/kQueryStorage by name.
  std::optional<Vertex> find(NodeKind kind, const std::string& name) const;
  // Names of every vertex of a kind, in vertex order (for "did you mean").
  std::vector<std::string> names(NodeKind kind) const;
  std::vector<Vertex> vertices_of(NodeKind kind) const;

  const VaultInfo& vault_info(Vertex vault) const;
  // The vaults in declaration order; `index` is a vault vertex's `detail`.
  std::size_t vault_count() const { return vaults_.size(); }
  const VaultInfo& vault_at(std::size_t index) const { return vaults_[index]; }
  // The permissions `identity` holds on `vault` (C7, D6: its first access
  // policy there), if it holds a grant.
  std::optional<std::uint8_t> grant_of(Vertex identity, Vertex vault) const;
  const KeyInfo& key_info(Vertex key) const;
  const VersionInfo& version_info(Vertex version) const;
  const ClusterInfo& cluster_info(Vertex cluster) const;
  const WorkspaceInfo& workspace_info(Vertex workspace) const;
  // The workspaces in declaration order (no event creates one); `index` is a
  // workspace vertex's `detail`.
  const WorkspaceInfo& workspace_at(std::size_t index) const { return workspaces_[index]; }

  // Every vertex that reaches one of `roots` through edges whose kind is in
  // `edge_mask` (a reverse BFS): what depends on them. Sorted by vertex
  // (creation order); the roots themselves are included.
  std::vector<Vertex> dependents(const std::vector<Vertex>& roots, std::uint32_t edge_mask) const;
  // Every vertex reachable from `root` through edges in `edge_mask` (a BFS):
  // what it depends on. Grant edges count only when they give every
  // permission in `grant_permissions`. Sorted by vertex; `root` included.
  std::vector<Vertex> dependencies(Vertex root, std::uint32_t edge_mask, std::uint8_t grant_permissions = 0) const;

  // The clusters (not deleted) whose AEK is wrapped by that key, in creation
  // order. `version` "" = any version of it.
  std::vector<std::string> clusters_using_key(const std::string& vault, const std::string& key,
                                              const std::string& version = "") const;
  // The clusters whose key lives in that vault.
  std::vector<std::string> clusters_using_vault(const std::string& vault) const;
  // The clusters using that identity ("cluster:c" or a user-assigned name).
  std::vector<std::string> clusters_with_identity(const std::string& identity) const;
  // The workspaces linked to the cluster now, in creation order.
  std::vector<std::string> workspaces_of(const std::string& cluster) const;
  // The clusters whose access (D6) or workspaces an event may change: the
  // ones the model must re-evaluate after applying it. In creation order.
  // Call it before apply_event(e), so that an unlink or a deletion still
  // sees the links it removes (create_cluster returns the new name).
  std::vector<std::string> clusters_affected_by(const EventDecl& e) const;

  // The vault vertex a cluster's key lives in, if it has a key and it exists.
  std::optional<Vertex> key_vault_of(Vertex cluster) const;
  // C2, C3, C7, C6: why the service would refuse key details `ref` for a
  // cluster of that name, region and tenant with that identity (kNone: it
  // would not). The one statement of the rule: the model words it as the
  // service answers, the graph's own mutations (graph_at) with the ID.
  KeyProblem key_problem(const std::string& cluster, const std::string& region, const std::string& tenant,
                         const KeyRef& ref, const IdentitySpec& identity) const;

  // "mmk" or "cmk:vault/key/version" for a cluster's new data now (K2).
  std::string protection_of(Vertex cluster) const;

 private:
  static constexpr std::size_t kind_index(NodeKind k) { return static_cast<std::size_t>(k); }
  Vertex add_node(NodeKind kind, const std::string& name, SourcePos pos);
  void add_edge_once(Vertex from, Vertex to, GraphEdge e);
  void remove_edges(Vertex from, Vertex to, EdgeKind kind);
  void remove_out_edges(Vertex from, EdgeKind kind);
  // The names of the clusters among dependents({root}, edge_mask), in vertex
  // order; `live_only`: not deleted ones.
  std::vector<std::string> dependent_clusters(std::optional<Vertex> root, std::uint32_t edge_mask, bool live_only) const;
  std::optional<Vertex> wrap_target(Vertex aek) const;  // the version the AEK's wrap edge points at
  std::optional<Vertex> identity_vertex(const std::string& identity, bool create);
  // The grant edge identity -> vault (added, or its permissions replaced):
  // the two vertices, or why there is none.
  std::uint8_t granted_permissions(Vertex vault, std::uint8_t asked) const;  // C7
  Expected<std::pair<Vertex, Vertex>> grant_edge(const std::string& identity, const std::string& vault,
                                                 std::uint8_t permissions, SourcePos pos);
  Status key_refusal(const std::string& cluster, const std::string& region, const std::string& tenant,
                          const KeyRef& ref, const IdentitySpec& identity) const;
  std::string identity_name(const ClusterInfo& c) const;
  void attach_key(ClusterInfo& c, TimeMs t);     // (re)points the AEK's wrap edge
  void attach_identity(ClusterInfo& c);          // (re)points the identity edge
  void note_protection(ClusterInfo& c, TimeMs t);
  void refresh_auto_rotation(Vertex key, TimeMs t);
  void refresh_state(Vertex v);
  void close_link(WorkspaceInfo& w, TimeMs t);
  void tick(TimeMs t);

  Graph g_;
  TimeMs now_ms_ = 0;
  std::array<std::map<std::string, Vertex>, 9> by_name_;  // per NodeKind
  std::vector<VaultInfo> vaults_;
  std::vector<KeyInfo> keys_;
  std::vector<VersionInfo> versions_;
  std::vector<ClusterInfo> clusters_;
  std::vector<WorkspaceInfo> workspaces_;
};

// The scenario's graph as it stands at simulated time `at_ms`: built at the
// start, then every event with at <= at_ms applied in the model's order
// (time, then file order). Each event the graph could not apply adds one
// line "events[N] (id) at T: why" to `skipped` when given.
ResourceGraph graph_at(const Scenario& scenario, TimeMs at_ms, std::vector<std::string>* skipped = nullptr);

}  // namespace cmksim
