// One Azure resource as the importer read it: its ID (parsed), its JSON body
// (expressions already evaluated for a template's resources) and where it came
// from, for messages: the document's label and the JSON pointer in it.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "sim/import/arm_id.h"

namespace cmksim::import {

struct ArmResource {
  ResourceId id;
  nlohmann::json body;
  std::string file;     // the document's label
  std::string pointer;  // JSON pointer of the resource in it ("" = the document)

  std::string where() const { return file + (pointer.empty() ? "" : " " + pointer); }
};

// A JSON document given to the importer: its label (the path) and its text.
struct JsonDocument {
  std::string label;
  std::string text;
};

// What a deployment template is deployed into: subscription().subscriptionId,
// resourceGroup().name and resourceGroup().location ("" = not given).
struct DeploymentContext {
  std::string subscription;
  std::string resource_group;
  std::string location;
};

}  // namespace cmksim::import
