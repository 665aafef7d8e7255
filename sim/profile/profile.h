// Profile: every number the model uses, each a named parameter serving a
// behaviour of BEHAVIORS.md (its ID is in the table). Nothing in the model is
// a literal: a scenario's `params:` and `--set name=value` override any of
// them, and `cmksim profiles` lists them all.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/time.h"

namespace cmksim {

struct Profile {
  std::string name;
  DurationMs kv_call_interval_min_ms = 6 * kMsPerSecond;   // D3
  DurationMs kv_call_interval_max_ms = 60 * kMsPerSecond;  // D3
  DurationMs aek_cache_ttl_ms = kMsPerHour;                // D4
  DurationMs revocation_bound_ms = kMsPerHour;             // D7
  DurationMs recovery_bound_ms = 30 * kMsPerMinute;        // D10
  DurationMs hot_cache_period_ms = 14 * kMsPerDay;         // K3, D2
  double ssd_reload_gb_per_min = 500;                      // D10
  bool stale_version_revokes = false;                      // R3
  DurationMs recent_use_ttl_ms = kMsPerDay;                // D2
  DurationMs query_latency_ssd_ms = 500;                   // D2
  DurationMs query_latency_cold_ms = 5 * kMsPerSecond;     // D2
  DurationMs kv_outage_unavailable_after_ms = 0;           // D5, D13: 0 = transient faults never interrupt
  DurationMs outage_buffer_ms = 6 * kMsPerHour;            // D13
  DurationMs cluster_provision_duration_ms = kMsPerHour;   // C1, D11
  DurationMs key_update_duration_ms = 10 * kMsPerMinute;   // C2, D10
  DurationMs link_duration_ms = 10 * kMsPerMinute;         // W1
  DurationMs unlink_duration_ms = 10 * kMsPerMinute;       // W3, D12
  DurationMs delete_unlink_duration_ms = 90 * kMsPerMinute;  // C5
  DurationMs cluster_soft_delete_period_ms = 14 * kMsPerDay;   // C5
  DurationMs workspace_soft_delete_period_ms = 14 * kMsPerDay; // W3
  double capacity_min_gb_per_day = 100;                    // C1, P1
  double capacity_max_gb_per_day = 0;                      // C1, P1: 0 = no maximum
  double capacity_step_gb_per_day = 100;                   // C1
  DurationMs capacity_lock_period_ms = 30 * kMsPerDay;     // C8
  double clusters_active_max = 5;                          // C4, P1
  double clusters_reserved_max = 7;                        // C4, P1
  double workspaces_per_cluster_max = 1000;                // C4
  double link_operations_max = 2;                          // W2
  DurationMs link_operations_window_ms = 30 * kMsPerDay;   // W2
  bool user_assigned_identity_supported = true;            // C6, P1
  std::string double_encryption_unsupported_regions;       // K4: comma-separated
  std::string lockbox_unavailable_regions = "chinaeast,chinaeast2,chinaeast3,chinanorth,chinanorth2,chinanorth3";  // L1
};

using ParamField =
    std::variant<DurationMs Profile::*, double Profile::*, bool Profile::*, std::string Profile::*>;

struct ParamInfo {
  const char* name;
  ParamField field;
  const char* unit;        // "duration", "GB/min", ...
  const char* behaviour;   // the behaviour IDs it serves
  const char* description;
};

const std::vector<ParamInfo>& param_table();
const ParamInfo* find_param(std::string_view name);
std::vector<std::string> param_names();

// The shipped profiles, by name.
std::optional<Profile> profile_by_name(std::string_view name);
std::vector<std::string> profile_names();

// Sets one parameter from text (a duration, number or true/false). Returns ""
// or why the value is refused (unknown name, wrong type, out of range).
std::string set_param(Profile& profile, std::string_view name, std::string_view value);

// Cross-parameter consistency ("" when consistent).
std::string check_profile(const Profile& profile);

std::string param_value_text(const Profile& profile, const ParamInfo& info);

// {"name": value, ...} in table order: the values in force (runs.params).
std::string params_json(const Profile& profile);

}  // namespace cmksim
