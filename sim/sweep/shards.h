// Shards of a sweep, for batch schedulers (Slurm job arrays, Kubernetes
// indexed jobs): `cmksim sweep ... --shard I/K` writes the runs of shard I and
// `cmksim merge` joins the K shard databases into the database the whole
// sweep would have written (the same `sqlite3 .dump`, line for line).
//
// Shard I of K holds global runs [floor(I*T/K), floor((I+1)*T/K)) of the T
// runs, with their global run_ids, plus a `sweep_shard` table (one row: the
// shard, the count, its runs and the sweep's fingerprint) that merge checks
// and leaves out. Merge copies the tables row by row in SQL, whatever columns
// they have, so it needs no change when the results schema grows; the SQL
// lives in sim/io/shard_db.h, the rules (which shards make a sweep) here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/sweep.h"

namespace cmksim {

struct ShardSpec {
  std::uint64_t index = 0;  // I, from 0
  std::uint64_t count = 1;  // K
};

// "I/K" with 0 <= I < K; nullopt otherwise.
std::optional<ShardSpec> parse_shard(const std::string& text);

// The runs [first, first + count) of shard `shard` of a sweep of `total` runs.
void shard_range(std::uint64_t total, const ShardSpec& shard, std::uint64_t& first, std::uint64_t& count);

// Writes shard `shard` of the plan to `path` (through shard_part_path(path),
// then renamed). On error nothing is left at `path`. Cut short by `stop`,
// the shard holds its runs finished in order and a `sweep_stopped` row, and
// merge refuses it (the shard must be run again).
SweepWrite write_sweep_shard(const SweepPlan& plan, const ShardSpec& shard, const std::string& path, unsigned jobs,
                             const RunObserver& on_run, const StopRequest* stop = nullptr);

// The file a shard is written to before it gets its `sweep_shard` row and is
// renamed to `path`: "<path>.part-<pid>".
std::string shard_part_path(const std::string& path);

// Joins shard databases (any order) into `output`. Every shard of one sweep
// must be there exactly once, and whole (not stopped by SIGINT). Returns the
// number of runs merged, or the error (bad input; nothing is left at `output`
// then).
Expected<std::uint64_t> merge_shards(const std::vector<std::string>& inputs, const std::string& output);

}  // namespace cmksim
