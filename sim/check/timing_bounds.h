// D7 bounds: where a run sits between the two extremes of the revocation
// moment (issue 15, item 1). `latest` (at the bound) gives the longest
// exposure and the least loss; `earliest` (the first denied call) the
// shortest exposure and the most loss. Neither is "the worst case" alone.
//
// A sampled run records both extremes, run with the same seed, as metric
// rows of each cluster that had an incident in any of the three runs:
// exposure_window_latest, exposure_window_earliest (s), gb_lost_latest,
// gb_lost_earliest (GB). The summary and the report read them back.
#pragma once
#include <string>

#include "sim/record/run_record.h"

namespace cmksim {

// Adds the bound metrics of `latest` and `earliest` to `sampled`.
void add_timing_bounds(RunRecord& sampled, const RunRecord& latest, const RunRecord& earliest);

// One line per cluster with bound metrics, "" when there are none:
// "  lacluster01: exposure 41m (bounds: 3m earliest ... 58m latest); GB lost 1.2 (bounds: 0 latest ... 20 earliest)"
std::string bounds_lines(const RunRecord& record);

// The two runs of `timing: bounds` side by side, per cluster: exposure
// window (with the D7 bound) and GB lost.
std::string bounds_side_by_side(const RunRecord& latest, const RunRecord& earliest);

}  // namespace cmksim
