#include "sim/graph/graph_checks.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "sim/graph/resource_graph.h"

namespace cmksim {
namespace {

// cluster -> storage -> AEK -> version -> key -> vault
constexpr std::uint32_t kKeyChain = edge_bit(EdgeKind::kStorage) | edge_bit(EdgeKind::kAek) |
                                    edge_bit(EdgeKind::kWrap) | edge_bit(EdgeKind::kVersionOf) |
                                    edge_bit(EdgeKind::kInVault);
// cluster -> identity -> (grant) -> vault
constexpr std::uint32_t kGrantPath = edge_bit(EdgeKind::kIdentity) | edge_bit(EdgeKind::kGrant);
constexpr std::uint8_t kWrapUnwrap = kPermWrap | kPermUnwrap;

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// What the scenario's events will make refer to what, by cluster name: the
// identities it may take and the keys ("vault/key") it may use.
struct EventReferences {
  std::map<std::string, std::set<std::string>> identities;
  std::map<std::string, std::set<std::string>> keys;
  std::set<std::string> linked_clusters;
};

std::string identity_of(const std::string& cluster, const IdentitySpec& spec) {
  switch (spec.kind) {
    case IdentitySpec::Kind::kSystemAssigned: return "cluster:" + cluster;
    case IdentitySpec::Kind::kUserAssigned: return spec.user_assigned;
    case IdentitySpec::Kind::kNone: return "";
  }
  return "";
}

EventReferences event_references(const Scenario& scenario) {
  EventReferences refs;
  for (const EventDecl& e : scenario.events) {
    if (e.action == Action::kSetIdentity || e.action == Action::kCreateCluster) {
      if (const auto spec = parse_identity_spec(e.identity)) {
        const std::string name = identity_of(e.cluster, *spec);
        if (!name.empty()) refs.identities[e.cluster].insert(name);
      }
    }
    if (e.action == Action::kCreateCluster && e.key_ref) refs.keys[e.cluster].insert(e.key_ref->vault + "/" + e.key_ref->key);
    if (e.action == Action::kUpdateClusterKey) refs.keys[e.cluster].insert(e.vault + "/" + e.key);
    if (e.action == Action::kLinkWorkspace) refs.linked_clusters.insert(e.cluster);
  }
  return refs;
}

class Checker {
 public:
  explicit Checker(const Scenario& scenario) : scenario_(scenario), graph_(scenario), refs_(event_references(scenario)) {
    // What each cluster uses at the start or through an event.
    for (const ClusterDecl& c : scenario.clusters) {
      const std::string id = identity_of(c.name, c.identity);
      if (!id.empty()) refs_.identities[c.name].insert(id);
      if (c.key) refs_.keys[c.name].insert(c.key->vault + "/" + c.key->key);
    }
  }

  std::vector<GraphFinding> run() {
    for (const ClusterDecl& c : scenario_.clusters) {
      check_key_region(c);
      check_grant_path(c);
    }
    for (const WorkspaceDecl& w : scenario_.workspaces) check_workspace_region(w);
    check_unreferenced();
    std::stable_sort(findings_.begin(), findings_.end(), [](const GraphFinding& a, const GraphFinding& b) {
      return std::make_pair(a.pos.line, a.pos.column) < std::make_pair(b.pos.line, b.pos.column);
    });
    return std::move(findings_);
  }

 private:
  void add(Severity severity, SourcePos pos, std::string message, const char* behaviour) {
    findings_.push_back({severity, pos, std::move(message), behaviour});
  }

  // C3: the key chain's vault shares the cluster's region and tenant.
  void check_key_region(const ClusterDecl& decl) {
    const Vertex cluster = *graph_.find(NodeKind::kCluster, decl.name);
    for (const Vertex v : graph_.dependencies(cluster, kKeyChain)) {
      const GraphNode& vault = graph_.node(v);
      if (vault.kind != NodeKind::kVault) continue;
      if (!decl.region.empty() && !vault.region.empty() && decl.region != vault.region) {
        add(Severity::kError, decl.pos,
            "cluster " + quoted(decl.name) + " is in region " + quoted(decl.region) + " but its key's vault " +
                quoted(vault.name) + " is in " + quoted(vault.region) +
                ": Key Vault and cluster must share region and tenant",
            "C3");
      }
      if (decl.tenant != vault.tenant) {
        add(Severity::kError, decl.pos,
            "cluster " + quoted(decl.name) + " is in tenant " + quoted(decl.tenant) + " but its key's vault " +
                quoted(vault.name) + " is in tenant " + quoted(vault.tenant) +
                ": Key Vault and cluster must share region and tenant",
            "C3");
      }
    }
  }

  // C2/C7/C6: a path cluster -> identity -> grant (wrap + unwrap) -> vault.
  void check_grant_path(const ClusterDecl& decl) {
    if (!decl.key) return;
    const Vertex cluster = *graph_.find(NodeKind::kCluster, decl.name);
    const auto vault = graph_.key_vault_of(cluster);
    if (!vault) return;  // the loader reports an unknown vault
    const std::string key = quoted(decl.key->vault + "/" + decl.key->key);
    const std::string identity = identity_of(decl.name, decl.identity);
    if (identity.empty()) {
      add(Severity::kError, decl.pos,
          "cluster " + quoted(decl.name) + " uses key " + key +
              " but its identity is none: nothing can reach its vault (set system_assigned or user_assigned:NAME)",
          "C6");
      return;
    }
    const std::vector<Vertex> reached = graph_.dependencies(cluster, kGrantPath, kWrapUnwrap);
    if (std::binary_search(reached.begin(), reached.end(), *vault)) return;
    // No path: is there a grant without wrap or unwrap?
    const std::vector<Vertex> any_grant = graph_.dependencies(cluster, kGrantPath, 0);
    if (std::binary_search(any_grant.begin(), any_grant.end(), *vault)) {
      add(Severity::kError, decl.pos,
          "cluster " + quoted(decl.name) + " cannot use key " + key + ": the grant of identity " + quoted(identity) +
              " on vault " + quoted(decl.key->vault) + " lacks wrap or unwrap (\"Failed to validate key in Key Vault\")",
          "C7");
      return;
    }
    add(Severity::kError, decl.pos,
        "cluster " + quoted(decl.name) + " has no grant path to vault " + quoted(decl.key->vault) + ": its identity " +
            quoted(identity) + " has no grant there, so its key " + key +
            " could not have been set (\"Failed to validate key in Key Vault\"); add it to grants:",
        "C2");
  }

  // C3: a linked workspace shares its cluster's region and tenant.
  void check_workspace_region(const WorkspaceDecl& decl) {
    if (decl.cluster.empty()) return;
    const auto cluster = graph_.find(NodeKind::kCluster, decl.cluster);
    if (!cluster) return;
    const GraphNode& c = graph_.node(*cluster);
    if (!decl.region.empty() && !c.region.empty() && decl.region != c.region) {
      add(Severity::kError, decl.pos,
          "workspace " + quoted(decl.name) + " is in region " + quoted(decl.region) + " but its cluster " +
              quoted(c.name) + " is in " + quoted(c.region) + ": linked workspaces must share the cluster's region",
          "C3");
    }
    if (decl.tenant != c.tenant) {
      add(Severity::kError, decl.pos,
          "workspace " + quoted(decl.name) + " is in tenant " + quoted(decl.tenant) + " but its cluster " +
              quoted(c.name) + " is in tenant " + quoted(c.tenant) +
              ": linked workspaces must share the cluster's tenant",
          "C3");
    }
  }

  bool some_cluster_uses_key(const std::string& key) const {
    for (const auto& [cluster, keys] : refs_.keys) {
      if (keys.count(key) > 0) return true;
    }
    return false;
  }

  bool some_cluster_uses_identity(const std::string& identity) const {
    for (const auto& [cluster, ids] : refs_.identities) {
      if (ids.count(identity) > 0) return true;
    }
    return false;
  }

  // Does a cluster that has (or will have) `identity` keep (or will it keep)
  // a key in `vault`?
  bool grant_used(const std::string& identity, const std::string& vault) const {
    for (const auto& [cluster, ids] : refs_.identities) {
      if (ids.count(identity) == 0) continue;
      const auto keys = refs_.keys.find(cluster);
      if (keys == refs_.keys.end()) continue;
      for (const std::string& key : keys->second) {
        if (key.compare(0, vault.size() + 1, vault + "/") == 0) return true;
      }
    }
    return false;
  }

  void check_unreferenced() {
    // Which keys and vaults a cluster's key chain reaches now (reverse BFS
    // from each key), plus what events will make clusters use.
    std::set<std::string> used_vaults;
    for (const VaultDecl& vault : scenario_.key_vaults) {
      bool vault_used = false;
      std::vector<const KeyDecl*> unused_keys;
      for (const KeyDecl& key : vault.keys) {
        const std::string name = vault.name + "/" + key.name;
        bool used = some_cluster_uses_key(name);
        if (const auto v = graph_.find(NodeKind::kKey, name)) {
          for (const Vertex d : graph_.dependents({*v}, kKeyChain)) used = used || graph_.node(d).kind == NodeKind::kCluster;
        }
        if (used) vault_used = true;
        else unused_keys.push_back(&key);
      }
      if (!vault_used) {
        add(Severity::kWarning, vault.pos,
            "vault " + quoted(vault.name) + " is used by no cluster: none of its keys wraps a cluster's AEK", "K1");
        continue;
      }
      used_vaults.insert(vault.name);
      for (const KeyDecl* key : unused_keys) {
        add(Severity::kWarning, key->pos,
            "key " + quoted(vault.name + "/" + key->name) + " is used by no cluster: it protects no data", "K1");
      }
    }
    for (const IdentityDecl& id : scenario_.identities) {
      if (!some_cluster_uses_identity(id.name)) {
        add(Severity::kWarning, id.pos, "identity " + quoted(id.name) + " is used by no cluster", "C6");
      }
    }
    for (const GrantDecl& grant : scenario_.grants) {
      // Already reported with its vault, or with its user-assigned identity.
      const bool vault_reported = used_vaults.count(grant.vault) == 0;
      const bool identity_reported =
          grant.identity.rfind("cluster:", 0) != 0 && !some_cluster_uses_identity(grant.identity);
      if (vault_reported || identity_reported) continue;
      if (!grant_used(grant.identity, grant.vault)) {
        add(Severity::kWarning, grant.pos,
            "grant of " + quoted(grant.identity) + " on vault " + quoted(grant.vault) +
                " is used by no cluster: no cluster with that identity keeps its key there",
            "C7");
      }
    }
    for (const ClusterDecl& c : scenario_.clusters) {
      const bool linked_now = !graph_.workspaces_of(c.name).empty();
      if (!linked_now && refs_.linked_clusters.count(c.name) == 0) {
        add(Severity::kWarning, c.pos, "cluster " + quoted(c.name) + " has no workspace linked to it", "W1");
      }
    }
  }

  const Scenario& scenario_;
  ResourceGraph graph_;
  EventReferences refs_;
  std::vector<GraphFinding> findings_;
};

}  // namespace

std::string GraphFinding::str(const std::string& file) const {
  std::string s = file;
  if (pos.line > 0) s += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  s += ": ";
  if (severity == Severity::kWarning) s += "warning: ";
  s += message;
  if (!behaviour.empty()) s += " [" + behaviour + "]";
  return s;
}

std::vector<GraphFinding> check_scenario_graph(const Scenario& scenario) { return Checker(scenario).run(); }

bool has_errors(const std::vector<GraphFinding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const GraphFinding& f) { return f.severity == Severity::kError; });
}

}  // namespace cmksim
