// Sweeps: many seeded runs of one scenario over a grid of overrides, written
// to one results database (INTERFACE.md §1 `cmksim sweep`, §3 `sweep` table).
//
// The grid is the cartesian product of the axes (`--set PATH=a,b,c`) in the
// order given, the first axis varying slowest; each grid point gets
// `runs_per_point` runs. Global run index i (0-based) is run k = i % N of
// point p = i / N and becomes run_id i + 1. Its seed is the first number of
// the named stream "sweep/<p>/<k>" of the point's base seed (`--seed`, else
// the scenario's `seed`, which `--set seed=...` may vary):
//     seed(p, k) = Rng::stream(base_seed, "sweep/" + p + "/" + k).next()
// With `common_seeds` the stream is "sweep/<k>": run k of every point has the
// same seed (common random numbers, for comparing points run by run).
//
// Determinism: a run depends only on (plan, index). Runs are simulated on any
// number of threads (RunPipeline) but handed to the writer in index order, so
// the database is the same, `sqlite3 .dump` line for line, whatever the
// number of jobs, shards or MPI ranks.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/core/status.h"
#include "sim/io/load_limits.h"
#include "sim/io/overrides.h"
#include "sim/profile/run_settings.h"
#include "sim/record/run_record.h"
#include "sim/scenario/scenario.h"
#include "sim/sweep/risk.h"

namespace cmksim {

struct SweepAxis {
  std::string path;                 // as given after --set
  std::vector<std::string> values;  // in the order given
};

struct SweepSpec {
  std::string scenario_path;
  std::vector<SweepAxis> axes;
  std::uint64_t runs_per_point = 1;
  std::optional<std::uint64_t> seed;  // base seed; default: the scenario's
  std::string profile;                // "" = the scenario's
  std::optional<Timing> timing;       // default: the scenario's
  bool common_seeds = false;
  // --keep outcomes: each run's outcomes (runs, incidents, metrics, data,
  // ...) without its timelines (events, states, kv_calls): what the risk
  // figures and distributions read, at a fraction of the rows (issue 17).
  bool outcomes_only = false;
  double max_work = kDefaultMaxWork;  // --max-work: each run's estimated work (issue 18, item 7)
};

// Simulates one run: the model's run_scenario, handed in by the caller
// (sim/cli/cmd_sweep.cpp, tests, benchmarks) so that the sweep, an analysis,
// never sees the model. Must be pure and thread-safe: runs go to any thread.
using RunScenario = std::function<RunRecord(const Scenario& scenario, const RunSettings& settings)>;

struct SweepPoint {
  PathValues values;      // (path, value), one per axis: the run's `sweep` rows
  Scenario scenario;      // with the scenario-field overrides applied
  RunSettings settings;   // profile and timing in force; seed = the base seed
};

struct SweepPlan {
  std::vector<SweepPoint> points;
  std::uint64_t runs_per_point = 1;
  bool common_seeds = false;
  bool has_axes = false;     // the database gets a `sweep` table
  bool outcomes_only = false;  // runs without timelines: an `outcomes_only` table (--keep outcomes)
  std::string fingerprint;   // identifies the sweep (shards of one sweep share it)
  RunScenario simulate;      // what run() calls

  std::uint64_t total_runs() const { return points.size() * runs_per_point; }
  std::uint64_t seed_of(std::uint64_t index) const;
  // Simulates global run `index`. Pure: any thread, any order.
  RunRecord run(std::uint64_t index) const;
};

// Loads the scenario and checks every point of the grid (loader rules for
// scenario fields, profile rules for parameters) before anything runs; the
// error is bad input, one message. Each run is simulated by `simulate`.
Expected<SweepPlan> make_sweep_plan(const SweepSpec& spec, RunScenario simulate);
Expected<SweepPlan> make_sweep_plan(const ScenarioTemplate& scenario, const SweepSpec& spec, RunScenario simulate);

// "a,b,c" -> {"a", "b", "c"}; every comma separates (a value has none).
std::vector<std::string> split_values(const std::string& text);

// Consecutive global run indices [first, first + count).
struct IndexRange {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
};

// A request to stop a sweep before its last run, made from another thread or
// a signal handler (one lock-free atomic store of a string literal): the
// sweep hands out the runs already finished in order, writes them with a
// `sweep_stopped` row giving `reason`, and ends.
struct StopRequest {
  std::atomic<const char*> reason{nullptr};  // "SIGINT"; nullptr = go on

  bool requested() const { return reason.load() != nullptr; }
  // The first request wins; later ones change nothing.
  void request(const char* why) {
    const char* none = nullptr;
    reason.compare_exchange_strong(none, why);
  }
};
static_assert(std::atomic<const char*>::is_always_lock_free, "a signal handler sets StopRequest");

// Simulates the runs of a plan in `ranges` (global indices) on `jobs`
// threads and hands them back in that order, range after range. The caller's
// thread is one of the jobs (jobs - 1 workers are started): inside next() it
// simulates runs too until the one it must hand out is ready, so J jobs keep
// J cores busy, writing included. At most a window of `ahead` runs (at least
// 32 per job) is simulated ahead of the consumer, so memory stays bounded
// however many runs there are. Not itself thread-safe: one consumer.
// Once `stop` is requested no run is started: next() hands out the runs
// already finished in order, then nullptr (within one run's simulation time).
class RunPipeline {
 public:
  RunPipeline(const SweepPlan& plan, std::vector<IndexRange> ranges, unsigned jobs, std::size_t ahead = 0,
              const StopRequest* stop = nullptr);
  RunPipeline(const RunPipeline&) = delete;
  RunPipeline& operator=(const RunPipeline&) = delete;
  ~RunPipeline();

  // The next run, or nullptr after the last; valid until the next call.
  // Rethrows an exception a worker met.
  RunRecord* next();
  std::uint64_t index_of_last() const { return last_index_; }

 private:
  void work();
  std::uint64_t index_at(std::uint64_t position) const;  // the global index of the position-th run

  bool stop_requested() const { return stop_ != nullptr && stop_->requested(); }

  const SweepPlan& plan_;
  const std::vector<IndexRange> ranges_;
  const StopRequest* stop_;
  std::vector<std::uint64_t> range_starts_;  // position of each range's first run
  std::uint64_t size_ = 0;                   // runs in all ranges
  std::size_t ahead_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable can_claim_, can_take_;
  std::uint64_t claimed_ = 0;  // positions handed to workers
  std::uint64_t taken_ = 0;    // positions handed to the consumer
  bool stopping_ = false;
  std::map<std::uint64_t, RunRecord> done_;  // finished, not yet taken, by position
  std::exception_ptr failure_;
  RunRecord current_;
  std::uint64_t last_index_ = 0;
};

// Called on the writing thread for each run, in index order, before it is
// written (progress, summary).
using RunObserver = std::function<void(std::uint64_t index, const RunRecord& record)>;

struct SweepWrite {
  std::string error;         // "" or what went wrong (nothing is left at the path then)
  std::uint64_t runs = 0;    // runs written
  bool stopped = false;      // stopped before the last run (a `sweep_stopped` row says so);
                             // with no run written, nothing is written and the path is as it was
};

// Writes runs [first, first + count) of the plan to a new results database at
// `path` (run_id = index + 1), simulated on `jobs` threads; `stop` may cut
// the runs short (issue 8): the database then holds runs first.. of the
// finished ones in order, the same rows as in the whole sweep.
SweepWrite write_sweep(const SweepPlan& plan, const std::string& path, std::uint64_t first, std::uint64_t count,
                       unsigned jobs, const RunObserver& on_run, const StopRequest* stop = nullptr);

// The jobs to use when none are asked for: every core (at least 1).
unsigned default_jobs();

// The headline figures of each run, grouped by grid point, for the summary
// `cmksim sweep` prints: p50, p95, p99 and max (nearest rank) of the
// exposure window, recovery time, time unavailable, GB lost and failed
// queries, with the incidents and averted incidents; with several points,
// the same side by side (p50/p95/max) and their risk figures (risk.h).
class SweepSummary {
 public:
  explicit SweepSummary(const SweepPlan& plan);
  void add(std::uint64_t index, const RunRecord& record);
  std::string format() const;

 private:
  std::string side_by_side() const;
  const SweepPlan& plan_;
  std::vector<std::vector<RunOutcome>> points_;  // per grid point, in index order
  struct WorstRun {  // the first run of a point with the most GB lost, for its reproduce line (issue 15, item 3)
    double gb_lost = -1;
    RunInfo run;
  };
  std::vector<WorstRun> worst_;
};

// Nearest-rank percentile of `values` (sorted in place); p in (0, 100].
// REQUIRES: values not empty.
double percentile(std::vector<double>& values, double p);

}  // namespace cmksim
