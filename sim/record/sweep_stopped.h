// A sweep that stopped before its last run (issue 8: SIGINT or SIGTERM on
// `cmksim sweep`). Its database holds the runs finished in order up to the
// stop, runs 1..written_runs of the planned ones (of a shard: its first
// written_runs), and says so in the one row of its `sweep_stopped` table.
#pragma once
#include <cstdint>
#include <string>

namespace cmksim {

struct SweepStopped {
  std::uint64_t planned_runs = 0;  // the runs this database was to hold
  std::uint64_t written_runs = 0;  // the runs it holds
  std::string reason;              // what stopped it: "SIGINT", "SIGTERM"
};

}  // namespace cmksim
