// ARM deployment templates: the resources a template would deploy, with its
// expressions evaluated. Supported: parameters() (from the parameters file,
// else the default), variables(), concat, format, toLower, toUpper, guid,
// resourceGroup() (name, location, id), subscription() (subscriptionId, id),
// resourceId, subscriptionResourceId, and reference() of a resource in the
// same template (its declared body; a managed identity's principal ID, which
// ARM only knows after deployment, is a stand-in that ties it to the
// resource). Anything else is an error naming the JSON path and the
// expression: an expression's text never becomes a value.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/status.h"
#include "sim/import/arm_resource.h"

namespace cmksim::import {

struct TemplateResult {
  std::vector<ArmResource> resources;
  std::vector<std::string> warnings;  // e.g. a parameter declared but never used
};

// True when `document` is a deployment template ($schema names deploymentTemplate).
bool is_deployment_template(const nlohmann::json& document);
bool is_parameters_file(const nlohmann::json& document);

// Evaluates `tmpl` (labelled `label`) with the parameters file `parameters` (nullptr: none; labelled
// `parameters_label`) deployed into `context`.
Expected<TemplateResult> expand_template(const nlohmann::json& tmpl, const std::string& label,
                                         const nlohmann::json* parameters, const std::string& parameters_label,
                                         const DeploymentContext& context);

// The stand-in principal ID of the managed identity of the resource with this ID.
std::string principal_stand_in(const std::string& resource_id);

}  // namespace cmksim::import
