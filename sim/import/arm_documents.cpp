#include "sim/import/arm_documents.h"

#include "sim/import/arm_json.h"
#include "sim/import/arm_template.h"

namespace cmksim::import {
namespace {

using nlohmann::json;

const char* const kNotArm =
    "not Azure Resource Manager JSON: expected a resource (\"id\" and \"type\"), a list ({\"value\": [...]}), "
    "a Resource Graph result ({\"data\": [...]}) or a deployment template (\"$schema\": ...deploymentTemplate...)";

// The members of a resource body that are not its properties.
bool is_envelope(const std::string& key) {
  static const char* const kEnvelope[] = {"id", "name", "type", "location", "tags", "identity", "sku", "etag",
                                          "systemData", "resourceGroup", "subscriptionId", "kind", "zones"};
  for (const char* k : kEnvelope) {
    if (iequals(key, k)) return true;
  }
  return false;
}

// The Azure CLI prints some resources (identities, workspaces, clusters) with their properties
// flattened into the body: put them back under "properties", where ARM has them.
json with_properties(const json& body) {
  if (member(body, "properties") != nullptr) return body;
  json out = json::object();
  json properties = json::object();
  for (auto it = body.begin(); it != body.end(); ++it) {
    (is_envelope(it.key()) ? out[it.key()] : properties[it.key()]) = it.value();
  }
  out["properties"] = std::move(properties);
  return out;
}

// One resource as Azure returns it: its ID says what it is (its "type" must agree).
Expected<ArmResource> read_resource(const json& raw, const std::string& label, const std::string& pointer) {
  if (!raw.is_object()) return error_at(label, pointer, "expected a resource object, got " + json_brief(raw));
  const json body = with_properties(raw);
  const std::string id_text = string_member(body, "id");
  const std::string type = string_member(body, "type");
  if (id_text.empty() || type.empty()) {
    return error_at(label, pointer, std::string("a resource needs \"id\" and \"type\"") +
                                        (pointer.empty() ? std::string(": ") + kNotArm : std::string()));
  }
  const std::optional<ResourceId> id = parse_resource_id(id_text);
  if (!id) return error_at(label, pointer_child(pointer, "id"), "not a resource ID: " + json_brief(body["id"]));
  if (lower(type) != id->type()) {
    return error_at(label, pointer_child(pointer, "type"),
                    "type " + json_brief(body["type"]) + " does not match the ID's (" + id->type() + ")");
  }
  return ArmResource{*id, body, label, pointer};
}

Expected<DocumentResources> read_list(const json& list, const std::string& label, const std::string& pointer,
                                      const std::string& form) {
  DocumentResources out;
  out.form = form;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Expected<ArmResource> r = read_resource(list[i], label, pointer_child(pointer, i));
    if (!r) return r.error();
    out.resources.push_back(std::move(*r));
  }
  return out;
}

}  // namespace

Expected<DocumentResources> read_arm_document(const JsonDocument& document,
                                              const std::optional<JsonDocument>& parameters,
                                              const DeploymentContext& context) {
  Expected<json> parsed = parse_json(document.text, document.label);
  if (!parsed) return parsed.error();
  const json& doc = *parsed;
  const bool is_template = doc.is_object() && is_deployment_template(doc);
  if (parameters && !is_template) {
    return Error(parameters->label, 0, 0, "--parameters applies to a deployment template, and " + document.label +
                                              " is not one");
  }
  if (is_template) {
    std::optional<json> params;
    if (parameters) {
      Expected<json> p = parse_json(parameters->text, parameters->label);
      if (!p) return p.error();
      if (!p->is_object() || !is_parameters_file(*p)) {
        return Error(parameters->label, 0, 0,
                     "not a deployment parameters file (\"$schema\": ...deploymentParameters...)");
      }
      params = std::move(*p);
    }
    Expected<TemplateResult> expanded = expand_template(doc, document.label, params ? &*params : nullptr,
                                                        parameters ? parameters->label : "", context);
    if (!expanded) return expanded.error();
    return DocumentResources{"deployment template", std::move(expanded->resources), std::move(expanded->warnings)};
  }
  if (doc.is_array()) return read_list(doc, document.label, "", "array");
  if (!doc.is_object()) return Error(document.label, 0, 0, kNotArm);
  if (is_parameters_file(doc)) {
    return Error(document.label, 0, 0, "a parameters file: give it with --parameters right after its template");
  }
  if (const json* value = member(doc, "value"); value != nullptr && value->is_array()) {
    return read_list(*value, document.label, "/value", "list");
  }
  if (const json* data = member(doc, "data"); data != nullptr && data->is_array()) {
    return read_list(*data, document.label, "/data", "resource graph result");
  }
  Expected<ArmResource> single = read_resource(doc, document.label, "");
  if (!single) return single.error();
  return DocumentResources{"resource", {std::move(*single)}, {}};
}

}  // namespace cmksim::import
