// cmksim schema: the JSON Schema (draft 2020-12) of scenario format v1,
// generated from the format table (sim/scenario/format.h), the action table
// and the profile parameters: the definitions the loader itself checks
// against. scenarios/schema.json is a copy (a test keeps it current), so
// editors with the YAML language server validate and complete scenarios.
//
// What JSON Schema cannot say stays the loader's alone: references between
// sections, unique names, `at` within the duration, duplicate keys (the YAML
// language server flags those itself), cross-parameter consistency.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sim/cli/command.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/profile.h"
#include "sim/scenario/format.h"

namespace cmksim {
namespace {

using Json = nlohmann::ordered_json;  // keys in insertion order: the same bytes on every run

Json ref(const std::string& def) { return Json{{"$ref", "#/$defs/" + def}}; }

// Two-space indentation as dump(2), except that an array of scalars stays on
// one line: the layout scenarios/schema.json has always had.
void write(const Json& j, std::string& out, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  const std::string close(static_cast<std::size_t>(indent), ' ');
  if (j.is_object() && !j.empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [key, value] : j.items()) {
      out += pad + Json(key).dump() + ": ";
      write(value, out, indent + 2);
      out += ++i < j.size() ? ",\n" : "\n";
    }
    out += close + "}";
  } else if (j.is_array()) {
    const bool flat = std::none_of(j.begin(), j.end(), [](const Json& x) { return x.is_structured(); });
    out += flat ? "[" : "[\n";
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!flat) out += pad;
      write(j[i], out, indent + 2);
      if (i + 1 < j.size()) out += flat ? ", " : ",\n";
    }
    out += flat ? "]" : (j.empty() ? "" : "\n") + close + "]";
  } else {
    out += j.dump(-1, ' ', false, Json::error_handler_t::strict);
  }
}

constexpr std::uint64_t kMaxNumber = 1000000000000000;  // 1e15, the loader's ceiling

Json number_schema() { return Json{{"type", "number"}, {"minimum", 0}, {"maximum", kMaxNumber}}; }

Json strings(const std::vector<std::string>& items) { return Json(items); }

// "Unit: GB/day. Behaviour: D1. Default: 0." after the description.
std::string describe(const std::string& description, const std::string& unit, const std::string& behaviours,
                     const std::string& default_value) {
  std::string out = description;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  out += ".";
  if (!unit.empty()) out += " Unit: " + unit + ".";
  if (!behaviours.empty()) out += " Behaviour: " + behaviours + ".";
  if (!default_value.empty()) out += " Default: " + default_value + ".";
  return out;
}

// A YAML default as JSON, by the field's type.
Json default_json(const FieldDef& f) {
  const std::string d = f.default_value;
  switch (f.type) {
    case ValueType::kInteger:
    case ValueType::kNumber:
    case ValueType::kBoolean: return Json::parse(d);  // the table writes them as JSON would
    case ValueType::kNameList:
    case ValueType::kEnumList: {
      Json a = Json::array();
      std::string item;
      for (const char c : d.substr(1, d.size() - 2)) {  // "[a, b]"
        if (c == ',') {
          a.push_back(item);
          item.clear();
        } else if (c != ' ') {
          item += c;
        }
      }
      if (!item.empty()) a.push_back(item);
      return a;
    }
    default: return d == "\"\"" ? "" : d;
  }
}

Json nullable_array_of(const Json& items) { return Json{{"type", Json::array({"array", "null"})}, {"items", items}}; }

// The schema of one value of type `f.type`, without its description.
Json value_schema(const FieldDef& f) {
  switch (f.type) {
    case ValueType::kVersion: return Json{{"enum", Json::array({1, "1"})}};
    case ValueType::kText: return ref("text");
    case ValueType::kName: return ref("name");
    case ValueType::kInteger:
      return Json{{"type", "integer"}, {"minimum", f.min.value_or(0)}, {"maximum", f.max.value_or(UINT64_MAX)}};
    case ValueType::kNumber: return number_schema();
    case ValueType::kBoolean: return Json{{"type", "boolean"}};
    case ValueType::kDuration: return ref("duration");
    case ValueType::kEnum: return Json{{"enum", strings(*f.values)}};
    case ValueType::kProfile: return Json{{"enum", strings(profile_names())}};
    case ValueType::kIsoTime:
      return Json{{"type", "string"},
                  {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
                              "(Z|[+-][0-9]{2}:[0-9]{2}))?$"}};
    case ValueType::kIdentitySpec:
      return Json{{"type", "string"},
                  {"pattern", "^(system_assigned|none|user_assigned:.+)$"},
                  {"examples", strings(identity_spec_forms())}};
    case ValueType::kGrantIdentity: return Json{{"$ref", "#/$defs/name"}, {"not", Json{{"const", "cluster:"}}}};
    case ValueType::kNameList:
      return Json{{"type", "array"}, {"items", ref("name")}, {"minItems", 1}, {"uniqueItems", true}};
    case ValueType::kEnumList: return Json{{"type", "array"}, {"items", Json{{"enum", strings(*f.values)}}}};
    case ValueType::kWeights24:
      return Json{{"type", "array"}, {"items", number_schema()}, {"minItems", 24}, {"maxItems", 24}};
    case ValueType::kWeights7:
      return Json{{"type", "array"}, {"items", number_schema()}, {"minItems", 7}, {"maxItems", 7}};
    case ValueType::kAt: {
      FieldDef iso = f;
      iso.type = ValueType::kIsoTime;
      return Json{{"anyOf", Json::array({ref("duration"), value_schema(iso)})}};
    }
    case ValueType::kBound: return Json{{"anyOf", Json::array({number_schema(), ref("duration")})}};
    case ValueType::kParams: return ref("params");
    case ValueType::kMapping: return ref(mapping_def(*f.mapping).key);
    case ValueType::kMappingList: return nullable_array_of(ref(mapping_def(*f.mapping).key));
    case ValueType::kExpectations: return nullable_array_of(ref("expectation"));
    case ValueType::kDistribution: return ref("distribution");
    case ValueType::kFaultKinds:
      return Json{{"anyOf", Json::array({Json{{"enum", strings(fault_names())}},
                                         Json{{"type", "object"},
                                              {"propertyNames", Json{{"enum", strings(fault_names())}}},
                                              {"additionalProperties", number_schema()},
                                              {"minProperties", 1}}})}};
  }
  return Json::object();
}

Json field_schema(const FieldDef& f) {
  Json s = value_schema(f);
  s["description"] = describe(f.description, f.unit, f.behaviours, f.default_value);
  if (*f.default_value != '\0') s["default"] = default_json(f);
  return s;
}

Json mapping_schema(const MappingDef& m) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const FieldDef& f : m.fields) {
    properties[f.name] = field_schema(f);
    if (f.required) required.push_back(f.name);
  }
  return Json{{"type", "object"},
              {"description", describe(m.description, "", "", "")},
              {"properties", std::move(properties)},
              {"additionalProperties", false},
              {"required", std::move(required)}};
}

// An event field some action reads differently takes any of its forms.
Json event_field_schema(const FieldDef& f) {
  std::vector<const FieldDef*> forms = {&f};
  for (const ActionInfo& info : action_table()) {
    const FieldDef* form = event_field(info.action, f.name);
    if (form == nullptr) continue;
    bool known = false;
    for (const FieldDef* g : forms) known = known || g->type == form->type;
    if (!known) forms.push_back(form);
  }
  if (forms.size() == 1) return field_schema(f);
  Json any = Json::array();
  for (const FieldDef* form : forms) any.push_back(value_schema(*form));
  return Json{{"anyOf", std::move(any)},
              {"description", describe(std::string(f.description) + " (its form depends on the action)", f.unit,
                                       f.behaviours, "")}};
}

// If action is X then: its required fields, only its fields, and each
// field's type as that action reads it.
Json action_schema(const ActionInfo& info) {
  Json names = strings(event_common_fields());
  Json required = Json::array();
  Json fields = Json::object();
  for (const auto* list : {&info.required, &info.optional}) {
    for (const char* name : *list) {
      names.push_back(name);
      if (list == &info.required) required.push_back(name);
      fields[name] = field_schema(*event_field(info.action, name));
    }
  }
  Json then = Json{{"description", std::string(info.name) + ": " +
                                       describe(action_description(info.action), "", info.behaviours, "")},
                   {"propertyNames", Json{{"enum", std::move(names)}}},
                   {"properties", std::move(fields)}};
  if (!info.required.empty()) then["required"] = std::move(required);
  return Json{{"if", Json{{"properties", Json{{"action", Json{{"const", info.name}}}}}, {"required", Json::array({"action"})}}},
              {"then", std::move(then)}};
}

// Events: every field any action takes at the top (so editors complete
// them), then one if/then per action.
Json event_schema() {
  const MappingDef& event = mapping_def(Mapping::kEvent);
  Json properties = Json::object();
  for (const FieldDef& f : event.fields) properties[f.name] = event_field_schema(f);
  Json per_action = Json::array();
  for (const ActionInfo& info : action_table()) per_action.push_back(action_schema(info));
  Json s = mapping_schema(event);
  s["properties"] = std::move(properties);
  s["allOf"] = std::move(per_action);
  return s;
}

// If process is X then: its required fields and only its fields (issue 17).
Json process_schema(const FaultProcessInfo& info) {
  Json names = strings(fault_common_fields());
  Json required = Json::array();
  for (const auto* list : {&info.required, &info.optional}) {
    for (const char* name : *list) {
      names.push_back(name);
      if (list == &info.required) required.push_back(name);
    }
  }
  Json then = Json{{"description", std::string(info.name) + ": " + describe(info.description, "", info.behaviours, "")},
                   {"propertyNames", Json{{"enum", std::move(names)}}}};
  if (!info.required.empty()) then["required"] = std::move(required);
  return Json{{"if", Json{{"properties", Json{{"process", Json{{"const", info.name}}}}}, {"required", Json::array({"process"})}}},
              {"then", std::move(then)}};
}

Json fault_schema() {
  Json per_process = Json::array();
  for (const FaultProcessInfo& info : fault_process_table()) per_process.push_back(process_schema(info));
  Json s = mapping_schema(mapping_def(Mapping::kFault));
  s["properties"]["mistake_probability"]["maximum"] = 1;  // a probability
  s["allOf"] = std::move(per_process);
  return s;
}

// fixed: D | uniform: [A, B] | lognormal: {median, p95}: exactly one.
Json distribution_schema() {
  const Json lognormal = Json{{"type", "object"},
                              {"properties", Json{{"median", ref("duration")}, {"p95", ref("duration")}}},
                              {"required", Json::array({"median", "p95"})},
                              {"additionalProperties", false}};
  return Json{{"description", "A duration drawn at random: fixed: D, uniform: [A, B] (A <= B), or lognormal: "
                              "{median: M, p95: P} (0 < M <= P)."},
              {"type", "object"},
              {"properties", Json{{"fixed", ref("duration")},
                                  {"uniform", Json{{"type", "array"}, {"items", ref("duration")}, {"minItems", 2},
                                                   {"maxItems", 2}}},
                                  {"lognormal", lognormal}}},
              {"additionalProperties", false},
              {"minProperties", 1},
              {"maxProperties", 1}};
}

// One kind of expectation. Bounds: at least one of min/max, and a duration
// only for the metrics measured in time.
Json expectation_kind_schema(const MappingDef& m) {
  Json s = mapping_schema(m);
  std::vector<std::string> bounds;
  for (const FieldDef& f : m.fields) {
    if (f.type == ValueType::kBound) bounds.emplace_back(f.name);
  }
  if (bounds.empty()) return s;
  Json any = Json::array();
  Json numbers = Json::object();
  for (const std::string& b : bounds) {
    any.push_back(Json{{"required", Json::array({b})}});
    numbers[b] = Json{{"type", "number"}};
  }
  const bool risk = m.id == Mapping::kRiskExpectation;
  std::vector<std::string> untimed;
  for (const std::string& name : risk ? risk_figure_names() : metric_names()) {
    bool timed = false;
    for (const std::string& t : risk ? time_risk_figure_names() : time_metric_names()) timed = timed || t == name;
    if (!timed) untimed.push_back(name);
  }
  s["anyOf"] = std::move(any);
  s["if"] = Json{{"properties", Json{{risk ? "risk" : "metric", Json{{"enum", strings(untimed)}}}}}};
  s["then"] = Json{{"properties", std::move(numbers)}};
  return s;
}

Json expectation_schema() {
  Json properties = Json::object();
  Json kinds = Json::array();
  for (const Mapping kind : expectation_kinds()) {
    const MappingDef& m = mapping_def(kind);
    for (const FieldDef& f : m.fields) {
      if (!properties.contains(f.name)) properties[f.name] = field_schema(f);
    }
    kinds.push_back(ref(m.key));
  }
  return Json{{"type", "object"},
              {"description", "An expectation: exactly one of metric (with min and/or max), state (with subject and "
                              "at), operation (with status) or risk (with min and/or max, over runs)."},
              {"properties", std::move(properties)},
              {"additionalProperties", false},
              {"oneOf", std::move(kinds)}};
}

// params: every profile parameter, typed as set_param reads its text.
Json params_schema() {
  const std::optional<Profile> defaults = profile_by_name(profile_names().front());
  Json properties = Json::object();
  const Json decimal = Json{{"type", "string"}, {"pattern", "^[+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"}};
  for (const ParamInfo& p : param_table()) {
    Json s = Json::object();
    if (std::holds_alternative<DurationMs Profile::*>(p.field)) {
      s = ref("duration");
    } else if (std::holds_alternative<double Profile::*>(p.field)) {
      s["anyOf"] = Json::array({number_schema(), decimal});
    } else if (std::holds_alternative<bool Profile::*>(p.field)) {
      s["anyOf"] = Json::array({Json{{"type", "boolean"}}, Json{{"enum", Json::array({"true", "false"})}}});
    } else {
      s = ref("text");
    }
    const std::string value = param_value_text(*defaults, p);
    s["description"] =
        describe(p.description, p.unit, p.behaviour, (value.empty() ? "\"\"" : value) + " (" + defaults->name + ")");
    properties[p.name] = std::move(s);
  }
  return Json{{"type", Json::array({"object", "null"})},
              {"description", "Profile parameters overridden for this scenario; `cmksim profiles NAME` lists them "
                              "with their values."},
              {"properties", std::move(properties)},
              {"additionalProperties", false}};
}

Json scalar_types() { return Json::array({"string", "number", "boolean"}); }

// $defs: the value types, params, every mapping but the top level, expectations.
Json definitions() {
  Json defs = Json::object();
  defs["duration"] = Json{
      {"description", "A duration: integers with units from the largest to the smallest, each once (w, d, h, m, s, "
                      "ms): 500ms, 45s, 15m, 1h30m, 2d, 1w; or 0."},
      {"anyOf", Json::array({Json{{"type", "string"},
                                  {"pattern", "^(0|([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$"},
                                  {"minLength", 1}},
                             Json{{"const", 0}}})}};
  defs["name"] = Json{{"description", "A name: any non-empty scalar (names are the user's)."},
                      {"type", scalar_types()},
                      {"minLength", 1}};
  defs["text"] = Json{{"description", "Any scalar, possibly empty."}, {"type", scalar_types()}};
  defs["params"] = params_schema();
  for (const MappingDef& m : format_table()) {
    if (m.id == Mapping::kScenario) continue;
    const bool expectation = m.id == Mapping::kMetricExpectation || m.id == Mapping::kStateExpectation ||
                             m.id == Mapping::kOperationExpectation || m.id == Mapping::kRiskExpectation;
    defs[m.key] = m.id == Mapping::kEvent   ? event_schema()
                  : m.id == Mapping::kFault ? fault_schema()
                  : expectation             ? expectation_kind_schema(m)
                                            : mapping_schema(m);
  }
  defs["distribution"] = distribution_schema();
  defs["expectation"] = expectation_schema();
  return defs;
}

}  // namespace

std::string scenario_json_schema() {
  Json root = mapping_schema(mapping_def(Mapping::kScenario));
  root.erase("description");
  Json schema = Json{
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$comment", "Generated by `cmksim schema` from the format table (sim/scenario/format.cpp); do not edit."},
      {"title", "cmksim scenario, format v1"},
      {"description", "A cmksim scenario, format v1 (INTERFACE.md section 2): what exists at the start, what "
                      "happens, and what must hold."}};
  for (const auto& [key, value] : root.items()) schema[key] = value;
  schema["$defs"] = definitions();
  std::string out;
  write(schema, out, 0);
  return out + "\n";
}

CommandAction define_schema(CLI::App& app) {
  app.description(
      "Prints the JSON Schema (draft 2020-12) of scenario format v1: every section, field and action,\n"
      "with types, duration pattern, closed sets, defaults, units and behaviour IDs. Editors with the YAML\n"
      "language server validate and complete a scenario that starts with\n"
      "  # yaml-language-server: $schema=schema.json\n"
      "(a path relative to the scenario, or a URL). A copy ships as scenarios/schema.json.\n");
  app.footer("example: cmksim schema > my-scenarios/schema.json\n");
  return [](std::ostream& out, std::ostream&) {
    out << scenario_json_schema();
    return kExitOk;
  };
}

}  // namespace cmksim
