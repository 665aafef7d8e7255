#include "sim/check/expectations.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "sim/core/text.h"
#include "sim/scenario/format.h"
#include "sim/random/rng.h"
#include "sim/sweep/risk.h"

namespace cmksim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The verdict of one expectation on one record.
struct Outcome {
  bool passed = false;
  std::string observed;
  double margin = 0;  // slack to the nearest bound (metrics, in the metric's unit); < 0 when not met
};

bool is_incident_metric(const std::string& name) { return name == "exposure_window" || name == "recovery_time"; }

// An incident of `cluster` whose exposure window (still revoke_pending) or
// recovery time (still unavailable) had not ended when the run did.
bool incident_open(const RunRecord& record, const std::string& cluster, const std::string& metric) {
  for (const IncidentRow& inc : record.incidents) {
    if (inc.cluster != cluster) continue;
    if (metric == "exposure_window" && !inc.exposure_window_ms && !inc.unavailable_ms) return true;
    if (metric == "recovery_time" && inc.unavailable_ms && !inc.recovery_time_ms) return true;
  }
  return false;
}

// Bounds in the metric's own unit: a duration bound (ms) against seconds.
double in_metric_unit(const Bound& b) { return b.is_duration ? b.value / 1000.0 : b.value; }

std::string bound_text(const Bound& b) {
  return b.is_duration ? format_duration(static_cast<DurationMs>(std::llround(b.value))) : format_gb(b.value);
}

std::string expected_text(const ExpectationDecl& x) {
  switch (x.kind) {
    case ExpectationDecl::Kind::kMetric: {
      // a time metric's bound in seconds reads as a duration too
      const bool timed = std::find(time_metric_names().begin(), time_metric_names().end(), x.metric) !=
                         time_metric_names().end();
      const auto text = [timed](const Bound& b) {
        return timed && !b.is_duration ? format_duration(static_cast<DurationMs>(std::llround(b.value * 1000.0)))
                                       : bound_text(b);
      };
      std::string out;
      if (x.min) out = ">= " + text(*x.min);
      if (x.max) out += (x.min ? " and <= " : "<= ") + text(*x.max);
      return out;
    }
    case ExpectationDecl::Kind::kState:
      return x.state + " at " + format_duration(x.at_ms);
    case ExpectationDecl::Kind::kOperation:
      return "status " + std::to_string(x.status);
    case ExpectationDecl::Kind::kRisk: {
      std::string out;
      if (x.min) out = ">= " + bound_text(*x.min);
      if (x.max) out += (x.min ? " and <= " : "<= ") + bound_text(*x.max);
      return out;
    }
  }
  return {};
}

// A metric value for people: a duration when a bound is one (exact when
// rounding would make it look equal to a bound), else the number and unit.
std::string metric_text(const ExpectationDecl& x, const MetricRow& m) {
  // a time metric reads as a duration ("41m 12s"), whatever the bound is written in
  const bool duration = m.unit == "s" || (x.min && x.min->is_duration) || (x.max && x.max->is_duration);
  if (!duration) return format_gb(m.value) + (m.unit.empty() || m.unit == "count" ? "" : " " + m.unit);
  const auto ms = static_cast<DurationMs>(std::llround(m.value * 1000.0));
  const std::string rounded = format_duration_rounded(ms);
  for (const auto& b : {x.min, x.max}) {
    if (b && b->value != static_cast<double>(ms) && bound_text(*b) == rounded) return format_duration(ms);
  }
  return rounded;
}

// incidents_averted of a cluster: its incidents whose access came back before
// the storage became unavailable (D7), from the incidents rows; present when
// the cluster has an `incidents` metric.
std::optional<MetricRow> averted_metric(const RunRecord& record, const std::string& cluster) {
  bool known = false;
  for (const MetricRow& m : record.metrics) known = known || (m.subject_kind == "cluster" && m.subject == cluster && m.name == "incidents");
  if (!known) return std::nullopt;
  double averted = 0;
  for (const IncidentRow& inc : record.incidents) {
    if (inc.cluster == cluster && !inc.unavailable_ms && inc.restored_ms) averted += 1;
  }
  return MetricRow{"cluster", cluster, "incidents_averted", averted, "count"};
}

Outcome metric_outcome(const ExpectationDecl& x, const RunRecord& record) {
  std::vector<const MetricRow*> rows;
  for (const MetricRow& m : record.metrics) {
    if (m.subject == x.subject && m.name == x.metric) rows.push_back(&m);
  }
  const std::optional<MetricRow> averted =
      x.metric == "incidents_averted" ? averted_metric(record, x.subject) : std::nullopt;
  if (averted) rows.push_back(&*averted);
  const bool open = is_incident_metric(x.metric) && incident_open(record, x.subject, x.metric);
  if (rows.empty() && !open) {
    if (is_incident_metric(x.metric)) {
      return x.min ? Outcome{false, "none (no incident)", -kInfinity} : Outcome{true, "none (no incident)", kInfinity};
    }
    return {false, "none (no " + x.metric + " recorded for " + x.subject + ")", -kInfinity};
  }
  Outcome out{true, "", kInfinity};
  for (const MetricRow* m : rows) {
    if (x.min) out.margin = std::min(out.margin, m->value - in_metric_unit(*x.min));
    if (x.max) out.margin = std::min(out.margin, in_metric_unit(*x.max) - m->value);
    if (!out.observed.empty()) out.observed += ", ";
    out.observed += metric_text(x, *m) + (rows.size() > 1 ? " (" + m->subject_kind + ")" : "");
  }
  if (open) {  // unbounded: beyond any max, above any min
    if (x.max) out.margin = -kInfinity;
    out.observed += rows.empty() ? "none (an incident still open at the end of the run)"
                                 : ", and an incident still open at the end of the run";
  }
  out.passed = out.margin >= 0;
  return out;
}

Outcome state_outcome(const ExpectationDecl& x, const RunRecord& record) {
  std::vector<const StateRow*> found;
  for (const StateRow& s : record.states) {
    if (s.subject != x.subject || s.subject_kind == "aek") continue;
    const bool at_end = x.at_ms == s.t_end_ms && x.at_ms >= record.run.duration_ms;  // the final state
    if (s.t_start_ms <= x.at_ms && (x.at_ms < s.t_end_ms || at_end)) found.push_back(&s);
  }
  Outcome out{false, "", -1};
  for (const StateRow* s : found) {
    out.passed = out.passed || s->state == x.state;
    if (!out.observed.empty()) out.observed += ", ";
    out.observed += s->state + (found.size() > 1 ? " (" + s->subject_kind + ")" : "");
  }
  if (found.empty()) out.observed = "no state recorded at " + format_duration(x.at_ms);
  out.margin = out.passed ? 0 : -1;
  return out;
}

Outcome operation_outcome(const ExpectationDecl& x, const RunRecord& record) {
  for (const OperationRow& op : record.operations) {
    if (op.event_id != x.operation) continue;
    const bool passed = op.status == x.status;
    const bool plain = op.message.empty() || op.message == "ok";
    return {passed, std::to_string(op.status) + (plain ? "" : " (" + op.message + ")"), passed ? 0.0 : -1.0};
  }
  return {false, "not run", -1};
}

// Issue 17 item 3: a risk figure over the runs' outcomes, against its
// bounds (its estimate; the CI is shown). A mean time to recovery without
// any recovery meets a max and not a min, like the incident metrics.
Outcome risk_outcome(const ExpectationDecl& x, const std::vector<RunOutcome>& runs) {
  const RiskFigures f = risk_figures(runs, "");
  const std::optional<Estimate> e = risk_figure(f, x.risk);
  const std::string over = " over " + std::to_string(runs.size()) + (runs.size() == 1 ? " run" : " runs");
  if (!e) return x.min ? Outcome{false, "none (no recovery)" + over, -kInfinity} : Outcome{true, "none (no recovery)" + over, kInfinity};
  const bool timed = (x.min && x.min->is_duration) || (x.max && x.max->is_duration);
  const auto show = [&](double v) {
    return timed ? format_duration_rounded(static_cast<DurationMs>(std::llround(v * 1000))) : format_gb(v);
  };
  Outcome out{true, show(e->value) + " (95% CI " + show(e->ci.low) + " to " + show(e->ci.high) + ")" + over, kInfinity};
  if (x.min) out.margin = std::min(out.margin, e->value - in_metric_unit(*x.min));
  if (x.max) out.margin = std::min(out.margin, in_metric_unit(*x.max) - e->value);
  out.passed = out.margin >= 0;
  return out;
}

Outcome outcome(const ExpectationDecl& x, const RunRecord& record) {
  switch (x.kind) {
    case ExpectationDecl::Kind::kMetric: return metric_outcome(x, record);
    case ExpectationDecl::Kind::kState: return state_outcome(x, record);
    case ExpectationDecl::Kind::kOperation: return operation_outcome(x, record);
    case ExpectationDecl::Kind::kRisk: return risk_outcome(x, {outcome_of(record, 1)});
  }
  return {};
}

// The worst outcome of one expectation so far, over the seeds judged.
struct SeedFold {
  Outcome worst;
  std::uint64_t worst_seed = 0;
  int judged = 0;
  int not_met = 0;

  void add(const Outcome& o, std::uint64_t seed) {
    if (judged == 0 || o.margin < worst.margin) {  // ties keep the earlier seed
      worst = o;
      worst_seed = seed;
    }
    ++judged;
    not_met += o.passed ? 0 : 1;
  }
};

}  // namespace

std::vector<ExpectationRow> evaluate_expectations(const Scenario& scenario, const RunRecord& record) {
  std::vector<ExpectationRow> rows;
  for (std::size_t i = 0; i < scenario.expectations.size(); ++i) {
    const ExpectationDecl& x = scenario.expectations[i];
    const Outcome o = outcome(x, record);
    std::string observed = o.observed;
    if (x.over_seeds > 1) observed += "; this run only, cmksim check runs " + std::to_string(x.over_seeds) + " seeds";
    rows.push_back({static_cast<int>(i), x.text, o.passed, observed, expected_text(x)});
  }
  return rows;
}

std::vector<std::uint64_t> derive_seeds(std::uint64_t seed, int n) {
  std::vector<std::uint64_t> seeds;
  if (n < 1) return seeds;
  seeds.push_back(seed);
  Rng rng = Rng::stream(seed, "over_seeds");
  while (seeds.size() < static_cast<std::size_t>(n)) seeds.push_back(rng.next());
  return seeds;
}

std::vector<CheckedExpectation> check_expectations(const Scenario& scenario, std::uint64_t seed,
                                                   const RunForSeed& run) {
  int most = 1;  // a scenario without expectations still runs once
  for (const ExpectationDecl& x : scenario.expectations) most = std::max(most, x.over_seeds);
  std::vector<SeedFold> folds(scenario.expectations.size());
  const std::vector<std::uint64_t> seeds = derive_seeds(seed, most);
  std::vector<std::vector<RunOutcome>> risk_runs(folds.size());  // risk expectations: judged on all runs at once
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const RunRecord record = run(seeds[i]);
    for (std::size_t k = 0; k < folds.size(); ++k) {
      const ExpectationDecl& x = scenario.expectations[k];
      if (static_cast<std::size_t>(x.over_seeds) <= i) continue;
      if (x.kind == ExpectationDecl::Kind::kRisk) {
        risk_runs[k].push_back(outcome_of(record, static_cast<std::int64_t>(i + 1)));
      } else {
        folds[k].add(outcome(x, record), seeds[i]);
      }
    }
  }
  for (std::size_t k = 0; k < folds.size(); ++k) {
    if (scenario.expectations[k].kind != ExpectationDecl::Kind::kRisk) continue;
    folds[k].add(risk_outcome(scenario.expectations[k], risk_runs[k]), seed);
    folds[k].judged = scenario.expectations[k].over_seeds;
  }
  std::vector<CheckedExpectation> out;
  for (std::size_t k = 0; k < folds.size(); ++k) {
    const ExpectationDecl& x = scenario.expectations[k];
    const SeedFold& f = folds[k];
    std::string observed = f.worst.observed;
    const std::string n = std::to_string(x.over_seeds);
    if (x.kind == ExpectationDecl::Kind::kRisk) {
      observed += ", seeds derived from " + std::to_string(seed);
    } else if (f.not_met > 0 && x.over_seeds > 1) {
      observed += " at seed " + std::to_string(f.worst_seed) + "; " + std::to_string(f.not_met) + " of " + n +
                  " seeds not met";
    } else if (x.over_seeds > 1 && x.kind == ExpectationDecl::Kind::kMetric) {
      observed += " at seed " + std::to_string(f.worst_seed) + ", the worst of " + n + " seeds";
    } else if (x.over_seeds > 1) {
      observed += "; met on all " + n + " seeds";
    }
    const ExpectationRow row{static_cast<int>(k), x.text, f.not_met == 0, observed, expected_text(x)};
    out.push_back({row, f.worst_seed, f.not_met});
  }
  return out;
}

std::string expectation_line(const ExpectationRow& row) {
  return std::string(row.passed ? "  met      " : "  NOT MET  ") + one_line(row.text) + " (observed " +
         one_line(row.observed) + ")";
}

}  // namespace cmksim
