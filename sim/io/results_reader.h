// Results database reader: the inverse of results_db.h. Reports, `check`,
// `diff` and sweeps read runs back through this, never the model.
//
// Contract: opens `path` read-only; returns every run (ordered by run_id) as
// a RunRecord with the rows of each table in the order they were written, or
// an error naming the file (Error::file is `path`). A file that is not a
// cmksim results database (no `runs` table, missing columns, a `runs.params`
// that is not one flat JSON object: sim/io/run_params.h) is an error, not a
// crash.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/record/run_record.h"
#include "sim/record/sweep_stopped.h"

namespace cmksim {

struct ResultsRead {
  std::vector<RunRecord> runs;
  std::optional<SweepStopped> stopped;  // a sweep stopped before its last run
};

Expected<ResultsRead> read_results_db(const std::string& path);

}  // namespace cmksim
