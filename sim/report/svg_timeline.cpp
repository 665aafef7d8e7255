// SVG figures of the HTML report (see svg_timeline.h). Coordinates are in a
// fixed 1000-wide viewBox and printed with one decimal, so the same data
// gives the same bytes on every platform.
#include "sim/report/svg_timeline.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/core/text.h"
#include "sim/report/report_text.h"

namespace cmksim::report {
namespace {

constexpr double kWidth = 1000;

std::string num(double v) { return format_number(v, 1); }

struct KnownColour {
  const char* state;
  const char* colour;
};
// Green: working; amber: revocation pending; red family: unusable; blue:
// recovering; grey: not involved.
constexpr KnownColour kKnown[] = {
    {"available", "#2e7d32"}, {"reachable", "#2e7d32"},   {"enabled", "#2e7d32"},
    {"revoke_pending", "#f9a825"}, {"unavailable", "#c62828"}, {"recovering", "#1565c0"},
    {"unlinked", "#9e9e9e"},  {"fault", "#ef6c00"},       {"disabled", "#ad1457"},
    {"deleted", "#6a1b9a"},   {"purged", "#212121"},      {"provisioning", "#78909c"},
};
// For AEK versions and states the report does not name.
constexpr const char* kPalette[] = {"#00838f", "#5e35b1", "#00695c", "#3949ab", "#6d4c41", "#455a64",
                                    "#827717", "#283593"};

bool dark_text(const std::string& colour) { return colour == "#f9a825" || colour == "#9e9e9e"; }

// Ticks every `step` ms, with step chosen so that there are at most `max_ticks`.
DurationMs tick_step(DurationMs end, int max_ticks) {
  static constexpr DurationMs kSteps[] = {
      kMsPerMinute,     5 * kMsPerMinute, 10 * kMsPerMinute, 15 * kMsPerMinute, 30 * kMsPerMinute,
      kMsPerHour,       2 * kMsPerHour,   3 * kMsPerHour,    6 * kMsPerHour,    12 * kMsPerHour,
      kMsPerDay,        2 * kMsPerDay,    7 * kMsPerDay,     14 * kMsPerDay,    28 * kMsPerDay,
      91 * kMsPerDay,   182 * kMsPerDay,  364 * kMsPerDay,
  };
  for (const DurationMs s : kSteps) {
    if (end / s <= max_ticks) return s;
  }
  DurationMs s = 364 * kMsPerDay;
  while (end / s > max_ticks) s *= 2;
  return s;
}

std::string tick_label(TimeMs t, DurationMs step) {
  if (step % kMsPerDay == 0) return std::to_string(t / kMsPerDay) + "d";
  return format_clock(t);
}

// A time axis along y, from x0 to x0 + width for [from, end].
void time_axis(std::ostringstream& out, double x0, double width, double y, TimeMs from, TimeMs end, int max_ticks) {
  out << "<g class=\"axis\">";
  out << "<line x1=\"" << num(x0) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x0 + width) << "\" y2=\"" << num(y)
      << "\" stroke=\"#444\"/>";
  if (end > from) {
    const DurationMs step = tick_step(end - from, max_ticks);
    for (TimeMs t = (from + step - 1) / step * step; t <= end; t += step) {  // ticks on multiples of the step
      const double x = x0 + width * static_cast<double>(t - from) / static_cast<double>(end - from);
      out << "<line x1=\"" << num(x) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x) << "\" y2=\"" << num(y + 4)
          << "\" stroke=\"#444\"/>";
      out << "<text x=\"" << num(x) << "\" y=\"" << num(y + 16) << "\" text-anchor=\"middle\">"
          << html_escape(tick_label(t, step)) << "</text>";
    }
  }
  out << "</g>";
}

}  // namespace

std::string state_colour(const std::string& state, const std::vector<std::string>& all_states) {
  for (const KnownColour& k : kKnown) {
    if (state == k.state) return k.colour;
  }
  std::size_t unknown = 0;
  for (const std::string& s : all_states) {
    if (s == state) break;
    const bool known = std::any_of(std::begin(kKnown), std::end(kKnown), [&](const KnownColour& k) { return s == k.state; });
    unknown += known ? 0 : 1;
  }
  return kPalette[unknown % (sizeof kPalette / sizeof kPalette[0])];
}

std::string svg_timeline(const Timeline& t) {
  return svg_timeline(t, TimelineWindow{0, std::max<TimeMs>(t.end_ms, 1), "timeline",
                                        "Timeline: the state of every vault, key, cluster and workspace over the run, "
                                        "with the scenario's events"});
}

TimelineWindow incident_window(const IncidentFinding& inc, TimeMs end_ms) {
  const TimeMs last = inc.resumed_ms.value_or(inc.restored_ms.value_or(end_ms));
  const TimeMs first = inc.change_ms;
  const DurationMs margin = std::max<DurationMs>(10 * kMsPerMinute, (std::max(last, first) - first) / 10);
  TimelineWindow w;
  w.from_ms = std::max<TimeMs>(0, first - margin);
  w.to_ms = std::min<TimeMs>(std::max<TimeMs>(end_ms, 1), std::max(last, first) + margin);
  if (w.to_ms <= w.from_ms) w.to_ms = w.from_ms + 1;
  w.id = "timeline-incident-" + std::to_string(inc.number);
  w.title = "Timeline of incident #" + std::to_string(inc.number) + " on " + inc.cluster + ", " +
            format_clock(w.from_ms) + " to " + format_clock(w.to_ms);
  return w;
}

std::string svg_timeline(const Timeline& t, const TimelineWindow& window) {
  constexpr double kLabelWidth = 230, kRight = 20, kLaneHeight = 24, kBarHeight = 16, kGroupGap = 8,
                   kMarkerRow = 20;
  const double plot = kWidth - kLabelWidth - kRight;
  const TimeMs from = window.from_ms;
  const TimeMs end = std::max<TimeMs>(window.to_ms, from + 1);
  const auto x_of = [&](TimeMs ms) {
    return kLabelWidth +
           plot * static_cast<double>(std::clamp<TimeMs>(ms, from, end) - from) / static_cast<double>(end - from);
  };
  const auto shown = [&](const TimelineBar& bar) { return bar.end_ms >= from && bar.start_ms <= end; };
  std::vector<TimelineMarker> markers;  // those within the window
  for (const TimelineMarker& m : t.markers) {
    if (m.t_ms >= from && m.t_ms <= end) markers.push_back(m);
  }

  // marker levels: a marker closer than 18 units to the previous one on a level goes one level down
  std::vector<int> level(markers.size(), 0);
  std::vector<double> last_x;  // per level
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const double x = x_of(markers[i].t_ms);
    std::size_t l = 0;
    while (l < last_x.size() && x - last_x[l] < 18) ++l;
    if (l == last_x.size()) last_x.push_back(-1e9);
    last_x[l] = x;
    level[i] = static_cast<int>(l);
  }
  const double markers_top = 8;
  const double lanes_top = markers_top + kMarkerRow * static_cast<double>(std::max<std::size_t>(1, last_x.size())) + 6;

  // lane positions, with a gap between kinds (the AEK lane stays with its cluster)
  std::vector<double> lane_y;
  double y = lanes_top;
  std::string previous_group;
  for (const TimelineLane& lane : t.lanes) {
    const std::string group = lane_group(lane.kind);
    if (!previous_group.empty() && group != previous_group) y += kGroupGap;
    previous_group = group;
    lane_y.push_back(y);
    y += kLaneHeight;
  }
  const double lanes_bottom = y;
  const double axis_y = lanes_bottom + 6;

  // legend rows
  struct LegendItem {
    std::string label;
    std::string swatch;  // svg of the swatch at (0,0)
  };
  std::vector<LegendItem> legend;
  std::vector<std::string> legend_colours;  // states of one colour share an entry: "reachable / enabled"
  std::vector<std::string> occurring;  // the states of the bars in the window, in the timeline's order
  for (const std::string& s : t.states) {
    const bool occurs = std::any_of(t.lanes.begin(), t.lanes.end(), [&](const TimelineLane& lane) {
      return std::any_of(lane.bars.begin(), lane.bars.end(),
                         [&](const TimelineBar& bar) { return bar.state == s && shown(bar); });
    });
    if (occurs) occurring.push_back(s);
  }
  for (const std::string& s : occurring) {
    const std::string colour = state_colour(s, t.states);
    const auto at = std::find(legend_colours.begin(), legend_colours.end(), colour);
    if (at != legend_colours.end()) {
      legend[static_cast<std::size_t>(at - legend_colours.begin())].label += " / " + s;
      continue;
    }
    legend_colours.push_back(colour);
    legend.push_back({s, "<rect width=\"14\" height=\"12\" fill=\"" + colour + "\"/>"});
  }
  const auto any_marker = [&](auto&& pred) { return std::any_of(markers.begin(), markers.end(), pred); };
  if (any_marker([](const TimelineMarker& m) { return m.status < 400; })) {
    legend.push_back({"scenario event (2xx)", "<circle cx=\"7\" cy=\"6\" r=\"6\" fill=\"#37474f\"/>"});
  }
  if (any_marker([](const TimelineMarker& m) { return m.status >= 400 && m.status != 501; })) {
    legend.push_back({"event refused (4xx/5xx)", "<circle cx=\"7\" cy=\"6\" r=\"6\" fill=\"#c62828\"/>"});
  }
  if (any_marker([](const TimelineMarker& m) { return m.status == 501; })) {
    legend.push_back({"not modelled yet (501)",
                      "<circle cx=\"7\" cy=\"6\" r=\"5.5\" fill=\"#fff\" stroke=\"#607d8b\" stroke-width=\"1.5\"/>"});
  }
  std::vector<std::pair<double, double>> legend_pos;  // x, y offset from legend_top
  {
    double lx = kLabelWidth, ly = 0;
    for (const LegendItem& item : legend) {
      const double w = 22 + 7.0 * static_cast<double>(item.label.size()) + 18;
      if (lx + w > kWidth - kRight && lx > kLabelWidth) {
        lx = kLabelWidth;
        ly += 18;
      }
      legend_pos.emplace_back(lx, ly);
      lx += w;
    }
  }
  const double legend_top = axis_y + 30;
  const double height = legend_top + (legend_pos.empty() ? 0 : legend_pos.back().second) + 24;

  std::ostringstream out;
  out << "<svg id=\"" << html_escape(window.id) << "\" class=\"figure\" viewBox=\"0 0 " << num(kWidth) << " " << num(height) << "\" width=\""
      << num(kWidth) << "\" height=\"" << num(height)
      << "\" role=\"img\" style=\"font-family: sans-serif; font-size: 12px\">";
  out << "<title>" << html_escape(window.title) << "</title>";

  // lane stripes and labels
  for (std::size_t i = 0; i < t.lanes.size(); ++i) {
    const TimelineLane& lane = t.lanes[i];
    const double ly = lane_y[i];
    if (i % 2 == 0) {
      out << "<rect x=\"0\" y=\"" << num(ly) << "\" width=\"" << num(kWidth) << "\" height=\"" << num(kLaneHeight)
          << "\" fill=\"#f4f6f8\"/>";
    }
    const std::string kind = lane.members.empty() ? lane_label(lane.kind) : std::string();  // "12 workspaces"
    std::string full = lane.name;
    if (!lane.members.empty()) {
      full += ":";
      for (const auto& m : lane.members) full += " " + m;
    }
    out << "<text class=\"lane\" x=\"" << num(kLabelWidth - 8) << "\" y=\"" << num(ly + kLaneHeight / 2 + 4)
        << "\" text-anchor=\"end\"><title>" << html_escape(kind.empty() ? full : kind + " " + full) << "</title><tspan fill=\"#607d8b\">"
        << html_escape(kind) << "</tspan>" << (kind.empty() ? "" : " ") << html_escape(truncate_utf8(lane.name, 26))
        << "</text>";
  }
  // bars
  for (std::size_t i = 0; i < t.lanes.size(); ++i) {
    const TimelineLane& lane = t.lanes[i];
    const double by = lane_y[i] + (kLaneHeight - kBarHeight) / 2;
    for (const TimelineBar& bar : lane.bars) {
      if (!shown(bar)) continue;
      const double x0 = x_of(bar.start_ms);
      const double w = std::max(1.0, x_of(bar.end_ms) - x0);
      const std::string colour = state_colour(bar.state, t.states);
      out << "<rect class=\"bar\" x=\"" << num(x0) << "\" y=\"" << num(by) << "\" width=\"" << num(w)
          << "\" height=\"" << num(kBarHeight) << "\" fill=\"" << colour << "\"><title>"
          << html_escape(bar.state + ": " + format_clock(bar.start_ms) + " to " + format_clock(bar.end_ms) + " (" +
                         format_duration_rounded(bar.end_ms - bar.start_ms) + ")")
          << "</title></rect>";
      const double text_width = 7.0 * static_cast<double>(bar.state.size()) + 8;
      if (w >= text_width) {
        out << "<text x=\"" << num(x0 + 4) << "\" y=\"" << num(by + kBarHeight - 4) << "\" font-size=\"11\" fill=\""
            << (dark_text(colour) ? "#212121" : "#ffffff") << "\" pointer-events=\"none\">" << html_escape(bar.state)
            << "</text>";
      }
    }
  }
  // markers: a dashed line through every lane, a numbered circle above
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const TimelineMarker& m = markers[i];
    const double x = x_of(m.t_ms);
    const double cy = markers_top + kMarkerRow * static_cast<double>(level[i]) + kMarkerRow / 2;
    const bool not_modelled = m.status == 501;
    const bool refused = !not_modelled && m.status >= 400;
    out << "<g class=\"marker\"><title>"
        << html_escape("#" + std::to_string(m.number) + " " + format_clock(m.t_ms) + " " + m.action + " " + m.target +
                       " -> " + std::to_string(m.status) + " " + m.message)
        << "</title>";
    out << "<line x1=\"" << num(x) << "\" y1=\"" << num(cy + 7) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(lanes_bottom) << "\" stroke=\"" << (refused ? "#c62828" : "#37474f")
        << "\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>";
    if (not_modelled) {
      out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(cy) << "\" r=\"8\" fill=\"#fff\" stroke=\"#607d8b\" "
          << "stroke-width=\"1.5\"/>";
    } else {
      out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(cy) << "\" r=\"8\" fill=\""
          << (refused ? "#c62828" : "#37474f") << "\"/>";
    }
    out << "<text x=\"" << num(x) << "\" y=\"" << num(cy + 3.5) << "\" text-anchor=\"middle\" font-size=\"10\" fill=\""
        << (not_modelled ? "#37474f" : "#ffffff") << "\">" << m.number << "</text></g>";
  }
  time_axis(out, kLabelWidth, plot, axis_y, from, end, 10);
  // legend
  out << "<g class=\"legend\">";
  for (std::size_t i = 0; i < legend.size(); ++i) {
    const double lx = legend_pos[i].first, ly = legend_top + legend_pos[i].second;
    out << "<g transform=\"translate(" << num(lx) << " " << num(ly) << ")\">" << legend[i].swatch << "<text x=\"20\" y=\"11\">"
        << html_escape(legend[i].label) << "</text></g>";
  }
  out << "</g></svg>";
  return out.str();
}

std::string svg_kv_chart(const KvSeries& s, DurationMs duration_ms, std::size_t max_bins) {
  constexpr double kLeft = 70, kRight = 20, kTop = 12, kPlotHeight = 120;
  const double plot = kWidth - kLeft - kRight;
  const std::vector<HourBin> bins = bin_hours(s, max_bins);
  const double hours = static_cast<double>(s.calls.size());
  double peak = 0;
  for (const HourBin& b : bins) {
    peak = std::max(peak, static_cast<double>(b.calls) / static_cast<double>(b.last_hour - b.first_hour + 1));
  }
  // a round maximum for the y axis
  double top = 1;
  while (top < peak) {
    if (top * 2 >= peak) {
      top *= 2;
    } else if (top * 5 >= peak) {
      top *= 5;
    } else {
      top *= 10;
    }
  }
  const double height = kTop + kPlotHeight + 44;
  const double base = kTop + kPlotHeight;
  std::ostringstream out;
  out << "<svg class=\"figure kv-chart\" viewBox=\"0 0 " << num(kWidth) << " " << num(height) << "\" width=\""
      << num(kWidth) << "\" height=\"" << num(height)
      << "\" role=\"img\" style=\"font-family: sans-serif; font-size: 12px\"><title>"
      << html_escape("Key Vault calls per hour to " + s.vault) << "</title>";
  for (const double f : {0.0, 0.5, 1.0}) {
    const double gy = base - kPlotHeight * f;
    out << "<line x1=\"" << num(kLeft) << "\" y1=\"" << num(gy) << "\" x2=\"" << num(kLeft + plot) << "\" y2=\""
        << num(gy) << "\" stroke=\"#dde3e8\"/>";
    out << "<text x=\"" << num(kLeft - 6) << "\" y=\"" << num(gy + 4) << "\" text-anchor=\"end\">"
        << format_number(top * f, 1) << "</text>";
  }
  out << "<text x=\"12\" y=\"" << num(kTop + kPlotHeight / 2) << "\" transform=\"rotate(-90 12 "
      << num(kTop + kPlotHeight / 2) << ")\" text-anchor=\"middle\" fill=\"#607d8b\">calls/hour</text>";
  for (const HourBin& b : bins) {
    const double span = static_cast<double>(b.last_hour - b.first_hour + 1);
    const double x0 = kLeft + plot * static_cast<double>(b.first_hour) / hours;
    const double w = std::max(0.5, plot * span / hours - (plot * span / hours > 3 ? 1 : 0));
    const double calls = static_cast<double>(b.calls) / span, failed = static_cast<double>(b.failed) / span;
    const double h = kPlotHeight * calls / top, hf = kPlotHeight * failed / top;
    const std::string label = (b.first_hour == b.last_hour ? "hour " + std::to_string(b.first_hour)
                                                           : "hours " + std::to_string(b.first_hour) + "-" +
                                                                 std::to_string(b.last_hour)) +
                              ": " + format_number(calls, 1) + " calls/hour, " + format_number(failed, 1) + " failed";
    out << "<g><title>" << html_escape(label) << "</title>";
    out << "<rect x=\"" << num(x0) << "\" y=\"" << num(base - h) << "\" width=\"" << num(w) << "\" height=\""
        << num(h) << "\" fill=\"#1565c0\"/>";
    if (b.failed > 0) {
      out << "<rect x=\"" << num(x0) << "\" y=\"" << num(base - hf) << "\" width=\"" << num(w) << "\" height=\""
          << num(hf) << "\" fill=\"#c62828\"/>";
    }
    out << "</g>";
  }
  time_axis(out, kLeft, plot, base, 0, std::max<DurationMs>(duration_ms, static_cast<DurationMs>(hours) * kMsPerHour), 10);
  out << "<g transform=\"translate(" << num(kLeft) << " " << num(base + 26) << ")\">"
      << "<rect width=\"14\" height=\"12\" fill=\"#1565c0\"/><text x=\"20\" y=\"11\">calls (wrap + unwrap)</text>"
      << "<rect x=\"190\" width=\"14\" height=\"12\" fill=\"#c62828\"/><text x=\"210\" y=\"11\">failed calls</text></g>";
  out << "</svg>";
  return out.str();
}

std::string format_value(const Distribution& d, double v) {
  if (d.duration) return format_duration_rounded(static_cast<DurationMs>(std::llround(v)));
  return format_gb(v) + " GB";
}

std::string svg_histogram(const Distribution& d, const std::string& bound_label) {
  constexpr double kW = 480, kLeft = 44, kRight = 16, kTop = 24, kPlotHeight = 120;
  const double plot = kW - kLeft - kRight;
  const double height = kTop + kPlotHeight + 40;
  const double base = kTop + kPlotHeight;
  std::size_t most = 1;
  for (const auto& b : d.bins) most = std::max(most, b.count);
  std::ostringstream out;
  out << "<svg class=\"histogram\" viewBox=\"0 0 " << num(kW) << " " << num(height) << "\" width=\"" << num(kW)
      << "\" height=\"" << num(height) << "\" role=\"img\" style=\"font-family: sans-serif; font-size: 11px\"><title>"
      << html_escape("Histogram of " + d.name + " over " + std::to_string(d.values.size()) + " " + d.of)
      << "</title>";
  out << "<line x1=\"" << num(kLeft) << "\" y1=\"" << num(base) << "\" x2=\"" << num(kLeft + plot) << "\" y2=\""
      << num(base) << "\" stroke=\"#444\"/>";
  out << "<text x=\"" << num(kLeft - 6) << "\" y=\"" << num(kTop + 4) << "\" text-anchor=\"end\">" << most
      << "</text><text x=\"" << num(kLeft - 6) << "\" y=\"" << num(base) << "\" text-anchor=\"end\">0</text>";
  // the y axis: how many values fall in each bar (issue 15 item 5)
  out << "<text transform=\"translate(12 " << num(kTop + kPlotHeight / 2) << ") rotate(-90)\" text-anchor=\"middle\" "
      << "fill=\"#607d8b\">" << html_escape(d.of) << "</text>";
  if (d.bins.empty()) {
    out << "<text x=\"" << num(kLeft + plot / 2) << "\" y=\"" << num(kTop + kPlotHeight / 2)
        << "\" text-anchor=\"middle\" fill=\"#607d8b\">no values</text></svg>";
    return out.str();
  }
  // the x axis runs to the documented bound when it is near enough to show
  double hi = d.max;
  if (d.bound && *d.bound > d.max && *d.bound <= 3 * std::max(d.max, 1e-9)) hi = *d.bound;
  const double lo = d.min;
  const double range = hi > lo ? hi - lo : 1;
  const auto x_of = [&](double v) { return kLeft + plot * (v - lo) / range; };
  for (std::size_t i = 0; i < d.bins.size(); ++i) {
    const auto& b = d.bins[i];
    const double h = kPlotHeight * static_cast<double>(b.count) / static_cast<double>(most);
    const double x0 = d.bins.size() == 1 && hi == lo ? kLeft : x_of(b.from);
    const double x1 = d.bins.size() == 1 && hi == lo ? kLeft + plot : x_of(b.to);
    out << "<rect x=\"" << num(x0 + 1) << "\" y=\"" << num(base - h) << "\" width=\"" << num(std::max(1.0, x1 - x0 - 2))
        << "\" height=\"" << num(h) << "\" fill=\"#1565c0\"><title>"
        << html_escape(format_value(d, b.from) + " to " + format_value(d, b.to) + ": " + std::to_string(b.count) + " " +
                       d.of)
        << "</title></rect>";
  }
  out << "<text x=\"" << num(kLeft) << "\" y=\"" << num(base + 16) << "\">" << html_escape(format_value(d, lo))
      << "</text><text x=\"" << num(kLeft + plot) << "\" y=\"" << num(base + 16) << "\" text-anchor=\"end\">"
      << html_escape(format_value(d, hi)) << "</text>";
  out << "<text x=\"" << num(kLeft + plot / 2) << "\" y=\"" << num(base + 32) << "\" text-anchor=\"middle\" "
      << "fill=\"#607d8b\">" << html_escape(d.name + (d.duration ? " (duration)" : " (GB)") + ", " + std::to_string(d.values.size()) + " " + d.of)
      << "</text>";
  if (d.bound && hi > lo && *d.bound >= lo && *d.bound <= hi) {
    const double x = x_of(*d.bound);
    const bool right = x > kLeft + plot * 0.7;  // label on the side with room
    out << "<line x1=\"" << num(x) << "\" y1=\"" << num(kTop) << "\" x2=\"" << num(x) << "\" y2=\"" << num(base)
        << "\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/><text x=\"" << num(right ? x - 3 : x + 3) << "\" y=\""
        << num(kTop - 8) << "\" fill=\"#c62828\"" << (right ? " text-anchor=\"end\"" : "") << ">"
        << html_escape(bound_label) << "</text>";
  }
  out << "</svg>";
  return out.str();
}

}  // namespace cmksim::report
