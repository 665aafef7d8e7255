// Risk figures of a sweep (issue 17 item 2, issue 15 item 5): per grid point,
// what a year of the scenario costs, read from the runs' rows only (the
// results database), never from the model.
//
// Each run is reduced to a RunOutcome; a grid point's runs to RiskFigures:
//   - annual GB lost: the run's GB lost (workspace `gb_lost` metrics, summed)
//     times kYear / the run's simulated duration; its mean with a
//     normal-approximation 95% CI (mean ± 1.96·s/√n);
//   - probability of any loss in a year: the share of runs losing any data,
//     annualised as 1 - (1 - share)^(kYear / duration) when the runs are not a
//     year long, with the Wilson 95% interval (annualised the same way);
//   - p50/p95/p99 of annual loss, of annual unavailable time (the worst
//     cluster's `unavailable_s`, annualised) and of the longest exposure
//     window of a run (not annualised; 0 for a run without one): nearest rank,
//     with the order-statistic CI (ranks from the binomial(n, p) normal
//     approximation, the values at those ranks);
//   - availability of queries: the mean over runs of ok / (ok + failed),
//     with its normal CI, also shown in "nines" (-log10(1 - availability));
//   - mean time to recovery: the mean `recovery_time` over incidents with
//     one, normal CI;
//   - incidents and averted incidents (an exposure window, never unavailable).
// Everything is deterministic: no resampling.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/time.h"
#include "sim/record/run_record.h"

namespace cmksim {

constexpr DurationMs kRiskYearMs = 365 * kMsPerDay;  // "a year" of the risk figures
constexpr double kRiskZ = 1.959963984540054;        // two-sided 95%

// One run, reduced to what the risk figures and the sweep's comparison need.
struct RunOutcome {
  std::int64_t run_id = 0;
  double years = 0;                // simulated duration / kRiskYearMs
  double gb_lost = 0;              // over the run (not annualised)
  double unavailable_s = 0;        // the worst cluster's
  std::optional<double> longest_exposure_s;  // the longest exposure window of an incident
  std::optional<double> longest_recovery_s;
  std::vector<double> recovery_s;  // per incident with a recovery time
  double queries_ok = 0, queries_failed = 0;
  std::size_t incidents = 0, averted = 0;
};
RunOutcome outcome_of(const RunRecord& record, std::int64_t run_id);

// A measure of one run, for the tables that compare grid points (the sweep
// summary and the report, each printing the unit its own way): its value,
// absent when the run has none (no incident, no recovery).
struct RunMeasure {
  enum class Unit { kSeconds, kGb, kCount };
  const char* name;
  std::optional<double> (*of)(const RunOutcome&);
  Unit unit;
};
const std::vector<RunMeasure>& run_measures();
// A measure's value in its unit, as the summary and the report print it: a
// rounded duration, GB, or a count with thousands separators.
std::string measure_text(const RunMeasure& m, double value);
// The measure's values over the runs that have one, sorted.
std::vector<double> measure_values(const std::vector<RunOutcome>& runs, const RunMeasure& m);

struct Interval {
  double low = 0, high = 0;
};
struct Estimate {
  double value = 0;
  Interval ci;
};
struct Quantiles {
  Estimate p50, p95, p99;
  double max = 0;
};

struct RiskFigures {
  std::string label;         // "aek_cache_ttl=10m, ..." or "all runs"
  std::size_t runs = 0;
  double years_per_run = 0;  // mean simulated years per run
  Estimate annual_gb_lost;
  Estimate p_any_loss;
  Quantiles annual_loss_gb, annual_unavailable_s, longest_exposure_s;
  Estimate availability;  // of queries, in [0, 1]
  std::optional<Estimate> mttr_s;
  std::size_t incidents = 0, averted = 0;
  std::vector<double> annual_losses;  // ascending: the loss-exceedance curve
};

// The figures of one group of runs. REQUIRES: outcomes not empty.
RiskFigures risk_figures(const std::vector<RunOutcome>& outcomes, const std::string& label);

// The runs grouped by grid point (their `sweep` values; in order of first
// appearance), each with its label; one group "all runs" without a grid.
struct PointRuns {
  std::string label;
  std::vector<RunOutcome> outcomes;
};
std::vector<PointRuns> group_by_point(const std::vector<RunRecord>& runs);
std::vector<RiskFigures> risk_by_point(const std::vector<RunRecord>& runs);

// The figure of a risk expectation by name (risk_figure_names(), format.h):
// GB, probabilities and availability as they are, times in seconds; nothing
// for mean_time_to_recovery without any recovery.
std::optional<Estimate> risk_figure(const RiskFigures& f, const std::string& name);

// Statistics behind the figures (exposed for the tests).
Estimate mean_estimate(const std::vector<double>& values);
Interval wilson_interval(std::size_t successes, std::size_t n);
Estimate quantile_estimate(const std::vector<double>& sorted, double p);  // p in (0, 100]
// P(value > x) over ascending `sorted`.
double exceedance(const std::vector<double>& sorted, double x);

// "3.2 nines" style: -log10(1 - a); "all" when a == 1.
std::string format_nines(double availability);

// The named figures, in display order, for the text tables of the summary
// and of `diff --risk`: (name, how a value reads, the estimate).
struct RiskLine {
  std::string name;
  Estimate estimate;
  bool has_ci = true;
  std::string (*show)(double) = nullptr;
};
std::vector<RiskLine> risk_lines(const RiskFigures& f);

// A value with its CI: "12.5 [8.1, 16.9]".
std::string format_estimate(const RiskLine& line);

// `cmksim diff --risk`: the points of two sweeps, paired by label (else by
// position), figure by figure: A, B, B - A and whether the CIs overlap.
struct RiskDiff {
  std::string text;
  bool differ = false;  // some figure's CIs do not overlap
};
RiskDiff diff_risk(const std::vector<RiskFigures>& a, const std::vector<RiskFigures>& b, const std::string& label_a,
                   const std::string& label_b);

}  // namespace cmksim
