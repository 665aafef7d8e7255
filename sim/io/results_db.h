// Results database writer: a RunRecord (or several) as one SQLite file with
// the tables of INTERFACE.md §3 (runs, events, states, operations, incidents,
// metrics, data, kv_calls, expectations), columns in the order written there.
//
// Contract:
//  - Every value goes in through a bound parameter; no SQL is ever built from
//    a value, so names are stored byte for byte whatever they contain.
//  - All rows go in in one transaction, into "<path>.tmp-<pid>" beside `path`.
//    That file is renamed over `path` only once the commit and the close have
//    succeeded. On any failure the temporary file is removed and `path` is
//    left as it was (absent, or the previous file).
//  - Deterministic: the same records give the same `sqlite3 out.db .dump` and,
//    with the same SQLite version, the same file bytes (no timestamps, no
//    random names inside the database, no indexes).
//  - Optional values (std::optional) are stored as NULL. Unsigned 64-bit
//    values (seed, counters) are stored as their two's-complement int64, which
//    only differs from the number for values above 2^63 - 1.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/record/run_record.h"
#include "sim/record/sweep_stopped.h"

namespace cmksim {

// Writes one run (run_id 1) to a new database at `path`.
// Returns "" on success, otherwise what went wrong.
Status write_results_db(const std::string& path, const RunRecord& record);

// Writes several runs (run_id 1..N, in the given order) to one database.
// REQUIRES: no null pointers in `records` (reported as an error, not checked).
// A `sweep` table is written when some record has sweep_params.
Status write_results_db(const std::string& path, const std::vector<const RunRecord*>& records);

// Hands the writer its runs one at a time, for sweeps too large to hold in
// memory: returns the next run and sets `run_id` (increasing), or nullptr
// after the last. The record must stay valid until the next call.
using RunSource = std::function<const RunRecord*(std::int64_t& run_id)>;

// Asked once, after `next` has handed out its last run: whether the runs were
// cut short (a sweep stopped by SIGINT), and why.
using StopSource = std::function<std::optional<SweepStopped>()>;

// Writes every run `next` hands out, with the same contract (one transaction,
// temporary file renamed at the end). `sweep_table`: create the `sweep` table
// (INTERFACE.md §3) even if no run has sweep_params; a run with sweep_params
// and no sweep table is an error. An exception thrown by `next` is an error
// like any other: nothing is written. When `stopped` returns a value the
// database gets a `sweep_stopped` table with its row (written_runs: the runs
// written); stopped before any run, nothing is written and `path` is left
// as it was (an empty sweep is worth less than the previous file).
// `outcomes_only_table`: create the `outcomes_only` table even if no run
// lacks its timelines (a sweep with --keep outcomes: its empty shards must
// have the tables of the others); it is made anyway at the first such run.
Status write_results_db(const std::string& path, const RunSource& next, bool sweep_table,
                             const StopSource& stopped = nullptr, bool outcomes_only_table = false);

// The temporary file a database for `path` is written to: "<path>.tmp-<pid>"
// (temporary_path_for: within NAME_MAX for any name). Temporaries of dead
// writers beside `path` are removed before a new one is made.
std::string results_db_temp_path(const std::string& path);

// The CREATE TABLE statements of the database, in order, the sweeps' tables
// last: `sweep` (written for sweeps only), `sweep_stopped` (for a sweep
// stopped before its last run only) and `outcomes_only` (made at the first
// run whose timelines were not recorded: RunRecord::timelines_recorded). The
// one list of its tables and columns (`cmksim reference` documents them).
std::vector<std::string> results_db_schema();

}  // namespace cmksim
