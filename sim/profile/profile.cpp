#include "sim/profile/profile.h"

#include <cstdlib>

#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/scenario/duration.h"

namespace cmksim {

const std::vector<ParamInfo>& param_table() {
  static const std::vector<ParamInfo> table = {
      {"kv_call_interval_min", &Profile::kv_call_interval_min_ms, "duration", "D3",
       "shortest gap between two Key Vault calls (wrap or unwrap) of one cluster's storage"},
      {"kv_call_interval_max", &Profile::kv_call_interval_max_ms, "duration", "D3",
       "longest gap between two Key Vault calls; gaps are uniform between min and max"},
      {"aek_cache_ttl", &Profile::aek_cache_ttl_ms, "duration", "D4 D7",
       "how long an unwrapped AEK stays cached; a revocation takes effect when it runs out (timing: sampled)"},
      {"revocation_bound", &Profile::revocation_bound_ms, "duration", "D7",
       "a permission change always makes storage unavailable within this time"},
      {"recovery_bound", &Profile::recovery_bound_ms, "duration", "D10",
       "ingestion and queries resume at most this long after access is restored"},
      {"hot_cache_period", &Profile::hot_cache_period_ms, "duration", "K3 D2",
       "data younger than this is kept on the SSD hot cache and reloaded after a recovery"},
      {"ssd_reload_gb_per_min", &Profile::ssd_reload_gb_per_min, "GB/min", "D10",
       "rate at which the SSD hot cache is reloaded from storage after access is restored"},
      {"recent_use_ttl", &Profile::recent_use_ttl_ms, "duration", "D2",
       "older data a query read stays on the SSD hot cache this long"},
      {"query_latency_ssd", &Profile::query_latency_ssd_ms, "duration", "D2",
       "latency of a query whose whole range is on the SSD hot cache"},
      {"query_latency_cold", &Profile::query_latency_cold_ms, "duration", "D2",
       "latency of a query that reads any part of its range from cold storage"},
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

std::optional<Profile> profile_by_name(std::string_view name) {
  if (name == "azure-monitor-current") {
    Profile p;
    p.name = "azure-monitor-current";
    return p;
  }
  return std::nullopt;
}

std::vector<std::string> profile_names() { return {"azure-monitor-current"}; }

namespace {

std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string set_param(Profile& profile, std::string_view name, std::string_view value) {
  const ParamInfo* info = find_param(name);
  if (info == nullptr) {
    return "unknown parameter '" + std::string(name) + "'" + did_you_mean(name, param_names());
  }
  if (const auto* field = std::get_if<DurationMs Profile::*>(&info->field)) {
    const DurationParse d = parse_duration(value);
    if (!d.value) return std::string(name) + ": " + d.error;
    profile.**field = *d.value;
  } else if (const auto* number = std::get_if<double Profile::*>(&info->field)) {
    const auto v = parse_number(value);
    if (!v || !(*v >= 0) || *v > 1e15) {
      return std::string(name) + ": expected a number >= 0, got '" + std::string(value) + "'";
    }
    profile.**number = *v;
  } else if (const auto* flag = std::get_if<bool Profile::*>(&info->field)) {
    if (value != "true" && value != "false") {
      return std::string(name) + ": expected true or false, got '" + std::string(value) + "'";
    }
    profile.**flag = value == "true";
  }
  return {};
}

std::string check_profile(const Profile& p) {
  if (p.kv_call_interval_min_ms < 1) return "kv_call_interval_min must be at least 1ms (D3)";
  if (p.kv_call_interval_max_ms < p.kv_call_interval_min_ms) {
    return "kv_call_interval_max must not be below kv_call_interval_min (D3)";
  }
  if (p.revocation_bound_ms < 1) return "revocation_bound must be at least 1ms (D7)";
  if (p.recovery_bound_ms < 1) return "recovery_bound must be at least 1ms (D10)";
  if (!(p.ssd_reload_gb_per_min > 0)) return "ssd_reload_gb_per_min must be above 0 (D10)";
  return {};
}

std::string param_value_text(const Profile& profile, const ParamInfo& info) {
  if (const auto* field = std::get_if<DurationMs Profile::*>(&info.field)) return format_duration(profile.**field);
  if (const auto* number = std::get_if<double Profile::*>(&info.field)) return json_number(profile.**number);
  return profile.*std::get<bool Profile::*>(info.field) ? "true" : "false";
}

std::string params_json(const Profile& profile) {
  JsonObject out;
  for (const auto& info : param_table()) {
    if (const auto* field = std::get_if<DurationMs Profile::*>(&info.field)) {
      out.add_string(info.name, format_duration(profile.**field));
    } else if (const auto* number = std::get_if<double Profile::*>(&info.field)) {
      out.add_number(info.name, profile.**number);
    } else {
      out.add_bool(info.name, profile.*std::get<bool Profile::*>(info.field));
    }
  }
  return out.str();
}

}  // namespace cmksim
