#include "sim/import/arm_template.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "sim/core/text.h"
#include "sim/import/arm_functions.h"
#include "sim/import/arm_json.h"

namespace cmksim::import {
namespace {

using nlohmann::json;

constexpr int kMaxExpressionDepth = 64;

std::string sq(const std::string& text) { return "'" + one_line(text) + "'"; }

// A resource the template declares, found before any body is evaluated.
struct Entry {
  std::string pointer;
  const json* raw = nullptr;
  std::string type;  // full: "Microsoft.KeyVault/vaults/keys"
  std::string name;  // full: "kv/key"
  std::string id;
  bool evaluated = false;
  bool in_progress = false;
  json body;
};

class Evaluator {
 public:
  Evaluator(const json& tmpl, std::string label, DeploymentContext context)
      : tmpl_(tmpl), label_(std::move(label)), context_(std::move(context)) {}

  Status read_parameters(const json* file, const std::string& file_label);
  Status find_resources();
  Expected<std::vector<ArmResource>> evaluate_all();
  std::vector<std::string> unused_parameters() const;

 private:
  struct Parser {
    const std::string& text;
    std::size_t pos = 0;
    int depth = 0;
    void skip() {
      while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    }
    bool eat(char c) {
      skip();
      if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
      }
      return false;
    }
  };

  Expected<json> value(const json& v, const std::string& pointer);
  Expected<json> string_value(const std::string& s, const std::string& pointer);
  Expected<json> expression(Parser& p);
  Expected<json> call(const std::string& function, const std::vector<json>& args);
  Expected<json> parameter(const std::string& name);
  Expected<json> variable(const std::string& name);
  Expected<json> reference(const std::vector<json>& args);
  Status evaluate_entry(Entry& e);
  Status find_in(const json& list, const std::string& pointer, const std::string& parent_type,
                 const std::string& parent_name);
  Expected<std::string> text_at(const json& raw, const char* field, const std::string& pointer);

  const json& tmpl_;
  std::string label_;
  DeploymentContext context_;
  std::map<std::string, json> parameter_values_;  // from the parameters file
  std::set<std::string> used_parameters_;
  std::set<std::string> parameters_in_progress_;
  std::map<std::string, json> variable_cache_;
  std::set<std::string> variables_in_progress_;
  std::vector<Entry> entries_;
  std::string current_expression_;
};

// An error from inside an expression: wrapped with the path and the expression unless it already names a file.
Error expression_error(const std::string& label, const std::string& pointer, const std::string& expression,
                       const Error& inner) {
  if (!inner.file.empty()) return inner;
  return error_at(label, pointer, "cannot evaluate " + sq("[" + expression + "]") + ": " + inner.message);
}

bool type_matches(const std::string& declared, const json& v) {
  const std::string t = lower(declared);
  if (t == "string" || t == "securestring") return v.is_string();
  if (t == "int") return v.is_number_integer();
  if (t == "bool") return v.is_boolean();
  if (t == "object" || t == "secureobject") return v.is_object();
  if (t == "array") return v.is_array();
  return true;
}

Status Evaluator::read_parameters(const json* file, const std::string& file_label) {
  const json* declared = member(tmpl_, "parameters");
  if (declared != nullptr && !declared->is_object()) return error_at(label_, "/parameters", "must be an object");
  if (file == nullptr) return Status();
  const json* given = member(*file, "parameters");
  if (given == nullptr || !given->is_object()) {
    return error_at(file_label, "", "not a parameters file: expected {\"parameters\": {NAME: {\"value\": ...}}}");
  }
  for (auto it = given->begin(); it != given->end(); ++it) {
    const std::string at = pointer_child("/parameters", it.key());
    const json* decl = declared != nullptr ? member(*declared, it.key()) : nullptr;
    if (decl == nullptr) {
      return error_at(file_label, at, "parameter " + sq(it.key()) + " is not declared in " + label_);
    }
    const json* v = member(it.value(), "value");
    if (v == nullptr) {
      return error_at(file_label, at, "parameter " + sq(it.key()) +
                                          " has no \"value\" (a Key Vault reference cannot be imported)");
    }
    const std::string declared_type = string_member(*decl, "type");
    if (!type_matches(declared_type, *v)) {
      return error_at(file_label, pointer_child(at, "value"),
                      "parameter " + sq(it.key()) + " is declared " + declared_type + " in " + label_ +
                          ", got " + json_brief(*v));
    }
    parameter_values_[lower(it.key())] = *v;
  }
  return Status();
}

std::vector<std::string> Evaluator::unused_parameters() const {
  std::vector<std::string> unused;
  const json* declared = member(tmpl_, "parameters");
  if (declared == nullptr || !declared->is_object()) return unused;
  for (auto it = declared->begin(); it != declared->end(); ++it) {
    if (used_parameters_.count(lower(it.key())) == 0) unused.push_back(it.key());
  }
  return unused;
}

Expected<json> Evaluator::parameter(const std::string& name) {
  const json* declared = member(tmpl_, "parameters");
  const json* decl = declared != nullptr ? member(*declared, name) : nullptr;
  if (decl == nullptr) return Error("parameter " + sq(name) + " is not declared");
  const std::string key = lower(name);
  used_parameters_.insert(key);
  const auto given = parameter_values_.find(key);
  if (given != parameter_values_.end()) return given->second;
  const json* fallback = member(*decl, "defaultValue");
  if (fallback == nullptr) {
    return Error("parameter " + sq(name) + " has no value: give it in a parameters file (--parameters)");
  }
  if (parameters_in_progress_.count(key) != 0) return Error("parameter " + sq(name) + " refers to itself");
  parameters_in_progress_.insert(key);
  Expected<json> result = value(*fallback, pointer_child(pointer_child("/parameters", name), "defaultValue"));
  parameters_in_progress_.erase(key);
  return result;
}

Expected<json> Evaluator::variable(const std::string& name) {
  const json* vars = member(tmpl_, "variables");
  const json* v = vars != nullptr ? member(*vars, name) : nullptr;
  if (v == nullptr) return Error("variable " + sq(name) + " is not declared");
  const std::string key = lower(name);
  if (const auto cached = variable_cache_.find(key); cached != variable_cache_.end()) return cached->second;
  if (variables_in_progress_.count(key) != 0) return Error("variable " + sq(name) + " refers to itself");
  variables_in_progress_.insert(key);
  Expected<json> result = value(*v, pointer_child("/variables", name));
  variables_in_progress_.erase(key);
  if (result) variable_cache_[key] = *result;
  return result;
}

// Evaluates every expression in `v` (strings "[...]", object keys included).
Expected<json> Evaluator::value(const json& v, const std::string& pointer) {
  if (v.is_string()) return string_value(v.get<std::string>(), pointer);
  if (v.is_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < v.size(); ++i) {
      Expected<json> item = value(v[i], pointer_child(pointer, i));
      if (!item) return item.error();
      out.push_back(std::move(*item));
    }
    return out;
  }
  if (v.is_object()) {
    json out = json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string at = pointer_child(pointer, it.key());
      Expected<json> key = string_value(it.key(), at);
      if (!key) return key.error();
      if (!key->is_string()) return error_at(label_, at, "a property name must evaluate to a string");
      Expected<json> item = value(it.value(), at);
      if (!item) return item.error();
      out[key->get<std::string>()] = std::move(*item);
    }
    return out;
  }
  return v;
}

Expected<json> Evaluator::string_value(const std::string& s, const std::string& pointer) {
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return json(s);
  if (s[1] == '[') return json(s.substr(1));  // "[[" escapes a literal "["
  const std::string text = s.substr(1, s.size() - 2);
  Parser p{text};
  Expected<json> result = expression(p);
  if (result) {
    p.skip();
    if (p.pos != text.size()) result = Error("unexpected " + sq(text.substr(p.pos)));
  }
  if (!result) return expression_error(label_, pointer, text, result.error());
  return result;
}

Expected<json> Evaluator::expression(Parser& p) {
  // Nested calls recurse: a bound keeps a hostile expression from exhausting the stack.
  struct Depth {
    int& d;
    explicit Depth(int& depth) : d(++depth) {}
    ~Depth() { --d; }
  } depth(p.depth);
  if (p.depth > kMaxExpressionDepth) return Error("nested deeper than " + std::to_string(kMaxExpressionDepth));
  p.skip();
  const std::string& t = p.text;
  if (p.pos >= t.size()) return Error("expression ends early");
  json current;
  bool from_resource_group = false;
  if (t[p.pos] == '\'') {  // a string literal; '' is a quote
    std::string s;
    ++p.pos;
    while (true) {
      if (p.pos >= t.size()) return Error("unterminated string");
      if (t[p.pos] == '\'') {
        if (p.pos + 1 < t.size() && t[p.pos + 1] == '\'') {
          s += '\'';
          p.pos += 2;
          continue;
        }
        ++p.pos;
        break;
      }
      s += t[p.pos++];
    }
    current = s;
  } else if (std::isdigit(static_cast<unsigned char>(t[p.pos])) || t[p.pos] == '-') {
    const bool negative = t[p.pos++] == '-';
    long long n = negative ? 0 : t[p.pos - 1] - '0';
    std::size_t digits = negative ? 0 : 1;
    while (p.pos < t.size() && std::isdigit(static_cast<unsigned char>(t[p.pos]))) {
      if (++digits > 18) return Error("a number too large");
      n = n * 10 + (t[p.pos++] - '0');
    }
    if (digits == 0) return Error("'-' without a number");
    current = negative ? -n : n;
  } else if (std::isalpha(static_cast<unsigned char>(t[p.pos]))) {
    const std::size_t start = p.pos;
    while (p.pos < t.size() && (std::isalnum(static_cast<unsigned char>(t[p.pos])) || t[p.pos] == '_')) ++p.pos;
    const std::string name = t.substr(start, p.pos - start);
    if (!p.eat('(')) {
      if (iequals(name, "true") || iequals(name, "false")) {
        current = iequals(name, "true");
      } else {
        return Error(sq(name) + " is not a function call");
      }
    } else {
      std::vector<json> args;
      if (!p.eat(')')) {
        while (true) {
          Expected<json> arg = expression(p);
          if (!arg) return arg.error();
          args.push_back(std::move(*arg));
          if (p.eat(')')) break;
          if (!p.eat(',')) return Error("expected ',' or ')' in the arguments of " + name + "()");
        }
      }
      Expected<json> result = call(lower(name), args);
      if (!result && result.error().file.empty() && result.error().message == "unsupported") {
        return Error("the function " + name + "() is not supported by cmksim import (it evaluates parameters, "
                     "variables, concat, format, toLower, toUpper, guid, resourceGroup, subscription, resourceId, "
                     "subscriptionResourceId and reference)");
      }
      if (!result) return result.error();
      current = std::move(*result);
      from_resource_group = iequals(name, "resourceGroup");
    }
  } else {
    return Error("unexpected " + sq(t.substr(p.pos)));
  }
  // Property access and indexing.
  while (true) {
    if (p.eat('.')) {
      const std::size_t start = p.pos;
      while (p.pos < t.size() && (std::isalnum(static_cast<unsigned char>(t[p.pos])) || t[p.pos] == '_')) ++p.pos;
      const std::string prop = t.substr(start, p.pos - start);
      if (from_resource_group && iequals(prop, "location") && context_.location.empty()) {
        return Error("resourceGroup().location is not known: give the resource group's region with --location REGION");
      }
      const json* m = member(current, prop);
      if (m == nullptr) return Error("no property " + sq(prop) + " in " + json_brief(current));
      current = json(*m);
      from_resource_group = false;
    } else if (p.eat('[')) {
      Expected<json> index = expression(p);
      if (!index) return index.error();
      if (!p.eat(']')) return Error("expected ']'");
      if (current.is_array() && index->is_number_integer() && index->get<long long>() >= 0 &&
          static_cast<std::size_t>(index->get<long long>()) < current.size()) {
        current = json(current[static_cast<std::size_t>(index->get<long long>())]);
      } else if (index->is_string() && member(current, index->get<std::string>()) != nullptr) {
        current = json(*member(current, index->get<std::string>()));
      } else {
        return Error("no element " + json_brief(*index) + " in " + json_brief(current));
      }
    } else {
      return current;
    }
  }
}

Expected<json> Evaluator::call(const std::string& f, const std::vector<json>& args) {
  if (f == "parameters" || f == "variables") {
    if (args.size() != 1 || !args[0].is_string()) return Error(f + "() takes one name");
    return f == "parameters" ? parameter(args[0].get<std::string>()) : variable(args[0].get<std::string>());
  }
  if (f == "reference") return reference(args);
  return call_pure_function(f, args, context_);
}

Expected<json> Evaluator::reference(const std::vector<json>& args) {
  if (args.empty() || !args[0].is_string()) return Error("reference() needs a resource ID or name");
  const std::string target = args[0].get<std::string>();
  const bool full = args.size() >= 3 && args[2].is_string() && iequals(args[2].get<std::string>(), "full");
  const std::optional<ResourceId> wanted = parse_resource_id(target);
  for (Entry& e : entries_) {
    const std::optional<ResourceId> id = parse_resource_id(e.id);
    const bool match = wanted ? (id && id->key() == wanted->key()) : iequals(e.name, target);
    if (!match) continue;
    if (e.in_progress) return Error("reference() of " + sq(target) + " refers back to itself");
    if (Status s = evaluate_entry(e); !s.ok()) return s.error();
    if (full) return e.body;
    const json* props = member(e.body, "properties");
    return props != nullptr ? *props : json::object();
  }
  return Error("reference() of " + sq(target) + ", which this template does not declare");
}

Expected<std::string> Evaluator::text_at(const json& raw, const char* field, const std::string& pointer) {
  const json* v = member(raw, field);
  if (v == nullptr) return error_at(label_, pointer, std::string("a resource needs \"") + field + "\"");
  Expected<json> evaluated = value(*v, pointer_child(pointer, field));
  if (!evaluated) return evaluated.error();
  if (!evaluated->is_string()) return error_at(label_, pointer_child(pointer, field), "must be a string");
  return evaluated->get<std::string>();
}

// Lists the template's resources, children included, with their full type, name and ID.
Status Evaluator::find_in(const json& list, const std::string& pointer, const std::string& parent_type,
                          const std::string& parent_name) {
  if (!list.is_array() && !list.is_object()) return error_at(label_, pointer, "must be an array of resources");
  std::size_t index = 0;
  for (auto it = list.begin(); it != list.end(); ++it, ++index) {
    const std::string at = list.is_array() ? pointer_child(pointer, index) : pointer_child(pointer, it.key());
    const json& raw = it.value();
    if (!raw.is_object()) return error_at(label_, at, "a resource must be an object");
    if (member(raw, "copy") != nullptr) {
      return error_at(label_, pointer_child(at, "copy"), "copy loops are not supported by cmksim import");
    }
    if (const json* condition = member(raw, "condition")) {
      Expected<json> c = value(*condition, pointer_child(at, "condition"));
      if (!c) return c.error();
      if (!c->is_boolean()) return error_at(label_, pointer_child(at, "condition"), "must be true or false");
      if (!c->get<bool>()) continue;
    }
    Expected<std::string> type = text_at(raw, "type", at);
    if (!type) return type.error();
    Expected<std::string> name = text_at(raw, "name", at);
    if (!name) return name.error();
    Entry e;
    e.pointer = at;
    e.raw = &raw;
    const bool relative = !parent_type.empty() && type->find('.') == std::string::npos;
    e.type = relative ? parent_type + "/" + *type : *type;
    e.name = relative ? parent_name + "/" + *name : *name;
    if (std::count(e.type.begin(), e.type.end(), '/') != static_cast<long>(split_names(e.name).size())) {
      return error_at(label_, pointer_child(at, "name"),
                      "name " + sq(e.name) + " does not match type " + sq(e.type));
    }
    e.id = make_resource_id(context_.subscription, context_.resource_group, e.type, split_names(e.name));
    if (const json* scope = member(raw, "scope")) {  // an extension resource: a role assignment on a vault
      Expected<json> s = value(*scope, pointer_child(at, "scope"));
      if (!s) return s.error();
      if (!s->is_string()) return error_at(label_, pointer_child(at, "scope"), "must be a string");
      std::string scope_id = s->get<std::string>();
      if (!parse_resource_id(scope_id)) {  // the short form "Microsoft.KeyVault/vaults/kv"
        const std::vector<std::string> parts = split_names(scope_id);
        if (parts.size() < 3 || parts.size() % 2 == 0) {
          return error_at(label_, pointer_child(at, "scope"), "not a resource: " + sq(scope_id));
        }
        std::string scope_type = parts[0];
        std::vector<std::string> names;
        for (std::size_t i = 1; i < parts.size(); i += 2) {
          scope_type += "/" + parts[i];
          names.push_back(parts[i + 1]);
        }
        scope_id = make_resource_id(context_.subscription, context_.resource_group, scope_type, names);
      }
      e.id = scope_id + "/providers/" + e.type + "/" + e.name;
      e.body["properties"]["scope"] = scope_id;
    }
    const std::string parent_full_type = e.type;
    const std::string parent_full_name = e.name;
    entries_.push_back(std::move(e));
    if (const json* children = member(raw, "resources")) {
      if (Status s = find_in(*children, pointer_child(at, "resources"), parent_full_type, parent_full_name); !s.ok()) {
        return s;
      }
    }
  }
  return Status();
}

Status Evaluator::find_resources() {
  const json* resources = member(tmpl_, "resources");
  if (resources == nullptr) return error_at(label_, "", "a deployment template needs \"resources\"");
  return find_in(*resources, "/resources", "", "");
}

// The body ARM would hold after deployment, with stand-ins for what only the deployment knows.
Status Evaluator::evaluate_entry(Entry& e) {
  if (e.evaluated) return Status();
  e.in_progress = true;
  json body = e.body.is_object() ? e.body : json::object();
  for (auto it = e.raw->begin(); it != e.raw->end(); ++it) {
    const std::string k = lower(it.key());
    if (k == "resources" || k == "dependson" || k == "condition" || k == "comments" || k == "apiversion" ||
        k == "type" || k == "name" || k == "scope") {
      continue;
    }
    Expected<json> v = value(it.value(), pointer_child(e.pointer, it.key()));
    if (!v) {
      e.in_progress = false;
      return v.error();
    }
    if (k == "properties" && body.contains("properties") && v->is_object()) {
      for (auto p = v->begin(); p != v->end(); ++p) body["properties"][p.key()] = p.value();
    } else {
      body[it.key()] = std::move(*v);
    }
  }
  body["id"] = e.id;
  body["type"] = e.type;
  body["name"] = e.name;
  const std::string type = lower(e.type);
  if (json* identity = member(body, "identity"); identity != nullptr && identity->is_object()) {
    if (lower(string_member(*identity, "type")).find("systemassigned") != std::string::npos &&
        member(*identity, "principalId") == nullptr) {
      (*identity)["principalId"] = principal_stand_in(e.id);
    }
    if (json* uai = member(*identity, "userAssignedIdentities"); uai != nullptr && uai->is_object()) {
      for (auto it = uai->begin(); it != uai->end(); ++it) {
        if (!it.value().is_object()) it.value() = json::object();
        if (member(it.value(), "principalId") == nullptr) it.value()["principalId"] = principal_stand_in(it.key());
      }
    }
  }
  json& props = body["properties"];
  if (!props.is_object()) props = json::object();
  if (type == "microsoft.managedidentity/userassignedidentities" && member(props, "principalId") == nullptr) {
    props["principalId"] = principal_stand_in(e.id);
  }
  const std::vector<std::string> names = split_names(e.name);
  if (type == "microsoft.keyvault/vaults" && member(props, "vaultUri") == nullptr) {
    props["vaultUri"] = "https://" + names[0] + ".vault.azure.net/";
  }
  if (type == "microsoft.keyvault/vaults/keys" && member(props, "keyUri") == nullptr && names.size() == 2) {
    props["keyUri"] = "https://" + names[0] + ".vault.azure.net/keys/" + names[1];
  }
  e.body = std::move(body);
  e.evaluated = true;
  e.in_progress = false;
  return Status();
}

Expected<std::vector<ArmResource>> Evaluator::evaluate_all() {
  std::vector<ArmResource> out;
  for (Entry& e : entries_) {
    if (Status s = evaluate_entry(e); !s.ok()) return s.error();
    std::optional<ResourceId> id = parse_resource_id(e.id);
    if (!id) return error_at(label_, e.pointer, "cannot form a resource ID from " + sq(e.id));
    out.push_back(ArmResource{*id, e.body, label_, e.pointer});
  }
  return out;
}

}  // namespace

std::string principal_stand_in(const std::string& resource_id) {
  const std::optional<ResourceId> id = parse_resource_id(resource_id);
  return "principal-of:" + (id ? id->key() : lower(resource_id));  // "" gives the prefix alone
}

bool is_deployment_template(const nlohmann::json& document) {
  return lower(string_member(document, "$schema")).find("deploymenttemplate") != std::string::npos;
}

bool is_parameters_file(const nlohmann::json& document) {
  return lower(string_member(document, "$schema")).find("deploymentparameters") != std::string::npos;
}

Expected<TemplateResult> expand_template(const nlohmann::json& tmpl, const std::string& label,
                                         const nlohmann::json* parameters, const std::string& parameters_label,
                                         const DeploymentContext& context) {
  Evaluator evaluator(tmpl, label, context);
  if (Status s = evaluator.read_parameters(parameters, parameters_label); !s.ok()) return s.error();
  if (Status s = evaluator.find_resources(); !s.ok()) return s.error();
  Expected<std::vector<ArmResource>> resources = evaluator.evaluate_all();
  if (!resources) return resources.error();
  TemplateResult result;
  result.resources = std::move(*resources);
  for (const std::string& name : evaluator.unused_parameters()) {
    result.warnings.push_back(label + ": parameter '" + name + "' is declared but never used");
  }
  return result;
}

}  // namespace cmksim::import
