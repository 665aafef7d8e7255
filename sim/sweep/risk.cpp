#include "sim/sweep/risk.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "sim/core/text.h"

namespace cmksim {
namespace {

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

std::string show_gb(double v) { return format_gb(v); }
std::string show_duration(double s) {
  return format_duration_rounded(static_cast<DurationMs>(std::llround(s * 1000)));
}
std::string show_probability(double p) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", p);
  return text;
}
std::string show_percent(double a) {
  char text[48];
  std::snprintf(text, sizeof text, "%.4f%% (%s)", 100 * a, format_nines(a).c_str());
  return text;
}

// A probability per run (runs of `years` each) as a probability per year.
double annualise_probability(double p, double years) {
  if (years <= 0) return p;
  return 1 - std::pow(1 - std::min(1.0, std::max(0.0, p)), 1 / years);
}

std::string point_label(const RunRecord& r) {
  std::string out;
  for (const auto& [path, value] : r.sweep_params) out += (out.empty() ? "" : ", ") + path + "=" + value;
  return out.empty() ? std::string("all runs") : out;
}

}  // namespace

const std::vector<RunMeasure>& run_measures() {
  using Unit = RunMeasure::Unit;
  static const std::vector<RunMeasure> all = {
      {"exposure window", [](const RunOutcome& o) { return o.longest_exposure_s; }, Unit::kSeconds},
      {"recovery time", [](const RunOutcome& o) { return o.longest_recovery_s; }, Unit::kSeconds},
      {"time unavailable", [](const RunOutcome& o) { return std::optional<double>(o.unavailable_s); }, Unit::kSeconds},
      {"GB lost", [](const RunOutcome& o) { return std::optional<double>(o.gb_lost); }, Unit::kGb},
      {"queries failed", [](const RunOutcome& o) { return std::optional<double>(o.queries_failed); }, Unit::kCount},
  };
  return all;
}

std::string measure_text(const RunMeasure& m, double value) {
  switch (m.unit) {
    case RunMeasure::Unit::kSeconds: return show_duration(value);
    case RunMeasure::Unit::kGb: return show_gb(value);
    case RunMeasure::Unit::kCount: return format_count(static_cast<std::uint64_t>(std::llround(value)));
  }
  return "";
}

std::vector<double> measure_values(const std::vector<RunOutcome>& runs, const RunMeasure& m) {
  std::vector<double> v;
  for (const RunOutcome& o : runs) {
    if (const auto x = m.of(o)) v.push_back(*x);
  }
  std::sort(v.begin(), v.end());
  return v;
}

RunOutcome outcome_of(const RunRecord& record, std::int64_t run_id) {
  RunOutcome o;
  o.run_id = run_id;
  o.years = static_cast<double>(record.run.duration_ms) / static_cast<double>(kRiskYearMs);
  for (const IncidentRow& i : record.incidents) {
    ++o.incidents;
    if (i.exposure_window_ms) {
      o.longest_exposure_s = std::max(o.longest_exposure_s.value_or(0), static_cast<double>(*i.exposure_window_ms) / 1000);
      if (!i.unavailable_ms) ++o.averted;  // access came back before storage became unavailable
    }
    if (i.recovery_time_ms) {
      o.recovery_s.push_back(static_cast<double>(*i.recovery_time_ms) / 1000);
      o.longest_recovery_s = std::max(o.longest_recovery_s.value_or(0), o.recovery_s.back());
    }
  }
  for (const MetricRow& m : record.metrics) {
    if (m.subject_kind == "cluster" && m.name == "unavailable_s") o.unavailable_s = std::max(o.unavailable_s, m.value);
    if (m.subject_kind != "workspace") continue;
    if (m.name == "gb_lost") o.gb_lost += m.value;
    if (m.name == "queries_ok") o.queries_ok += m.value;
    if (m.name == "queries_failed") o.queries_failed += m.value;
  }
  return o;
}

Estimate mean_estimate(const std::vector<double>& values) {
  Estimate e;
  if (values.empty()) return e;
  const double n = static_cast<double>(values.size());
  e.value = sum(values) / n;
  double squares = 0;
  for (double v : values) squares += (v - e.value) * (v - e.value);
  const double half = values.size() > 1 ? kRiskZ * std::sqrt(squares / (n - 1) / n) : 0;
  e.ci = {e.value - half, e.value + half};
  return e;
}

Interval wilson_interval(std::size_t successes, std::size_t n) {
  if (n == 0) return {0, 1};
  const double nn = static_cast<double>(n), p = static_cast<double>(successes) / nn, z2 = kRiskZ * kRiskZ;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = kRiskZ / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  // exact at the ends, where rounding would leave 1e-17 off
  return {successes == 0 ? 0.0 : std::max(0.0, centre - half), successes == n ? 1.0 : std::min(1.0, centre + half)};
}

Estimate quantile_estimate(const std::vector<double>& sorted, double p) {
  Estimate e;
  if (sorted.empty()) return e;
  const std::size_t n = sorted.size();
  const auto at_rank = [&](double rank) {  // 1-based, clamped
    const double r = std::min(static_cast<double>(n), std::max(1.0, rank));
    return sorted[static_cast<std::size_t>(r) - 1];
  };
  const double q = p / 100.0, np = q * static_cast<double>(n);
  e.value = at_rank(std::ceil(np));
  // Order-statistic CI: the ranks between which the q-quantile lies with ~95%
  // (binomial(n, q) count below it, normal approximation).
  const double sd = std::sqrt(np * (1 - q));
  e.ci = {at_rank(std::floor(np - kRiskZ * sd)), at_rank(std::ceil(np + kRiskZ * sd) + 1)};
  return e;
}

double exceedance(const std::vector<double>& sorted, double x) {
  if (sorted.empty()) return 0;
  const auto above = sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), x);
  return static_cast<double>(above) / static_cast<double>(sorted.size());
}

std::string format_nines(double availability) {
  if (availability >= 1) return "all queries answered";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f nines", -std::log10(1 - availability));
  return text;
}

RiskFigures risk_figures(const std::vector<RunOutcome>& outcomes, const std::string& label) {
  RiskFigures f;
  f.label = label;
  f.runs = outcomes.size();
  std::vector<double> unavailable, exposure, availability, recovery, years;
  std::size_t losing = 0;
  for (const RunOutcome& o : outcomes) {
    const double scale = o.years > 0 ? 1 / o.years : 1;
    f.annual_losses.push_back(o.gb_lost * scale);
    unavailable.push_back(o.unavailable_s * scale);
    exposure.push_back(o.longest_exposure_s.value_or(0));
    const double queries = o.queries_ok + o.queries_failed;
    availability.push_back(queries > 0 ? o.queries_ok / queries : 1.0);
    recovery.insert(recovery.end(), o.recovery_s.begin(), o.recovery_s.end());
    years.push_back(o.years);
    losing += o.gb_lost > 0 ? 1 : 0;
    f.incidents += o.incidents;
    f.averted += o.averted;
  }
  f.years_per_run = sum(years) / static_cast<double>(outcomes.size());
  f.annual_gb_lost = mean_estimate(f.annual_losses);
  const Interval w = wilson_interval(losing, outcomes.size());
  f.p_any_loss = {annualise_probability(static_cast<double>(losing) / static_cast<double>(outcomes.size()),
                                        f.years_per_run),
                  {annualise_probability(w.low, f.years_per_run), annualise_probability(w.high, f.years_per_run)}};
  const auto quantiles = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return Quantiles{quantile_estimate(v, 50), quantile_estimate(v, 95), quantile_estimate(v, 99), v.back()};
  };
  std::sort(f.annual_losses.begin(), f.annual_losses.end());
  f.annual_loss_gb = quantiles(f.annual_losses);
  f.annual_unavailable_s = quantiles(unavailable);
  f.longest_exposure_s = quantiles(exposure);
  f.availability = mean_estimate(availability);
  f.availability.ci = {std::max(0.0, f.availability.ci.low), std::min(1.0, f.availability.ci.high)};
  if (!recovery.empty()) f.mttr_s = mean_estimate(recovery);
  return f;
}

std::vector<PointRuns> group_by_point(const std::vector<RunRecord>& runs) {
  std::vector<PointRuns> points;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string label = point_label(runs[i]);
    auto it = std::find_if(points.begin(), points.end(), [&](const PointRuns& p) { return p.label == label; });
    if (it == points.end()) it = points.insert(points.end(), PointRuns{label, {}});
    it->outcomes.push_back(outcome_of(runs[i], static_cast<std::int64_t>(i + 1)));
  }
  return points;
}

std::vector<RiskFigures> risk_by_point(const std::vector<RunRecord>& runs) {
  std::vector<RiskFigures> out;
  for (const PointRuns& p : group_by_point(runs)) out.push_back(risk_figures(p.outcomes, p.label));
  return out;
}

std::optional<Estimate> risk_figure(const RiskFigures& f, const std::string& name) {
  if (name == "expected_annual_gb_lost") return f.annual_gb_lost;
  if (name == "p_any_loss") return f.p_any_loss;
  if (name == "annual_gb_lost_p50") return f.annual_loss_gb.p50;
  if (name == "annual_gb_lost_p95") return f.annual_loss_gb.p95;
  if (name == "annual_gb_lost_p99") return f.annual_loss_gb.p99;
  if (name == "annual_unavailable_p50") return f.annual_unavailable_s.p50;
  if (name == "annual_unavailable_p95") return f.annual_unavailable_s.p95;
  if (name == "annual_unavailable_p99") return f.annual_unavailable_s.p99;
  if (name == "longest_exposure_p50") return f.longest_exposure_s.p50;
  if (name == "longest_exposure_p95") return f.longest_exposure_s.p95;
  if (name == "longest_exposure_p99") return f.longest_exposure_s.p99;
  if (name == "query_availability") return f.availability;
  if (name == "mean_time_to_recovery") return f.mttr_s;
  return std::nullopt;
}

std::vector<RiskLine> risk_lines(const RiskFigures& f) {
  std::vector<RiskLine> lines = {
      {"expected annual GB lost", f.annual_gb_lost, true, show_gb},
      {"P(any loss in a year)", f.p_any_loss, true, show_probability},
      {"annual GB lost p50", f.annual_loss_gb.p50, true, show_gb},
      {"annual GB lost p95", f.annual_loss_gb.p95, true, show_gb},
      {"annual GB lost p99", f.annual_loss_gb.p99, true, show_gb},
      {"unavailable a year p50", f.annual_unavailable_s.p50, true, show_duration},
      {"unavailable a year p95", f.annual_unavailable_s.p95, true, show_duration},
      {"unavailable a year p99", f.annual_unavailable_s.p99, true, show_duration},
      {"longest exposure p50", f.longest_exposure_s.p50, true, show_duration},
      {"longest exposure p95", f.longest_exposure_s.p95, true, show_duration},
      {"longest exposure p99", f.longest_exposure_s.p99, true, show_duration},
      {"query availability", f.availability, true, show_percent},
  };
  if (f.mttr_s) lines.push_back({"mean time to recovery", *f.mttr_s, true, show_duration});
  return lines;
}

std::string format_estimate(const RiskLine& line) {
  std::string text = line.show(line.estimate.value);
  if (line.has_ci) text += " [" + line.show(line.estimate.ci.low) + ", " + line.show(line.estimate.ci.high) + "]";
  return text;
}

RiskDiff diff_risk(const std::vector<RiskFigures>& a, const std::vector<RiskFigures>& b, const std::string& label_a,
                   const std::string& label_b) {
  RiskDiff out;
  std::ostringstream text;
  text << "risk figures, 95% confidence intervals in brackets (A = " << label_a << ", B = " << label_b << ")\n";
  const bool by_label = [&] {
    for (const RiskFigures& f : a) {
      if (std::none_of(b.begin(), b.end(), [&](const RiskFigures& g) { return g.label == f.label; })) return false;
    }
    return a.size() == b.size();
  }();
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const RiskFigures& fa = a[i];
    const RiskFigures& fb =
        by_label ? *std::find_if(b.begin(), b.end(), [&](const RiskFigures& g) { return g.label == fa.label; }) : b[i];
    text << "point " << (i + 1) << ": A " << fa.label << " (" << fa.runs << " runs)";
    if (fb.label != fa.label || fb.runs != fa.runs) text << ", B " << fb.label << " (" << fb.runs << " runs)";
    text << "\n";
    const std::vector<RiskLine> la = risk_lines(fa), lb = risk_lines(fb);
    for (const RiskLine& x : la) {
      const auto y = std::find_if(lb.begin(), lb.end(), [&](const RiskLine& l) { return l.name == x.name; });
      if (y == lb.end()) continue;
      const bool overlap = x.estimate.ci.low <= y->estimate.ci.high && y->estimate.ci.low <= x.estimate.ci.high;
      out.differ = out.differ || !overlap;
      const double delta = y->estimate.value - x.estimate.value;
      text << "  " << x.name << ": A " << format_estimate(x) << ", B " << format_estimate(*y) << ", B-A "
           << (delta < 0 ? "-" : "+") << x.show(std::fabs(delta)) << (overlap ? " (CIs overlap)" : " (CIs DO NOT overlap)")
           << "\n";
    }
  }
  if (a.size() != b.size()) {
    text << "the sweeps have " << a.size() << " and " << b.size() << " grid points; the first "
         << std::min(a.size(), b.size()) << " are compared\n";
    out.differ = true;
  }
  out.text = text.str();
  return out;
}

}  // namespace cmksim
