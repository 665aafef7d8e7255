// Blast radius: what revoking a key (or one version of it) takes down.
//
// key_impact() asks the ResourceGraph which clusters' AEKs the key wraps (a
// reverse BFS from the key or version vertex: version -> AEK -> storage ->
// cluster -> workspaces, plus workspaces whose unlinked data is still in an
// affected storage), then splits every workspace's stored data by protection
// class (K2) into what would become inaccessible — CMK data in an affected
// cluster's storage — and what would not: MMK data (ingested before the CMK
// was configured, or in shared storage), other clusters' data, and what K5
// keeps outside the CMK whatever the configuration.
//
// Data figures are computed from the scenario's values, never simulated: each
// workspace's existing data (min(existing_data, retention) at its rate, with
// its daily profile) plus what it ingested since the start at its rates, up to
// the graph's time, clipped to the retention (D9). At time 0 they equal the
// model's starting ledger; later they ignore data an incident dropped (D8).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/graph/resource_graph.h"

namespace cmksim {

// What K5 leaves outside the CMK whatever the configuration.
extern const char* const kNeverUnderCmk;

struct DataShare {
  std::string protection;  // "mmk" or "cmk:vault/key/version"
  std::string location;    // "cluster:NAME" or "shared"
  double gb = 0;
};

// A workspace's stored data at the graph's time, by protection class and
// location, in time order of first appearance.
std::vector<DataShare> workspace_data(const ResourceGraph& graph, Vertex workspace);

// "VAULT/KEY" or "VAULT/KEY/VERSION"; or a whole vault, or an identity
// (`kind`, named by `vault`: the vault's or the identity's name).
struct KeyTarget {
  enum class Kind { kKey, kVault, kIdentity };
  std::string vault, key, version;
  Kind kind = Kind::kKey;
  std::string str() const;
};
std::optional<KeyTarget> parse_key_target(const std::string& text);
// What --impact names: VAULT/KEY[/VERSION], vault:NAME, identity:NAME, or a
// bare name that is a vault or an identity (cluster:NAME is a cluster's
// system-assigned identity); or why it names nothing.
Expected<KeyTarget> resolve_impact_target(const ResourceGraph& graph, const std::string& text);

struct ClusterImpact {
  std::string cluster;
  std::string identity;    // "cluster:NAME", a user-assigned name, or "none"
  std::string protection;  // "cmk:vault/key/version": what wraps its AEK now
  bool auto_rotation = false;
  std::vector<std::string> workspaces;  // linked now
};

struct WorkspaceImpact {
  std::string workspace;
  std::vector<std::string> clusters;  // the affected clusters holding its data
  bool linked = false;    // linked to one of them now (else: only its old data is there, D12)
  bool deleted = false;   // soft-deleted (W3)
  double gb_inaccessible = 0;      // CMK data in affected storage
  double gb_mmk_in_cluster = 0;    // MMK data in affected storage (K2)
  double gb_elsewhere = 0;         // shared storage or unaffected clusters
  double gb_per_day_dropped = 0;   // D8: arrivals dropped while unavailable (linked only)
};

struct KeyImpact {
  KeyTarget target;
  TimeMs at_ms = 0;
  std::vector<ClusterImpact> clusters;      // affected, in creation order
  std::vector<std::string> identities;      // the affected clusters' identities
  std::vector<WorkspaceImpact> workspaces;  // affected, in creation order
  std::vector<DataShare> inaccessible;      // by protection class (location "")
  std::vector<DataShare> not_affected;      // by protection class and location
  std::vector<std::string> clusters_not_affected;    // "NAME (cmk:...)" or "NAME (mmk)"
  std::vector<std::string> workspaces_not_affected;  // "NAME (unlinked)", "NAME (cluster C)"
  double gb_inaccessible = 0;             // CMK + MMK: what cannot be read (D8)
  double gb_inaccessible_cmk = 0;         // under the revoked key(s)
  double gb_not_affected = 0;
  double gb_mmk_in_affected_storage = 0;  // part of gb_not_affected; counted in gb_inaccessible (D8: unqueryable)
  double gb_per_day_dropped = 0;
};

// The blast radius of revoking `target` at the graph's time, or why there is
// none ("no key 'kv/x' in the scenario (did you mean 'kv/k'?)").
Expected<KeyImpact> key_impact(const ResourceGraph& graph, const KeyTarget& target);
// The same for a vault (every key in it revoked) or an identity (its access
// lost: identity none, or its grants removed, D6).
Expected<KeyImpact> target_impact(const ResourceGraph& graph, const KeyTarget& target);

// The blast radius of each key in `graph`, revoked at the graph's time, in
// declaration order.
std::vector<KeyImpact> impact_of_every_key(const ResourceGraph& graph);
// The same for the scenario's graph at the start: the figures reports show.
std::vector<KeyImpact> impact_of_every_key(const Scenario& scenario);

}  // namespace cmksim
