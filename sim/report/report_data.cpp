// The report's content from the database rows (see report_data.h): the
// representative run, the parameters in force and those that vary, the
// command that reproduces it, and the distributions over a sweep's runs; the
// sections of one run are built by report_sections.h. Every collection keeps
// the order of the database (which is simulation order) or an explicit sort,
// so the same database gives the same report, byte for byte.
#include "sim/report/report_data.h"

#include "sim/core/civil_time.h"

#include "sim/core/text.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/core/text.h"
#include "sim/check/refused_events.h"
#include "sim/check/reproduce.h"
#include "sim/check/timing_bounds.h"
#include "sim/report/behaviours.h"
#include "sim/report/report_sections.h"
#include "sim/scenario/duration.h"

namespace cmksim::report {
namespace {

constexpr std::size_t kHistogramBins = 10;

// The value text of a parameter in force; "" when the run has none of that name.
std::string param(const ParamValues& params, const std::string& name) {
  const ParamValue* p = find_param_value(params, name);
  return p != nullptr ? p->text : "";
}

DurationMs param_duration(const ParamValues& params, const std::string& name, DurationMs fallback) {
  const std::string text = param(params, name);
  if (text.empty()) return fallback;
  const Expected<DurationMs> d = parse_duration(text);
  return d ? *d : fallback;
}

// The parameters whose value is not the same in every run (a run without
// one counts as ""), in the order they first appear (run, then table order).
// One pass over all the runs' parameters: linear in runs (issue 18, 8b).
std::vector<std::string> differing_params(const std::vector<const ParamValues*>& all_params) {
  struct Seen {
    std::string value;        // the first value met
    bool differs = false;     // another value met too
    std::size_t runs = 0;     // runs that have the parameter
    std::size_t last_run = 0; // to count each run once
  };
  std::vector<std::string> order;
  std::map<std::string, Seen> seen;
  for (std::size_t i = 0; i < all_params.size(); ++i) {
    for (const ParamValue& p : *all_params[i]) {
      const auto [it, inserted] = seen.try_emplace(p.name);
      Seen& s = it->second;
      if (inserted) {
        order.push_back(p.name);
        s.value = p.text;
      } else if (p.text != s.value) {
        s.differs = true;
      }
      if (inserted || s.last_run != i) ++s.runs;
      s.last_run = i;
    }
  }
  std::vector<std::string> out;
  for (const std::string& name : order) {
    const Seen& s = seen.at(name);
    if (s.differs || (s.runs < all_params.size() && !s.value.empty())) out.push_back(name);
  }
  return out;
}

// An incident's exposure window, or, when it is still open, the time from
// the change to the end of the run (for choosing the representative run).
DurationMs exposure_or_open(const IncidentRow& inc, DurationMs duration) {
  if (inc.exposure_window_ms) return *inc.exposure_window_ms;
  return duration - inc.change_ms;
}

std::optional<bool> expectations_met(const RunRecord& r) {
  if (r.expectations.empty()) return std::nullopt;
  return std::all_of(r.expectations.begin(), r.expectations.end(), [](const ExpectationRow& x) { return x.passed; });
}

// ---- distributions ---------------------------------------------------------

Distribution distribution(std::string name, bool duration, std::string of, std::vector<double> values,
                          std::optional<double> bound) {
  Distribution d;
  d.name = std::move(name);
  d.duration = duration;
  d.of = std::move(of);
  std::sort(values.begin(), values.end());
  d.values = std::move(values);
  d.bound = bound;
  if (d.values.empty()) return d;
  d.min = d.values.front();
  d.max = d.values.back();
  d.p50 = percentile(d.values, 50);
  d.p95 = percentile(d.values, 95);
  d.p99 = percentile(d.values, 99);
  if (bound) {
    d.beyond_bound = static_cast<std::size_t>(
        std::count_if(d.values.begin(), d.values.end(), [&](double v) { return v > *bound; }));
  }
  if (d.min == d.max) {
    d.bins.push_back({d.min, d.max, d.values.size()});
    return d;
  }
  const double width = (d.max - d.min) / static_cast<double>(kHistogramBins);
  for (std::size_t i = 0; i < kHistogramBins; ++i) {
    d.bins.push_back({d.min + width * static_cast<double>(i),
                      i + 1 == kHistogramBins ? d.max : d.min + width * static_cast<double>(i + 1), 0});
  }
  for (const double v : d.values) {
    auto i = static_cast<std::size_t>(std::floor((v - d.min) / width));
    if (i >= kHistogramBins) i = kHistogramBins - 1;
    ++d.bins[i].count;
  }
  return d;
}

}  // namespace

const char* verdict_word(Verdict v) {
  switch (v) {
    case Verdict::kWithin: return "within";
    case Verdict::kBeyond: return "BEYOND";
    case Verdict::kAverted: return "averted";
    case Verdict::kOpen: return "still open at the end";
    case Verdict::kNotApplicable: return "-";
  }
  return "-";
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  if (index >= sorted.size()) index = sorted.size() - 1;
  return sorted[index];
}

ReportData build_report_data(const std::vector<RunRecord>& runs, const std::optional<SweepStopped>& stopped,
                             const Representative& choice) {
  ReportData d;
  if (runs.empty()) return d;
  d.run_count = runs.size();
  d.stopped = stopped;
  d.sweep = runs.size() > 1;

  // the representative run: the longest exposure, then the most GB lost
  std::size_t best = 0;
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const auto worst_exposure = [](const RunRecord& r) {
      std::optional<DurationMs> w;
      for (const auto& inc : r.incidents) w = std::max(w.value_or(0), exposure_or_open(inc, r.run.duration_ms));
      return w;
    };
    const auto a = worst_exposure(runs[i]), b = worst_exposure(runs[best]);
    if (a.value_or(-1) > b.value_or(-1) ||
        (a.value_or(-1) == b.value_or(-1) && sections::run_gb_lost(runs[i]) > sections::run_gb_lost(runs[best]))) {
      best = i;
    }
  }
  if (choice.index && *choice.index < runs.size()) best = *choice.index;
  d.bounds_pair = runs.size() == 2 && runs[0].run.timing == "latest" && runs[1].run.timing == "earliest" &&
                    runs[0].run.seed == runs[1].run.seed && runs[0].sweep_params.empty() &&
                    runs[1].sweep_params.empty();
  d.representative = best;
  d.representative_why = choice.index      ? choice.why
                         : d.bounds_pair ? "the longer exposure window of the two bounds (then the more GB lost)"
                                           : "the longest exposure window of the sweep (then the most GB lost)";
  d.database = choice.database;
  const RunRecord& rep = runs[best];
  const RunInfo& info = rep.run;
  d.timelines_kept = rep.timelines_recorded;
  for (const RunRecord& r : runs) d.runs_without_timelines += r.timelines_recorded ? 0 : 1;

  d.scenario = info.scenario;
  d.description = info.description;
  d.scenario_file = info.scenario_file;
  d.scenario_sha256 = info.scenario_sha256;
  d.profile = info.profile;
  d.cmksim_version = info.cmksim_version;
  d.params = info.params;
  d.duration_ms = info.duration_ms;
  if (!info.start.empty()) d.start_epoch_ms = parse_iso8601_ms(info.start);
  d.events_processed = info.events_processed;
  d.revocation_bound_ms = param_duration(d.params, "revocation_bound", kMsPerHour);
  d.recovery_bound_ms = param_duration(d.params, "recovery_bound", 30 * kMsPerMinute);

  // parameters that differ between runs (sweeps)
  std::vector<const ParamValues*> all_params;
  for (const RunRecord& r : runs) {
    all_params.push_back(&r.run.params);
    sections::add_unique(d.timings, r.run.timing);
    d.seeds.push_back(r.run.seed);
  }
  std::sort(d.seeds.begin(), d.seeds.end());
  d.seeds.erase(std::unique(d.seeds.begin(), d.seeds.end()), d.seeds.end());
  // the sweep's grid (its `sweep` table) first, then any parameter in force that differs
  for (const RunRecord& r : runs) {
    for (const auto& [name, value] : r.sweep_params) sections::add_unique(d.varying_params, name);
  }
  for (const std::string& name : differing_params(all_params)) sections::add_unique(d.varying_params, name);
  // a run's value of a varying parameter: its grid value, else the value in force
  const auto value_in = [&](std::size_t i, const std::string& name) {
    for (const auto& [n, v] : runs[i].sweep_params) {
      if (n == name) return v;
    }
    return param(*all_params[i], name);
  };

  d.reproduce = reproduce_command(info, d.varying_params);  // profile, parameters, timing, seed (issue 15)
  for (const std::string& name : d.varying_params) {
    if (name.find('.') != std::string::npos) {  // a scenario override of the sweep: `run --set` takes profile parameters only
      d.reproduce_note += (d.reproduce_note.empty() ? "" : ", ") + name + " = " + value_in(best, name);
    }
  }

  d.incidents = sections::incident_findings(rep, d.revocation_bound_ms, d.recovery_bound_ms);
  d.workspaces = sections::workspace_findings(rep);
  d.expectations = rep.expectations;
  d.gb_lost_total = sections::run_gb_lost(rep);
  for (const auto& op : rep.operations) d.operations_not_modelled += op.status == 501 ? 1 : 0;
  for (const OperationRow* op : refused_events(rep.operations)) d.refused_events.push_back(refused_event_text(*op));
  d.timing_bounds = bounds_lines(rep);

  d.timeline = sections::build_timeline(rep);
  d.kv = sections::build_kv(rep);
  d.data_classes = sections::data_classes(rep);
  d.data_rows = rep.data;
  d.conservation_holds = sections::conservation_holds(rep);
  d.keys = sections::key_radius(rep);
  d.blast = sections::key_blast(rep);
  // Every declared key has blast_radius rows; none while the run has keys: a
  // run from an older database merged into a newer one (cmksim merge).
  d.blast_radius_recorded = rep.blast_radius_recorded && !(d.blast.empty() && !d.keys.empty());
  d.coverage = sections::coverage(rep);

  // behaviours: the union over the runs, with the representative run's evidence first
  std::vector<std::map<std::string, std::string>> seen;
  for (const RunRecord& r : runs) seen.push_back(sections::exercised(r));
  for (const Behaviour& b : behaviours()) {
    std::size_t count = 0;
    std::string evidence;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const auto it = seen[i].find(b.id);
      if (it == seen[i].end()) continue;
      ++count;
      if (evidence.empty() || i == best) evidence = it->second;
    }
    if (count == 0) continue;
    if (d.sweep) {
      const auto it = seen[best].find(b.id);
      evidence = (it != seen[best].end() ? "representative run: " + it->second : "e.g. " + evidence) + " (" +
                 std::to_string(count) + " of " + std::to_string(runs.size()) + " runs)";
    }
    d.behaviours.push_back({b.id, b.sentence, evidence});
  }

  // distributions over the runs
  if (d.sweep) {
    std::vector<double> exposure, recovery, lost;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunRecord& r = runs[i];
      SweepRun s;
      s.run_number = static_cast<std::int64_t>(i + 1);
      s.seed = r.run.seed;
      s.timing = r.run.timing;
      for (const std::string& name : d.varying_params) s.varying.emplace_back(name, value_in(i, name));
      s.incidents = r.incidents.size();
      for (const IncidentRow& inc : r.incidents) {
        if (inc.exposure_window_ms) {
          exposure.push_back(static_cast<double>(*inc.exposure_window_ms));
          s.max_exposure_ms = std::max(s.max_exposure_ms.value_or(0), *inc.exposure_window_ms);
        }
        if (inc.recovery_time_ms) {
          recovery.push_back(static_cast<double>(*inc.recovery_time_ms));
          s.max_recovery_ms = std::max(s.max_recovery_ms.value_or(0), *inc.recovery_time_ms);
        }
      }
      s.gb_lost = sections::run_gb_lost(r);
      lost.push_back(s.gb_lost);
      s.expectations_met = expectations_met(r);
      if (!s.expectations_met) {
        ++d.runs_expectations_absent;
      } else if (*s.expectations_met) {
        ++d.runs_expectations_met;
      } else {
        ++d.runs_expectations_failed;
      }
      d.runs.push_back(std::move(s));
    }
    d.distributions.push_back(distribution("exposure window", true, "incidents", std::move(exposure),
                                           static_cast<double>(d.revocation_bound_ms)));
    d.distributions.push_back(distribution("recovery time", true, "incidents", std::move(recovery),
                                           static_cast<double>(d.recovery_bound_ms)));
    d.distributions.push_back(distribution("GB lost", false, "runs", std::move(lost), std::nullopt));
    d.points = group_by_point(runs);
    for (const PointRuns& p : d.points) d.risk.push_back(risk_figures(p.outcomes, p.label));
  }
  return d;
}

}  // namespace cmksim::report
