#include "sim/scenario/fault.h"

#include "sim/core/check.h"

namespace cmksim {

const std::vector<FaultProcessInfo>& fault_process_table() {
  static const std::vector<FaultProcessInfo> table = {
      {FaultProcess::kKvOutage, "kv_outage", {"vault", "rate_per_year", "duration"}, {"fault"}, "D5 D13",
       "Key Vault outages of one vault: Poisson arrivals, each a kv_outage event of a drawn duration and kind"},
      {FaultProcess::kDisableKey, "disable_key", {"vault", "key", "rate_per_year", "restore_after"}, {}, "D6 D10",
       "the key disabled by mistake: disable_key, then enable_key after the time to restore"},
      {FaultProcess::kRemoveAccess, "remove_access", {"vault", "identity", "rate_per_year", "restore_after"}, {},
       "C7 D6 D10",
       "an identity's access removed by mistake: remove_access, then grant_access (the grant's permissions) after "
       "the time to restore"},
      {FaultProcess::kIdentityNone, "identity_none", {"cluster", "rate_per_year", "restore_after"}, {}, "C6 D6",
       "the cluster's identity set to none by mistake: set_identity none, then support_restore after the time to "
       "restore"},
      {FaultProcess::kRotation, "rotation", {"vault", "key", "every"},
       {"mode", "cluster", "update_after", "mistake_probability", "mistake_delay"}, "R1 R2 R3",
       "a key rotation every period: add_key_version; explicit mode then updates the cluster (update_cluster_key); "
       "with mistake_probability the old version is disabled first (disable_key_version)"},
  };
  return table;
}

const FaultProcessInfo& fault_process_info(FaultProcess p) {
  for (const FaultProcessInfo& info : fault_process_table()) {
    if (info.process == p) return info;
  }
  CMKSIM_CHECK(false, "every fault process is in the table");
  return fault_process_table().front();
}

std::optional<FaultProcess> fault_process_from_name(std::string_view name) {
  for (const FaultProcessInfo& info : fault_process_table()) {
    if (name == info.name) return info.process;
  }
  return std::nullopt;
}

std::vector<std::string> fault_process_names() {
  std::vector<std::string> out;
  for (const FaultProcessInfo& info : fault_process_table()) out.emplace_back(info.name);
  return out;
}

const std::vector<std::string>& fault_common_fields() {
  static const std::vector<std::string> v = {"name", "process", "window"};
  return v;
}

}  // namespace cmksim
