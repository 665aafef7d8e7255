// The forms Azure hands out, read into resources: a single resource body (as
// `az ... show` and a REST GET return it), a list response {"value": [...]}
// (nextLink ignored), a plain array, an Azure Resource Graph result
// {"data": [...]} (`az graph query`), and a deployment template with its
// optional parameters file (arm_template.h).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/import/arm_resource.h"

namespace cmksim::import {

struct DocumentResources {
  std::string form;  // "resource", "list", "array", "resource graph result", "deployment template"
  std::vector<ArmResource> resources;
  std::vector<std::string> warnings;
};

// Reads one document. `parameters` is the parameters file given after it (only for a template).
Expected<DocumentResources> read_arm_document(const JsonDocument& document,
                                              const std::optional<JsonDocument>& parameters,
                                              const DeploymentContext& context);

}  // namespace cmksim::import
