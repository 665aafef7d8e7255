// Azure Monitor resources into the estate: user-assigned identities (C6),
// dedicated clusters (C1 capacity, C6 identity, K2 key, K4 double
// encryption), workspaces (D9 retention) and their links (W1) from
// features.clusterResourceId, linkedServices and a cluster's
// associatedWorkspaces; then the workload ARM does not describe (D1, K2).
#include <algorithm>
#include <cmath>

#include "sim/core/text.h"
#include "sim/import/arm_json.h"
#include "sim/import/arm_template.h"
#include "sim/import/estate_builder.h"

namespace cmksim::import::detail {
namespace {

using nlohmann::json;

const json& properties_of(const ArmResource& r) {
  static const json kEmpty = json::object();
  const json* p = member(r.body, "properties");
  return p != nullptr && p->is_object() ? *p : kEmpty;
}

}  // namespace

void Builder::read_identities() {
  for (const ArmResource* r : of_type(resources, "microsoft.managedidentity/userassignedidentities")) {
    const std::string name = name_for(identity_names, "identities", r->id.key(), display_name(*r), r->id.resource_group);
    IdentityDecl i;
    i.name = name;
    if (const std::string t = tenant_of(*r, &properties_of(*r)); !t.empty()) i.tenant = t;
    const std::string principal = lower(string_member(properties_of(*r), "principalId"));
    if (!principal.empty()) principals[principal] = name;
    principals[principal_stand_in(r->id.key())] = name;  // a template's reference to it
    estate.scenario.identities.push_back(i);
  }
}

void Builder::read_clusters() {
  for (const ArmResource* r : of_type(resources, "microsoft.operationalinsights/clusters")) {
    const std::string name = name_for(cluster_names, "clusters", r->id.key(), display_name(*r), r->id.resource_group);
    const json& props = properties_of(*r);
    ClusterDecl c;
    c.name = name;
    c.region = normalize_region(string_member(r->body, "location"));
    c.subscription = r->id.subscription;
    const json* capacity = path(r->body, {"sku", "capacity"});
    if (capacity != nullptr && capacity->is_number() && capacity->get<double>() >= 0 && capacity->get<double>() <= 1e15) {
      c.capacity_gb_per_day = capacity->get<double>();
    } else {
      assume(comment_key("clusters", name, "capacity_gb_per_day"), "assumed: 100 GB/day (ARM gave no usable sku.capacity)");
    }
    const json* identity = member(r->body, "identity");
    const std::string type = identity != nullptr ? lower(string_member(*identity, "type")) : "";
    if (const std::string t = tenant_of(*r, identity); !t.empty()) c.tenant = t;
    if (type.find("userassigned") != std::string::npos) {
      c.identity.kind = IdentitySpec::Kind::kUserAssigned;
      const json* assigned = member(*identity, "userAssignedIdentities");
      if (assigned != nullptr && assigned->is_object() && !assigned->empty()) {
        const std::string id_text = assigned->begin().key();
        const std::optional<ResourceId> id = parse_resource_id(id_text);
        const std::string key = id ? id->key() : lower(id_text);
        const bool known = identity_names.find(key) != nullptr;
        const std::string identity_name =
            name_for(identity_names, "identities", key, id ? id->name() : id_text, id ? id->resource_group : "");
        if (!known) {
          IdentityDecl i;
          i.name = identity_name;
          i.tenant = c.tenant;
          estate.scenario.identities.push_back(i);
          assume(comment_key("identities", identity_name), "not in the input, known only from cluster " + name);
        }
        c.identity.user_assigned = identity_name;
        const std::string principal = lower(string_member(assigned->begin().value(), "principalId"));
        if (!principal.empty()) principals[principal] = identity_name;
        principals[principal_stand_in(key)] = identity_name;
        if (assigned->size() > 1 || type.find("systemassigned") != std::string::npos) {
          warn("cluster " + name + " has more than one identity: the scenario uses " + identity_name);
        }
      } else {
        warn("cluster " + name + ": identity UserAssigned names no identity: the scenario uses none");
        c.identity.kind = IdentitySpec::Kind::kNone;
      }
    } else if (type.find("systemassigned") != std::string::npos) {
      const std::string principal = lower(string_member(*identity, "principalId"));
      if (!principal.empty()) principals[principal] = "cluster:" + name;
      principals[principal_stand_in(r->id.key())] = "cluster:" + name;  // a template's reference to it
    } else if (type == "none") {
      c.identity.kind = IdentitySpec::Kind::kNone;
    } else {
      assume(comment_key("clusters", name, "identity"), "assumed: system_assigned (ARM gave no identity)");
    }
    if (const json* de = member(props, "isDoubleEncryptionEnabled"); de != nullptr && de->is_boolean()) {
      c.double_encryption = de->get<bool>();
    }
    estate.scenario.clusters.push_back(c);
    // The key (K2): the vault from the URI's host; "" as the version is auto-rotation (R1).
    const json* kv = member(props, "keyVaultProperties");
    const std::string uri = kv != nullptr ? string_member(*kv, "keyVaultUri") : "";
    const std::string key_name = kv != nullptr ? string_member(*kv, "keyName") : "";
    const std::optional<std::string> vault_azure = vault_from_uri(uri);
    if (vault_azure && !vault_azure->empty() && !key_name.empty()) {
      const std::string version = string_member(*kv, "keyVersion");
      const std::string because = "the key URI of cluster " + name;
      VaultDecl& v = vault_by_reference(*vault_azure, because, cluster(name));
      const std::string vault_name = v.name;
      const KeyDecl& k = key_by_reference(v, key_name, version, because);
      std::string spelled = version;
      for (const std::string& x : k.versions) {
        if (iequals(x, version)) spelled = x;
      }
      cluster(name)->key = KeyRef{vault_name, k.name, spelled};
    }
    if (const json* associated = member(props, "associatedWorkspaces"); associated != nullptr && associated->is_array()) {
      for (const json& a : *associated) {
        const std::string id = string_member(a, "resourceId");
        if (!id.empty()) pending_associations.push_back({id, string_member(a, "workspaceName"), name, r->where()});
      }
    }
  }
}

// The cluster a link names: a declared one, or one declared here with stated assumptions.
std::string Builder::cluster_for_link(const std::string& id_text, const WorkspaceDecl& w) {
  const std::optional<ResourceId> id = parse_resource_id(id_text);
  const std::string key = id ? id->key() : lower(id_text);
  if (const std::string* known = cluster_names.find(key)) return *known;
  const std::string name = name_for(cluster_names, "clusters", key, id ? id->name() : id_text, "");
  ClusterDecl c;
  c.name = name;
  c.region = w.region;
  c.subscription = id ? id->subscription : w.subscription;
  estate.scenario.clusters.push_back(c);
  assume(comment_key("clusters", name), "not in the input, known only from the link of workspace " + w.name +
                                            "; assumed: in its region, system-assigned identity, no key");
  assume(comment_key("clusters", name, "capacity_gb_per_day"), "assumed: 100 GB/day (the cluster is not in the input)");
  return name;
}

Status Builder::link(const std::string& workspace_name, const std::string& cluster_name, const std::string& where) {
  const auto it = links.find(workspace_name);
  if (it != links.end() && it->second != cluster_name) {
    return Error(where + ": links workspace " + workspace_name + " to cluster " + cluster_name + ", but " +
                 link_sources[workspace_name] + " links it to " + it->second);
  }
  links[workspace_name] = cluster_name;
  link_sources.emplace(workspace_name, where);
  workspace(workspace_name)->cluster = cluster_name;
  return Status();
}

Status Builder::read_workspaces() {
  for (const ArmResource* r : of_type(resources, "microsoft.operationalinsights/workspaces")) {
    const std::string name = name_for(workspace_names, "workspaces", r->id.key(), display_name(*r), r->id.resource_group);
    const json& props = properties_of(*r);
    WorkspaceDecl w;
    w.name = name;
    w.region = normalize_region(string_member(r->body, "location"));
    w.subscription = r->id.subscription;
    if (const std::string t = tenant_of(*r, nullptr); !t.empty()) w.tenant = t;
    if (const json* days = member(props, "retentionInDays");
        days != nullptr && days->is_number_integer() && days->get<long long>() > 0 && days->get<long long>() <= 36500) {
      w.retention_ms = days->get<long long>() * kMsPerDay;
    }
    estate.scenario.workspaces.push_back(w);
    const std::string cluster_id = string_member(member(props, "features") ? *member(props, "features") : json(), "clusterResourceId");
    if (!cluster_id.empty()) {
      const std::string c = cluster_for_link(cluster_id, *workspace(name));
      if (Status s = link(name, c, r->where() + " features.clusterResourceId"); !s.ok()) return s;
    }
  }
  for (const ArmResource* r : of_type(resources, "microsoft.operationalinsights/workspaces/linkedservices")) {
    const json& props = properties_of(*r);
    std::string target = string_member(props, "writeAccessResourceId");
    if (target.empty()) target = string_member(props, "resourceId");
    const std::optional<ResourceId> target_id = parse_resource_id(target);
    if (!target_id || target_id->type() != "microsoft.operationalinsights/clusters") {
      ++skipped["microsoft.operationalinsights/workspaces/linkedservices (not to a cluster)"];
      continue;
    }
    ResourceId ws_id = r->id;
    ws_id.segments.pop_back();
    const std::string* ws = workspace_names.find(ws_id.key());
    if (ws == nullptr) {
      warn(r->where() + ": the linked service of workspace " + ws_id.name() + ", which is not in the input: ignored");
      continue;
    }
    const std::string ws_name = *ws;
    const std::string c = cluster_for_link(target, *workspace(ws_name));
    if (Status s = link(ws_name, c, r->where()); !s.ok()) return s;
  }
  for (const Association& a : pending_associations) {
    const std::optional<ResourceId> id = parse_resource_id(a.workspace_id);
    const std::string key = id ? id->key() : lower(a.workspace_id);
    const std::string* known = workspace_names.find(key);
    std::string ws_name;
    if (known != nullptr) {
      ws_name = *known;
    } else {
      const ClusterDecl& c = *cluster(a.cluster);
      ws_name = name_for(workspace_names, "workspaces", key,
                         a.workspace_name.empty() ? (id ? id->name() : a.workspace_id) : a.workspace_name, "");
      WorkspaceDecl w;
      w.name = ws_name;
      w.region = c.region;
      w.subscription = id ? id->subscription : c.subscription;
      estate.scenario.workspaces.push_back(w);
      assume(comment_key("workspaces", ws_name),
             "not in the input, known only from the associatedWorkspaces of cluster " + c.name + "; assumed: in its region");
      assume(comment_key("workspaces", ws_name, "retention"), "assumed: 30d (the workspace is not in the input)");
    }
    if (Status s = link(ws_name, a.cluster, a.where + " associatedWorkspaces"); !s.ok()) return s;
  }
  return Status();
}

// What ARM does not say: how much each workspace ingests (D1), how much data it holds, and when the key
// was set (K2). Each value is stated where it is written and on stderr, with the option that sets it.
void Builder::assume_workload() {
  Scenario& s = estate.scenario;
  for (WorkspaceDecl& w : s.workspaces) {
    const std::string at = comment_key("workspaces", w.name, "ingest_gb_per_day");
    if (options.ingest_gb_per_day) {
      w.ingest_gb_per_day = *options.ingest_gb_per_day;
      comment(at, "from --ingest-gb-per-day");
    } else if (const ClusterDecl* c = cluster(w.cluster)) {
      const auto n = std::count_if(s.workspaces.begin(), s.workspaces.end(),
                                   [&](const WorkspaceDecl& x) { return x.cluster == c->name; });
      w.ingest_gb_per_day = std::round(c->capacity_gb_per_day / static_cast<double>(n) * 1000) / 1000;
      assume(at, "assumed: cluster " + c->name + "'s " + format_gb(c->capacity_gb_per_day) + " GB/day split over its " +
                     std::to_string(n) + " workspace" + (n == 1 ? "" : "s") + "; --ingest-gb-per-day sets it");
    } else {
      assume(at, "assumed: 0 (ARM does not say; --ingest-gb-per-day sets it)");
    }
    const std::string data_at = comment_key("workspaces", w.name, "existing_data");
    if (options.existing_data_ms) {
      w.existing_data_ms = std::min(*options.existing_data_ms, w.retention_ms);
      comment(data_at, *options.existing_data_ms > w.retention_ms ? "--existing-data, capped at the retention"
                                                                  : "from --existing-data");
    } else {
      w.existing_data_ms = w.retention_ms;
      assume(data_at, "assumed: a full retention of data (ARM does not say; --existing-data sets it)");
    }
  }
  for (ClusterDecl& c : s.clusters) {
    if (!c.key) continue;
    DurationMs oldest = 0;
    for (const WorkspaceDecl& w : s.workspaces) {
      if (w.cluster == c.name) oldest = std::max(oldest, w.existing_data_ms);
    }
    c.key_since_ms = oldest;
    if (oldest > 0) {
      assume(comment_key("clusters", c.name, "key_since"),
             "assumed: the key was set before the oldest data, so all of it is under the CMK (ARM does not say when)");
    }
  }
}

}  // namespace cmksim::import::detail
