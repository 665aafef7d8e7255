// Action: the names of scenario events (INTERFACE.md §2) and, for each, the
// fields it takes. This table is the single source of truth for the loader's
// field checks, its "did you mean" suggestions and the documentation.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cmksim {

enum class Action {
  kDisableKey, kEnableKey, kDeleteKey, kRecoverKey, kPurgeKey, kExpireKey,
  kAddKeyVersion, kDisableKeyVersion, kEnableKeyVersion,
  kGrantAccess, kRemoveAccess, kKvOutage,
  kCreateCluster, kUpdateClusterKey, kSetIdentity, kSupportRestore, kDeleteCluster, kSetCapacity,
  kLinkWorkspace, kUnlinkWorkspace, kDeleteWorkspace, kRestoreWorkspace,
  kSetIngestion, kQuery, kLinkQueryStorage, kLockboxRequest,
  kSupportRecoverCluster,
  kSearchJob,
};

struct ActionInfo {
  Action action;
  const char* name;                   // as written in scenarios
  std::vector<const char*> required;  // fields besides at/action/id
  std::vector<const char*> optional;
  const char* behaviours;             // behaviour IDs it exercises
};

const std::vector<ActionInfo>& action_table();
const ActionInfo& action_info(Action a);
std::optional<Action> action_from_name(std::string_view name);
std::vector<std::string> action_names();

}  // namespace cmksim
