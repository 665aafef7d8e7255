#include "sim/import/estate_yaml.h"

#include <cctype>
#include <cstdio>

#include "sim/core/text.h"
#include "sim/import/arm_id.h"

namespace cmksim::import {
namespace {

// Collects lines; a comment goes after its line's value.
class Writer {
 public:
  explicit Writer(const Estate& estate) : estate_(estate) {}
  void line(const std::string& text, const std::string& key = "") {
    std::string l = text;
    if (!key.empty()) {
      const auto it = estate_.comments.find(key);
      if (it != estate_.comments.end() && !it->second.empty()) l += "  # " + one_line(it->second);
    }
    out_ += l + "\n";
  }
  // "    field: value", with the comment of (section, name, field).
  void field(const std::string& indent, const std::string& section, const std::string& name, const std::string& f,
             const std::string& value) {
    line(indent + f + ": " + value, comment_key(section, name, f));
  }
  std::string note(const std::string& key) const {
    const auto it = estate_.comments.find(key);
    return it == estate_.comments.end() ? "" : it->second;
  }
  std::string text() const { return out_; }

 private:
  const Estate& estate_;
  std::string out_;
};

std::string permissions_text(std::uint8_t p) {
  std::string out;
  const auto add = [&](std::uint8_t bit, const char* name) {
    if ((p & bit) != 0) out += std::string(out.empty() ? "" : ", ") + name;
  };
  add(kPermGet, "get");
  add(kPermWrap, "wrap");
  add(kPermUnwrap, "unwrap");
  return "[" + out + "]";
}

std::string identity_text(const IdentitySpec& spec) {
  switch (spec.kind) {
    case IdentitySpec::Kind::kSystemAssigned: return "system_assigned";
    case IdentitySpec::Kind::kNone: return "none";
    case IdentitySpec::Kind::kUserAssigned: break;
  }
  return yaml_scalar("user_assigned:" + spec.user_assigned);
}

std::string versions_text(const std::vector<std::string>& versions) {
  std::string out;
  for (const std::string& v : versions) out += (out.empty() ? "" : ", ") + yaml_scalar(v);
  return "[" + out + "]";
}

void write_vaults(Writer& w, const Scenario& s) {
  if (s.key_vaults.empty()) return;
  w.line("");
  w.line("key_vaults:");
  for (const VaultDecl& v : s.key_vaults) {
    const std::string sec = "key_vaults";
    w.line("  - name: " + yaml_scalar(v.name), comment_key(sec, v.name));
    if (!v.region.empty()) w.field("    ", sec, v.name, "region", yaml_scalar(v.region));
    if (!v.subscription.empty()) w.field("    ", sec, v.name, "subscription", yaml_scalar(v.subscription));
    if (v.tenant != "default") w.field("    ", sec, v.name, "tenant", yaml_scalar(v.tenant));
    w.field("    ", sec, v.name, "soft_delete", v.soft_delete ? "true" : "false");
    w.field("    ", sec, v.name, "purge_protection", v.purge_protection ? "true" : "false");
    w.field("    ", sec, v.name, "permission_model",
            v.permission_model == PermissionModel::kRbac ? "rbac" : "access_policy");
    if (v.private_link) w.field("    ", sec, v.name, "private_link", "true");
    if (v.keys.empty()) continue;
    w.line("    keys:");
    for (const KeyDecl& k : v.keys) {
      w.line("      - {name: " + yaml_scalar(k.name) + ", versions: " + versions_text(k.versions) + "}",
             comment_key(sec, v.name, "keys\x1f" + k.name));
    }
  }
}

void write_identities(Writer& w, const Scenario& s) {
  if (s.identities.empty()) return;
  w.line("");
  w.line("identities:");
  for (const IdentityDecl& i : s.identities) {
    std::string l = "  - {name: " + yaml_scalar(i.name);
    if (i.tenant != "default") l += ", tenant: " + yaml_scalar(i.tenant);
    // One line per identity: the tenant's comment joins the entry's.
    std::string note = w.note(comment_key("identities", i.name));
    const std::string tenant_note = w.note(comment_key("identities", i.name, "tenant"));
    if (!tenant_note.empty()) note += (note.empty() ? "" : "; ") + ("tenant " + tenant_note);
    w.line(l + "}" + (note.empty() ? "" : "  # " + one_line(note)));
  }
}

void write_clusters(Writer& w, const Scenario& s) {
  if (s.clusters.empty()) return;
  w.line("");
  w.line("clusters:");
  for (const ClusterDecl& c : s.clusters) {
    const std::string sec = "clusters";
    w.line("  - name: " + yaml_scalar(c.name), comment_key(sec, c.name));
    if (!c.region.empty()) w.field("    ", sec, c.name, "region", yaml_scalar(c.region));
    if (!c.subscription.empty()) w.field("    ", sec, c.name, "subscription", yaml_scalar(c.subscription));
    if (c.tenant != "default") w.field("    ", sec, c.name, "tenant", yaml_scalar(c.tenant));
    w.field("    ", sec, c.name, "identity", identity_text(c.identity));
    w.field("    ", sec, c.name, "capacity_gb_per_day", format_gb(c.capacity_gb_per_day));
    if (c.double_encryption) w.field("    ", sec, c.name, "double_encryption", *c.double_encryption ? "true" : "false");
    if (c.key) {
      w.field("    ", sec, c.name, "key",
              "{vault: " + yaml_scalar(c.key->vault) + ", key: " + yaml_scalar(c.key->key) +
                  ", version: " + (c.key->version.empty() ? std::string("\"\"") : yaml_scalar(c.key->version)) + "}");
      if (c.key_since_ms > 0) w.field("    ", sec, c.name, "key_since", format_duration(c.key_since_ms));
    }
  }
}

void write_grants(Writer& w, const Scenario& s) {
  if (s.grants.empty()) return;
  w.line("");
  w.line("grants:");
  for (const GrantDecl& g : s.grants) {
    std::string l = "  - {identity: " + yaml_scalar(g.identity) + ", vault: " + yaml_scalar(g.vault);
    if (g.permissions != kAllPermissions) l += ", permissions: " + permissions_text(g.permissions);
    w.line(l + "}", comment_key("grants", g.identity + "\x1f" + g.vault));
  }
}

void write_workspaces(Writer& w, const Scenario& s) {
  if (s.workspaces.empty()) return;
  w.line("");
  w.line("workspaces:");
  for (const WorkspaceDecl& x : s.workspaces) {
    const std::string sec = "workspaces";
    w.line("  - name: " + yaml_scalar(x.name), comment_key(sec, x.name));
    if (!x.region.empty()) w.field("    ", sec, x.name, "region", yaml_scalar(x.region));
    if (!x.subscription.empty()) w.field("    ", sec, x.name, "subscription", yaml_scalar(x.subscription));
    if (x.tenant != "default") w.field("    ", sec, x.name, "tenant", yaml_scalar(x.tenant));
    if (!x.cluster.empty()) w.field("    ", sec, x.name, "cluster", yaml_scalar(x.cluster));
    w.field("    ", sec, x.name, "ingest_gb_per_day", format_gb(x.ingest_gb_per_day));
    w.field("    ", sec, x.name, "retention", format_duration(x.retention_ms));
    w.field("    ", sec, x.name, "existing_data", format_duration(x.existing_data_ms));
  }
}

std::string event_text(const EventDecl& e) {
  std::string l = "  - {at: 0, action: " + std::string(e.action == Action::kDisableKey ? "disable_key" : "disable_key_version") +
                  ", vault: " + yaml_scalar(e.vault) + ", key: " + yaml_scalar(e.key);
  if (!e.version.empty()) l += ", version: " + yaml_scalar(e.version);
  return l + "}  # disabled in Azure when imported";
}

// A commented event on a resource of the estate, to start from.
std::string example_event(const Scenario& s) {
  for (const ClusterDecl& c : s.clusters) {
    if (c.key) {
      return "#   - {id: revoke, at: 6h, action: disable_key, vault: " + yaml_scalar(c.key->vault) +
             ", key: " + yaml_scalar(c.key->key) + "}";
    }
  }
  if (!s.key_vaults.empty()) {
    return "#   - {id: outage, at: 6h, action: kv_outage, vault: " + yaml_scalar(s.key_vaults.front().name) +
           ", for: 2h, fault: connection}";
  }
  return "#   - {id: create, at: 1h, action: create_cluster, cluster: new-cluster, region: westeurope, "
         "subscription: sub, identity: system_assigned, capacity_gb_per_day: 100}";
}

}  // namespace

std::string yaml_scalar(const std::string& text) {
  static const char* const kReserved[] = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"};
  bool plain = !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) != 0 || text[0] == '_');
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '_' && c != '-') plain = false;
  }
  for (const char* r : kReserved) {
    if (iequals(text, r)) plain = false;
  }
  if (plain) return text;
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string estate_yaml(const Estate& estate, const YamlHeader& header) {
  const Scenario& s = estate.scenario;
  Writer w(estate);
  w.line("# yaml-language-server: $schema=schema.json");
  w.line("# Imported by `cmksim import` from Azure Resource Manager JSON:");
  for (const std::string& source : header.sources) w.line("#   " + one_line(source));
  if (!estate.tenant.empty()) {
    w.line("# Every resource is in tenant " + one_line(estate.tenant) + ".");
  }
  w.line("# What ARM does not say (how much a workspace ingests and holds, when a key");
  w.line("# was set) is assumed: each such line says so, and `cmksim import` listed them");
  w.line("# on stderr with the option that sets them. Add events below, then");
  w.line("# `cmksim validate` and `cmksim run` this file.");
  w.line("version: 1");
  w.line("name: " + yaml_scalar(header.name));
  w.line("description: The estate as Azure Resource Manager describes it, imported by cmksim import.");
  w.line("duration: " + format_duration(header.duration_ms) + "  # how long to simulate: long enough for your events");
  write_vaults(w, s);
  write_identities(w, s);
  write_clusters(w, s);
  write_grants(w, s);
  write_workspaces(w, s);
  w.line("");
  if (s.events.empty()) {
    w.line("events: []");
    w.line("# events:  (what happens during the run; `cmksim reference` lists the actions)");
  } else {
    w.line("events:");
    for (const EventDecl& e : s.events) w.line(event_text(e));
    w.line("# more events (`cmksim reference` lists the actions), e.g.:");
  }
  w.line(example_event(s));
  return w.text();
}

}  // namespace cmksim::import
