#include "sim/scenario/format.h"

#include <algorithm>

#include "sim/core/check.h"

namespace cmksim {

const std::vector<std::string>& timing_names() {
  static const std::vector<std::string> v = {"sampled", "latest", "earliest", "bounds", "worst", "best"};
  return v;
}
const std::vector<std::string>& fault_names() {
  static const std::vector<std::string> v = {"timeout", "connection", "dns", "throttling"};
  return v;
}
const std::vector<std::string>& decision_names() {
  static const std::vector<std::string> v = {"approve", "reject"};
  return v;
}
const std::vector<std::string>& permission_model_names() {
  static const std::vector<std::string> v = {"rbac", "access_policy"};
  return v;
}
const std::vector<std::string>& permission_names() {
  static const std::vector<std::string> v = {"get", "wrap", "unwrap"};
  return v;
}
const std::vector<std::string>& identity_spec_forms() {
  static const std::vector<std::string> v = {"system_assigned", "user_assigned:NAME", "none"};
  return v;
}
const std::vector<std::string>& distribution_kinds() {
  static const std::vector<std::string> v = {"fixed", "uniform", "lognormal"};
  return v;
}
const std::vector<std::string>& window_day_names() {
  static const std::vector<std::string> v = {"all", "weekdays"};
  return v;
}
const std::vector<std::string>& rotation_mode_names() {
  static const std::vector<std::string> v = {"auto", "explicit"};
  return v;
}
const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> v = {
      "gb_ingested", "gb_lost", "gb_purged", "gb_inaccessible_at_end", "queries_ok", "queries_failed",
      "unavailable_s", "kv_calls", "kv_calls_failed", "exposure_window", "recovery_time",
      "gb_buffered",                     // D13
      "incidents", "incidents_averted"};  // per cluster (issue 15, item 8)
  return v;
}
const std::vector<std::string>& time_metric_names() {
  static const std::vector<std::string> v = {"unavailable_s", "exposure_window", "recovery_time"};
  return v;
}
const std::vector<std::string>& risk_figure_names() {
  static const std::vector<std::string> v = {
      "expected_annual_gb_lost", "p_any_loss", "annual_gb_lost_p50", "annual_gb_lost_p95", "annual_gb_lost_p99",
      "annual_unavailable_p50", "annual_unavailable_p95", "annual_unavailable_p99", "longest_exposure_p50",
      "longest_exposure_p95", "longest_exposure_p99", "query_availability", "mean_time_to_recovery"};
  return v;
}
const std::vector<std::string>& time_risk_figure_names() {
  static const std::vector<std::string> v = {
      "annual_unavailable_p50", "annual_unavailable_p95", "annual_unavailable_p99", "longest_exposure_p50",
      "longest_exposure_p95", "longest_exposure_p99", "mean_time_to_recovery"};
  return v;
}
const std::vector<std::string>& state_names() {
  static const std::vector<std::string> v = {
      "available", "revoke_pending", "unavailable", "recovering", "unlinked", "reachable", "fault",
      "enabled", "disabled", "deleted", "purged"};
  return v;
}

namespace {

using T = ValueType;

// Shorthands for table rows.
FieldDef optional_or_required(const char* name, ValueType type, bool is_required, const char* default_value,
                              const char* unit, const char* behaviours, const char* description) {
  FieldDef f{};
  f.name = name;
  f.type = type;
  f.required = is_required;
  f.default_value = default_value;
  f.unit = unit;
  f.behaviours = behaviours;
  f.description = description;
  return f;
}

FieldDef required(const char* name, ValueType type, const char* unit, const char* behaviours,
                  const char* description) {
  return optional_or_required(name, type, true, "", unit, behaviours, description);
}

FieldDef optional(const char* name, ValueType type, const char* default_value, const char* unit,
                  const char* behaviours, const char* description) {
  return optional_or_required(name, type, false, default_value, unit, behaviours, description);
}

FieldDef with_values(FieldDef f, const std::vector<std::string>& values) {
  f.values = &values;
  return f;
}

FieldDef with_mapping(FieldDef f, Mapping m) {
  f.mapping = m;
  return f;
}

FieldDef with_range(FieldDef f, std::uint64_t lo, std::uint64_t hi) {
  f.min = lo;
  f.max = hi;
  return f;
}

const std::vector<std::string>& action_name_list() {
  static const std::vector<std::string> names = action_names();
  return names;
}

// The fields of events other than at/action/id, with the type most actions
// read them as. Overrides per action are in kEventOverrides.
std::vector<FieldDef> event_fields() {
  return {
      required("at", T::kAt, "duration", "",
               "when the event happens, from the scenario's start; within [0, duration]; or an ISO 8601 time "
               "within the run when the scenario has a start"),
      with_values(required("action", T::kEnum, "", "", "what happens: one of the actions"), action_name_list()),
      optional("id", T::kName, "", "", "",
               "a name for the event, unique in the scenario: expectations name it (operation: ID) and the "
               "operations table lists it (else events[N])"),
      optional("vault", T::kName, "", "", "", "the Key Vault the action acts on"),
      optional("key", T::kName, "", "", "", "the key, in `vault`"),
      optional("version", T::kName, "", "", "R1 R2", "the key version"),
      optional("identity", T::kGrantIdentity, "", "", "C6 C7",
               "an identity: cluster:NAME (that cluster's system-assigned identity) or a user-assigned "
               "identity's name"),
      with_values(optional("permissions", T::kEnumList, "[get, wrap, unwrap]", "", "C7",
                           "the Key Vault permissions granted; under rbac the crypto role gives all three"),
                  permission_names()),
      optional("for", T::kDuration, "", "duration", "D5 D13", "how long the Key Vault outage lasts"),
      with_values(optional("fault", T::kEnum, "", "", "D5",
                           "what the outage looks like to the storage; every kind is a transient fault, not a "
                           "permission change"),
                  fault_names()),
      optional("cluster", T::kName, "", "", "", "the cluster the action acts on"),
      optional("region", T::kName, "", "", "C3", "the new cluster's Azure region"),
      optional("subscription", T::kName, "", "", "C4", "the new cluster's subscription"),
      optional("tenant", T::kName, "default", "", "C3", "the new cluster's tenant"),
      optional("capacity_gb_per_day", T::kNumber, "", "GB/day", "C1 C8",
               "the capacity reservation (at least 100 GB/day in steps of 100 in the current profile); "
               "create_cluster without it answers 400 \"Missing Capacity in SKU\""),
      optional("double_encryption", T::kBoolean, "", "", "K4",
               "infrastructure double encryption; default: on where the region supports it; never changes "
               "after creation"),
      optional("workspace", T::kName, "", "", "", "the workspace the action acts on"),
      optional("gb_per_day", T::kNumber, "", "GB/day", "D1", "the workspace's new ingestion rate"),
      optional("range", T::kDuration, "", "duration", "D2 D8", "how far back the query reads"),
      optional("storage_account", T::kName, "", "", "Q1", "the storage account for saved queries"),
      with_values(optional("decision", T::kEnum, "", "", "L1", "the Customer Lockbox decision"),
                  decision_names()),
  };
}

struct EventOverride {
  Action action;
  FieldDef field;
};

const std::vector<EventOverride>& event_overrides() {
  static const std::vector<EventOverride> overrides = {
      {Action::kCreateCluster,
       with_mapping(optional("key", T::kMapping, "", "", "C1 K2",
                             "key details set at creation (refused unless the identity is user-assigned and "
                             "already granted, C1)"),
                    Mapping::kKeyRef)},
      {Action::kCreateCluster,
       optional("identity", T::kIdentitySpec, "", "", "C1 C6", "the new cluster's managed identity")},
      {Action::kSetIdentity,
       optional("identity", T::kIdentitySpec, "", "", "C6 D6",
                "the cluster's new managed identity; none revokes access (D6) until support_restore")},
      {Action::kUpdateClusterKey,
       optional("vault", T::kText, "", "", "C2 C6",
                "the vault holding the key; \"\" (with key and version \"\") removes the key details: new data is "
                "under the MMK until a key is set again (C6)")},
      {Action::kUpdateClusterKey,
       optional("key", T::kText, "", "", "C2 C6", "the key's name in that vault; \"\" removes the key details (C6)")},
      {Action::kUpdateClusterKey,
       optional("version", T::kText, "", "", "R1 R2",
                "the key version; \"\" = auto-rotation: the newest enabled version (R1)")},
  };
  return overrides;
}

const std::vector<std::string>& process_name_list() {
  static const std::vector<std::string> names = fault_process_names();
  return names;
}

// Fault processes (issue 17): every field some process takes; which ones a
// process takes, and requires, is fault_process_table() (sim/scenario/fault.h).
std::vector<FieldDef> fault_fields() {
  return {
      required("name", T::kName, "", "", "the process's name, unique among the faults; its events' ids are "
                                          "faults.NAME#N (and #N.end, #N.update, #N.mistake)"),
      with_values(required("process", T::kEnum, "", "", "what fails: one of the fault processes"), process_name_list()),
      optional("vault", T::kName, "", "", "", "the declared Key Vault the process acts on"),
      optional("key", T::kName, "", "", "", "the declared key, in `vault`"),
      optional("identity", T::kGrantIdentity, "", "", "C7",
               "remove_access: the identity whose access is removed: cluster:NAME or a user-assigned identity"),
      optional("cluster", T::kName, "", "", "C6 R2",
               "identity_none: the cluster; rotation in explicit mode: the cluster updated to each new version"),
      optional("rate_per_year", T::kNumber, "", "faults/year", "",
               "Poisson arrivals: the mean number of faults a year (365d), counted while the window is open and "
               "no fault of this process is active; at most 100000"),
      optional("duration", T::kDistribution, "", "duration", "D5 D13", "kv_outage: how long each outage lasts"),
      optional("fault", T::kFaultKinds, "timeout", "", "D5",
               "kv_outage: the outage's kind, or kinds with weights ({timeout: 3, dns: 1})"),
      optional("restore_after", T::kDistribution, "", "duration", "D10",
               "disable_key, remove_access, identity_none: the time until someone restores what was changed"),
      optional("every", T::kDuration, "", "duration", "R1 R2", "rotation: the period; at least 1h"),
      with_values(optional("mode", T::kEnum, "auto", "", "R1 R2",
                           "rotation: auto (the cluster picks the newest version, R1) or explicit (the cluster is "
                           "updated to each new version after update_after, R2; needs `cluster`)"),
                  rotation_mode_names()),
      optional("update_after", T::kDistribution, "", "duration", "R2",
               "rotation, explicit mode: the delay from a new version to the cluster's update (default {fixed: 1h})"),
      optional("mistake_probability", T::kNumber, "0", "", "R3",
               "rotation: the probability, in [0, 1], that the old version is disabled before the cluster is "
               "updated"),
      optional("mistake_delay", T::kDistribution, "", "duration", "R3",
               "rotation: the delay from a new version to the mistaken disabling of the old one (default "
               "{fixed: 0s})"),
      with_mapping(optional("window", T::kMapping, "", "", "",
                            "when faults may start; absent: at any time"),
                   Mapping::kFaultWindow),
  };
}

std::vector<MappingDef> build_table() {
  std::vector<MappingDef> t;
  t.push_back({Mapping::kScenario, "scenario", "", "a scenario: what exists at the start, what happens, and what "
                                                   "must hold", {
      required("version", T::kVersion, "", "", "the format version; this cmksim reads version 1"),
      required("name", T::kName, "", "", "the scenario's name, shown in summaries and reports and stored in runs"),
      optional("description", T::kText, "", "", "", "what the scenario asks, one sentence, shown in reports"),
      with_range(optional("seed", T::kInteger, "1", "", "D3 D7",
                          "the run's seed; every random draw derives from it through named streams "
                          "(--seed overrides it)"),
                 0, UINT64_MAX),
      required("duration", T::kDuration, "duration", "", "simulated time from the start to the end of the run; > 0"),
      optional("start", T::kIsoTime, "", "", "D1",
               "wall-clock label of the start (ISO 8601, shown in UTC): the summary and the report print dates "
               "beside offsets, `at:` may be a time within the run, its hour and weekday anchor daily and "
               "weekly profiles"),
      optional("profile", T::kProfile, "azure-monitor-current", "", "P1",
               "the shipped profile whose parameters the run uses (--profile overrides it, also with a file)"),
      with_values(optional("timing", T::kEnum, "sampled", "", "D7",
                           "when a revocation takes effect: sampled (the first denied call plus the cached AEK's "
                           "remaining life, capped at the bound), latest (exactly at the bound: the longest "
                           "exposure, the least loss), earliest (the first denied call: the most loss), bounds "
                           "(latest and earliest side by side); worst and best are old names of latest and "
                           "earliest"),
                  timing_names()),
      optional("params", T::kParams, "", "", "P1",
               "profile parameters overridden for this scenario (--set overrides them in turn)"),
      with_mapping(optional("key_vaults", T::kMappingList, "", "", "", "the Key Vaults and their keys at the start"),
                   Mapping::kKeyVault),
      with_mapping(optional("identities", T::kMappingList, "", "", "C6", "user-assigned managed identities"),
                   Mapping::kIdentity),
      with_mapping(optional("clusters", T::kMappingList, "", "", "C1",
                            "the dedicated clusters that exist, provisioned, at the start"),
                   Mapping::kCluster),
      with_mapping(optional("grants", T::kMappingList, "", "", "C7", "who may use which vault at the start"),
                   Mapping::kGrant),
      with_mapping(optional("workspaces", T::kMappingList, "", "", "D1 W1", "the Log Analytics workspaces"),
                   Mapping::kWorkspace),
      with_mapping(optional("events", T::kMappingList, "", "", "",
                            "what happens during the run; each event names an action"),
                   Mapping::kEvent),
      with_mapping(optional("faults", T::kMappingList, "", "", "",
                            "stochastic fault processes, realised per run from the seed into ordinary events "
                            "(kind fault in the events table)"),
                   Mapping::kFault),
      optional("expect", T::kExpectations, "", "", "",
               "what must hold after the run, checked by cmksim check: a metric with min/max, a state at a time, "
               "or an operation's status"),
  }});
  t.push_back({Mapping::kKeyVault, "key_vault", "key vault", "a Key Vault and its keys at the start", {
      required("name", T::kName, "", "", "the vault's name, unique among the vaults"),
      optional("region", T::kName, "", "", "C3", "Azure region; a cluster's vault must be in its region"),
      optional("tenant", T::kName, "default", "", "C3", "Azure AD tenant; a cluster's vault must be in its tenant"),
      optional("subscription", T::kName, "", "", "", "subscription (may differ from the cluster's)"),
      optional("soft_delete", T::kBoolean, "false", "", "C2",
               "deleted keys can be recovered; without it a deleted key is purged at once"),
      optional("purge_protection", T::kBoolean, "false", "", "C2",
               "deleted keys cannot be purged before the end of the retention period"),
      with_values(optional("permission_model", T::kEnum, "rbac", "", "C7",
                           "Azure RBAC (the crypto service encryption role) or access policies"),
                  permission_model_names()),
      optional("private_link", T::kBoolean, "false", "", "C6",
               "reachable only through Private Link (a user-assigned identity cannot reach it)"),
      with_mapping(optional("keys", T::kMappingList, "", "", "K1", "the vault's keys"), Mapping::kKey),
  }});
  t.push_back({Mapping::kKey, "key", "key", "a key in a vault", {
      required("name", T::kName, "", "", "the key's name, unique in its vault"),
      optional("versions", T::kNameList, "[v1]", "", "R1 R2",
               "the key's versions, oldest first, each unique; all enabled at the start"),
  }});
  t.push_back({Mapping::kIdentity, "identity", "identity", "a user-assigned managed identity", {
      required("name", T::kName, "", "", "the identity's name, unique among the identities"),
      optional("tenant", T::kName, "default", "", "C3", "Azure AD tenant"),
  }});
  t.push_back({Mapping::kCluster, "cluster", "cluster", "a dedicated cluster, provisioned at the start", {
      required("name", T::kName, "", "", "the cluster's name, unique among the clusters"),
      optional("region", T::kName, "", "", "C3", "Azure region"),
      optional("subscription", T::kName, "", "", "C4", "subscription"),
      optional("tenant", T::kName, "default", "", "C3", "Azure AD tenant"),
      optional("identity", T::kIdentitySpec, "system_assigned", "", "C6",
               "the cluster's managed identity: system_assigned, user_assigned:NAME (a declared identity) or none"),
      optional("capacity_gb_per_day", T::kNumber, "100", "GB/day", "C1", "the capacity reservation"),
      optional("double_encryption", T::kBoolean, "", "", "K4",
               "infrastructure double encryption; default: on where the region supports it"),
      with_mapping(optional("key", T::kMapping, "", "", "K2",
                            "the customer-managed key; absent: the cluster's data is under the MMK only"),
                   Mapping::kKeyRef),
      optional("key_since", T::kDuration, "0", "duration", "K2",
               "the key was set this long before the start: older existing data is under the MMK, newer under "
               "the CMK; needs `key`"),
  }});
  t.push_back({Mapping::kKeyRef, "key_reference", "key reference",
               "a key a cluster uses: vault, key and version (all declared at the start for a declared cluster)", {
      required("vault", T::kName, "", "", "the vault holding the key"),
      required("key", T::kName, "", "", "the key's name in that vault"),
      optional("version", T::kText, "\"\"", "", "R1 R2",
               "the key version; \"\" = auto-rotation: the newest enabled version, picked up at the next Key "
               "Vault call (R1); a named version is kept until the cluster is updated (R2)"),
  }});
  t.push_back({Mapping::kGrant, "grant", "grant", "an identity's access to a vault at the start", {
      required("identity", T::kGrantIdentity, "", "C6",
               "either cluster:NAME (that cluster's system-assigned identity) or a declared user-assigned identity"),
      required("vault", T::kName, "", "", "the vault the identity may use"),
      with_values(optional("permissions", T::kEnumList, "[get, wrap, unwrap]", "", "C7",
                           "the Key Vault permissions; under rbac the crypto role gives all three"),
                  permission_names()),
  }});
  t.push_back({Mapping::kWorkspace, "workspace", "workspace", "a Log Analytics workspace", {
      required("name", T::kName, "", "", "the workspace's name, unique among the workspaces"),
      optional("region", T::kName, "", "", "C3", "Azure region; must be its cluster's"),
      optional("tenant", T::kName, "default", "", "C3", "Azure AD tenant; must be its cluster's"),
      optional("subscription", T::kName, "", "", "", "subscription (may differ from the cluster's)"),
      optional("cluster", T::kName, "", "", "W1",
               "the declared cluster it is linked to at the start; absent: unlinked (shared storage, MMK)"),
      optional("ingest_gb_per_day", T::kNumber, "0", "GB/day", "D1", "the ingestion rate"),
      optional("daily_profile", T::kWeights24, "", "", "D1",
               "24 hourly weights (>= 0, positive sum) shaping the rate over the day, normalized to mean 1, "
               "hour 0 at start's hour"),
      optional("weekly_profile", T::kWeights7, "", "", "D1",
               "7 daily weights, Monday to Sunday (>= 0, positive sum), normalized to mean 1 and multiplied "
               "with daily_profile; the run begins on start's weekday (without start, day 0 is a Monday)"),
      optional("retention", T::kDuration, "30d", "duration", "D9",
               "data is purged at the end of its retention, readable or not; > 0"),
      optional("existing_data", T::kDuration, "0", "duration", "K2",
               "how much data is already there at the start (at most the retention)"),
      optional("queries_per_hour", T::kNumber, "0", "queries/hour", "D2 D8",
               "background queries, Poisson arrivals from the run's seed; at most 3600000 (one a millisecond, "
               "the model's time step)"),  // kMaxQueriesPerHour
      optional("query_range", T::kDuration, "1d", "duration", "D2", "how far back a background query reads"),
  }});
  t.push_back({Mapping::kEvent, "event", "event",
               "something that happens at a time: an action and its fields (an event may have only the fields "
               "of its action)", event_fields()});
  const auto over_seeds = [] {
    return with_range(optional("over_seeds", T::kInteger, "1", "", "",
                               "the expectation holds only if it holds for this many seeds derived from the "
                               "run's seed"),
                      1, 100000);
  };
  t.push_back({Mapping::kMetricExpectation, "metric_expectation", "expectation",
               "a metric of a subject bounded by min and/or max", {
      with_values(required("metric", T::kEnum, "", "",
                           "a metric of the metrics or incidents table (the largest over the incidents)"),
                  metric_names()),
      required("subject", T::kName, "", "",
               "a declared vault, vault/key, cluster or workspace, or a cluster an event creates"),
      optional("min", T::kBound, "", "", "",
               "lower bound: a number in the metric's unit, or a duration for unavailable_s, exposure_window "
               "and recovery_time"),
      optional("max", T::kBound, "", "", "", "upper bound, written like min"),
      over_seeds(),
  }});
  t.push_back({Mapping::kStateExpectation, "state_expectation", "expectation",
               "the state of a subject at a time (the states table)", {
      with_values(required("state", T::kEnum, "", "", "the state the subject must be in"), state_names()),
      required("subject", T::kName, "", "", "a declared vault, vault/key, cluster or workspace"),
      required("at", T::kAt, "duration", "",
               "the time, from the start; within [0, duration]; or an ISO 8601 time within the run (needs start)"),
      over_seeds(),
  }});
  t.push_back({Mapping::kOperationExpectation, "operation_expectation", "expectation",
               "the HTTP status an event's operation returns (the operations table)", {
      required("operation", T::kName, "", "", "the id of an event"),
      with_range(required("status", T::kInteger, "", "", "the status it must return (200, 202, 400, 404, 409, 503 ...)"),
                 100, 599),
      over_seeds(),
  }});
  t.push_back({Mapping::kRiskExpectation, "risk_expectation", "expectation",
               "a risk figure (issue 17) of the scenario over many runs, bounded by min and/or max: cmksim check "
               "runs it with `runs` seeds derived from the run's seed (as over_seeds) and bounds the figure's "
               "estimate", {
      with_values(required("risk", T::kEnum, "", "",
                           "the figure: annualised by the run's simulated duration (a year = 365 days), as the "
                           "risk section of a sweep's report computes it"),
                  risk_figure_names()),
      optional("min", T::kBound, "", "", "",
               "lower bound: a number (GB; a probability or availability from 0 to 1), or a duration for the "
               "annual_unavailable, longest_exposure and mean_time_to_recovery figures"),
      optional("max", T::kBound, "", "", "", "upper bound, written like min"),
      with_range(optional("runs", T::kInteger, "100", "", "", "how many runs (derived seeds) the figure is over"),
                 1, 100000),
  }});
  t.push_back({Mapping::kFault, "fault", "fault",
               "a fault process: what fails, how often and for how long (a fault may have only the fields of its "
               "process)", fault_fields()});
  t.push_back({Mapping::kFaultWindow, "fault_window", "fault window",
               "when a fault process may start a fault: between two times, and on some days and hours of the week "
               "(the week from `start`; Monday 00:00 without it)", {
      optional("from", T::kDuration, "0", "duration", "", "the window opens at this time from the start"),
      optional("to", T::kDuration, "", "duration", "", "the window closes at this time (default: the end of the run)"),
      with_values(optional("days", T::kEnum, "all", "", "", "all days, or weekdays (Monday to Friday) only"),
                  window_day_names()),
      with_range(optional("hours_from", T::kInteger, "0", "", "", "each allowed day, from this hour"), 0, 23),
      with_range(optional("hours_to", T::kInteger, "24", "", "", "each allowed day, until this hour"), 1, 24),
  }});
  return t;
}

}  // namespace

const std::vector<MappingDef>& format_table() {
  static const std::vector<MappingDef> table = build_table();
  return table;
}

const MappingDef& mapping_def(Mapping m) {
  for (const MappingDef& def : format_table()) {
    if (def.id == m) return def;
  }
  CMKSIM_CHECK(false, "every mapping is in the format table");
  return format_table().front();
}

const FieldDef* find_field(Mapping m, std::string_view name) {
  for (const FieldDef& f : mapping_def(m).fields) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

std::vector<std::string> field_names(Mapping m) {
  std::vector<std::string> names;
  for (const FieldDef& f : mapping_def(m).fields) names.emplace_back(f.name);
  return names;
}

const std::vector<Mapping>& expectation_kinds() {
  static const std::vector<Mapping> kinds = {Mapping::kMetricExpectation, Mapping::kStateExpectation,
                                             Mapping::kOperationExpectation, Mapping::kRiskExpectation};
  return kinds;
}

std::vector<std::string> expectation_field_names() {
  std::vector<std::string> names;
  for (const Mapping m : expectation_kinds()) {
    for (const std::string& f : field_names(m)) {
      if (std::find(names.begin(), names.end(), f) == names.end()) names.push_back(f);
    }
  }
  return names;
}

const std::vector<std::string>& event_common_fields() {
  static const std::vector<std::string> v = {"at", "action", "id"};
  return v;
}

const FieldDef* event_field(Action action, std::string_view name) {
  const ActionInfo& info = action_info(action);
  bool taken = std::find(event_common_fields().begin(), event_common_fields().end(), name) !=
               event_common_fields().end();
  for (const auto* list : {&info.required, &info.optional}) {
    for (const char* f : *list) taken = taken || name == f;
  }
  if (!taken) return nullptr;
  for (const EventOverride& o : event_overrides()) {
    if (o.action == action && name == o.field.name) return &o.field;
  }
  return find_field(Mapping::kEvent, name);
}

const char* action_description(Action action) {
  switch (action) {
    case Action::kDisableKey: return "disables the key: a permission change (D6) for every cluster using it";
    case Action::kEnableKey: return "enables the key again: access is restored and storage recovers (D10)";
    case Action::kDeleteKey:
      return "deletes the key (soft-deleted, or purged at once without soft delete): a permission change (D6)";
    case Action::kRecoverKey: return "recovers a soft-deleted key: access is restored (D10)";
    case Action::kPurgeKey: return "purges a deleted key for good (refused under purge protection, C2)";
    case Action::kExpireKey: return "the key reaches its expiry date: a permission change (D6)";
    case Action::kAddKeyVersion:
      return "adds a new, enabled version: picked up by auto-rotation (R1), ignored by an explicit version (R2)";
    case Action::kDisableKeyVersion:
      return "disables one version: a permission change for clusters still using it (R3)";
    case Action::kEnableKeyVersion: return "enables one version again";
    case Action::kGrantAccess: return "grants an identity access to a vault (an access policy or a role assignment)";
    case Action::kRemoveAccess:
      return "removes an identity's access to a vault: a permission change (D6) for the clusters using it";
    case Action::kKvOutage:
      return "the vault is unreachable for a while: a transient fault, not a permission change (D5; D13 in 2020)";
    case Action::kCreateCluster: return "creates a dedicated cluster; provisioning is asynchronous (C1)";
    case Action::kUpdateClusterKey:
      return "sets or changes the cluster's key details; asynchronous (C2), validated against the vault";
    case Action::kSetIdentity: return "changes the cluster's managed identity; none revokes access (C6, D6)";
    case Action::kSupportRestore:
      return "a support case restores the identity the cluster had before it was set to none (C6)";
    case Action::kDeleteCluster:
      return "deletes the cluster (soft delete) and unlinks its workspaces asynchronously (C5, D12)";
    case Action::kSetCapacity: return "changes the capacity reservation; decreases are locked for a while (C8)";
    case Action::kLinkWorkspace: return "links a workspace to a cluster; asynchronous, rate-limited (W1, W2, D11)";
    case Action::kUnlinkWorkspace:
      return "unlinks a workspace: new data goes to shared storage under the MMK (W3, D12)";
    case Action::kDeleteWorkspace: return "deletes a workspace (soft delete, W3)";
    case Action::kRestoreWorkspace: return "restores a soft-deleted workspace, still linked (W3)";
    case Action::kSetIngestion: return "changes the workspace's ingestion rate (D1)";
    case Action::kQuery: return "runs one query over the last `range` of data; its status is recorded (D2, D8)";
    case Action::kLinkQueryStorage: return "links a storage account for saved queries (Q1)";
    case Action::kLockboxRequest: return "a Customer Lockbox request, approved or rejected (L1)";
    case Action::kSupportRecoverCluster:
      return "a support case recovers a soft-deleted cluster with its data; its workspaces stay unlinked (C5)";
    case Action::kSearchJob:
      return "an asynchronous search job over the last `range`: refused (400) on a workspace whose data is under a "
             "CMK (Q3)";
  }
  return "";
}

std::string value_type_text(const FieldDef& field) {
  switch (field.type) {
    case T::kVersion: return "1";
    case T::kText: return "text";
    case T::kName: return "name";
    case T::kInteger: return "integer";
    case T::kNumber: return "number";
    case T::kBoolean: return "true | false";
    case T::kDuration: return "duration";
    case T::kProfile: return "profile name";
    case T::kIsoTime: return "ISO 8601 time";
    case T::kIdentitySpec: return "system_assigned | user_assigned:NAME | none";
    case T::kGrantIdentity: return "cluster:NAME | identity name";
    case T::kNameList: return "list of names";
    case T::kWeights24: return "list of 24 numbers";
    case T::kWeights7: return "list of 7 numbers";
    case T::kAt: return "duration or ISO 8601 time";
    case T::kBound: return "number or duration";
    case T::kParams: return "mapping: parameter: value";
    case T::kMapping: return std::string(mapping_def(*field.mapping).key);
    case T::kMappingList: return "list of " + std::string(mapping_def(*field.mapping).key);
    case T::kExpectations: return "list of expectations";
    case T::kDistribution: return "fixed: D | uniform: [A, B] | lognormal: {median: D, p95: D}";
    case T::kFaultKinds: return "fault kind | mapping: kind: weight";
    case T::kEnum:
    case T::kEnumList: {
      std::string out;
      for (const std::string& v : *field.values) out += (out.empty() ? "" : " | ") + v;
      return field.type == T::kEnumList ? "list of " + out : out;
    }
  }
  return "";
}

}  // namespace cmksim
