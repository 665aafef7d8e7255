// A sweep's grid points side by side (issue 15 item 5) and its risk section
// (issue 17 item 2): figures per grid point with 95% confidence intervals
// and the loss-exceedance curve, from the runs' rows (sim/sweep/risk.h).
#include <algorithm>
#include <cmath>

#include "sim/report/document_builder.h"
#include "sim/report/report_text.h"
#include "sim/report/svg_risk.h"

namespace cmksim::report::document {
namespace {

constexpr std::size_t kMaxExceedanceRows = 12;  // rows of the curve's table


std::vector<std::string> point_headers(const ReportData& d, const std::string& first) {
  std::vector<std::string> header = {first};
  for (std::size_t p = 0; p < d.points.size(); ++p) header.push_back("point " + std::to_string(p + 1));
  return header;
}

void point_legend(Builder& b, const ReportData& d) {
  std::vector<Inline> items;
  for (std::size_t p = 0; p < d.points.size(); ++p) {
    items.push_back({strong("point " + std::to_string(p + 1) + ":"),
                     text(" " + d.points[p].label + " (" + std::to_string(d.points[p].outcomes.size()) + " runs)")});
  }
  b.list(std::move(items));
}

// The incidents of each point and how many of them were averted (D7).
void incidents_row(Table& t, const ReportData& d) {
  std::vector<Inline> incidents = {cell("incidents (averted)")};
  for (const RiskFigures& f : d.risk) {
    incidents.push_back(cell(std::to_string(f.incidents) + " (" + std::to_string(f.averted) + " averted)"));
  }
  Builder::row(t, std::move(incidents));
}

}  // namespace

void grid_comparison(Builder& b, const ReportData& d) {
  if (d.points.size() < 2) return;
  b.heading(3, "grid", "Grid points side by side");
  b.paragraph({text("Each grid point's runs on their own: p50, p95 and max (nearest rank) of each run's figure. "
                    "Exposure window and recovery time are each run's longest, over the runs that have one.")});
  point_legend(b, d);
  Table& t = b.table(point_headers(d, "measure"), std::vector<bool>(d.points.size() + 1, true));
  t.numeric[0] = false;
  for (const RunMeasure& m : run_measures()) {
    for (const double p : {50.0, 95.0, 100.0}) {
      std::vector<Inline> cells = {cell(std::string(m.name) + (p == 50 ? " p50" : p == 95 ? " p95" : " max"))};
      for (const PointRuns& point : d.points) {
        std::vector<double> v = measure_values(point.outcomes, m);
        cells.push_back(cell(v.empty() ? "-" : measure_text(m, percentile(v, p))));
      }
      Builder::row(t, std::move(cells));
    }
  }
  incidents_row(t, d);
}

void risk(Builder& b, const ReportData& d) {
  b.heading(2, "risk", "Risk");
  const double years = d.risk.empty() ? 0 : d.risk.front().years_per_run;
  b.paragraph({text("What a year costs, per grid point, from the " + std::to_string(d.run_count) + " runs (each " +
                    format_number(years * 365, 2) +
                    " simulated days): figures of a run are annualised by its simulated duration (a year = 365 "
                    "days). In brackets, 95% confidence intervals from the run count: normal approximation for "
                    "means, Wilson for the probability, order statistics for percentiles (nearest rank). The "
                    "longest exposure window is a run's, not annualised.")});
  if (d.points.size() > 1) point_legend(b, d);
  Table& t = b.table(point_headers(d, "figure"), std::vector<bool>(d.risk.size() + 1, true));
  t.numeric[0] = false;
  std::vector<RiskLine> names;  // the point with the most figures (a recovery time) names them
  for (const RiskFigures& f : d.risk) {
    if (risk_lines(f).size() > names.size()) names = risk_lines(f);
  }
  for (const RiskLine& name : names) {
    std::vector<Inline> cells = {cell(name.name)};
    for (const RiskFigures& f : d.risk) {
      const std::vector<RiskLine> lines = risk_lines(f);
      const auto it = std::find_if(lines.begin(), lines.end(), [&](const RiskLine& l) { return l.name == name.name; });
      cells.push_back(cell(it == lines.end() ? "-" : format_estimate(*it)));
    }
    Builder::row(t, std::move(cells));
  }
  incidents_row(t, d);

  b.heading(3, "loss-exceedance", "Loss-exceedance curve");
  b.paragraph({text("The probability that a year loses more than x GB, against x (the FAIR loss-exceedance "
                    "curve), one line per grid point.")});
  b.figure(svg_loss_exceedance(d.risk), "Loss-exceedance curve: P(annual GB lost > x)");
  const std::vector<double> xs = exceedance_thresholds(d.risk, kMaxExceedanceRows);
  Table& c = b.table(point_headers(d, "x (annual GB lost)"), std::vector<bool>(d.risk.size() + 1, true),
                     "Loss-exceedance curve as a table");
  Builder::row(c, [&] {
    std::vector<Inline> cells = {cell("0")};
    for (const RiskFigures& f : d.risk) cells.push_back(cell(format_number(exceedance(f.annual_losses, 0), 3)));
    return cells;
  }());
  for (const double x : xs) {
    std::vector<Inline> cells = {cell(format_gb(x))};
    for (const RiskFigures& f : d.risk) cells.push_back(cell(format_number(exceedance(f.annual_losses, x), 3)));
    Builder::row(c, std::move(cells));
  }
}

}  // namespace cmksim::report::document
