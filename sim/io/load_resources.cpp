// SectionLoader (sim/io/section_loader.h): the declared resources -- key
// vaults and their keys, identities, clusters, grants, workspaces -- with
// unique names and the references among them checked.
#include <string>
#include <vector>

#include "sim/io/message_text.h"
#include "sim/io/scenario_values.h"
#include "sim/io/section_loader.h"
#include "sim/scenario/format.h"

namespace cmksim::load {

void SectionLoader::read_vaults(const Reader& section) {
  for (const Reader& item : section.items(true)) {
    const MapReader m(item, "key vault");
    m.check_fields(Mapping::kKeyVault);
    VaultDecl v;
    v.pos = pos_of(m.mark());
    const Reader name = m.require("name");
    v.name = name.name_text();
    vaults_.declare(name, v.name);
    if (auto f = m.get("region")) v.region = f->name_text();
    if (auto f = m.get("tenant")) v.tenant = f->name_text();
    if (auto f = m.get("subscription")) v.subscription = f->name_text();
    if (auto f = m.get("soft_delete")) v.soft_delete = f->boolean();
    if (auto f = m.get("purge_protection")) v.purge_protection = f->boolean();
    if (auto f = m.get("permission_model")) {  // C7
      v.permission_model = f->choice("permission_model", permission_model_names()) == "rbac"
                               ? PermissionModel::kRbac : PermissionModel::kAccessPolicy;
    }
    if (auto f = m.get("private_link")) v.private_link = f->boolean();
    if (auto f = m.get("keys")) {
      NameSet keys("key name");
      for (const Reader& k : f->items(true)) v.keys.push_back(read_key(k, keys, v.name));
    }
    s_.key_vaults.push_back(std::move(v));
  }
  for (const VaultDecl& v : s_.key_vaults) {
    subjects_.insert(v.name);
    for (const KeyDecl& k : v.keys) {
      keys_[{v.name, k.name}] = &k;
      subjects_.insert(v.name + "/" + k.name);
    }
  }
}

// Defaults not visible in the format: a key without `versions` has [v1].
KeyDecl SectionLoader::read_key(const Reader& item, NameSet& keys, const std::string& vault) {
  const MapReader m(item, "key");
  m.check_fields(Mapping::kKey);
  KeyDecl k;
  k.pos = pos_of(m.mark());
  const Reader name = m.require("name");
  k.name = name.name_text();
  keys.declare(name, k.name, " in vault " + quote(vault));
  k.versions = {"v1"};
  if (auto f = m.get("versions")) {
    k.versions.clear();
    NameSet versions("version");
    for (const Reader& v : f->items()) {
      k.versions.push_back(v.name_text());
      versions.declare(v, k.versions.back(), " of key " + quote(k.name));
    }
    if (k.versions.empty()) f->fail("key " + quote(k.name) + " must have at least one version");
  }
  return k;
}

void SectionLoader::read_identities(const Reader& section) {
  for (const Reader& item : section.items(true)) {
    const MapReader m(item, "identity");
    m.check_fields(Mapping::kIdentity);
    IdentityDecl id;
    id.pos = pos_of(m.mark());
    const Reader name = m.require("name");
    id.name = name.name_text();
    identities_.declare(name, id.name);
    if (auto f = m.get("tenant")) id.tenant = f->name_text();
    s_.identities.push_back(std::move(id));
  }
}

void SectionLoader::read_clusters(const Reader& section) {
  for (const Reader& item : section.items(true)) {
    const MapReader m(item, "cluster");
    m.check_fields(Mapping::kCluster);
    ClusterDecl c;
    c.pos = pos_of(m.mark());
    const Reader name = m.require("name");
    c.name = name.name_text();
    clusters_.declare(name, c.name);
    const std::string owner = "cluster " + quote(c.name);
    if (auto f = m.get("region")) c.region = f->name_text();
    if (auto f = m.get("subscription")) c.subscription = f->name_text();
    if (auto f = m.get("tenant")) c.tenant = f->name_text();
    if (auto f = m.get("identity")) {
      c.identity = read_identity_spec(*f);
      if (c.identity.kind == IdentitySpec::Kind::kUserAssigned) {
        identities_.check_reference(*f, c.identity.user_assigned, owner, "identity");
      }
    }
    if (auto f = m.get("capacity_gb_per_day")) c.capacity_gb_per_day = f->number();  // C1 ranges: the model
    if (auto f = m.get("double_encryption")) c.double_encryption = f->boolean();    // K4
    if (auto f = m.get("key")) c.key = read_cluster_key(*f, owner);
    if (auto f = m.get("key_since")) {
      c.key_since_ms = f->duration();  // K2
      if (!c.key) f->fail("key_since needs a key on cluster " + quote(c.name));
    }
    subjects_.insert(c.name);
    s_.clusters.push_back(std::move(c));
  }
}

// A declared cluster's key must exist at the start: vault, key and (unless
// "" = auto-rotation, R1) version.
KeyRef SectionLoader::read_cluster_key(const Reader& field, const std::string& owner) {
  const MapReader m(field, "key reference");
  KeyRef ref = read_key_ref(m);
  vaults_.check_reference(m.require("vault"), ref.vault, owner, "vault");
  const auto key = keys_.find({ref.vault, ref.key});
  if (key == keys_.end()) {
    std::vector<std::string> key_names;
    for (const auto& [vault_key, decl] : keys_) {
      if (vault_key.first == ref.vault) key_names.push_back(decl->name);
    }
    m.require("key").fail(owner + " names unknown key " + quote(ref.key) + " in vault " + quote(ref.vault) +
                          hint(ref.key, key_names));
  }
  const std::vector<std::string>& versions = key->second->versions;
  if (!ref.version.empty() && !contains(versions, ref.version)) {
    m.require("version").fail(owner + " names unknown version " + quote(ref.version) + " of key " +
                              quote(ref.vault + "/" + ref.key) + hint(ref.version, versions));
  }
  return ref;
}

void SectionLoader::read_grants(const Reader& section) {
  for (const Reader& item : section.items(true)) {
    const MapReader m(item, "grant");
    m.check_fields(Mapping::kGrant);
    GrantDecl g;
    g.pos = pos_of(m.mark());
    const Reader identity = m.require("identity");
    g.identity = read_grant_identity(identity);
    check_grant_identity(identity, g.identity);
    const Reader vault = m.require("vault");
    g.vault = vault.name_text();
    vaults_.check_reference(vault, g.vault, "grant", "vault");
    if (auto f = m.get("permissions")) g.permissions = read_permissions(*f);
    s_.grants.push_back(std::move(g));
  }
}

// "cluster:NAME" names a declared cluster, anything else a declared
// user-assigned identity.
void SectionLoader::check_grant_identity(const Reader& field, const std::string& identity) const {
  const std::string prefix = "cluster:";
  if (identity.rfind(prefix, 0) == 0) {
    clusters_.check_reference(field, identity.substr(prefix.size()), "grant", "cluster");
    return;
  }
  if (identities_.has(identity)) return;
  std::vector<std::string> candidates = identities_.names();
  for (const std::string& c : clusters_.names()) candidates.push_back(prefix + c);
  field.fail("grant names unknown identity " + quote(identity) + hint(identity, candidates));
}

void SectionLoader::read_workspaces(const Reader& section) {
  for (const Reader& item : section.items(true)) {
    const MapReader m(item, "workspace");
    m.check_fields(Mapping::kWorkspace);
    WorkspaceDecl w;
    w.pos = pos_of(m.mark());
    const Reader name = m.require("name");
    w.name = name.name_text();
    workspaces_.declare(name, w.name);
    if (auto f = m.get("region")) w.region = f->name_text();
    if (auto f = m.get("tenant")) w.tenant = f->name_text();
    if (auto f = m.get("subscription")) w.subscription = f->name_text();
    if (auto f = m.get("cluster")) {
      w.cluster = f->name_text();
      clusters_.check_reference(*f, w.cluster, "workspace " + quote(w.name), "cluster");
    }
    if (auto f = m.get("ingest_gb_per_day")) w.ingest_gb_per_day = f->number();  // D1
    if (auto f = m.get("daily_profile")) w.daily_profile = read_daily_profile(*f);
    if (auto f = m.get("weekly_profile")) w.weekly_profile = read_weekly_profile(*f);
    if (auto f = m.get("retention")) {
      w.retention_ms = f->duration();  // D9
      if (w.retention_ms <= 0) f->fail("retention must be > 0");
    }
    if (auto f = m.get("existing_data")) w.existing_data_ms = f->duration();
    if (auto f = m.get("queries_per_hour")) {
      w.queries_per_hour = f->number();
      if (w.queries_per_hour > kMaxQueriesPerHour) {  // D2: the model's 1 ms gap cannot serve more
        f->fail("queries_per_hour must be at most 3600000 (one query per millisecond, the model's time step)");
      }
    }
    if (auto f = m.get("query_range")) w.query_range_ms = f->duration();
    subjects_.insert(w.name);
    s_.workspaces.push_back(std::move(w));
  }
}

}  // namespace cmksim::load
