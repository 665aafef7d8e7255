// cmksim import: a scenario whose resources are the estate Azure Resource
// Manager describes (issue 16). The arguments are read by a pure function
// (order matters: --parameters applies to the file just before it); the
// import itself takes the documents' text and returns the scenario's text
// and the notes for stderr. Reading and writing files is the command's job
// (sim/cli/cmd_import.cpp).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/import/arm_resource.h"
#include "sim/import/estate.h"

namespace cmksim::import {

struct ImportInput {
  std::string path;
  std::optional<std::string> parameters_path;  // a deployment template's parameters file
};

struct ImportRequest {
  std::vector<ImportInput> inputs;
  std::string output = "estate.yaml";  // "-" = standard output
  std::string name;                    // the scenario's name; default: the output's file name without .yaml
  DeploymentContext context{"00000000-0000-0000-0000-000000000000", "resource-group", ""};
  bool context_subscription_given = false;
  EstateOptions estate;
  DurationMs duration_ms = 7 * kMsPerDay;
  bool help = false;
};

// The options that take a value, and those that do not, for did-you-mean.
const std::vector<std::string>& import_options();

// Reads the arguments after `import`. Errors are the message without the "cmksim import: " prefix.
Expected<ImportRequest> parse_import_args(const std::vector<std::string>& args);

struct LoadedInput {
  JsonDocument document;
  std::optional<JsonDocument> parameters;
};

struct ImportOutcome {
  std::string yaml;
  std::vector<std::string> notes;  // for stderr, one line each
  Estate estate;
};

// Imports the documents into a scenario's text. Errors name the file and the JSON pointer (or line:col).
Expected<ImportOutcome> import_estate(const std::vector<LoadedInput>& inputs, const ImportRequest& request);

}  // namespace cmksim::import
