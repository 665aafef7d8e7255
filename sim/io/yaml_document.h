// A scenario's text as one YAML document (part of the scenario loader,
// sim/io/scenario_loader.h): the limit pre-pass (sim/io/limit_scan.h), then
// yaml-cpp's node graph, refused when the file is empty (blank lines,
// comments and document markers only), holds a second document, or is not a
// mapping. yaml-cpp's node graph shares aliased nodes, so an alias bomb costs
// nothing until someone walks it, and nobody does: every read checks a node's
// type against the schema before descending. Throws a ReadFailure
// (sim/io/yaml_reader.h), or yaml-cpp's own exceptions for invalid YAML.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string_view>

#include "sim/io/load_limits.h"

namespace cmksim::load {

// The top-level mapping of `text`, its limits checked.
// REQUIRES: `text` passed screen_utf8 (sim/io/utf8_screen.h).
YAML::Node read_scenario_document(std::string_view text, const LoadLimits& limits);

}  // namespace cmksim::load
