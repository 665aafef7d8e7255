// cmksim schema: the JSON Schema (draft 2020-12) of scenario format v1,
// generated from the format table (sim/scenario/format.h), the action table
// and the profile parameters: the definitions the loader itself checks
// against. scenarios/schema.json is a copy (a test keeps it current), so
// editors with the YAML language server validate and complete scenarios.
//
// What JSON Schema cannot say stays the loader's alone: references between
// sections, unique names, `at` within the duration, duplicate keys (the YAML
// language server flags those itself), cross-parameter consistency.
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/io/profile_loader.h"
#include "sim/profile/profile.h"
#include "sim/scenario/format.h"

namespace cmksim {
namespace {

const char* const kSchemaUsage =
    "usage: cmksim schema\n"
    "Prints the JSON Schema (draft 2020-12) of scenario format v1: every section, field and action,\n"
    "with types, duration pattern, closed sets, defaults, units and behaviour IDs. Editors with the YAML\n"
    "language server validate and complete a scenario that starts with\n"
    "  # yaml-language-server: $schema=schema.json\n"
    "(a path relative to the scenario, or a URL). A copy ships as scenarios/schema.json.\n"
    "example: cmksim schema > my-scenarios/schema.json\n";

// An ordered JSON value: objects keep their keys in insertion order, so the
// output is the same byte for byte on every run.
class Json {
 public:
  static Json raw(std::string text) {
    Json j(Kind::kRaw);
    j.raw_ = std::move(text);
    return j;
  }
  static Json str(std::string_view s) { return raw("\"" + json_escape(s) + "\""); }
  static Json boolean(bool b) { return raw(b ? "true" : "false"); }
  static Json object() { return Json(Kind::kObject); }
  static Json array() { return Json(Kind::kArray); }
  static Json strings(const std::vector<std::string>& items) {
    Json a = array();
    for (const std::string& s : items) a.push(str(s));
    return a;
  }

  Json& set(std::string key, Json value) {
    for (auto& [k, v] : members_) {
      if (k == key) {
        v = std::move(value);
        return *this;
      }
    }
    members_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  Json& push(Json value) {
    items_.push_back(std::move(value));
    return *this;
  }
  bool has(const std::string& key) const {
    for (const auto& [k, v] : members_) {
      if (k == key) return true;
    }
    return false;
  }

  // Two-space indentation; an array of scalars stays on one line.
  void write(std::string& out, int indent) const {
    const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
    switch (kind_) {
      case Kind::kRaw: out += raw_; return;
      case Kind::kObject:
        if (members_.empty()) {
          out += "{}";
          return;
        }
        out += "{\n";
        for (std::size_t i = 0; i < members_.size(); ++i) {
          out += pad + "\"" + json_escape(members_[i].first) + "\": ";
          members_[i].second.write(out, indent + 2);
          out += i + 1 < members_.size() ? ",\n" : "\n";
        }
        out += std::string(static_cast<std::size_t>(indent), ' ') + "}";
        return;
      case Kind::kArray: {
        bool flat = true;
        for (const Json& item : items_) flat = flat && item.kind_ == Kind::kRaw;
        if (flat) {
          out += "[";
          for (std::size_t i = 0; i < items_.size(); ++i) out += (i ? ", " : "") + items_[i].raw_;
          out += "]";
          return;
        }
        out += "[\n";
        for (std::size_t i = 0; i < items_.size(); ++i) {
          out += pad;
          items_[i].write(out, indent + 2);
          out += i + 1 < items_.size() ? ",\n" : "\n";
        }
        out += std::string(static_cast<std::size_t>(indent), ' ') + "]";
        return;
      }
    }
  }

 private:
  enum class Kind { kRaw, kObject, kArray };
  explicit Json(Kind kind) : kind_(kind) {}
  Kind kind_;
  std::string raw_;
  std::vector<std::pair<std::string, Json>> members_;
  std::vector<Json> items_;
};

Json ref(const std::string& def) { return Json::object().set("$ref", Json::str("#/$defs/" + def)); }

const char* const kMaxNumberText = "1000000000000000";  // 1e15, the loader's ceiling

Json number_schema() {
  return Json::object().set("type", Json::str("number")).set("minimum", Json::raw("0")).set("maximum",
                                                                                       Json::raw(kMaxNumberText));
}

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
    case ValueType::kBoolean: return Json::raw(d);
    case ValueType::kNameList:
    case ValueType::kEnumList: {
      Json a = Json::array();
      std::string item;
      for (const char c : d.substr(1, d.size() - 2)) {  // "[a, b]"
        if (c == ',') {
          a.push(Json::str(item));
          item.clear();
        } else if (c != ' ') {
          item += c;
        }
      }
      if (!item.empty()) a.push(Json::str(item));
      return a;
    }
    default: return Json::str(d == "\"\"" ? "" : d);
  }
}

// The schema of one value of type `f.type`, without its description.
Json value_schema(const FieldDef& f) {
  switch (f.type) {
    case ValueType::kVersion: return Json::object().set("enum", Json::array().push(Json::raw("1")).push(Json::str("1")));
    case ValueType::kText: return ref("text");
    case ValueType::kName: return ref("name");
    case ValueType::kInteger:
      return Json::object()
          .set("type", Json::str("integer"))
          .set("minimum", Json::raw(std::to_string(f.min.value_or(0))))
          .set("maximum", Json::raw(std::to_string(f.max.value_or(UINT64_MAX))));
    case ValueType::kNumber: return number_schema();
    case ValueType::kBoolean: return Json::object().set("type", Json::str("boolean"));
    case ValueType::kDuration: return ref("duration");
    case ValueType::kEnum: return Json::object().set("enum", Json::strings(*f.values));
    case ValueType::kProfile: return Json::object().set("enum", Json::strings(profile_names()));
    case ValueType::kIsoTime:
      return Json::object()
          .set("type", Json::str("string"))
          .set("pattern", Json::str("^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
                                    "(Z|[+-][0-9]{2}:[0-9]{2}))?$"));
    case ValueType::kIdentitySpec:
      return Json::object()
          .set("type", Json::str("string"))
          .set("pattern", Json::str("^(system_assigned|none|user_assigned:.+)$"))
          .set("examples", Json::strings(identity_spec_forms()));
    case ValueType::kGrantIdentity:
      return Json::object()
          .set("$ref", Json::str("#/$defs/name"))
          .set("not", Json::object().set("const", Json::str("cluster:")));
    case ValueType::kNameList:
      return Json::object()
          .set("type", Json::str("array"))
          .set("items", ref("name"))
          .set("minItems", Json::raw("1"))
          .set("uniqueItems", Json::boolean(true));
    case ValueType::kEnumList:
      return Json::object()
          .set("type", Json::str("array"))
          .set("items", Json::object().set("enum", Json::strings(*f.values)));
    case ValueType::kWeights24:
      return Json::object()
          .set("type", Json::str("array"))
          .set("items", number_schema())
          .set("minItems", Json::raw("24"))
          .set("maxItems", Json::raw("24"));
    case ValueType::kBound: return Json::object().set("anyOf", Json::array().push(number_schema()).push(ref("duration")));
    case ValueType::kParams: return ref("params");
    case ValueType::kMapping: return ref(mapping_def(*f.mapping).key);
    case ValueType::kMappingList:
      return Json::object()
          .set("type", Json::array().push(Json::str("array")).push(Json::str("null")))
          .set("items", ref(mapping_def(*f.mapping).key));
    case ValueType::kExpectations:
      return Json::object()
          .set("type", Json::array().push(Json::str("array")).push(Json::str("null")))
          .set("items", ref("expectation"));
  }
  return Json::object();
}

Json field_schema(const FieldDef& f) {
  Json s = value_schema(f);
  s.set("description", Json::str(describe(f.description, f.unit, f.behaviours, f.default_value)));
  if (*f.default_value != '\0') s.set("default", default_json(f));
  return s;
}

Json mapping_schema(const MappingDef& m) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const FieldDef& f : m.fields) {
    properties.set(f.name, field_schema(f));
    if (f.required) required.push(Json::str(f.name));
  }
  Json s = Json::object().set("type", Json::str("object")).set("description", Json::str(describe(m.description, "", "", "")));
  s.set("properties", std::move(properties)).set("additionalProperties", Json::boolean(false));
  s.set("required", std::move(required));
  return s;
}

// Events: every field any action takes at the top (so editors complete
// them), then per action (if action is X then): its required fields, only
// its fields, and each field's type as that action reads it.
Json event_schema() {
  const MappingDef& event = mapping_def(Mapping::kEvent);
  Json properties = Json::object();
  for (const FieldDef& f : event.fields) {
    // A field some action reads differently takes any of its forms here.
    std::vector<const FieldDef*> forms = {&f};
    for (const ActionInfo& info : action_table()) {
      const FieldDef* form = event_field(info.action, f.name);
      if (form == nullptr) continue;
      bool known = false;
      for (const FieldDef* g : forms) known = known || g->type == form->type;
      if (!known) forms.push_back(form);
    }
    if (forms.size() == 1) {
      properties.set(f.name, field_schema(f));
      continue;
    }
    Json any = Json::array();
    for (const FieldDef* form : forms) any.push(value_schema(*form));
    properties.set(f.name, Json::object().set("anyOf", std::move(any)).set(
                               "description", Json::str(describe(std::string(f.description) + " (its form depends on the action)",
                                                                 f.unit, f.behaviours, ""))));
  }
  Json per_action = Json::array();
  for (const ActionInfo& info : action_table()) {
    Json names = Json::strings(event_common_fields());
    Json required = Json::array();
    Json fields = Json::object();
    for (const auto* list : {&info.required, &info.optional}) {
      for (const char* name : *list) {
        names.push(Json::str(name));
        if (list == &info.required) required.push(Json::str(name));
        fields.set(name, field_schema(*event_field(info.action, name)));
      }
    }
    Json then = Json::object()
                    .set("description", Json::str(std::string(info.name) + ": " +
                                                  describe(action_description(info.action), "", info.behaviours, "")))
                    .set("propertyNames", Json::object().set("enum", std::move(names)))
                    .set("properties", std::move(fields));
    if (!info.required.empty()) then.set("required", std::move(required));
    per_action.push(Json::object()
                        .set("if", Json::object()
                                       .set("properties", Json::object().set(
                                                              "action", Json::object().set("const", Json::str(info.name))))
                                       .set("required", Json::strings({"action"})))
                        .set("then", std::move(then)));
  }
  Json s = mapping_schema(event);
  s.set("properties", std::move(properties)).set("allOf", std::move(per_action));
  return s;
}

// One kind of expectation. Bounds: at least one of min/max, and a duration
// only for the metrics measured in time.
Json expectation_kind_schema(const MappingDef& m) {
  Json s = mapping_schema(m);
  std::vector<std::string> bounds;
  for (const FieldDef& f : m.fields) {
    if (f.type == ValueType::kBound) bounds.emplace_back(f.name);
  }
  if (!bounds.empty()) {
    Json any = Json::array();
    Json numbers = Json::object();
    for (const std::string& b : bounds) {
      any.push(Json::object().set("required", Json::strings({b})));
      numbers.set(b, Json::object().set("type", Json::str("number")));
    }
    std::vector<std::string> untimed;
    for (const std::string& name : metric_names()) {
      bool timed = false;
      for (const std::string& t : time_metric_names()) timed = timed || t == name;
      if (!timed) untimed.push_back(name);
    }
    s.set("anyOf", std::move(any));
    s.set("if", Json::object().set("properties",
                                   Json::object().set("metric", Json::object().set("enum", Json::strings(untimed)))));
    s.set("then", Json::object().set("properties", std::move(numbers)));
  }
  return s;
}

Json expectation_schema() {
  Json properties = Json::object();
  Json kinds = Json::array();
  for (const Mapping kind : expectation_kinds()) {
    const MappingDef& m = mapping_def(kind);
    for (const FieldDef& f : m.fields) {
      if (!properties.has(f.name)) properties.set(f.name, field_schema(f));
    }
    kinds.push(ref(m.key));
  }
  return Json::object()
      .set("type", Json::str("object"))
      .set("description", Json::str("An expectation: exactly one of metric (with min and/or max), state (with "
                                    "subject and at) or operation (with status)."))
      .set("properties", std::move(properties))
      .set("additionalProperties", Json::boolean(false))
      .set("oneOf", std::move(kinds));
}

// params: every profile parameter, typed as set_param reads its text.
Json params_schema() {
  const std::optional<Profile> defaults = profile_by_name(profile_names().front());
  Json properties = Json::object();
  const Json decimal = Json::object().set("type", Json::str("string")).set(
      "pattern", Json::str("^[+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"));
  for (const ParamInfo& p : param_table()) {
    Json s = Json::object();
    if (std::holds_alternative<DurationMs Profile::*>(p.field)) {
      s = ref("duration");
    } else if (std::holds_alternative<double Profile::*>(p.field)) {
      s.set("anyOf", Json::array().push(number_schema()).push(decimal));
    } else if (std::holds_alternative<bool Profile::*>(p.field)) {
      s.set("anyOf", Json::array()
                         .push(Json::object().set("type", Json::str("boolean")))
                         .push(Json::object().set("enum", Json::strings({"true", "false"}))));
    } else {
      s = ref("text");
    }
    const std::string value = param_value_text(*defaults, p);
    s.set("description", Json::str(describe(p.description, p.unit, p.behaviour,
                                            (value.empty() ? "\"\"" : value) + " (" + defaults->name + ")")));
    properties.set(p.name, std::move(s));
  }
  return Json::object()
      .set("type", Json::array().push(Json::str("object")).push(Json::str("null")))
      .set("description", Json::str("Profile parameters overridden for this scenario; `cmksim profiles NAME` lists "
                                    "them with their values."))
      .set("properties", std::move(properties))
      .set("additionalProperties", Json::boolean(false));
}

Json scalar_types() {
  return Json::array().push(Json::str("string")).push(Json::str("number")).push(Json::str("boolean"));
}

}  // namespace

std::string scenario_json_schema() {
  Json root = Json::object()
                  .set("$schema", Json::str("https://json-schema.org/draft/2020-12/schema"))
                  .set("$comment", Json::str("Generated by `cmksim schema` from the format table "
                                             "(sim/scenario/format.cpp); do not edit."));
  root.set("title", Json::str("cmksim scenario, format v1"));
  root.set("description", Json::str("A cmksim scenario, format v1 (INTERFACE.md section 2): what exists at the "
                                    "start, what happens, and what must hold."));
  Json defs = Json::object();
  defs.set("duration", Json::object()
                           .set("description", Json::str("A duration: integers with units from the largest to the "
                                                         "smallest, each once (w, d, h, m, s, ms): 500ms, 45s, 15m, "
                                                         "1h30m, 2d, 1w; or 0."))
                           .set("anyOf", Json::array()
                                             .push(Json::object()
                                                       .set("type", Json::str("string"))
                                                       .set("pattern", Json::str("^(0|([0-9]+w)?([0-9]+d)?([0-9]+h)?"
                                                                                 "([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$"))
                                                       .set("minLength", Json::raw("1")))
                                             .push(Json::object().set("const", Json::raw("0")))));
  defs.set("name", Json::object()
                       .set("description", Json::str("A name: any non-empty scalar (names are the user's)."))
                       .set("type", scalar_types())
                       .set("minLength", Json::raw("1")));
  defs.set("text", Json::object().set("description", Json::str("Any scalar, possibly empty.")).set("type", scalar_types()));
  defs.set("params", params_schema());
  for (const MappingDef& m : format_table()) {
    if (m.id == Mapping::kScenario) continue;
    if (m.id == Mapping::kEvent) {
      defs.set(m.key, event_schema());
    } else if (m.id == Mapping::kMetricExpectation || m.id == Mapping::kStateExpectation ||
               m.id == Mapping::kOperationExpectation) {
      defs.set(m.key, expectation_kind_schema(m));
    } else {
      defs.set(m.key, mapping_schema(m));
    }
  }
  defs.set("expectation", expectation_schema());
  Json properties = Json::object();
  Json required = Json::array();
  for (const FieldDef& f : mapping_def(Mapping::kScenario).fields) {
    properties.set(f.name, field_schema(f));
    if (f.required) required.push(Json::str(f.name));
  }
  root.set("type", Json::str("object"))
      .set("properties", std::move(properties))
      .set("additionalProperties", Json::boolean(false))
      .set("required", std::move(required))
      .set("$defs", std::move(defs));
  std::string out;
  root.write(out, 0);
  return out + "\n";
}

int command_schema(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kSchemaUsage;
    return kExitOk;
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      return bad_input(err, "cmksim schema: unknown option '" + a + "'" + did_you_mean(a, {"--help"}));
    }
    return bad_input(err, "cmksim schema: takes no arguments (got '" + a + "')\n" + std::string(kSchemaUsage));
  }
  out << scenario_json_schema();
  return kExitOk;
}

}  // namespace cmksim
