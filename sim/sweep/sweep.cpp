#include "sim/sweep/sweep.h"

#include <algorithm>
#include <sstream>
#include <utility>

#include "sim/core/json.h"
#include "sim/check/reproduce.h"
#include "sim/core/text.h"
#include "sim/io/profile_builder.h"
#include "sim/io/results_db.h"
#include "sim/random/rng.h"

namespace cmksim {
namespace {

// Limits that keep a typo (--runs 1e12) from eating the machine.
constexpr std::uint64_t kMaxPoints = 100000;         // each point holds its scenario
constexpr std::uint64_t kMaxRuns = 1ULL << 40;

std::string plan_fingerprint(const ScenarioTemplate& scenario, const SweepSpec& spec) {
  std::string axes = "[";
  for (const SweepAxis& axis : spec.axes) {
    std::string values = "[";
    for (const std::string& v : axis.values) values += (values.size() > 1 ? ",\"" : "\"") + json_escape(v) + "\"";
    axes += (axes.size() > 1 ? ",[\"" : "[\"") + json_escape(axis.path) + "\"," + values + "]]";
  }
  axes += "]";
  JsonObject o;
  o.add_string("scenario_sha256", scenario.scenario().source_sha256)
      .add_raw("axes", axes)
      .add_int("runs_per_point", static_cast<long long>(spec.runs_per_point))
      .add_string("seed", spec.seed ? std::to_string(*spec.seed) : std::string())
      .add_string("profile", spec.profile)
      .add_string("timing", spec.timing ? timing_name(*spec.timing) : "")
      .add_bool("common_seeds", spec.common_seeds)
      .add_bool("outcomes_only", spec.outcomes_only)
      .add_string("cmksim_version", CMKSIM_VERSION);
  return o.str();
}


}  // namespace

std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> values;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    values.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return values;
    start = comma + 1;
  }
}

std::uint64_t SweepPlan::seed_of(std::uint64_t index) const {
  const std::uint64_t p = index / runs_per_point;
  const std::uint64_t k = index % runs_per_point;
  const std::string name =
      common_seeds ? "sweep/" + std::to_string(k) : "sweep/" + std::to_string(p) + "/" + std::to_string(k);
  return Rng::stream(points[p].settings.seed, name).next();
}

RunRecord SweepPlan::run(std::uint64_t index) const {
  const SweepPoint& point = points[index / runs_per_point];
  RunSettings settings = point.settings;
  settings.seed = seed_of(index);
  RunRecord record = simulate(point.scenario, settings);
  record.sweep_params = point.values;
  return record;
}

Expected<SweepPlan> make_sweep_plan(const SweepSpec& spec, RunScenario simulate) {
  const Expected<ScenarioTemplate> scenario = ScenarioTemplate::load(spec.scenario_path);
  if (!scenario) return Error(scenario.error().str());
  return make_sweep_plan(*scenario, spec, std::move(simulate));
}

// timing bounds (D7) in a sweep is a grid axis: timing = latest, earliest
// (appended, so it varies fastest; a `timing` axis's "bounds" value becomes
// those two values).
namespace {
SweepSpec with_timing_bounds(const ScenarioTemplate& scenario, SweepSpec spec) {
  bool axis = false;
  for (SweepAxis& a : spec.axes) {
    if (a.path != "timing") continue;
    axis = true;
    std::vector<std::string> values;
    for (const std::string& v : a.values) {
      if (v == "bounds") {
        values.insert(values.end(), {"latest", "earliest"});
      } else {
        values.push_back(v);
      }
    }
    a.values = values;
  }
  const Timing timing = spec.timing.value_or(scenario.scenario().timing);
  if (!axis && timing == Timing::kBounds) spec.axes.push_back({"timing", {"latest", "earliest"}});
  if (spec.timing == Timing::kBounds) spec.timing.reset();
  return spec;
}
}  // namespace

Expected<SweepPlan> make_sweep_plan(const ScenarioTemplate& scenario, const SweepSpec& given, RunScenario simulate) {
  const SweepSpec spec = with_timing_bounds(scenario, given);
  if (spec.runs_per_point == 0) return Error("--runs must be at least 1");
  std::uint64_t point_count = 1;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    const SweepAxis& axis = spec.axes[a];
    std::string error;
    if (!scenario.is_profile_param(axis.path, error)) {
      return Error(scenario.scenario().file + ": --set " + axis.path + ": " + error);
    }
    for (std::size_t b = 0; b < a; ++b) {
      if (spec.axes[b].path == axis.path) return Error("--set " + axis.path + " is given twice");
    }
    if (axis.values.empty()) return Error("--set " + axis.path + " has no values");
    point_count *= axis.values.size();
    if (point_count > kMaxPoints) {
      return Error("the grid has over " + std::to_string(kMaxPoints) + " points");
    }
  }
  if (point_count > kMaxRuns / spec.runs_per_point) {
    return Error("too many runs (over 2^40)");
  }

  SweepPlan plan;
  plan.runs_per_point = spec.runs_per_point;
  plan.common_seeds = spec.common_seeds;
  plan.outcomes_only = spec.outcomes_only;
  plan.has_axes = !spec.axes.empty();
  plan.fingerprint = plan_fingerprint(scenario, spec);
  plan.simulate = std::move(simulate);
  plan.points.reserve(point_count);
  // Point p's value on axis a: the mixed-radix digits of p, axis 0 slowest.
  for (std::uint64_t p = 0; p < point_count; ++p) {
    SweepPoint point;
    std::uint64_t rest = p;
    std::vector<std::size_t> digit(spec.axes.size());
    for (std::size_t a = spec.axes.size(); a-- > 0;) {
      digit[a] = rest % spec.axes[a].values.size();
      rest /= spec.axes[a].values.size();
    }
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
      point.values.emplace_back(spec.axes[a].path, spec.axes[a].values[digit[a]]);
    }
    PathValues params, fields;
    scenario.split_sets(point.values, params, fields);
    if (const std::string error = scenario.apply(fields, point.scenario); !error.empty()) {
      return Error(scenario.scenario().file + ": " + error);
    }
    const Expected<Profile> profile = build_profile(point.scenario, params, spec.profile);
    if (!profile) return Error(profile.error().str());
    const Status bounded = check_work(point.scenario, *profile, spec.max_work, point.scenario.duration_ms);
    if (!bounded) return Error(bounded.error().str());
    point.settings.profile = *profile;
    point.settings.timing = spec.timing.value_or(point.scenario.timing);
    point.settings.seed = spec.seed.value_or(point.scenario.seed);
    point.settings.record_timelines = !spec.outcomes_only;
    plan.points.push_back(std::move(point));
  }
  return plan;
}

// ---------------------------------------------------------------------------
// RunPipeline

RunPipeline::RunPipeline(const SweepPlan& plan, std::vector<IndexRange> ranges, unsigned jobs, std::size_t ahead,
                         const StopRequest* stop)
    : plan_(plan),
      ranges_(std::move(ranges)),
      stop_(stop),
      ahead_(std::max<std::size_t>(ahead, 32 * std::size_t{jobs})) {
  for (const IndexRange& r : ranges_) {
    range_starts_.push_back(size_);
    size_ += r.count;
  }
  // The consumer's thread is one of the jobs: it simulates too while the run
  // it is to hand out next is not ready, so J jobs keep J threads busy.
  if (jobs <= 1) return;
  const std::size_t threads = static_cast<std::size_t>(std::min<std::uint64_t>(jobs - 1, size_));
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

RunPipeline::~RunPipeline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  can_claim_.notify_all();
  for (std::thread& t : workers_) t.join();
}

std::uint64_t RunPipeline::index_at(std::uint64_t position) const {
  const auto after = std::upper_bound(range_starts_.begin(), range_starts_.end(), position);
  const auto r = static_cast<std::size_t>(after - range_starts_.begin()) - 1;
  return ranges_[r].first + (position - range_starts_[r]);
}

void RunPipeline::work() {
  while (true) {
    std::uint64_t position = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      can_claim_.wait(lock, [this] { return stopping_ || claimed_ == size_ || claimed_ < taken_ + ahead_; });
      if (stopping_ || claimed_ == size_ || stop_requested()) return;
      position = claimed_++;
    }
    try {
      RunRecord record = plan_.run(index_at(position));
      std::lock_guard<std::mutex> lock(mutex_);
      done_.emplace(position, std::move(record));
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      stopping_ = true;
    }
    can_take_.notify_one();
    can_claim_.notify_all();
  }
}

RunRecord* RunPipeline::next() {
  if (taken_ == size_) return nullptr;
  const std::uint64_t position = taken_;
  if (workers_.empty()) {
    if (stop_requested()) return nullptr;
    current_ = plan_.run(index_at(position));
  } else {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      if (failure_) std::rethrow_exception(failure_);
      const auto it = done_.find(position);
      if (it != done_.end()) {
        current_ = std::move(it->second);
        done_.erase(it);
        break;
      }
      // Stopped: a run in flight is not finished. Each worker wakes the
      // consumer as it ends a run, so this is seen within one run's time.
      if (stop_requested()) return nullptr;
      if (claimed_ < size_ && claimed_ < taken_ + ahead_) {  // simulate one meanwhile
        const std::uint64_t mine = claimed_++;
        lock.unlock();
        RunRecord record = plan_.run(index_at(mine));
        lock.lock();
        done_.emplace(mine, std::move(record));
        continue;
      }
      can_take_.wait(lock);
    }
  }
  last_index_ = index_at(position);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++taken_;
  }
  can_claim_.notify_all();
  return &current_;
}

// ---------------------------------------------------------------------------

SweepWrite write_sweep(const SweepPlan& plan, const std::string& path, std::uint64_t first, std::uint64_t count,
                       unsigned jobs, const RunObserver& on_run, const StopRequest* stop) {
  SweepWrite result;
  RunPipeline pipeline(plan, {IndexRange{first, count}}, jobs, 0, stop);
  const RunSource next = [&](std::int64_t& run_id) -> const RunRecord* {
    RunRecord* record = pipeline.next();
    if (record == nullptr) return nullptr;
    const std::uint64_t index = pipeline.index_of_last();
    run_id = static_cast<std::int64_t>(index + 1);
    ++result.runs;
    if (on_run) on_run(index, *record);
    return record;
  };
  const StopSource stopped = [&]() -> std::optional<SweepStopped> {
    if (result.runs == count) return std::nullopt;  // a request after the last run changes nothing
    result.stopped = true;
    return SweepStopped{count, result.runs, stop != nullptr && stop->requested() ? stop->reason.load() : "stopped"};
  };
  const Status written = write_results_db(path, next, plan.has_axes, stopped, plan.outcomes_only);
  result.error = written.ok() ? std::string() : written.error().str();
  if (!result.error.empty()) result.runs = 0;
  return result;
}

unsigned default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace cmksim
