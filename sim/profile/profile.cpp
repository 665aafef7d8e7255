#include "sim/profile/profile.h"

#include <cstdlib>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/scenario/duration.h"

namespace cmksim {

namespace {

// The ranges of the table (issue 18, item 6): every value `validate` accepts
// can be simulated. Durations in ms.
constexpr double kMaxDuration = static_cast<double>(kMaxParamDurationMs);
constexpr ParamRange kDurationFromZero{0, kMaxDuration, false, "a duration is not negative"};
constexpr ParamRange kNumberFromZero{0, kMaxParamNumber, false, "a rate, size or count is not negative"};
constexpr ParamRange kAtLeast1ms(const char* why) { return ParamRange{1, kMaxDuration, false, why}; }
constexpr ParamRange kAboveZero(const char* why) { return ParamRange{0, kMaxParamNumber, true, why}; }

}  // namespace

const std::vector<ParamInfo>& param_table() {
  static const std::vector<ParamInfo> table = {
      {"kv_call_interval_min", &Profile::kv_call_interval_min_ms, "duration", "D3",
       "shortest gap between two Key Vault calls (wrap or unwrap) of one cluster's storage",
       kAtLeast1ms("D3: a cluster calls Key Vault again after a gap of at least this")},
      {"kv_call_interval_max", &Profile::kv_call_interval_max_ms, "duration", "D3",
       "longest gap between two Key Vault calls; gaps are uniform between min and max",
       kAtLeast1ms("D3: the gap is drawn between min and max")},
      {"aek_cache_ttl", &Profile::aek_cache_ttl_ms, "duration", "D4 D7",
       "how long an unwrapped AEK stays cached; a revocation takes effect when it runs out (timing: sampled)",
       kAtLeast1ms("D4: the AEK life left at the start is drawn from [0, ttl)")},
      {"revocation_bound", &Profile::revocation_bound_ms, "duration", "D7",
       "a permission change always makes storage unavailable within this time",
       kAtLeast1ms("D7: a change takes effect within the bound")},
      {"recovery_bound", &Profile::recovery_bound_ms, "duration", "D10",
       "ingestion and queries resume at most this long after access is restored",
       kAtLeast1ms("D10: recovery takes some time")},
      {"hot_cache_period", &Profile::hot_cache_period_ms, "duration", "K3 D2",
       "data younger than this is kept on the SSD hot cache and reloaded after a recovery",
       kDurationFromZero},
      {"ssd_reload_gb_per_min", &Profile::ssd_reload_gb_per_min, "GB/min", "D10",
       "rate at which the SSD hot cache is reloaded from storage after access is restored",
       kAboveZero("D10: the reload time is GB divided by the rate")},
      {"recent_use_ttl", &Profile::recent_use_ttl_ms, "duration", "D2",
       "older data a query read stays on the SSD hot cache this long",
       kDurationFromZero},
      {"query_latency_ssd", &Profile::query_latency_ssd_ms, "duration", "D2",
       "latency of a query whose whole range is on the SSD hot cache",
       kDurationFromZero},
      {"query_latency_cold", &Profile::query_latency_cold_ms, "duration", "D2",
       "latency of a query that reads any part of its range from cold storage",
       kDurationFromZero},
      {"kv_outage_unavailable_after", &Profile::kv_outage_unavailable_after_ms, "duration", "D5 D13",
       "a Key Vault outage longer than this makes storage unavailable; 0 = transient faults never interrupt (D5)",
       kDurationFromZero},
      {"outage_buffer", &Profile::outage_buffer_ms, "duration", "D13",
       "during an outage-caused unavailability, arrivals are buffered under the MMK this long, then lost",
       kDurationFromZero},
      {"cluster_provision_duration", &Profile::cluster_provision_duration_ms, "duration", "C1 D11",
       "time from create_cluster to the cluster being provisioned",
       kDurationFromZero},
      {"key_update_duration", &Profile::key_update_duration_ms, "duration", "C2 D10",
       "time for update_cluster_key to take effect (access restored by it counts from then)",
       kDurationFromZero},
      {"link_duration", &Profile::link_duration_ms, "duration", "W1",
       "time for link_workspace to complete",
       kDurationFromZero},
      {"unlink_duration", &Profile::unlink_duration_ms, "duration", "W3 D12",
       "time for unlink_workspace to complete",
       kDurationFromZero},
      {"delete_unlink_duration", &Profile::delete_unlink_duration_ms, "duration", "C5",
       "time for delete_cluster to unlink all of its workspaces (documented: up to 90 minutes)",
       kDurationFromZero},
      {"cluster_soft_delete_period", &Profile::cluster_soft_delete_period_ms, "duration", "C5 C4",
       "a deleted cluster's name stays reserved, and counts as reserved, this long; a support case may recover it "
       "with its data until then, after which its data is deleted for good",
       kDurationFromZero},
      {"workspace_soft_delete_period", &Profile::workspace_soft_delete_period_ms, "duration", "W3",
       "a deleted workspace can be restored, still linked, within this period; after it its data is deleted for good",
       kDurationFromZero},
      {"capacity_min_gb_per_day", &Profile::capacity_min_gb_per_day, "GB/day", "C1 P1",
       "smallest capacity reservation",
       kNumberFromZero},
      {"capacity_max_gb_per_day", &Profile::capacity_max_gb_per_day, "GB/day", "C1 P1",
       "largest capacity reservation; 0 = no maximum",
       kNumberFromZero},
      {"capacity_step_gb_per_day", &Profile::capacity_step_gb_per_day, "GB/day", "C1",
       "capacity reservations come in steps of this size",
       kAboveZero("C1: reservations are multiples of the step")},
      {"capacity_lock_period", &Profile::capacity_lock_period_ms, "duration", "C8",
       "a capacity decrease is refused this long after the last capacity update",
       kDurationFromZero},
      {"clusters_active_max", &Profile::clusters_active_max, "count", "C4 P1",
       "active clusters per region and subscription",
       kNumberFromZero},
      {"clusters_reserved_max", &Profile::clusters_reserved_max, "count", "C4 P1",
       "reserved clusters (active or deleted within the soft-delete period) per region and subscription",
       kNumberFromZero},
      {"workspaces_per_cluster_max", &Profile::workspaces_per_cluster_max, "count", "C4",
       "workspaces linked to one cluster",
       kNumberFromZero},
      {"link_operations_max", &Profile::link_operations_max, "count", "W2",
       "link and unlink operations per workspace within link_operations_window",
       kNumberFromZero},
      {"link_operations_window", &Profile::link_operations_window_ms, "duration", "W2",
       "the sliding window of link_operations_max",
       kDurationFromZero},
      {"user_assigned_identity_supported", &Profile::user_assigned_identity_supported, "true/false", "C6 P1",
       "whether clusters may use a user-assigned identity (the 2020 edition: system-assigned only)"},
      {"auto_rotation", &Profile::auto_rotation, "true/false", "R1 P1",
       "an empty key version follows the newest enabled version; false (the 2020 edition): it pins the newest "
       "enabled version when the key is set"},
      {"async_answers_ok", &Profile::async_answers_ok, "true/false", "P1",
       "asynchronous requests answer 200 OK with an Azure-AsyncOperation header (the 2020 edition) instead of "
       "202 Accepted"},
      {"double_encryption_unsupported_regions", &Profile::double_encryption_unsupported_regions, "region list", "K4",
       "regions without infrastructure double encryption, comma-separated"},
      {"lockbox_unavailable_regions", &Profile::lockbox_unavailable_regions, "region list", "L1",
       "regions where Customer Lockbox is not available (China), comma-separated"},
      {"lockbox_decision_time", &Profile::lockbox_decision_time_ms, "duration", "L1",
       "how long a support engineer's Customer Lockbox request waits for the customer's decision (assumed: the "
       "documents give no figure)",
       kDurationFromZero},
      {"stale_version_revokes", &Profile::stale_version_revokes, "true/false", "R3",
       "pessimistic reading: a newer enabled key version the cluster was not updated to is a permission change"},
  };
  return table;
}

const ParamInfo* find_param(std::string_view name) {
  for (const auto& info : param_table()) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

std::vector<std::string> param_names() {
  std::vector<std::string> names;
  for (const auto& info : param_table()) names.emplace_back(info.name);
  return names;
}

namespace {

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

std::string bound_text(const ParamInfo& info, double value) {
  if (std::holds_alternative<DurationMs Profile::*>(info.field)) return format_duration(static_cast<DurationMs>(value));
  return json_number(value);
}

// Ok when `value` is within the parameter's range, else "name: must be ...".
Status check_range(const ParamInfo& info, double value, const std::string& shown) {
  const ParamRange& r = info.range;
  const bool low = r.min_exclusive ? !(value > r.min) : !(value >= r.min);
  if (!low && value <= r.max) return Status();
  return Error(std::string(info.name) + ": " + shown + " is out of range: must be " + range_text(info) + " (" + r.why +
               ")");
}

}  // namespace

bool has_range(const ParamInfo& info) {
  return std::holds_alternative<DurationMs Profile::*>(info.field) ||
         std::holds_alternative<double Profile::*>(info.field);
}

std::string range_text(const ParamInfo& info) {
  if (!has_range(info)) return "";
  const ParamRange& r = info.range;
  return (r.min_exclusive ? "above " : "from ") + bound_text(info, r.min) + " to " + bound_text(info, r.max);
}

Status set_param(Profile& profile, std::string_view name, std::string_view value) {
  const ParamInfo* info = find_param(name);
  if (info == nullptr) {
    return Error("unknown parameter '" + std::string(name) + "'" + did_you_mean(name, param_names()));
  }
  if (const auto* field = std::get_if<DurationMs Profile::*>(&info->field)) {
    const Expected<DurationMs> d = parse_duration(value);
    if (!d) return Error(std::string(name) + ": " + d.error().message);
    if (Status in_range = check_range(*info, static_cast<double>(*d), std::string(value)); !in_range) return in_range;
    profile.**field = *d;
  } else if (const auto* number = std::get_if<double Profile::*>(&info->field)) {
    const auto v = parse_number(value);
    if (!v || !(*v >= 0) || *v > 1e15) {
      return Error(std::string(name) + ": expected a number >= 0, got '" + std::string(value) + "'");
    }
    if (Status in_range = check_range(*info, *v, std::string(value)); !in_range) return in_range;
    profile.**number = *v;
  } else if (const auto* flag = std::get_if<bool Profile::*>(&info->field)) {
    if (value != "true" && value != "false") {
      return Error(std::string(name) + ": expected true or false, got '" + std::string(value) + "'");
    }
    profile.**flag = value == "true";
  } else if (const auto* text = std::get_if<std::string Profile::*>(&info->field)) {
    profile.**text = std::string(value);
  }
  return Status();
}

Status check_profile(const Profile& p) {
  if (p.kv_call_interval_min_ms < 1) return Error("kv_call_interval_min must be at least 1ms (D3)");
  if (p.kv_call_interval_max_ms < p.kv_call_interval_min_ms) {
    return Error("kv_call_interval_max must not be below kv_call_interval_min (D3)");
  }
  if (p.revocation_bound_ms < 1) return Error("revocation_bound must be at least 1ms (D7)");
  if (p.recovery_bound_ms < 1) return Error("recovery_bound must be at least 1ms (D10)");
  if (!(p.ssd_reload_gb_per_min > 0)) return Error("ssd_reload_gb_per_min must be above 0 (D10)");
  if (!(p.capacity_step_gb_per_day > 0)) return Error("capacity_step_gb_per_day must be above 0 (C1)");
  if (p.capacity_max_gb_per_day > 0 && p.capacity_max_gb_per_day < p.capacity_min_gb_per_day) {
    return Error("capacity_max_gb_per_day must be 0 (no maximum) or at least capacity_min_gb_per_day (C1)");
  }
  return Status();
}

std::string param_value_text(const Profile& profile, const ParamInfo& info) {
  if (const auto* field = std::get_if<DurationMs Profile::*>(&info.field)) return format_duration(profile.**field);
  if (const auto* number = std::get_if<double Profile::*>(&info.field)) return json_number(profile.**number);
  if (const auto* text = std::get_if<std::string Profile::*>(&info.field)) return profile.**text;
  return profile.*std::get<bool Profile::*>(info.field) ? "true" : "false";
}

ParamValues param_values(const Profile& profile) {
  ParamValues out;
  for (const auto& info : param_table()) {
    ParamValue::Kind kind = ParamValue::Kind::kBool;
    if (std::holds_alternative<DurationMs Profile::*>(info.field)) kind = ParamValue::Kind::kDuration;
    if (std::holds_alternative<double Profile::*>(info.field)) kind = ParamValue::Kind::kNumber;
    if (std::holds_alternative<std::string Profile::*>(info.field)) kind = ParamValue::Kind::kText;
    out.push_back({info.name, param_value_text(profile, info), kind});
  }
  return out;
}

}  // namespace cmksim
