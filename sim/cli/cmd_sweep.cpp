// cmksim sweep: many seeded runs over a grid of overrides, into one results
// database (INTERFACE.md §1); on all cores, in shards, or across MPI ranks.
#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "sim/cli/command.h"
#include "sim/cli/interrupts.h"
#include "sim/core/text.h"
#include "sim/io/results_db.h"
#include "sim/model/model.h"
#include "sim/sweep/distributed.h"
#include "sim/sweep/progress.h"
#include "sim/sweep/shards.h"
#include "sim/sweep/sweep.h"

namespace cmksim {
namespace {

struct SweepOptions {
  SweepSpec spec;
  std::string output;
  std::optional<unsigned> jobs;
  std::optional<ShardSpec> shard;
  bool no_progress = false;
};

Status read_runs(const std::string& value, SweepSpec& spec) {
  const auto n = parse_uint64(value);
  if (!n || *n == 0) return Error("--runs expects a positive integer, got '" + value + "'");
  spec.runs_per_point = *n;
  return {};
}

Status read_jobs(const std::string& value, std::optional<unsigned>& jobs) {
  const auto n = parse_uint64(value);
  if (!n || *n == 0 || *n > 4096) return Error("--jobs expects 1 to 4096, got '" + value + "'");
  jobs = static_cast<unsigned>(*n);
  return {};
}

Status read_keep(const std::string& value, SweepSpec& spec) {
  if (value != "all" && value != "outcomes") return Error("--keep expects all or outcomes, got '" + value + "'");
  spec.outcomes_only = value == "outcomes";
  return {};
}

Status read_shard(const std::string& value, std::optional<ShardSpec>& shard) {
  shard = parse_shard(value);
  if (!shard) return Error("--shard expects I/K with 0 <= I < K, got '" + value + "'");
  return {};
}

Status read_axis(const std::string& value, SweepSpec& spec) {
  const auto set = parse_set_option(value, "PATH=a,b,c");
  if (set.ok()) spec.axes.push_back(SweepAxis{set->first, split_values(set->second)});
  return set.status();
}

void add_sweep_options(CLI::App& app, const std::shared_ptr<SweepOptions>& o) {
  add_operand(app, "SCENARIO.yaml", "scenario", o->spec.scenario_path)->required();
  add_read_option(app, "--runs", "N", "seeded runs at each point of the grid",
                  [o](const std::string& v) { return read_runs(v, o->spec); })
      ->required();
  add_read_option(app, "--set", "PATH=a,b,c",
                  "a profile parameter (aek_cache_ttl, params.aek_cache_ttl) or a scenario field:\n"
                  "duration, timing, seed, start, profile, workspaces.NAME.FIELD, clusters.NAME.FIELD,\n"
                  "key_vaults.NAME.FIELD, identities.NAME.FIELD, events.ID.FIELD (ID: the event's id),\n"
                  "faults.NAME.FIELD",
                  [o](const std::string& v) { return read_axis(v, o->spec); })
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_output_option(app, "-o,--output", "sweep.db", "the results database (default: SCENARIO-sweep.db)", o->output);
  add_read_option(app, "--jobs", "J",
                  "threads (default: every core; under MPI, per rank: the machine's cores shared\n"
                  "among its ranks); the database is the same for any J",
                  [o](const std::string& v) { return read_jobs(v, o->jobs); });
  add_seed_option(app, o->spec.seed,
                  "base seed (default: the scenario's); run k of point p gets the first number of\n"
                  "the stream \"sweep/p/k\" of it");
  add_profile_option(app, o->spec.profile);
  add_timing_option(app, o->spec.timing);
  app.add_flag("--common-seeds", o->spec.common_seeds, "run k of every point gets the same seed (stream \"sweep/k\")");
  add_read_option(app, "--keep", "all|outcomes",
                  "all (default): every table of every run; outcomes: each run's outcomes (runs,\n"
                  "incidents, metrics, data, ...) without its timelines (events, states, kv_calls), which\n"
                  "no distribution or risk figure reads: a cluster-year writes 2,200 rows, not 12,000",
                  [o](const std::string& v) { return read_keep(v, o->spec); });
  add_read_option(app, "--shard", "I/K", "write only shard I of K (0 <= I < K); join the shards with cmksim merge",
                  [o](const std::string& v) { return read_shard(v, o->shard); });
  app.add_flag("--no-progress", o->no_progress, "no progress display on stderr");
  add_read_option(app, "--max-work", "N",
                  "the most events and queries one run may do, estimated before any run starts\n"
                  "(default 500000000)",
                  [o](const std::string& v) {
                    LoadLimits limits;
                    const Status read = apply_limit_option(limits, "--max-work", v);
                    if (read) o->spec.max_work = limits.max_work;
                    return read;
                  });
}

std::string default_sweep_path(const std::string& scenario_path) {
  std::string db = default_db_path(scenario_path);
  return db.substr(0, db.size() - 3) + "-sweep.db";
}

int run_sweep(const SweepOptions& options, const SweepPlan& plan, Transport* transport, std::ostream& out,
              std::ostream& err) {
  const std::string path = options.output.empty() ? default_sweep_path(options.spec.scenario_path) : options.output;
  if (const Status writable = check_output("-o", path, {options.spec.scenario_path}, false); !writable.ok()) {
    return bad_input(err, "cmksim sweep: " + writable.error().str());
  }
  const bool writer = transport == nullptr || transport->rank() == 0;
  unsigned jobs = options.jobs.value_or(default_jobs());
  if (!options.jobs && transport != nullptr) {
    jobs = std::max(1u, default_jobs() / static_cast<unsigned>(std::max(1, transport->local_size())));
  }
  std::uint64_t first = 0, count = plan.total_runs();
  if (options.shard) shard_range(plan.total_runs(), *options.shard, first, count);

  SweepSummary summary(plan);
  std::unique_ptr<Progress> progress;
  if (writer && !options.no_progress) progress = std::make_unique<Progress>(err, count, stderr_is_terminal());
  const RunObserver on_run = [&](std::uint64_t index, const RunRecord& record) {
    summary.add(index, record);
    if (progress) progress->advance();
  };

  // SIGINT/SIGTERM (issue 8): the first stops the sweep, which keeps the runs
  // finished in order; a second one, or any under MPI (where the other ranks
  // would wait on this one), removes the temporary files and kills.
  StopRequest stop;
  std::vector<std::string> temp_files = {results_db_temp_path(path)};
  if (options.shard) {
    const std::string part = shard_part_path(path);
    temp_files = {results_db_temp_path(part), part, part + "-journal"};
  }
  const InterruptHandling interrupts(temp_files, transport == nullptr ? &stop : nullptr);

  SweepWrite written;
  try {
    if (transport != nullptr) {
      written.error = run_distributed_sweep(plan, *transport, path, jobs, on_run);
      written.runs = count;
    } else if (options.shard) {
      written = write_sweep_shard(plan, *options.shard, path, jobs, on_run, &stop);
    } else {
      written = write_sweep(plan, path, first, count, jobs, on_run, &stop);
    }
  } catch (const std::exception& e) {
    written.error = e.what();
  }
  if (progress) progress->finish();
  if (!written.error.empty()) {
    err << "cmksim sweep: " << (transport != nullptr ? "rank " + std::to_string(transport->rank()) + ": " : "")
        << written.error << "\n";
    if (transport != nullptr) transport->abort(kExitBadInput);  // the other ranks may be waiting on this one
    return kExitBadInput;
  }
  if (!writer) return kExitOk;
  const std::string stopped_by = stop.requested() ? stop.reason.load() : "a stop request";
  if (written.stopped && written.runs == 0) {
    err << "cmksim sweep: stopped by " << stopped_by
        << " before any run finished: nothing written (" << path << " is as it was)\n";
    return kExitInterrupted + InterruptHandling::stop_signal();
  }

  const std::uint64_t points = plan.points.size();
  out << "sweep of " << one_line(plan.points.front().scenario.name) << ": " << points << (points == 1 ? " point" : " points")
      << " x " << plan.runs_per_point << (plan.runs_per_point == 1 ? " run" : " runs") << " = " << plan.total_runs()
      << (plan.total_runs() == 1 ? " run" : " runs");
  if (options.shard) {
    out << "; shard " << options.shard->index << "/" << options.shard->count << ": runs " << (first + 1) << " to "
        << (first + count);
  }
  if (written.stopped) {
    out << "; stopped by " << stopped_by << " after " << written.runs << (written.runs == 1 ? " run" : " runs");
  }
  out << "\nwritten to " << one_line(path) << "\n" << terminal_safe_lines(summary.format());
  if (written.stopped) {
    err << "cmksim sweep: stopped by " << stopped_by << ": " << path << " holds the " << written.runs
        << " finished " << (written.runs == 1 ? "run" : "runs") << " of " << count
        << " (runs " << (first + 1) << " to " << (first + written.runs)
        << "), a valid results database whose sweep_stopped table says so"
        << (options.shard ? "; merge refuses a stopped shard: run it again" : "") << "\n";
    return kExitInterrupted + InterruptHandling::stop_signal();
  }
  if (options.shard) out << "join the shards with: cmksim merge -o SWEEP.db SHARD.db...\n";
  return kExitOk;
}

int sweep(const SweepOptions& options, std::ostream& out, std::ostream& err) {
  std::unique_ptr<Transport> transport;
  if (launched_by_mpi()) {
    if (options.shard) return bad_input(err, "cmksim sweep: --shard and mpirun split the runs two ways: pick one");
    const TransportOpener open = mpi_transport_opener();
    if (open == nullptr) {
      return bad_input(err,
                       "cmksim sweep: started by an MPI launcher, but this cmksim was built without MPI "
                       "(install libopenmpi-dev and rebuild, or use --shard I/K and cmksim merge)");
    }
    std::string error;
    transport = open(error);
    if (!transport) return bad_input(err, "cmksim sweep: " + error);
    if (transport->size() == 1) transport.reset();  // one rank: a plain sweep
  }

  const Expected<SweepPlan> planned = make_sweep_plan(options.spec, run_scenario);
  if (transport != nullptr && !transport->all_ok(planned.ok())) {
    // Every rank checked the same input: rank 0 speaks for all, unless its
    // input was fine (another machine's copy of the file is not).
    const int rank = transport->rank();
    const bool rank0_ok = transport->all_ok(rank != 0 || planned.ok());
    if (planned.ok() || (rank != 0 && !rank0_ok)) return kExitBadInput;
    return bad_input(err, (rank == 0 ? "" : "rank " + std::to_string(rank) + ": ") + planned.error().str());
  }
  if (!planned.ok()) return bad_input(err, planned.error().str());
  return run_sweep(options, *planned, transport.get(), out, err);
}

}  // namespace

CommandAction define_sweep(CLI::App& app) {
  app.description(
      "Runs N seeded runs at each point of the grid (the cartesian product of the --set lists, the first\n"
      "varying slowest) and writes them all to one results database (default: SCENARIO-sweep.db) with a\n"
      "`sweep` table of each run's values; prints p50/p95/p99/max of the headline figures per point.\n"
      "Under `mpirun -np K cmksim sweep ...` (a build with MPI) the ranks split the runs and rank 0 writes\n"
      "the database, identical to a single-process sweep.\n"
      "SIGINT (Ctrl-C) or SIGTERM stops the sweep: the runs finished in order are kept in a valid database\n"
      "with a sweep_stopped table (a stopped shard must be run again); a second signal stops at once and\n"
      "keeps nothing new. Under MPI the first signal does that.\n"
      "Exit status 0; 2 on bad input; 128 + the signal when stopped (130 for SIGINT, 143 for SIGTERM).\n");
  app.footer(std::string("example: cmksim sweep scenarios/access-policy-removed.yaml --runs 1000 \\\n"
                         "           --set workspaces.ws-web.ingest_gb_per_day=100,300,1000 -o sweep.db\n"
                         "MPI: ") +
             (mpi_transport_opener() != nullptr ? "yes" : "no (built without MPI)") + "\n");
  const auto o = std::make_shared<SweepOptions>();
  add_sweep_options(app, o);
  return [o](std::ostream& out, std::ostream& err) { return sweep(*o, out, err); };
}

}  // namespace cmksim
