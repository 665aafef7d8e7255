#include "sim/scenario/action.h"

namespace cmksim {

const std::vector<ActionInfo>& action_table() {
  static const std::vector<ActionInfo> table = {
      {Action::kDisableKey, "disable_key", {"vault", "key"}, {}, "D6 D7"},
      {Action::kEnableKey, "enable_key", {"vault", "key"}, {}, "D10"},
      {Action::kDeleteKey, "delete_key", {"vault", "key"}, {}, "D6 D7"},
      {Action::kRecoverKey, "recover_key", {"vault", "key"}, {}, "D10"},
      {Action::kPurgeKey, "purge_key", {"vault", "key"}, {}, "D6"},
      {Action::kExpireKey, "expire_key", {"vault", "key"}, {}, "D6 R3"},
      {Action::kAddKeyVersion, "add_key_version", {"vault", "key", "version"}, {}, "R1 R2"},
      {Action::kDisableKeyVersion, "disable_key_version", {"vault", "key", "version"}, {}, "R3"},
      {Action::kEnableKeyVersion, "enable_key_version", {"vault", "key", "version"}, {}, "R3"},
      {Action::kGrantAccess, "grant_access", {"identity", "vault"}, {"permissions"}, "C7 D10"},
      {Action::kRemoveAccess, "remove_access", {"identity", "vault"}, {}, "D6 D7"},
      {Action::kKvOutage, "kv_outage", {"vault", "for", "fault"}, {}, "D5 D13"},
      {Action::kCreateCluster, "create_cluster",
       {"cluster", "region", "subscription", "identity"},
       {"capacity_gb_per_day", "tenant", "double_encryption", "key"}, "C1 K4"},
      {Action::kUpdateClusterKey, "update_cluster_key", {"cluster", "vault", "key"}, {"version"}, "C2 R2"},
      {Action::kSetIdentity, "set_identity", {"cluster", "identity"}, {}, "C6 D6"},
      {Action::kSupportRestore, "support_restore", {"cluster"}, {}, "C6"},
      {Action::kDeleteCluster, "delete_cluster", {"cluster"}, {}, "C5 D12"},
      {Action::kSetCapacity, "set_capacity", {"cluster", "capacity_gb_per_day"}, {}, "C8"},
      {Action::kLinkWorkspace, "link_workspace", {"workspace", "cluster"}, {}, "W1 W2 D11"},
      {Action::kUnlinkWorkspace, "unlink_workspace", {"workspace"}, {}, "W3 D12"},
      {Action::kDeleteWorkspace, "delete_workspace", {"workspace"}, {}, "W3"},
      {Action::kRestoreWorkspace, "restore_workspace", {"workspace"}, {}, "W3"},
      {Action::kSetIngestion, "set_ingestion", {"workspace", "gb_per_day"}, {}, "D1"},
      {Action::kQuery, "query", {"workspace", "range"}, {}, "D2 D8"},
      {Action::kLinkQueryStorage, "link_query_storage", {"workspace"}, {"storage_account"}, "Q1"},
      {Action::kLockboxRequest, "lockbox_request", {"cluster", "decision"}, {}, "L1"},
      {Action::kSupportRecoverCluster, "support_recover_cluster", {"cluster"}, {}, "C5 D12"},
      {Action::kSearchJob, "search_job", {"workspace", "range"}, {}, "Q3"},
  };
  return table;
}

const ActionInfo& action_info(Action a) {
  for (const auto& info : action_table()) {
    if (info.action == a) return info;
  }
  return action_table().front();  // unreachable: every Action is in the table
}

std::optional<Action> action_from_name(std::string_view name) {
  for (const auto& info : action_table()) {
    if (name == info.name) return info.action;
  }
  return std::nullopt;
}

std::vector<std::string> action_names() {
  std::vector<std::string> names;
  for (const auto& info : action_table()) names.emplace_back(info.name);
  return names;
}

}  // namespace cmksim
