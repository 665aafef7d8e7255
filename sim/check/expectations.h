// Expectations: the verdict on each entry of a scenario's `expect:` block
// (INTERFACE.md §2), as rows of the `expectations` table (§3).
//
// Verdicts are computed from a RunRecord's rows only (metrics, states,
// operations), never from the model's internals. Semantics:
//   metric    every MetricRow of that subject and name (any subject_kind) is
//             within the bounds; duration bounds (ms) are compared with the
//             time metrics (seconds). exposure_window and recovery_time are
//             absent when no incident has one: a max is then met, a min is
//             not; any other absent metric is not met. An incident still
//             open at the end of the run (never unavailable nor averted, or
//             never recovered) counts as unbounded: a max is not met.
//   state     some subject_kind of that subject is in that state at `at`
//             (intervals [t_start, t_end); `at` = the run's end reads the
//             final state). The aek kind (key versions) is not consulted.
//   operation the operation with that event id returned that status.
// `over_seeds: N` holds only if the entry holds for N runs seeded
// derive_seeds(seed, N); check_expectations runs them and names the worst
// seed. evaluate_expectations, which sees one record, judges that run only.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/record/run_record.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

// One row per expectation, idx from 0, judged on this record alone.
std::vector<ExpectationRow> evaluate_expectations(const Scenario& scenario, const RunRecord& record);

// The N seeds of over_seeds: `seed` itself, then draws of
// Rng::stream(seed, "over_seeds").
std::vector<std::uint64_t> derive_seeds(std::uint64_t seed, int n);

struct CheckedExpectation {
  ExpectationRow row;            // for over_seeds > 1, observed names the worst seed
  std::uint64_t worst_seed = 0;  // the first failing seed, or for a metric the one nearest (or furthest past) a bound
  int seeds_not_met = 0;
};

// Runs the scenario with one seed; may throw (the caller reports an error).
using RunForSeed = std::function<RunRecord(std::uint64_t seed)>;

// Every expectation of `scenario` over its seeds. `run` is called once per
// distinct seed needed (the longest over_seeds decides), in derive_seeds
// order; each record is judged for every expectation that needs it, then
// dropped.
std::vector<CheckedExpectation> check_expectations(const Scenario& scenario, std::uint64_t seed,
                                                   const RunForSeed& run);

// "  met      TEXT (observed X)" or "  NOT MET  TEXT (observed X, expected Y)".
std::string expectation_line(const ExpectationRow& row);

}  // namespace cmksim
