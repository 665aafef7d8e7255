// The functions of ARM template expressions that depend only on their
// arguments and on what the template is deployed into: concat, format,
// toLower, toUpper, guid, resourceGroup, subscription, resourceId and
// subscriptionResourceId. parameters(), variables() and reference() need the
// template and are arm_template.cpp's.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/status.h"
#include "sim/import/arm_resource.h"

namespace cmksim::import {

// Calls `function` (lower case) with evaluated `args`. An unknown function is Error("unsupported"), which
// the caller words with the function's name as written.
Expected<nlohmann::json> call_pure_function(const std::string& function, const std::vector<nlohmann::json>& args,
                                            const DeploymentContext& context);

// "kv/key" -> {"kv", "key"}: a nested resource's name, one part per type segment.
std::vector<std::string> split_names(const std::string& name);

}  // namespace cmksim::import
