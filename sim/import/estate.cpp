#include <algorithm>
#include <cctype>

#include "sim/core/text.h"
#include "sim/import/arm_json.h"
#include "sim/import/arm_template.h"
#include "sim/import/estate_builder.h"

namespace cmksim::import {

std::string comment_key(const std::string& section, const std::string& name, const std::string& field) {
  return section + "\x1f" + name + (field.empty() ? "" : "\x1f" + field);
}

namespace detail {
namespace {

using nlohmann::json;

// Members that differ between two reads of one resource without meaning a difference.
bool is_volatile(const std::string& key) {
  static const std::set<std::string> kVolatile = {
      "etag",        "systemdata",       "provisioningstate", "lastmodifieddate", "createddate", "modifieddate",
      "tags",        "resourcegroup",    "subscriptionid",    "kind",        "managedby",
      "apiversion",  "associatedate",    "createdon",         "updatedon",        "zones",       "plan"};
  return kVolatile.count(lower(key)) != 0;
}

bool is_stand_in(const std::string& text) { return text.rfind(principal_stand_in(""), 0) == 0; }

// Merges `b` into `a` (members only one has are kept; resource IDs and enum values compare
// case-insensitively, regions by their ARM name). Returns the pointer of the first conflict, or "".
std::string merge_into(json& a, const json& b, const std::string& pointer, const std::string& key) {
  if (a.is_object() && b.is_object()) {
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (is_volatile(it.key())) continue;
      json* mine = member(a, it.key());
      if (mine == nullptr) {
        a[it.key()] = it.value();
        continue;
      }
      const std::string conflict = merge_into(*mine, it.value(), pointer_child(pointer, it.key()), it.key());
      if (!conflict.empty()) return conflict;
    }
    return "";
  }
  if (a.is_string() && b.is_string()) {
    const std::string x = a.get<std::string>();
    const std::string y = b.get<std::string>();
    // A template's stand-in for a principal ID (arm_template.h) gives way to the deployed resource's.
    if (is_stand_in(y)) return "";
    if (is_stand_in(x)) {
      a = y;
      return "";
    }
    const bool same = iequals(key, "location") ? normalize_region(x) == normalize_region(y) : iequals(x, y);
    return same ? "" : (pointer.empty() ? "/" : pointer);
  }
  return a == b ? "" : (pointer.empty() ? "/" : pointer);
}

Expected<std::vector<ArmResource>> without_duplicates(const std::vector<ArmResource>& all) {
  std::vector<ArmResource> unique;
  std::map<std::string, std::size_t> seen;
  for (const ArmResource& r : all) {
    const auto it = seen.find(r.id.key());
    if (it == seen.end()) {
      seen[r.id.key()] = unique.size();
      unique.push_back(r);
      continue;
    }
    ArmResource& first = unique[it->second];
    const std::string conflict = merge_into(first.body, r.body, "", "");
    if (!conflict.empty()) {
      return error_at(r.file, conflict == "/" && !r.pointer.empty() ? r.pointer : r.pointer + conflict,
                      "conflicts with " + first.where() + ": the same resource (" + string_member(r.body, "id") +
                          ") with a different value");
    }
  }
  return unique;
}

// Tenants (C3): each resource keeps the tenant ARM names for it. Where ARM names none (a workspace's
// body, a cluster without an identity), the estate's one tenant, or a workspace's cluster's.
void merge_tenants(Builder& b) {
  Scenario& s = b.estate.scenario;
  std::set<std::string> tenants;
  for (const VaultDecl& v : s.key_vaults) tenants.insert(v.tenant);
  for (const ClusterDecl& c : s.clusters) tenants.insert(c.tenant);
  for (const IdentityDecl& i : s.identities) tenants.insert(i.tenant);
  for (const WorkspaceDecl& w : s.workspaces) tenants.insert(w.tenant);
  tenants.erase("default");
  if (tenants.empty()) return;
  if (tenants.size() == 1) {
    const std::string t = *tenants.begin();
    b.estate.tenant = t;
    const auto fill = [&](const char* section, const std::string& name, std::string& tenant) {
      if (tenant != "default") return;
      tenant = t;
      b.assume(comment_key(section, name, "tenant"), "assumed: the estate's one tenant (ARM names none for it)");
    };
    for (VaultDecl& v : s.key_vaults) fill("key_vaults", v.name, v.tenant);
    for (ClusterDecl& c : s.clusters) fill("clusters", c.name, c.tenant);
    for (IdentityDecl& i : s.identities) fill("identities", i.name, i.tenant);
    for (WorkspaceDecl& w : s.workspaces) fill("workspaces", w.name, w.tenant);
    return;
  }
  for (WorkspaceDecl& w : s.workspaces) {
    const ClusterDecl* c = b.cluster(w.cluster);
    if (w.tenant == "default" && c != nullptr) {
      w.tenant = c->tenant;
      b.assume(comment_key("workspaces", w.name, "tenant"), "assumed: the tenant of its cluster " + c->name);
    }
  }
  b.warn("the resources are in " + std::to_string(tenants.size()) +
         " tenants: C3 allows a cluster only its own tenant's vault and workspaces");
}

void note_skipped(Builder& b) {
  if (b.skipped.empty()) return;
  std::string text;
  int total = 0;
  for (const auto& [type, count] : b.skipped) {
    text += (text.empty() ? "" : ", ") + type + " (" + std::to_string(count) + ")";
    total += count;
  }
  b.estate.notes.push_back("skipped " + std::to_string(total) + (total == 1 ? " resource" : " resources") +
                           " of types a scenario does not describe: " + text);
}

}  // namespace

std::string valid_scenario_name(const std::string& azure_name) {
  std::string out;
  for (const char c : azure_name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    if (ok) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "unnamed" : out;
}

std::string NameTable::assign(const std::string& key, const std::string& azure_name, bool& changed) {
  if (const auto it = by_key_.find(key); it != by_key_.end()) {
    changed = it->second != azure_name;
    return it->second;
  }
  const std::string base = valid_scenario_name(azure_name);
  std::string name = base;
  for (int n = 2; used_.count(lower(name)) != 0; ++n) name = base + "-" + std::to_string(n);
  used_.insert(lower(name));
  by_key_[key] = name;
  changed = name != azure_name;
  return name;
}

const std::string* NameTable::find(const std::string& key) const {
  const auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &it->second;
}

std::vector<const ArmResource*> of_type(const std::vector<ArmResource>& resources, const std::string& type) {
  std::vector<const ArmResource*> out;
  for (const ArmResource& r : resources) {
    if (r.id.type() == type) out.push_back(&r);
  }
  return out;
}

std::string tenant_of(const ArmResource& r, const nlohmann::json* inner) {
  std::string t = inner != nullptr ? string_member(*inner, "tenantId") : "";
  if (t.empty()) t = string_member(r.body, "tenantId");  // a Resource Graph row names every resource's tenant
  return lower(t);
}

std::string display_name(const ArmResource& r) {
  const std::string body_name = string_member(r.body, "name");
  const std::string id_name = r.id.name();
  // A template's child resources carry "vault/key" names: the ID's last name is the resource's.
  return iequals(body_name, id_name) ? body_name : id_name;
}

void Builder::comment(const std::string& key, const std::string& text) {
  std::string& c = estate.comments[key];
  c += (c.empty() ? "" : "; ") + text;
}

void Builder::assume(const std::string& key, const std::string& text) {
  comment(key, text);
  // "workspaces\x1fws1\x1fretention" -> "workspace ws1, retention: ..."
  std::vector<std::string> parts(1);
  for (const char c : key) {
    if (c == '\x1f') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  static const std::map<std::string, std::string> kSingular = {
      {"key_vaults", "vault"}, {"identities", "identity"}, {"clusters", "cluster"},
      {"grants", "grant"},     {"workspaces", "workspace"}};
  const auto singular = kSingular.find(parts[0]);
  std::string what = (singular != kSingular.end() ? singular->second : parts[0]) + " " + parts[1];
  if (parts[0] == "grants" && parts.size() > 2) what = "grant of " + parts[1] + " on vault " + parts[2];
  if (parts[0] != "grants" && parts.size() > 2) what += parts[2] == "keys" && parts.size() > 3 ? ", key " + parts[3]
                                                                                             : ", " + parts[2];
  estate.notes.push_back(what + ": " + text);
}

VaultDecl* Builder::vault(const std::string& name) {
  for (VaultDecl& v : estate.scenario.key_vaults) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

ClusterDecl* Builder::cluster(const std::string& name) {
  for (ClusterDecl& c : estate.scenario.clusters) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

WorkspaceDecl* Builder::workspace(const std::string& name) {
  for (WorkspaceDecl& w : estate.scenario.workspaces) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

std::string Builder::name_for(NameTable& table, const std::string& section, const std::string& key,
                              const std::string& azure_name, const std::string& id_text) {
  bool changed = false;
  const bool known = table.find(key) != nullptr;
  const std::string name = table.assign(key, azure_name, changed);
  if (!known && changed) {
    comment(comment_key(section, name), "Azure name \"" + one_line(azure_name) + "\"" +
                                            (id_text.empty() ? "" : " (" + one_line(id_text) + ")"));
  }
  return name;
}

}  // namespace detail

Expected<Estate> build_estate(const std::vector<ArmResource>& resources, const EstateOptions& options) {
  detail::Builder b(options);
  Expected<std::vector<ArmResource>> unique = detail::without_duplicates(resources);
  if (!unique) return unique.error();
  b.resources = std::move(*unique);
  static const std::set<std::string> kKnown = {
      "microsoft.keyvault/vaults",
      "microsoft.keyvault/vaults/keys",
      "microsoft.keyvault/vaults/keys/versions",
      "microsoft.managedidentity/userassignedidentities",
      "microsoft.operationalinsights/clusters",
      "microsoft.operationalinsights/workspaces",
      "microsoft.operationalinsights/workspaces/linkedservices",
      "microsoft.authorization/roleassignments"};
  for (const ArmResource& r : b.resources) {
    if (kKnown.count(r.id.type()) == 0) ++b.skipped[r.id.type()];
  }
  b.read_identities();
  b.read_vaults();
  b.read_keys();
  b.read_clusters();
  if (Status s = b.read_workspaces(); !s.ok()) return s.error();
  b.read_grants();
  b.assume_workload();
  detail::merge_tenants(b);
  detail::note_skipped(b);
  return std::move(b.estate);
}

}  // namespace cmksim::import
