// Sweeps (sim/sweep/): the grid, the seeds, overrides by dotted path, the
// database being the same for any number of jobs, shards and merge, the
// distributed protocol over an in-process transport, and `cmksim sweep` and
// `cmksim merge` as users call them.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sim/core/text.h"
#include "sim/io/overrides.h"
#include "sim/io/results_db.h"
#include "sim/io/results_reader.h"
#include "sim/model/model.h"
#include "sim/random/rng.h"
#include "sim/sweep/distributed.h"
#include "sim/sweep/progress.h"
#include "sim/sweep/shards.h"
#include "sim/sweep/sweep.h"
#include "process_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace cmksim;

namespace {

using test::TempDir;

struct Output {
  int status = -1;
  std::string text;  // stdout and stderr together
};

Output shell(const std::string& command) {
  const test::CommandResult r = test::run_command(command + " 2>&1");
  return {r.status, r.output};
}

Output run_cmksim(const std::string& args) { return shell(std::string(CMKSIM_BINARY) + " " + args); }

std::string dump(const std::string& db) { return test::sqlite_dump(db); }

std::int64_t query_int(const std::string& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const std::int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return value;
}

std::string scenario_file(const std::string& name) { return std::string(CMKSIM_SOURCE_DIR) + "/scenarios/" + name; }

// The small scenario of test_support.h, with an event that has an id.
const std::string kEvents =
    "  - {id: off, at: 12h, action: disable_key, vault: kv, key: k}\n"
    "  - {id: on, at: 14h, action: enable_key, vault: kv, key: k}\n";

ScenarioTemplate small_template() {
  auto t = ScenarioTemplate::from_text(test::small_scenario(kEvents), "small.yaml");
  INFO((t ? std::string() : t.error().str()));
  REQUIRE(t.ok());
  return *t;
}

SweepPlan plan_of(const SweepSpec& spec) {
  Expected<SweepPlan> r = make_sweep_plan(small_template(), spec, run_scenario);
  INFO((r.ok() ? std::string() : r.error().str()));
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::string plan_error(const SweepSpec& spec) {
  const Expected<SweepPlan> r = make_sweep_plan(small_template(), spec, run_scenario);
  REQUIRE_FALSE(r.ok());
  return r.error().str();
}

SweepSpec spec_with(std::vector<SweepAxis> axes, std::uint64_t runs = 1) {
  SweepSpec spec;
  spec.axes = std::move(axes);
  spec.runs_per_point = runs;
  return spec;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Ranks in one process: queues between each pair, and a collective AND.
class Hub {
 public:
  explicit Hub(int ranks) : ranks_(ranks) {}
  void send(int from, int to, const std::string& bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    queues_[{from, to}].push_back(bytes);
    changed_.notify_all();
  }
  std::string receive(int from, int to) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto& q = queues_[{from, to}];
    changed_.wait(lock, [&] { return !q.empty(); });
    std::string bytes = q.front();
    q.pop_front();
    return bytes;
  }
  bool all_ok(bool ok) {
    std::unique_lock<std::mutex> lock(mutex_);
    const int generation = generation_;
    all_ &= ok;
    if (++arrived_ == ranks_) {
      result_ = all_;
      all_ = true;
      arrived_ = 0;
      ++generation_;
      changed_.notify_all();
    } else {
      changed_.wait(lock, [&] { return generation_ != generation; });
    }
    return result_;
  }
  int ranks() const { return ranks_; }

 private:
  const int ranks_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::pair<int, int>, std::deque<std::string>> queues_;
  int arrived_ = 0, generation_ = 0;
  bool all_ = true, result_ = true;
};

class LocalTransport final : public Transport {
 public:
  LocalTransport(Hub& hub, int rank) : hub_(hub), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return hub_.ranks(); }
  int local_size() const override { return hub_.ranks(); }
  void send(int to, const std::string& bytes) override { hub_.send(rank_, to, bytes); }
  std::string receive(int from) override { return hub_.receive(from, rank_); }
  bool all_ok(bool ok) override { return hub_.all_ok(ok); }
  [[noreturn]] void abort(int status) override { throw std::runtime_error("abort " + std::to_string(status)); }

 private:
  Hub& hub_;
  int rank_;
};

}  // namespace

TEST_CASE("Sweep: the grid is the cartesian product of the --set lists, the first varying slowest") {
  const SweepPlan plan = plan_of(spec_with({{"aek_cache_ttl", {"10m", "1h"}},
                                            {"workspaces.ws-a.ingest_gb_per_day", {"100", "300", "1000"}}},
                                           4));
  REQUIRE(plan.points.size() == 6);
  CHECK(plan.total_runs() == 24);
  CHECK(plan.has_axes);
  const std::vector<std::pair<std::string, std::string>> expected[] = {
      {{"aek_cache_ttl", "10m"}, {"workspaces.ws-a.ingest_gb_per_day", "100"}},
      {{"aek_cache_ttl", "10m"}, {"workspaces.ws-a.ingest_gb_per_day", "300"}},
      {{"aek_cache_ttl", "10m"}, {"workspaces.ws-a.ingest_gb_per_day", "1000"}},
      {{"aek_cache_ttl", "1h"}, {"workspaces.ws-a.ingest_gb_per_day", "100"}},
      {{"aek_cache_ttl", "1h"}, {"workspaces.ws-a.ingest_gb_per_day", "300"}},
      {{"aek_cache_ttl", "1h"}, {"workspaces.ws-a.ingest_gb_per_day", "1000"}},
  };
  for (std::size_t p = 0; p < 6; ++p) {
    CHECK(plan.points[p].values == expected[p]);
    CHECK(plan.points[p].settings.profile.aek_cache_ttl_ms == (p < 3 ? 10 : 60) * kMsPerMinute);
    CHECK(plan.points[p].scenario.workspaces[0].ingest_gb_per_day == std::stod(expected[p][1].second));
    CHECK(plan.points[p].scenario.workspaces[1].ingest_gb_per_day == 50);  // untouched
  }
}

TEST_CASE("Sweep: run k of point p gets the first number of the stream sweep/p/k of the base seed") {
  SweepSpec spec = spec_with({{"aek_cache_ttl", {"10m", "1h"}}}, 3);
  SECTION("the scenario's seed is the base") {
    const SweepPlan plan = plan_of(spec);
    for (std::uint64_t i = 0; i < plan.total_runs(); ++i) {
      const std::string stream = "sweep/" + std::to_string(i / 3) + "/" + std::to_string(i % 3);
      CHECK(plan.seed_of(i) == Rng::stream(1, stream).next());
    }
    CHECK(plan.seed_of(0) != plan.seed_of(3));  // point 1 does not replay point 0
    CHECK(plan.run(4).run.seed == plan.seed_of(4));
  }
  SECTION("--seed replaces the base") {
    spec.seed = 99;
    CHECK(plan_of(spec).seed_of(5) == Rng::stream(99, "sweep/1/2").next());
  }
  SECTION("--common-seeds gives run k of every point the same seed") {
    spec.common_seeds = true;
    const SweepPlan plan = plan_of(spec);
    CHECK(plan.seed_of(1) == Rng::stream(1, "sweep/1").next());
    CHECK(plan.seed_of(1) == plan.seed_of(4));
    CHECK(plan.seed_of(0) != plan.seed_of(1));
  }
}

TEST_CASE("Sweep: scenario fields are set by dotted path and obey the loader's rules") {
  const SweepPlan plan = plan_of(spec_with({{"events.off.at", {"6h"}},
                                            {"duration", {"3d"}},
                                            {"clusters.cl.capacity_gb_per_day", {"700"}},
                                            {"workspaces.ws-free.retention", {"1d12h"}},
                                            {"key_vaults.kv.soft_delete", {"false"}},
                                            {"timing", {"worst"}},
                                            {"clusters.cl.key.version", {"v1"}}}));
  const Scenario& s = plan.points.front().scenario;
  CHECK(s.events[0].at_ms == 6 * kMsPerHour);
  CHECK(s.events[1].at_ms == 14 * kMsPerHour);
  CHECK(s.duration_ms == 3 * kMsPerDay);
  CHECK(s.clusters[0].capacity_gb_per_day == 700);  // P1: a declared capacity must be in steps of 100
  CHECK(s.workspaces[2].retention_ms == 36 * kMsPerHour);
  CHECK_FALSE(s.key_vaults[0].soft_delete);
  CHECK(s.clusters[0].key->version == "v1");
  CHECK(plan.points.front().settings.timing == Timing::kWorst);
  // the file's positions and hash, not those of the text loaded again
  const ScenarioTemplate source = small_template();
  const Scenario& original = source.scenario();
  CHECK(s.source_sha256 == original.source_sha256);
  CHECK(s.workspaces[1].pos.line == original.workspaces[1].pos.line);
  CHECK(s.events[1].pos.line == original.events[1].pos.line);
}

TEST_CASE("Sweep: profile parameters are set by name or params.NAME") {
  const SweepPlan plan = plan_of(spec_with({{"params.revocation_bound", {"30m"}}, {"aek_cache_ttl", {"5m"}}}));
  CHECK(plan.points[0].settings.profile.revocation_bound_ms == 30 * kMsPerMinute);
  CHECK(plan.points[0].settings.profile.aek_cache_ttl_ms == 5 * kMsPerMinute);
  CHECK(plan.points[0].values.front().first == "params.revocation_bound");  // the sweep table keeps the path given
}

TEST_CASE("Sweep: an unknown path or name is bad input with a did-you-mean") {
  CHECK(contains(plan_error(spec_with({{"aek_cache_tll", {"1h"}}})), "did you mean 'aek_cache_ttl'"));
  CHECK(contains(plan_error(spec_with({{"params.aek_cache", {"1h"}}})), "unknown parameter 'aek_cache'"));
  CHECK(contains(plan_error(spec_with({{"workspaces.ws-aa.ingest_gb_per_day", {"1"}}})),
                 "unknown workspace 'ws-aa' (did you mean 'ws-a'?)"));
  CHECK(contains(plan_error(spec_with({{"workspace.ws-a.ingest_gb_per_day", {"1"}}})),
                 "did you mean 'workspaces'"));
  CHECK(contains(plan_error(spec_with({{"workspaces.ws-a.ingest_gb_per_dy", {"1"}}})),
                 "did you mean 'ingest_gb_per_day'"));
  CHECK(contains(plan_error(spec_with({{"events.of.at", {"1h"}}})), "did you mean 'off'"));
  CHECK(contains(plan_error(spec_with({{"workspaces.ws-a", {"1"}}})), "missing field"));
  CHECK(contains(plan_error(spec_with({{"aek_cache_ttl", {"1h"}}, {"aek_cache_ttl", {"2h"}}})), "given twice"));
}

TEST_CASE("Sweep: a bad value is refused with the loader's or the profile's message, naming the --set") {
  const std::string no_unit = plan_error(spec_with({{"workspaces.ws-a.retention", {"30d", "30"}}}));
  CHECK(contains(no_unit, "--set workspaces.ws-a.retention=30"));
  const std::string negative = plan_error(spec_with({{"workspaces.ws-a.ingest_gb_per_day", {"-5"}}}));
  CHECK(contains(negative, "must be >= 0"));
  const std::string late = plan_error(spec_with({{"events.on.at", {"3d"}}}));
  CHECK(contains(late, "--set events.on.at=3d"));
  const std::string short_run = plan_error(spec_with({{"duration", {"13h"}}}));  // the 14h event falls outside
  CHECK(contains(short_run, "--set duration=13h"));
  CHECK(contains(plan_error(spec_with({{"workspaces.ws-a.cluster", {"nope"}}})), "unknown cluster 'nope'"));
  CHECK(contains(plan_error(spec_with({{"aek_cache_ttl", {"soon"}}})), "aek_cache_ttl"));
  CHECK(contains(plan_error(spec_with({{"timing", {"wrost"}}})), "did you mean 'worst'"));
}

TEST_CASE("Sweep: each run is simulated by the function the sweep is given, with its point's settings") {
  // The sweep (analysis) never sees the model: whatever it is handed runs.
  std::mutex mutex;
  std::vector<std::pair<std::string, std::uint64_t>> calls;  // (aek_cache_ttl, seed)
  const RunScenario fake = [&](const Scenario& scenario, const RunSettings& settings) {
    std::lock_guard<std::mutex> lock(mutex);
    calls.emplace_back(format_duration(settings.profile.aek_cache_ttl_ms), settings.seed);
    RunRecord record;
    record.run.scenario = scenario.name;
    record.run.seed = settings.seed;
    return record;
  };
  const Expected<SweepPlan> planned =
      make_sweep_plan(small_template(), spec_with({{"aek_cache_ttl", {"10m", "1h"}}}, 2), fake);
  REQUIRE(planned.ok());
  const SweepPlan& plan = *planned;
  const RunRecord third = plan.run(2);
  CHECK(third.run.seed == plan.seed_of(2));
  CHECK(third.sweep_params == PathValues{{"aek_cache_ttl", "1h"}});
  REQUIRE(calls.size() == 1);
  CHECK(calls[0] == std::make_pair(std::string("1h"), plan.seed_of(2)));

  TempDir dir("sweep-test-fake");
  const SweepWrite written = write_sweep(plan, dir.file("fake.db"), 0, plan.total_runs(), 2, nullptr);
  REQUIRE(written.error.empty());
  CHECK(written.runs == 4);
  CHECK(calls.size() == 5);
}

TEST_CASE("Sweep: a run with an override that changes nothing is the plain run with that seed") {
  const SweepPlan plan = plan_of(spec_with({{"workspaces.ws-a.ingest_gb_per_day", {"100"}}}, 2));
  RunRecord swept = plan.run(1);
  CHECK(swept.sweep_params == PathValues{{"workspaces.ws-a.ingest_gb_per_day", "100"}});
  swept.sweep_params.clear();
  const RunRecord plain = test::run(small_template().scenario(), plan.seed_of(1));
  TempDir dir("sweep-test-same");
  REQUIRE(write_results_db(dir.file("swept.db"), swept).ok());
  REQUIRE(write_results_db(dir.file("plain.db"), plain).ok());
  CHECK(dump(dir.file("swept.db")) == dump(dir.file("plain.db")));
}

TEST_CASE("Sweep: the database is the same, dump for dump, with 1, 2 or 3 jobs") {
  const SweepPlan plan = plan_of(spec_with({{"aek_cache_ttl", {"10m", "1h"}}}, 9));
  TempDir dir("sweep-test-jobs");
  std::vector<std::string> dumps;
  for (unsigned jobs : {1u, 2u, 3u}) {
    const std::string path = dir.file("j" + std::to_string(jobs) + ".db");
    std::vector<std::uint64_t> order;
    REQUIRE(write_sweep(plan, path, 0, plan.total_runs(), jobs,
                        [&](std::uint64_t index, const RunRecord&) { order.push_back(index); })
                .error.empty());
    CHECK(order.size() == 18);
    CHECK(std::is_sorted(order.begin(), order.end()));
    dumps.push_back(dump(path));
  }
  CHECK(dumps[0] == dumps[1]);
  CHECK(dumps[0] == dumps[2]);
  CHECK(query_int(dir.file("j2.db"), "SELECT count(*) FROM runs") == 18);
  CHECK(query_int(dir.file("j2.db"), "SELECT count(DISTINCT seed) FROM runs") == 18);
  CHECK(query_int(dir.file("j2.db"), "SELECT max(run_id) FROM runs") == 18);
}

TEST_CASE("Sweep: the sweep table holds each run's grid values, runs read back with them") {
  const SweepPlan plan = plan_of(spec_with({{"aek_cache_ttl", {"10m", "1h"}}, {"timing", {"best"}}}, 2));
  TempDir dir("sweep-test-table");
  const std::string path = dir.file("s.db");
  REQUIRE(write_sweep(plan, path, 0, plan.total_runs(), 2, nullptr).error.empty());
  CHECK(query_int(path, "SELECT count(*) FROM sweep") == 8);
  CHECK(query_int(path, "SELECT count(*) FROM sweep WHERE name = 'aek_cache_ttl' AND value = '1h' AND run_id > 2") == 2);
  const Expected<ResultsRead> loaded = read_results_db(path);
  INFO((loaded.ok() ? std::string() : loaded.error().str()));
  REQUIRE(loaded.ok());
  const ResultsRead& read = *loaded;
  REQUIRE(read.runs.size() == 4);
  CHECK(read.runs[3].sweep_params == PathValues{{"aek_cache_ttl", "1h"}, {"timing", "best"}});
  CHECK(read.runs[3].run.timing == "earliest");  // the preferred name of best (D7)

  SECTION("without axes there is no sweep table, as in a single run") {
    const SweepPlan plain = plan_of(spec_with({}, 3));
    CHECK_FALSE(plain.has_axes);
    REQUIRE(write_sweep(plain, dir.file("plain.db"), 0, 3, 1, nullptr).error.empty());
    CHECK(query_int(dir.file("plain.db"), "SELECT count(*) FROM sqlite_master WHERE name = 'sweep'") == 0);
    CHECK(query_int(dir.file("plain.db"), "SELECT count(*) FROM runs") == 3);
  }
}

TEST_CASE("Sweep: shards joined by merge give the database of the whole sweep") {
  const SweepPlan plan = plan_of(spec_with({{"aek_cache_ttl", {"10m", "1h"}}}, 5));
  TempDir dir("sweep-test-shards");
  REQUIRE(write_sweep(plan, dir.file("whole.db"), 0, plan.total_runs(), 2, nullptr).error.empty());
  const std::string whole = dump(dir.file("whole.db"));
  for (std::uint64_t k : {1u, 3u, 4u, 13u}) {  // 13 > 10 runs: some shards are empty
    std::vector<std::string> shards;
    for (std::uint64_t i = k; i-- > 0;) {  // written and given in reverse order
      shards.push_back(dir.file("shard-" + std::to_string(i) + "-of-" + std::to_string(k) + ".db"));
      REQUIRE(write_sweep_shard(plan, ShardSpec{i, k}, shards.back(), 1, nullptr).error.empty());
    }
    const std::string merged = dir.file("merged-" + std::to_string(k) + ".db");
    const Expected<std::uint64_t> runs = merge_shards(shards, merged);
    INFO((runs ? std::string() : runs.error().str()));
    REQUIRE(runs.ok());
    CHECK(*runs == 10);
    CHECK(dump(merged) == whole);
  }
  std::uint64_t first = 0, count = 0;
  shard_range(10, ShardSpec{2, 3}, first, count);
  CHECK(first == 6);
  CHECK(count == 4);
}

TEST_CASE("Sweep: merge refuses a missing, repeated or foreign shard and writes nothing") {
  const SweepPlan plan = plan_of(spec_with({{"aek_cache_ttl", {"10m", "1h"}}}, 2));
  const SweepPlan other = plan_of(spec_with({{"aek_cache_ttl", {"10m", "2h"}}}, 2));
  TempDir dir("sweep-test-refuse");
  const auto shard = [&](const SweepPlan& p, std::uint64_t i, const std::string& name) {
    REQUIRE(write_sweep_shard(p, ShardSpec{i, 3}, dir.file(name), 1, nullptr).error.empty());
    return dir.file(name);
  };
  const std::string s0 = shard(plan, 0, "s0.db"), s1 = shard(plan, 1, "s1.db"), s2 = shard(plan, 2, "s2.db");
  const std::string foreign = shard(other, 2, "foreign.db");
  REQUIRE(write_sweep(plan, dir.file("whole.db"), 0, 4, 1, nullptr).error.empty());
  const std::string out = dir.file("out.db");
  const auto refusal = [&out](const std::vector<std::string>& shards) {
    const Expected<std::uint64_t> merged = merge_shards(shards, out);
    return merged.ok() ? std::string() : merged.error().str();
  };
  CHECK(contains(refusal({s0, s2}), "missing shard 1/3"));
  CHECK(contains(refusal({s0, s1, s1, s2}), "given twice"));
  CHECK(contains(refusal({s0, s1, foreign}), "different sweeps"));
  CHECK(contains(refusal({s0, s1, dir.file("whole.db")}), "not a sweep shard"));
  CHECK(contains(refusal({s0, s1, dir.file("nope.db")}), "no such file"));
  CHECK_FALSE(fs::exists(out));
  CHECK(merge_shards({s2, s1, s0}, out).ok());
  CHECK(query_int(out, "SELECT count(*) FROM sqlite_master WHERE name = 'sweep_shard'") == 0);
}

namespace {

// The dump of `db` with only the rows of runs up to `last` (every table has
// run_id but sweep_stopped, which is dropped): the dump of a prefix.
std::string prefix_dump(const std::string& db, std::int64_t last, const std::string& scratch) {
  fs::copy_file(db, scratch, fs::copy_options::overwrite_existing);
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open_v2(scratch.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(handle, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &stmt,
                             nullptr) == SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  sqlite3_finalize(stmt);
  for (const std::string& table : tables) {
    const std::string sql = table == "sweep_stopped" ? "DROP TABLE sweep_stopped"
                                                     : "DELETE FROM " + table + " WHERE run_id > " + std::to_string(last);
    REQUIRE(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  sqlite3_close(handle);
  return dump(scratch);
}

}  // namespace

TEST_CASE("Issue 8: a stopped sweep keeps the runs finished in order, row for row as in the whole sweep") {
  const SweepPlan plan = plan_of(spec_with({{"aek_cache_ttl", {"10m", "1h"}}}, 300));  // 600 runs
  TempDir dir("sweep-test-stop");
  REQUIRE(write_sweep(plan, dir.file("whole.db"), 0, plan.total_runs(), 2, nullptr).error.empty());
  for (const unsigned jobs : {1u, 2u, 3u}) {
    for (const std::uint64_t stop_after : {1u, 7u, 41u}) {
      INFO(jobs << " jobs, stop requested as run " << stop_after << " is written");
      StopRequest stop;
      const std::string path = dir.file("stopped.db");
      std::uint64_t seen = 0;
      const SweepWrite w = write_sweep(
          plan, path, 0, plan.total_runs(), jobs,
          [&](std::uint64_t index, const RunRecord&) {
            CHECK(index == seen);  // in order, from the first
            if (++seen == stop_after) stop.request("test");
          },
          &stop);
      REQUIRE(w.error.empty());
      // One job stops at once; more hand out the runs already finished in
      // order, at most the pipeline's window (32 per job) past the request.
      if (jobs == 1) CHECK(w.runs == stop_after);
      CHECK(w.runs >= stop_after);
      CHECK(w.runs <= stop_after + 32 * jobs);
      CHECK(w.runs == seen);
      CHECK(w.stopped);
      const auto n = static_cast<std::int64_t>(w.runs);
      CHECK(query_int(path, "SELECT count(*) FROM runs") == n);
      CHECK(query_int(path, "SELECT max(run_id) FROM runs") == n);
      CHECK(query_int(path, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'") == 1);
      {
        CHECK(query_int(path, "SELECT planned_runs FROM sweep_stopped") == 600);
        CHECK(query_int(path, "SELECT written_runs FROM sweep_stopped") == n);
        CHECK(query_int(path, "SELECT count(*) FROM sweep_stopped WHERE reason = 'test'") == 1);
        const Expected<ResultsRead> loaded = read_results_db(path);
        INFO((loaded.ok() ? std::string() : loaded.error().str()));
        REQUIRE(loaded.ok());
        const ResultsRead& read = *loaded;
        REQUIRE(read.stopped);
        CHECK(read.stopped->planned_runs == 600);
        CHECK(read.stopped->written_runs == w.runs);
        CHECK(read.stopped->reason == "test");
      }
      CHECK(prefix_dump(path, n, dir.file("a.db")) == prefix_dump(dir.file("whole.db"), n, dir.file("b.db")));
      CHECK(dir.entries() == std::vector<std::string>{"a.db", "b.db", "stopped.db", "whole.db"});
    }
  }
  {  // a whole sweep has no sweep_stopped table, and a request after the last run changes nothing
    StopRequest stop;
    std::uint64_t seen = 0;
    const SweepWrite w = write_sweep(
        plan, dir.file("late.db"), 0, plan.total_runs(), 2,
        [&](std::uint64_t, const RunRecord&) {
          if (++seen == plan.total_runs()) stop.request("late");
        },
        &stop);
    CHECK(w.error.empty());
    CHECK_FALSE(w.stopped);
    CHECK(w.runs == 600);
    CHECK(dump(dir.file("late.db")) == dump(dir.file("whole.db")));
    const Expected<ResultsRead> late = read_results_db(dir.file("late.db"));
    REQUIRE(late.ok());
    CHECK_FALSE(late->stopped);
  }
}

TEST_CASE("Issue 8: a sweep stopped before its first run leaves the previous database as it was") {
  const SweepPlan plan = plan_of(spec_with({}, 5));
  TempDir dir("sweep-test-stop-first");
  const std::string path = dir.file("s.db");
  REQUIRE(write_sweep(plan, path, 0, 2, 1, nullptr).error.empty());
  const std::string before = dump(path);
  for (const unsigned jobs : {1u, 2u}) {
    StopRequest stop;
    stop.request("early");
    stop.request("later");  // the first request's reason stays
    CHECK(std::string(stop.reason.load()) == "early");
    const SweepWrite w = write_sweep(plan, path, 0, plan.total_runs(), jobs, nullptr, &stop);
    CHECK(w.error.empty());
    CHECK(w.stopped);
    CHECK(w.runs == 0);
    CHECK(dump(path) == before);
    CHECK(dir.entries() == std::vector<std::string>{"s.db"});
  }
}

TEST_CASE("Issue 8: merge refuses a stopped shard, naming it and what to do") {
  const SweepPlan plan = plan_of(spec_with({}, 12));
  TempDir dir("sweep-test-stop-shard");
  REQUIRE(write_sweep_shard(plan, ShardSpec{0, 2}, dir.file("s0.db"), 1, nullptr).error.empty());
  StopRequest stop;
  std::uint64_t seen = 0;
  const SweepWrite w = write_sweep_shard(
      plan, ShardSpec{1, 2}, dir.file("s1.db"), 1,
      [&](std::uint64_t index, const RunRecord&) {
        CHECK(index == 6 + seen);  // shard 1/2 holds runs 7 to 12
        if (++seen == 2) stop.request("SIGINT");
      },
      &stop);
  REQUIRE(w.error.empty());
  CHECK(w.stopped);
  CHECK(w.runs == 2);
  CHECK(query_int(dir.file("s1.db"), "SELECT runs FROM sweep_shard") == 2);
  CHECK(query_int(dir.file("s1.db"), "SELECT min(run_id) FROM runs") == 7);
  const Expected<std::uint64_t> merged = merge_shards({dir.file("s0.db"), dir.file("s1.db")}, dir.file("out.db"));
  REQUIRE_FALSE(merged.ok());
  const std::string error = merged.error().str();
  CHECK(contains(error, "s1.db: shard 1/2 was stopped (SIGINT) after 2 of its runs: run it again"));
  CHECK_FALSE(fs::exists(dir.file("out.db")));
  CHECK(dir.entries() == std::vector<std::string>{"s0.db", "s1.db"});
}

TEST_CASE("Sweep: ranks over an in-process transport write the database of a single-process sweep") {
  const SweepPlan plan = plan_of(spec_with({{"aek_cache_ttl", {"10m", "1h", "2h"}}}, 30));  // 90 runs, 3 chunks
  TempDir dir("sweep-test-ranks");
  REQUIRE(write_sweep(plan, dir.file("one.db"), 0, plan.total_runs(), 1, nullptr).error.empty());
  for (int ranks : {2, 3, 5}) {
    Hub hub(ranks);
    const std::string path = dir.file("ranks-" + std::to_string(ranks) + ".db");
    std::vector<std::string> errors(static_cast<std::size_t>(ranks));
    std::vector<std::uint64_t> seen;
    std::vector<std::thread> others;
    for (int r = 1; r < ranks; ++r) {
      others.emplace_back([&, r] {
        LocalTransport t(hub, r);
        errors[static_cast<std::size_t>(r)] = run_distributed_sweep(plan, t, path, 2, nullptr);
      });
    }
    LocalTransport t0(hub, 0);
    errors[0] = run_distributed_sweep(plan, t0, path, 2, [&](std::uint64_t i, const RunRecord&) { seen.push_back(i); });
    for (std::thread& t : others) t.join();
    for (const std::string& e : errors) CHECK(e.empty());
    CHECK(seen.size() == 90);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(dump(path) == dump(dir.file("one.db")));
  }
}

TEST_CASE("Sweep: percentiles are nearest-rank") {
  std::vector<double> v = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
  CHECK(percentile(v, 50) == 5);
  CHECK(percentile(v, 95) == 10);
  CHECK(percentile(v, 10) == 1);
  std::vector<double> one = {7};
  CHECK(percentile(one, 99) == 7);
}

TEST_CASE("Progress: the line shows runs done, runs per second and the time left") {
  CHECK(Progress::line(250, 1000, 5000, false) == "sweep: 250 of 1000 runs (25%), 50 runs/s, about 15s left");
  CHECK(Progress::line(500, 1000, 2000, true) == "[############------------] 500/1000 runs  250 runs/s  2s left");
  CHECK(Progress::line(0, 10, 0, false) == "sweep: 0 of 10 runs (0%), - runs/s");
  CHECK(Progress::line(10, 10, 4000, false) == "sweep: 10 of 10 runs (100%), 2.5 runs/s");
}

TEST_CASE("CLI sweep: --jobs 1 and --jobs 2 write the same sqlite3 .dump") {
  TempDir dir("sweep-test-cli-jobs");
  const std::string args = "sweep " + scenario_file("access-policy-removed.yaml") +
                           " --runs 6 --set workspaces.ws-web.ingest_gb_per_day=100,600 --set aek_cache_ttl=10m,1h"
                           " --no-progress -o ";
  const Output one = run_cmksim(args + dir.file("j1.db") + " --jobs 1");
  INFO(one.text);
  REQUIRE(one.status == 0);
  const Output two = run_cmksim(args + dir.file("j2.db") + " --jobs 2");
  REQUIRE(two.status == 0);
  std::string one_text = one.text;
  one_text.replace(one_text.find("j1.db"), 5, "j2.db");
  CHECK(one_text == two.text);  // the same summary
  CHECK(dump(dir.file("j1.db")) == dump(dir.file("j2.db")));
  CHECK(query_int(dir.file("j1.db"), "SELECT count(*) FROM runs") == 24);
  CHECK(contains(one.text, "4 points x 6 runs = 24 runs"));
  CHECK(contains(one.text, "point 4 of 4: workspaces.ws-web.ingest_gb_per_day=600, aek_cache_ttl=1h"));
  CHECK(contains(one.text, "exposure window"));
  CHECK(contains(one.text, "p99"));
  CHECK(dir.entries() == std::vector<std::string>{"j1.db", "j2.db"});
}

TEST_CASE("CLI sweep: bad input exits 2 with one message and writes nothing") {
  TempDir dir("sweep-test-cli-bad");
  const std::string db = dir.file("s.db");
  const std::string scenario = scenario_file("access-policy-removed.yaml");
  const Output unknown = run_cmksim("sweep " + scenario + " --runs 2 --set workspaces.ws-wbe.retention=1d -o " + db);
  CHECK(unknown.status == 2);
  CHECK(contains(unknown.text, "did you mean 'ws-web'"));
  const Output bad_value = run_cmksim("sweep " + scenario + " --runs 2 --set workspaces.ws-web.retention=1d,x -o " + db);
  CHECK(bad_value.status == 2);
  CHECK(contains(bad_value.text, "--set workspaces.ws-web.retention=x"));
  CHECK(run_cmksim("sweep " + scenario + " -o " + db).status == 2);                        // no --runs
  CHECK(run_cmksim("sweep " + scenario + " --runs 0 -o " + db).status == 2);
  CHECK(run_cmksim("sweep " + scenario + " --runs 2 --jobs x -o " + db).status == 2);
  CHECK(run_cmksim("sweep " + scenario + " --runs 2 --shard 2/2 -o " + db).status == 2);
  const Output option = run_cmksim("sweep " + scenario + " --runs 2 --job 2 -o " + db);
  CHECK(option.status == 2);
  CHECK(contains(option.text, "did you mean '--jobs'"));
  CHECK(dir.entries().empty());
  CHECK(run_cmksim("sweep --help").status == 0);
  CHECK(run_cmksim("merge --help").status == 0);
}

TEST_CASE("CLI sweep: shards joined with cmksim merge give the same dump as one sweep") {
  TempDir dir("sweep-test-cli-shards");
  const std::string args = "sweep " + scenario_file("key-disabled-6h.yaml") + " --runs 5 --set aek_cache_ttl=10m,1h" +
                           " --no-progress";
  REQUIRE(run_cmksim(args + " -o " + dir.file("whole.db")).status == 0);
  for (int i = 0; i < 3; ++i) {
    const Output r = run_cmksim(args + " --shard " + std::to_string(i) + "/3 -o " + dir.file("shard" + std::to_string(i) + ".db"));
    INFO(r.text);
    REQUIRE(r.status == 0);
  }
  const Output merged = run_cmksim("merge -o " + dir.file("merged.db") + " " + dir.file("shard2.db") + " " +
                               dir.file("shard0.db") + " " + dir.file("shard1.db"));
  INFO(merged.text);
  REQUIRE(merged.status == 0);
  CHECK(contains(merged.text, "merged 3 shards (10 runs)"));
  CHECK(dump(dir.file("merged.db")) == dump(dir.file("whole.db")));
  const Output missing = run_cmksim("merge -o " + dir.file("bad.db") + " " + dir.file("shard0.db"));
  CHECK(missing.status == 2);
  CHECK(contains(missing.text, "missing shards 1/3, 2/3"));
  CHECK_FALSE(fs::exists(dir.file("bad.db")));
}

TEST_CASE("Sweep: every shipped scenario goes through an override unchanged but for the field set") {
  TempDir dir("sweep-test-shipped");
  for (const auto& entry : fs::directory_iterator(std::string(CMKSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path().string());
    const auto source = ScenarioTemplate::load(entry.path().string());
    REQUIRE(source.ok());
    Scenario same;
    REQUIRE(source->apply({{"name", source->scenario().name}}, same).empty());
    CHECK(same.file == source->scenario().file);
    const RunRecord a = test::run(source->scenario(), 3);
    const RunRecord b = test::run(same, 3);
    REQUIRE(write_results_db(dir.file("a.db"), a).ok());
    REQUIRE(write_results_db(dir.file("b.db"), b).ok());
    CHECK(dump(dir.file("a.db")) == dump(dir.file("b.db")));
  }
}

TEST_CASE("Sweep: a run source that fails midway leaves no database and no temporary file") {
  TempDir dir("sweep-test-fail");
  const RunRecord record = test::run_yaml(test::small_scenario(kEvents));
  int calls = 0;
  const RunSource failing = [&](std::int64_t& run_id) -> const RunRecord* {
    if (++calls == 3) throw std::runtime_error("rank 1 went away");
    run_id = calls;
    return &record;
  };
  const Status error = write_results_db(dir.file("s.db"), failing, false);
  REQUIRE_FALSE(error.ok());
  CHECK(contains(error.error().message, "rank 1 went away"));
  CHECK(dir.entries().empty());
}

namespace {

// Runs `sql` on the database at `path` as a hostile colleague would, with
// the schema writable (PRAGMA writable_schema).
void tamper(const std::string& path, const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &message);
  INFO((message ? message : ""));
  sqlite3_free(message);
  sqlite3_close(handle);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("Issue 18: merge runs nothing from a shard: an edited schema, a view, a trigger or an extra column is refused") {
  TempDir dir("sweep-test-hostile-shards");
  const std::string args = "sweep " + scenario_file("key-disabled-6h.yaml") + " --runs 2 --no-progress";
  for (int i = 0; i < 2; ++i) {
    REQUIRE(run_cmksim(args + " --shard " + std::to_string(i) + "/2 -o " + dir.file("s" + std::to_string(i) + ".db")).status == 0);
  }
  const std::string pristine = dump(dir.file("s1.db"));
  const std::string planted = dir.file("planted.db");
  struct Case {
    std::string name, sql, message;
  };
  const std::vector<Case> cases = {
      {"schema text with an ATTACH appended",
       "PRAGMA writable_schema=ON; UPDATE sqlite_master SET sql = sql || '; ATTACH DATABASE ''" + planted +
           "'' AS p; CREATE TABLE p.t(y)' WHERE name = 'metrics'",
       "table 'metrics' is not one of cmksim's results tables"},
      {"a view", "CREATE VIEW v AS SELECT 1", "view 'v' is not one of cmksim's results tables"},
      {"a trigger", "CREATE TRIGGER t AFTER INSERT ON runs BEGIN SELECT 1; END", "trigger 't' is not one of"},
      {"an extra column", "ALTER TABLE metrics ADD COLUMN z TEXT", "table 'metrics' is not one of cmksim's results tables"},
      {"an extra table", "CREATE TABLE extra(x)", "table 'extra' is not one of"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    // Both shards edited alike: before issue 18, merge ran the first shard's schema text.
    const std::string index = std::to_string(&c - cases.data());
    const std::string first = dir.file("bad-a" + index + ".db"), second = dir.file("bad-b" + index + ".db");
    fs::copy_file(dir.file("s0.db"), first, fs::copy_options::overwrite_existing);
    fs::copy_file(dir.file("s1.db"), second, fs::copy_options::overwrite_existing);
    tamper(first, c.sql);
    tamper(second, c.sql);
    const Output r = run_cmksim("merge -o " + dir.file("out.db") + " " + first + " " + second);
    INFO(r.text);
    CHECK(r.status == 2);
    CHECK(contains(r.text, c.message));
    CHECK(std::count(r.text.begin(), r.text.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(dir.file("out.db")));
    CHECK_FALSE(fs::exists(planted));  // nothing of the shard ran
  }
  // The shards as cmksim wrote them still merge, and were not written to.
  const Output good = run_cmksim("merge -o " + dir.file("out.db") + " " + dir.file("s0.db") + " " + dir.file("s1.db"));
  INFO(good.text);
  CHECK(good.status == 0);
  CHECK(dump(dir.file("s1.db")) == pristine);
}

TEST_CASE("Issue 18: a results database is opened for reading without ATTACH, triggers or views") {
  TempDir dir("sweep-test-hostile-report");
  REQUIRE(run_cmksim("run " + scenario_file("access-policy-removed.yaml") + " -o " + dir.file("r.db")).status == 0);
  const std::string planted = dir.file("planted.db");
  tamper(dir.file("r.db"), "CREATE VIEW v AS SELECT 1");
  // report and diff read their tables by name; a view named like one is never used, and nothing is attached.
  const Output report = run_cmksim("report " + dir.file("r.db") + " -o " + dir.file("r.md"));
  INFO(report.text);
  CHECK(report.status == 0);
  CHECK_FALSE(fs::exists(planted));
}
