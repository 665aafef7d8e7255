// The estate as scenario YAML (format v1): the schema line, a header saying
// what it was imported from, the resources with a comment on every line whose
// value was assumed or renamed, and an events section with a commented
// example. The text is written here, not by a YAML library (sim/import does
// not use yaml-cpp); the loader is the judge of it (tests load what this writes).
#pragma once
#include <string>
#include <vector>

#include "sim/import/estate.h"

namespace cmksim::import {

struct YamlHeader {
  std::string name;                  // the scenario's name
  std::vector<std::string> sources;  // one line per input document
  DurationMs duration_ms = 7 * kMsPerDay;
};

std::string estate_yaml(const Estate& estate, const YamlHeader& header);

// A scalar as YAML: plain when it cannot be read as anything but this string, else double-quoted
// with escapes.
std::string yaml_scalar(const std::string& text);

}  // namespace cmksim::import
