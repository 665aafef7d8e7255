// The summary `cmksim sweep` prints (SweepSummary, sweep.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "sim/check/reproduce.h"
#include "sim/core/text.h"
#include "sim/sweep/sweep.h"

namespace cmksim {
namespace {

std::string point_label(const PathValues& values) {
  std::string out;
  for (const auto& [path, value] : values) out += (out.empty() ? "" : ", ") + path + "=" + value;
  return out;
}


}  // namespace

double percentile(std::vector<double>& values, double p) {
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const std::size_t i = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return values[std::min(i, values.size() - 1)];
}

SweepSummary::SweepSummary(const SweepPlan& plan) : plan_(plan), points_(plan.points.size()), worst_(plan.points.size()) {}

void SweepSummary::add(std::uint64_t index, const RunRecord& record) {
  const std::size_t p = index / plan_.runs_per_point;
  points_[p].push_back(outcome_of(record, static_cast<std::int64_t>(index + 1)));
  if (points_[p].back().gb_lost > worst_[p].gb_lost) worst_[p] = {points_[p].back().gb_lost, record.run};
}

std::string SweepSummary::format() const {
  std::ostringstream out;
  const auto row = [&out](const RunMeasure& m, std::vector<double> values, const std::string& note) {
    char line[256];
    if (values.empty()) {
      std::snprintf(line, sizeof line, "    %-18s %s\n", m.name, "-");
    } else {
      const std::string p50 = measure_text(m, percentile(values, 50)), p95 = measure_text(m, percentile(values, 95)),
                        p99 = measure_text(m, percentile(values, 99)), max = measure_text(m, values.back());
      std::snprintf(line, sizeof line, "    %-18s %10s %10s %10s %10s%s\n", m.name, p50.c_str(), p95.c_str(),
                    p99.c_str(), max.c_str(), note.c_str());
    }
    out << line;
  };
  for (std::size_t p = 0; p < points_.size(); ++p) {
    const std::vector<RunOutcome>& runs = points_[p];
    if (runs.empty()) continue;
    if (plan_.has_axes) {
      out << "point " << (p + 1) << " of " << points_.size() << ": " << point_label(plan_.points[p].values) << "\n";
    }
    std::size_t with_incident = 0, averted = 0;
    for (const RunOutcome& o : runs) {
      with_incident += o.incidents > 0 ? 1 : 0;
      averted += o.averted;
    }
    out << "  " << runs.size() << (runs.size() == 1 ? " run" : " runs") << ", " << with_incident
        << " with an incident, " << averted << " averted incident" << (averted == 1 ? "" : "s") << "\n";
    char header[128];
    std::snprintf(header, sizeof header, "    %-18s %10s %10s %10s %10s\n", "", "p50", "p95", "p99", "max");
    out << header;
    for (const RunMeasure& m : run_measures()) {
      const std::vector<double> v = measure_values(runs, m);
      row(m, v, v.size() == runs.size() ? std::string() : "  (" + std::to_string(v.size()) + " runs)");
    }
    const auto worst = std::max_element(runs.begin(), runs.end(), [](const RunOutcome& a, const RunOutcome& b) {
      return a.gb_lost < b.gb_lost;  // the first of equals
    });
    if (worst->gb_lost > 0) {
      out << "    most GB lost: run_id " << worst->run_id << " (" << format_gb(worst->gb_lost) << " GB)\n";
      std::vector<std::string> grid;
      for (const auto& [path, value] : plan_.points[p].values) grid.push_back(path);
      out << "      reproduce: " << reproduce_command(worst_[p].run, grid) << "\n";  // issue 15, item 3
      for (const auto& [path, value] : plan_.points[p].values) {
        if (path.find('.') != std::string::npos || path == "duration" || path == "start") {
          out << "      with the scenario edited: " << path << " = " << value << "\n";
        }
      }
    }
  }
  out << side_by_side();
  return out.str();
}

// Issue 15 item 5, issue 17 item 2: with several grid points, each measure's
// p50/p95/max per point in columns, then the risk figures.
std::string SweepSummary::side_by_side() const {
  std::size_t shown = 0;
  for (const auto& runs : points_) shown += runs.empty() ? 0 : 1;
  if (shown < 2) return "";
  std::ostringstream out;
  const auto line = [&out](const std::string& label, const std::vector<std::string>& cells) {
    char head[64];
    std::snprintf(head, sizeof head, "  %-28s", label.c_str());
    out << head;
    for (const std::string& c : cells) {
      char cell[64];
      std::snprintf(cell, sizeof cell, " %12s", c.c_str());
      out << cell;
    }
    out << "\n";
  };
  out << "side by side (p50 / p95 / max over each point's runs):\n";
  std::vector<std::string> heads;
  for (std::size_t p = 0; p < points_.size(); ++p) {
    if (!points_[p].empty()) heads.push_back("point " + std::to_string(p + 1));
  }
  line("", heads);
  for (const RunMeasure& m : run_measures()) {
    for (const double pct : {50.0, 95.0, 0.0}) {
      std::vector<std::string> cells;
      for (const auto& runs : points_) {
        if (runs.empty()) continue;
        std::vector<double> v = measure_values(runs, m);
        cells.push_back(v.empty() ? "-" : measure_text(m, pct > 0 ? percentile(v, pct) : v.back()));
      }
      line(std::string(m.name) + (pct == 50 ? " p50" : pct == 95 ? " p95" : " max"), cells);
    }
  }
  std::vector<std::string> averted;
  std::vector<RiskFigures> risk;
  for (std::size_t p = 0; p < points_.size(); ++p) {
    if (points_[p].empty()) continue;
    risk.push_back(risk_figures(points_[p], "point " + std::to_string(p + 1)));
    averted.push_back(std::to_string(risk.back().incidents) + " / " + std::to_string(risk.back().averted));
  }
  line("incidents / averted", averted);
  out << "risk (annualised; 95% confidence intervals: cmksim report, cmksim diff --risk):\n";
  std::vector<RiskLine> names;  // the point with the most figures (a recovery time) names them
  for (const RiskFigures& f : risk) {
    if (risk_lines(f).size() > names.size()) names = risk_lines(f);
  }
  for (std::size_t l = 0; l < names.size(); ++l) {
    std::vector<std::string> cells;
    for (const RiskFigures& f : risk) {
      const std::vector<RiskLine> lines = risk_lines(f);
      const auto it = std::find_if(lines.begin(), lines.end(), [&](const RiskLine& x) { return x.name == names[l].name; });
      cells.push_back(it == lines.end() ? "-" : it->show(it->estimate.value));
    }
    line(names[l].name, cells);
  }
  return out.str();
}

}  // namespace cmksim
