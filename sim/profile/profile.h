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

#include "sim/core/status.h"
#include "sim/core/time.h"
#include "sim/record/param_value.h"

namespace cmksim {

struct Profile {
  // The values come from the profile files (sim/profile/profiles/*.yaml):
  // the defaults here are zero on purpose, so there is one source of truth.
  std::string name;
  DurationMs kv_call_interval_min_ms{};       // D3
  DurationMs kv_call_interval_max_ms{};       // D3
  DurationMs aek_cache_ttl_ms{};              // D4
  DurationMs revocation_bound_ms{};           // D7
  DurationMs recovery_bound_ms{};             // D10
  DurationMs hot_cache_period_ms{};           // K3, D2
  double ssd_reload_gb_per_min{};             // D10
  bool stale_version_revokes{};               // R3
  DurationMs recent_use_ttl_ms{};             // D2
  DurationMs query_latency_ssd_ms{};          // D2
  DurationMs query_latency_cold_ms{};         // D2
  DurationMs kv_outage_unavailable_after_ms{};// D5, D13: 0 = transient faults never interrupt
  DurationMs outage_buffer_ms{};              // D13
  DurationMs cluster_provision_duration_ms{}; // C1, D11
  DurationMs key_update_duration_ms{};        // C2, D10
  DurationMs link_duration_ms{};              // W1
  DurationMs unlink_duration_ms{};            // W3, D12
  DurationMs delete_unlink_duration_ms{};     // C5
  DurationMs cluster_soft_delete_period_ms{}; // C5
  DurationMs workspace_soft_delete_period_ms{};// W3
  double capacity_min_gb_per_day{};           // C1, P1
  double capacity_max_gb_per_day{};           // C1, P1: 0 = no maximum
  double capacity_step_gb_per_day{};          // C1
  DurationMs capacity_lock_period_ms{};       // C8
  double clusters_active_max{};               // C4, P1
  double clusters_reserved_max{};             // C4, P1
  double workspaces_per_cluster_max{};        // C4
  double link_operations_max{};               // W2
  DurationMs link_operations_window_ms{};     // W2
  bool user_assigned_identity_supported{};    // C6, P1
  bool auto_rotation{};                       // R1, P1
  bool async_answers_ok{};                    // P1: 200 + Azure-AsyncOperation (2020) instead of 202
  std::string double_encryption_unsupported_regions;       // K4: comma-separated
  std::string lockbox_unavailable_regions{};  // L1
  DurationMs lockbox_decision_time_ms{};      // L1
};

using ParamField =
    std::variant<DurationMs Profile::*, double Profile::*, bool Profile::*, std::string Profile::*>;

// The values a number or duration parameter may take (durations in ms):
// [min, max], or (min, max] when min_exclusive. Text and true/false
// parameters have none (has_range false).
struct ParamRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  const char* why = "";  // the behaviour that needs the bound: "D4: ..."
};

// The longest duration a parameter may have: 365000 days (~1000 years, the
// --max-years ceiling), so that now + parameter never overflows.
constexpr DurationMs kMaxParamDurationMs = 365000 * kMsPerDay;
constexpr double kMaxParamNumber = 1e15;

struct ParamInfo {
  const char* name;
  ParamField field;
  const char* unit;        // "duration", "GB/min", ...
  const char* behaviour;   // the behaviour IDs it serves
  const char* description;
  ParamRange range{};
};

bool has_range(const ParamInfo& info);
// "1ms to 365000d", "above 0 to 1e+15", ...: for `profiles` and `reference`;
// "" without a range.
std::string range_text(const ParamInfo& info);

const std::vector<ParamInfo>& param_table();
const ParamInfo* find_param(std::string_view name);
std::vector<std::string> param_names();

// Sets one parameter from text (a duration, number or true/false). Ok, or an
// Error without a position saying why the value is refused (unknown name,
// wrong type, out of range): "name: why", or "unknown parameter 'x' ...".
Status set_param(Profile& profile, std::string_view name, std::string_view value);

// Cross-parameter consistency: ok, or the first inconsistency (an Error
// without a position, naming its behaviour: "... (D3)").
Status check_profile(const Profile& profile);

std::string param_value_text(const Profile& profile, const ParamInfo& info);

// Every parameter's value in force, in table order (runs.params).
ParamValues param_values(const Profile& profile);

}  // namespace cmksim
