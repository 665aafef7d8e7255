#include "sim/lint/plan_lint.h"

#include <algorithm>
#include <map>
#include <set>

#include "sim/core/text.h"

namespace cmksim {
namespace {

std::string at_text(const EventDecl& e) { return std::string(action_info(e.action).name) + " at " + format_duration(e.at_ms); }

// Events in time order (stable: the file's order among equal times), as the
// engine runs them.
std::vector<const EventDecl*> by_time(const Scenario& s) {
  std::vector<const EventDecl*> events;
  for (const auto& e : s.events) events.push_back(&e);
  std::stable_sort(events.begin(), events.end(), [](const EventDecl* a, const EventDecl* b) { return a->at_ms < b->at_ms; });
  return events;
}

class Linter {
 public:
  Linter(const Scenario& s, const Profile& p) : s_(s), p_(p) {}

  std::vector<LintFinding> run() {
    declared_and_created_names();
    vaults_not_recoverable();
    identity_none();
    version_in_use_disabled();
    identity_and_key_together();
    link_before_provisioning();
    too_many_link_operations();
    rbac_permissions_ignored();
    no_auto_rotation();
    key_details_removed();
    unknown_targets();
    std::stable_sort(findings_.begin(), findings_.end(), [](const LintFinding& a, const LintFinding& b) {
      return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.column < b.pos.column;
    });
    return findings_;
  }

 private:
  void warn(SourcePos pos, const char* behaviour, std::string message) {
    findings_.push_back({pos, behaviour, std::move(message)});
  }

  void declared_and_created_names() {
    for (const auto& v : s_.key_vaults) vaults_.push_back(v.name);
    for (const auto& c : s_.clusters) clusters_.push_back(c.name);
    for (const auto& w : s_.workspaces) workspaces_.push_back(w.name);
    for (const auto& e : s_.events) {
      if (e.action == Action::kCreateCluster) clusters_.push_back(e.cluster);
    }
  }

  // C2: a key in a vault without soft delete and purge protection cannot be
  // set on a cluster ("Key is not recoverable").
  void vaults_not_recoverable() {
    for (const auto& v : s_.key_vaults) {
      if (v.soft_delete && v.purge_protection) continue;
      bool used = std::any_of(s_.clusters.begin(), s_.clusters.end(),
                              [&](const ClusterDecl& c) { return c.key && c.key->vault == v.name; });
      for (const auto& e : s_.events) used = used || (e.action == Action::kUpdateClusterKey && e.vault == v.name);
      if (used) {
        warn(v.pos, "C2", "vault '" + v.name + "' has no " + (v.soft_delete ? "purge protection" : "soft delete") +
                              ": a key update to it fails with \"Key is not recoverable\", and a deleted key cannot come back");
      }
    }
  }

  // C6: identity none revokes access and only a support case undoes it.
  void identity_none() {
    for (const auto& c : s_.clusters) {
      if (c.identity.kind == IdentitySpec::Kind::kNone && c.key) {
        warn(c.pos, "C6", "cluster '" + c.name + "' has identity none: it cannot use its key, and only a support request restores it");
      }
    }
    for (const auto& e : s_.events) {
      if (e.action == Action::kSetIdentity && e.identity == "none") {
        warn(e.pos, "C6", at_text(e) + " sets cluster '" + e.cluster +
                              "' identity to none: access is revoked (D6) and only support_restore undoes it");
      }
    }
  }

  // R3: disabling the version a cluster still uses is a revocation.
  void version_in_use_disabled() {
    std::map<std::string, std::pair<std::string, TimeMs>> configured;  // cluster -> (explicit version, in force from)
    for (const auto& c : s_.clusters) {
      if (c.key && !c.key->version.empty()) configured[c.name] = {c.key->vault + "/" + c.key->key + "/" + c.key->version, 0};
    }
    for (const EventDecl* e : by_time(s_)) {
      if (e->action == Action::kUpdateClusterKey) {
        configured[e->cluster] = {e->version.empty() ? "" : e->vault + "/" + e->key + "/" + e->version,
                                  e->at_ms + p_.key_update_duration_ms};
        continue;
      }
      if (e->action != Action::kDisableKeyVersion) continue;
      const std::string disabled = e->vault + "/" + e->key + "/" + e->version;
      for (const auto& [cluster, use] : configured) {
        const auto& [version, from] = use;
        if (version == disabled && from <= e->at_ms) {
          warn(e->pos, "R3", at_text(*e) + " disables the version cluster '" + cluster +
                                 "' uses: a revocation (D7) unless the cluster moves to a new version first");
        }
      }
    }
  }

  // C2: identity and key details must be changed in two operations.
  void identity_and_key_together() {
    std::map<std::pair<std::string, TimeMs>, const EventDecl*> identity_changes;
    for (const auto& e : s_.events) {
      if (e.action == Action::kSetIdentity) identity_changes[{e.cluster, e.at_ms}] = &e;
    }
    for (const auto& e : s_.events) {
      if (e.action != Action::kUpdateClusterKey) continue;
      if (identity_changes.count({e.cluster, e.at_ms}) == 1) {
        warn(e.pos, "C2", at_text(e) + " changes cluster '" + e.cluster +
                              "' key details at the same time as its identity: do it in two operations");
      }
    }
  }

  // D11: data ingested while linked to a cluster still provisioning is lost.
  void link_before_provisioning() {
    std::map<std::string, TimeMs> provisioned_at;
    for (const auto& e : s_.events) {
      if (e.action == Action::kCreateCluster) provisioned_at[e.cluster] = e.at_ms + p_.cluster_provision_duration_ms;
    }
    for (const auto& e : s_.events) {
      if (e.action != Action::kLinkWorkspace) continue;
      const auto it = provisioned_at.find(e.cluster);
      if (it != provisioned_at.end() && e.at_ms < it->second && e.at_ms >= it->second - p_.cluster_provision_duration_ms) {
        warn(e.pos, "D11", at_text(e) + " links '" + e.workspace + "' before cluster '" + e.cluster +
                               "' is provisioned (at " + format_duration(it->second) + "): data ingested until then is lost");
      }
    }
  }

  // W2: at most two link operations per workspace in 30 days; an unlink
  // counts but is never refused (W3).
  void too_many_link_operations() {
    std::map<std::string, std::vector<TimeMs>> operations;
    for (const EventDecl* e : by_time(s_)) {
      if (e->action != Action::kLinkWorkspace && e->action != Action::kUnlinkWorkspace) continue;
      auto& times = operations[e->workspace];
      const auto recent = std::count_if(times.begin(), times.end(),
                                        [&](TimeMs t) { return t > e->at_ms - p_.link_operations_window_ms; });
      if (e->action == Action::kLinkWorkspace && static_cast<double>(recent) >= p_.link_operations_max) {
        warn(e->pos, "W2", at_text(*e) + " is link operation " + std::to_string(recent + 1) + " of workspace '" +
                               e->workspace + "' within " + format_duration(p_.link_operations_window_ms) +
                               ": the service refuses it");
      }
      times.push_back(e->at_ms);
    }
  }

  // C7 (Resolved): in an rbac vault a grant is the crypto role, which gives
  // all three permissions; a narrower list there changes nothing.
  void rbac_permissions_ignored() {
    const auto rbac = [&](const std::string& vault) {
      return std::any_of(s_.key_vaults.begin(), s_.key_vaults.end(), [&](const VaultDecl& v) {
        return v.name == vault && v.permission_model == PermissionModel::kRbac;
      });
    };
    const auto ignored = [&](SourcePos pos, const std::string& what, const std::string& vault) {
      warn(pos, "C7", what + ": vault '" + vault + "' uses rbac, where a grant is the role \"Key Vault Crypto Service "
                          "Encryption User\" (get, wrap and unwrap); the permissions list is ignored");
    };
    for (const auto& g : s_.grants) {
      if (g.permissions != kAllPermissions && rbac(g.vault)) ignored(g.pos, "grant of '" + g.identity + "'", g.vault);
    }
    for (const auto& e : s_.events) {
      if (e.action == Action::kGrantAccess && e.permissions && *e.permissions != kAllPermissions && rbac(e.vault)) {
        ignored(e.pos, at_text(e), e.vault);
      }
    }
  }

  // R1, P1: without auto-rotation (the 2020 edition) an empty version pins
  // the newest enabled version when the key is set: a later version is not
  // picked up until the cluster is updated.
  void no_auto_rotation() {
    if (p_.auto_rotation) return;
    const std::string why = ": profile '" + p_.name + "' has no auto-rotation (auto_rotation: false), so the empty "
                            "version pins the newest enabled version when the key is set";
    for (const auto& c : s_.clusters) {
      if (c.key && c.key->version.empty()) warn(c.pos, "R1", "cluster '" + c.name + "' key version \"\"" + why);
    }
    for (const auto& e : s_.events) {
      const bool sets_key = (e.action == Action::kUpdateClusterKey && !e.key.empty() && e.version.empty()) ||
                            (e.action == Action::kCreateCluster && e.key_ref && e.key_ref->version.empty());
      if (sets_key) warn(e.pos, "R1", at_text(e) + " sets version \"\"" + why);
    }
  }

  // C2, C6: removing the key details puts new data under the MMK until a key
  // is set again: a CMK coverage gap.
  void key_details_removed() {
    for (const auto& e : s_.events) {
      if (e.action == Action::kUpdateClusterKey && e.vault.empty() && e.key.empty()) {
        warn(e.pos, "C6", at_text(e) + " removes cluster '" + e.cluster +
                              "' key details: data ingested until a key is set again is under the MMK (a CMK coverage gap)");
      }
    }
  }

  // A name referenced nowhere else is probably a typo; the service would
  // answer 404/400 when the event runs.
  void unknown_targets() {
    for (const auto& e : s_.events) {
      check_name(e, e.vault, vaults_, "vault");
      if (e.action != Action::kCreateCluster) check_name(e, e.cluster, clusters_, "cluster");
      check_name(e, e.workspace, workspaces_, "workspace");
      check_key(e);
      check_identity(e);
    }
  }

  // A key the event's vault does not declare (no action creates a key).
  void check_key(const EventDecl& e) {
    if (e.key.empty()) return;
    for (const auto& v : s_.key_vaults) {
      if (v.name != e.vault) continue;
      std::vector<std::string> keys;
      for (const auto& k : v.keys) keys.push_back(k.name);
      if (std::find(keys.begin(), keys.end(), e.key) != keys.end()) return;
      warn(e.pos, "", at_text(e) + " names unknown key '" + e.key + "' of vault '" + v.name + "'" +
                          did_you_mean(e.key, keys) + ": the service will answer 404 (probably a typo)");
    }
  }

  // grant_access/remove_access: "cluster:NAME" or a user-assigned identity;
  // set_identity: "user_assigned:NAME".
  void check_identity(const EventDecl& e) {
    if (e.identity.empty()) return;
    std::vector<std::string> identities;
    for (const auto& i : s_.identities) identities.push_back(i.name);
    const auto after = [&](const std::string& prefix) { return e.identity.substr(prefix.size()); };
    if (e.action == Action::kSetIdentity || e.action == Action::kCreateCluster) {
      if (e.identity.rfind("user_assigned:", 0) == 0) check_name(e, after("user_assigned:"), identities, "identity");
      return;
    }
    if (e.identity.rfind("cluster:", 0) == 0) {
      check_name(e, after("cluster:"), clusters_, "cluster");
    } else {
      check_name(e, e.identity, identities, "identity");
    }
  }

  void check_name(const EventDecl& e, const std::string& name, const std::vector<std::string>& known,
                  const std::string& kind) {
    if (name.empty() || std::find(known.begin(), known.end(), name) != known.end()) return;
    warn(e.pos, "", at_text(e) + " names unknown " + kind + " '" + name + "'" + did_you_mean(name, known) +
                          ": the service will answer 404/400 (probably a typo)");
  }

  const Scenario& s_;
  const Profile& p_;
  std::vector<std::string> vaults_, clusters_, workspaces_;
  std::vector<LintFinding> findings_;
};

}  // namespace

std::vector<LintFinding> lint_plan(const Scenario& scenario, const Profile& profile) {
  return Linter(scenario, profile).run();
}

}  // namespace cmksim
