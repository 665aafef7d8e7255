// What changed between two results databases (`cmksim diff a.db b.db`): two
// profiles, two versions of cmksim, or a change plan before and after a fix.
//
// Runs are paired in run_id order (a single run with a single run, a sweep
// run by run). For each pair the outcome is compared: incidents (paired per
// cluster in order: cause, times, exposure window, recovery time, GB lost,
// failed queries), the headline figures (every `metrics` row, by subject and
// name), the state intervals of every subject, the operations' statuses and
// the expectations' verdicts. Figures are equal within a relative 1e-9, so
// rounding noise between versions is not a change; everything else is exact.
// What the runs were asked to do (seed, profile, parameters, grid values,
// version) is shown as context when it differs and is not itself a change.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sim/record/run_record.h"

namespace cmksim {

struct DiffOptions {
  std::size_t max_runs_shown = 10;       // runs whose changes are listed; 0 = all
  std::size_t max_lines_per_run = 60;    // change lines listed per run
};

struct DiffResult {
  bool differ = false;
  std::size_t runs_compared = 0;
  std::size_t runs_differing = 0;
  std::string text;  // human-readable, one change per line
};

DiffResult diff_runs(const std::vector<RunRecord>& a, const std::vector<RunRecord>& b, const std::string& label_a,
                     const std::string& label_b, const DiffOptions& options = {});

}  // namespace cmksim
