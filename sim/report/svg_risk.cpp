#include "sim/report/svg_risk.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/core/text.h"
#include "sim/report/report_text.h"

namespace cmksim::report {
namespace {

std::string num(double v) { return format_number(v, 1); }

constexpr const char* kLines[] = {"#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#6d4c41", "#455a64"};

}  // namespace

std::vector<double> exceedance_thresholds(const std::vector<RiskFigures>& points, std::size_t max_rows) {
  std::vector<double> all;
  for (const RiskFigures& f : points) {
    for (double v : f.annual_losses) {
      if (v > 0) all.push_back(v);
    }
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  if (all.size() <= max_rows || max_rows < 2) return all;
  std::vector<double> out;
  for (std::size_t i = 0; i < max_rows; ++i) out.push_back(all[i * (all.size() - 1) / (max_rows - 1)]);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string svg_loss_exceedance(const std::vector<RiskFigures>& points) {
  constexpr double kW = 640, kLeft = 64, kRight = 24, kTop = 20, kPlotHeight = 220;
  const double plot = kW - kLeft - kRight, base = kTop + kPlotHeight;
  const double height = base + 48 + 16 * static_cast<double>(points.size());
  double lo = 0, hi = 0;
  for (const RiskFigures& f : points) {
    for (double v : f.annual_losses) {
      if (v > 0) lo = lo > 0 ? std::min(lo, v) : v;
      hi = std::max(hi, v);
    }
  }
  const bool log_x = lo > 0 && hi / lo > 100;
  const double x_lo = log_x ? std::log10(lo) : 0, x_hi = log_x ? std::log10(hi) : (hi > 0 ? hi : 1);
  const auto x_of = [&](double v) {
    const double u = log_x ? std::log10(std::max(v, lo)) : v;
    return kLeft + plot * (x_hi > x_lo ? (u - x_lo) / (x_hi - x_lo) : 0);
  };
  const auto y_of = [&](double p) { return base - kPlotHeight * p; };
  std::ostringstream out;
  out << "<svg class=\"exceedance\" viewBox=\"0 0 " << num(kW) << " " << num(height) << "\" width=\"" << num(kW)
      << "\" height=\"" << num(height) << "\" role=\"img\" style=\"font-family: sans-serif; font-size: 11px\">"
      << "<title>Loss-exceedance curve: probability that a year loses more than x GB</title>";
  out << "<line x1=\"" << num(kLeft) << "\" y1=\"" << num(base) << "\" x2=\"" << num(kLeft + plot) << "\" y2=\""
      << num(base) << "\" stroke=\"#444\"/><line x1=\"" << num(kLeft) << "\" y1=\"" << num(kTop) << "\" x2=\""
      << num(kLeft) << "\" y2=\"" << num(base) << "\" stroke=\"#444\"/>";
  for (const double p : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    out << "<text x=\"" << num(kLeft - 6) << "\" y=\"" << num(y_of(p) + 4) << "\" text-anchor=\"end\">"
        << format_number(p, 2) << "</text>";
  }
  out << "<text transform=\"translate(14 " << num(kTop + kPlotHeight / 2)
      << ") rotate(-90)\" text-anchor=\"middle\">P(annual loss &gt; x)</text>";
  out << "<text x=\"" << num(kLeft) << "\" y=\"" << num(base + 16) << "\">" << html_escape(format_gb(log_x ? lo : 0))
      << "</text><text x=\"" << num(kLeft + plot) << "\" y=\"" << num(base + 16) << "\" text-anchor=\"end\">"
      << html_escape(format_gb(hi)) << "</text>";
  out << "<text x=\"" << num(kLeft + plot / 2) << "\" y=\"" << num(base + 32) << "\" text-anchor=\"middle\">"
      << (log_x ? "x: annual GB lost (log scale)" : "x: annual GB lost") << "</text>";
  for (std::size_t i = 0; i < points.size(); ++i) {
    const RiskFigures& f = points[i];
    const char* colour = kLines[i % (sizeof kLines / sizeof kLines[0])];
    // A step function: P(loss > x) is constant between the sorted losses.
    std::ostringstream path;
    double p = exceedance(f.annual_losses, log_x ? lo * 0.999999 : 0);
    if (!log_x) p = exceedance(f.annual_losses, 0);
    path << "M" << num(kLeft) << " " << num(y_of(p));
    for (double v : f.annual_losses) {
      if (v <= 0 || (log_x && v < lo)) continue;
      const double after = exceedance(f.annual_losses, v);
      path << " H" << num(x_of(v)) << " V" << num(y_of(after));
    }
    path << " H" << num(kLeft + plot);
    out << "<path d=\"" << path.str() << "\" fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\"/>";
    const double ly = base + 44 + 16 * static_cast<double>(i);
    out << "<rect x=\"" << num(kLeft) << "\" y=\"" << num(ly - 9) << "\" width=\"14\" height=\"4\" fill=\"" << colour
        << "\"/><text x=\"" << num(kLeft + 20) << "\" y=\"" << num(ly) << "\">"
        << html_escape(f.label + " (" + std::to_string(f.runs) + " runs)") << "</text>";
  }
  out << "</svg>";
  return out.str();
}

}  // namespace cmksim::report
