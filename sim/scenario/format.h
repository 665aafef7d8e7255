// Format: scenario format v1 (INTERFACE.md §2) as data -- every mapping, its
// fields with their value type, whether required, default, unit, behaviour
// IDs and a description, and the closed sets of words (timings, faults,
// metrics, states ...).
//
// This table is the single source of truth for the format. The loader takes
// its field names (unknown field, did you mean, required) and its closed sets
// from here; `cmksim schema` (JSON Schema) and `cmksim reference` (Markdown)
// are generated from it. Actions and their fields are in action.h; the types
// an event field takes under each action are here (event_field()).
// Plain data: nothing here knows about YAML.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/action.h"
#include "sim/scenario/fault.h"

namespace cmksim {

// What a field's value must be, as the loader reads it.
enum class ValueType {
  kVersion,        // the format version: 1
  kText,           // any scalar, possibly ""
  kName,           // a non-empty scalar
  kInteger,        // an unquoted non-negative integer, within [min, max]
  kNumber,         // an unquoted decimal number in [0, 1e15]
  kBoolean,        // true or false (not yes/no/on/off, not quoted)
  kDuration,       // 500ms, 45s, 15m, 1h30m, 2d, 1w, or 0
  kEnum,           // one of `values`
  kProfile,        // the name of a shipped profile
  kIsoTime,        // YYYY-MM-DD[THH:MM[:SS[.f]](Z|+HH:MM|-HH:MM)]
  kIdentitySpec,   // system_assigned | user_assigned:NAME | none
  kGrantIdentity,  // cluster:NAME, or a user-assigned identity's name
  kNameList,       // a list of unique names, at least one
  kEnumList,       // a list of `values`
  kWeights24,      // a list of 24 numbers >= 0 with a positive sum
  kWeights7,       // a list of 7 numbers >= 0 with a positive sum (Monday first)
  kAt,             // a duration from the start, or an ISO 8601 time within the run (needs `start`)
  kBound,          // a number, or a duration for the metrics measured in time
  kParams,         // a mapping of profile parameter -> value
  kMapping,        // a nested mapping (`mapping`)
  kMappingList,    // a list of `mapping`s; an empty value is an empty list
  kExpectations,   // a list of expectations, each of one kind (expectation_kinds())
  kDistribution,   // fixed: D | uniform: [A, B] | lognormal: {median: D, p95: D} (issue 17)
  kFaultKinds,     // a fault kind, or a mapping of fault kinds to weights (D5)
};

// The mappings of the format. The expectation kinds are four mappings; an
// `expect:` entry is exactly one of them.
enum class Mapping {
  kScenario, kKeyVault, kKey, kIdentity, kCluster, kKeyRef, kGrant, kWorkspace, kEvent,
  kMetricExpectation, kStateExpectation, kOperationExpectation, kRiskExpectation,
  kFault, kFaultWindow,
};

struct FieldDef {
  const char* name;
  ValueType type;
  bool required;
  const char* default_value;  // as written in YAML ("" = none; "\"\"" = the empty string)
  const char* unit;           // "duration", "GB/day", ... ("" = none)
  const char* behaviours;     // behaviour IDs of BEHAVIORS.md ("" = none)
  const char* description;    // one or two sentences, lower-case start
  const std::vector<std::string>* values = nullptr;  // kEnum, kEnumList
  std::optional<Mapping> mapping;                    // kMapping, kMappingList
  std::optional<std::uint64_t> min, max;             // kInteger
};

struct MappingDef {
  Mapping id;
  const char* key;          // its name in the schema's $defs and the reference ("key_vault")
  const char* what;         // its name in the loader's messages ("key vault"; "" = the top level)
  const char* description;
  std::vector<FieldDef> fields;  // in the order the reference lists them
};

const std::vector<MappingDef>& format_table();
const MappingDef& mapping_def(Mapping m);
// The field `name` of mapping `m`, or nullptr.
const FieldDef* find_field(Mapping m, std::string_view name);
// Every field name of `m`, in table order.
std::vector<std::string> field_names(Mapping m);

// The kinds of expectation (metric, state, operation, risk), in the order the loader tries them.
const std::vector<Mapping>& expectation_kinds();
// Every field some kind of expectation takes, without repeats.
std::vector<std::string> expectation_field_names();

// Events. The event mapping (kEvent) holds at/action/id and every field some
// action takes, with the type it has under most actions; a few actions read
// a field differently (create_cluster's `key` is a key reference). This is
// the field as `action` reads it; nullptr when the action does not take it.
const FieldDef* event_field(Action action, std::string_view name);
// at, action, id: the fields every event may have.
const std::vector<std::string>& event_common_fields();
// What the action does, one sentence.
const char* action_description(Action action);

// Closed sets of words.
const std::vector<std::string>& timing_names();            // D7
const std::vector<std::string>& fault_names();             // D5
const std::vector<std::string>& decision_names();          // L1
const std::vector<std::string>& permission_model_names();  // C7
const std::vector<std::string>& permission_names();        // C7
const std::vector<std::string>& identity_spec_forms();     // C6: system_assigned, user_assigned:NAME, none
const std::vector<std::string>& distribution_kinds();      // fixed, uniform, lognormal
const std::vector<std::string>& window_day_names();        // all, weekdays
const std::vector<std::string>& rotation_mode_names();     // auto (R1), explicit (R2)
// Metric names an expectation may bound (the `metrics` and `incidents` tables).
const std::vector<std::string>& metric_names();
// The metrics measured in time: the only ones a duration may bound.
const std::vector<std::string>& time_metric_names();
// Risk figures a risk expectation may bound (issue 17: sim/sweep/risk.h),
// and those measured in time (a duration may bound them).
const std::vector<std::string>& risk_figure_names();
const std::vector<std::string>& time_risk_figure_names();
// States a state expectation may name (the `states` table).
const std::vector<std::string>& state_names();

// Readable type of a field for people ("duration", "list of names" ...).
std::string value_type_text(const FieldDef& field);

}  // namespace cmksim
