// The limit pre-pass of the scenario loader (LoadLimits, sim/io/load_limits.h).
//
// First on yaml-cpp's event stream, before any node is built, so a hostile
// file costs one parse: nesting deeper than max_depth (counting what an alias
// brings in), aliases adding more than max_alias_nodes nodes once expanded
// (an alias bomb), an alias inside the collection it names, a string that is
// not UTF-8 once its escapes are decoded, and a document that does not
// advance (yaml-cpp 0.7 loops forever, allocating, on a ',' outside a flow
// collection: jbeder/yaml-cpp#1040). The scan stops at a second document.
// Then on the node graph, before any section is read: the number of events
// and the simulated time. A broken limit throws a ReadFailure at the
// offending node (sim/io/yaml_reader.h).
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string_view>

#include "sim/io/load_limits.h"

namespace cmksim::load {

struct DocumentCount {
  std::size_t documents = 0;  // counted up to 2
  YAML::Mark second_start = YAML::Mark::null_mark();
};

// The stream pre-pass over `text`; throws a ReadFailure at the first limit broken.
DocumentCount scan_limits(std::string_view text, const LoadLimits& limits);

// The node pre-pass over the top-level mapping `root`: events and duration.
void check_node_limits(const YAML::Node& root, const LoadLimits& limits);

}  // namespace cmksim::load
