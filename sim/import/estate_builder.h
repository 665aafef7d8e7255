// Internal to sim/import: the state of one build_estate call, shared by
// estate.cpp (the order of the steps, duplicates, names, workload
// assumptions), estate_keyvault.cpp (vaults, keys, grants) and
// estate_monitor.cpp (identities, clusters, workspaces and their links).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/import/estate.h"

namespace cmksim::import::detail {

// Scenario names for Azure resources, one table per section. An Azure name
// with characters a scenario name should not have (anything but letters,
// digits, '.', '_' and '-') is mapped, and a name taken by another resource
// of the section (same name in another resource group) gets a suffix.
class NameTable {
 public:
  // The scenario name of the resource known by `key`; assigned from `azure_name` on first use.
  // `changed` is set when it differs from the Azure name.
  std::string assign(const std::string& key, const std::string& azure_name, bool& changed);
  const std::string* find(const std::string& key) const;

 private:
  std::map<std::string, std::string> by_key_;
  std::set<std::string> used_;
};

std::string valid_scenario_name(const std::string& azure_name);

struct AccessPolicy {
  std::string principal;  // lower case
  std::uint8_t permissions = 0;
  std::string where;
};

struct Builder {
  const EstateOptions& options;
  Estate estate;
  std::vector<ArmResource> resources;  // without duplicates
  NameTable vault_names, identity_names, cluster_names, workspace_names;
  std::map<std::string, std::string> vault_ids;          // vault name -> lower ID key (imported vaults)
  std::map<std::string, std::vector<AccessPolicy>> access_policies;  // vault name -> its policies
  std::map<std::string, std::string> current_versions;   // "vault/key" -> the version keyUriWithVersion names
  std::set<std::string> assumed_vaults;                  // known only from a key URI or a key's ID
  std::map<std::string, std::string> principals;         // lower principal ID -> grant identity
  std::map<std::string, std::string> links;              // workspace name -> cluster name
  std::map<std::string, std::string> link_sources;       // workspace name -> where its link was read
  std::map<std::string, int> skipped;                    // resource type -> how many
  struct Association {  // a cluster's associatedWorkspaces entry, read after the workspaces
    std::string workspace_id, workspace_name, cluster, where;
  };
  std::vector<Association> pending_associations;

  explicit Builder(const EstateOptions& o) : options(o) {}

  // A comment on a line of the output and, when `assumed`, a line on stderr.
  void comment(const std::string& key, const std::string& text);
  void assume(const std::string& key, const std::string& text);
  void warn(const std::string& text) { estate.notes.push_back("warning: " + text); }

  VaultDecl* vault(const std::string& name);
  ClusterDecl* cluster(const std::string& name);
  WorkspaceDecl* workspace(const std::string& name);
  std::string name_for(NameTable& table, const std::string& section, const std::string& key,
                       const std::string& azure_name, const std::string& id_text);

  // estate_keyvault.cpp
  void read_vaults();
  void read_keys();
  VaultDecl& vault_by_reference(const std::string& azure_name, const std::string& because,
                                const ClusterDecl* user);
  KeyDecl& key_by_reference(VaultDecl& v, const std::string& key_name, const std::string& version,
                            const std::string& because);
  void read_grants();
  void add_grant(const std::string& identity, const std::string& vault, std::uint8_t permissions);

  // estate_monitor.cpp
  void read_identities();
  void read_clusters();
  Status read_workspaces();
  Status link(const std::string& workspace, const std::string& cluster, const std::string& where);
  std::string cluster_for_link(const std::string& id_text, const WorkspaceDecl& w);
  void assume_workload();
};

// Resources of one type, in input order.
std::vector<const ArmResource*> of_type(const std::vector<ArmResource>& resources, const std::string& type);

// The tenant ARM names for a resource: `inner`'s tenantId (properties, identity), else the body's
// (a Resource Graph row); "" when neither names one.
std::string tenant_of(const ArmResource& r, const nlohmann::json* inner);

// The body's name when it agrees with the ID's (its case is the user's), else the ID's.
std::string display_name(const ArmResource& r);

}  // namespace cmksim::import::detail
