// Inline SVG figures of the HTML report: the timeline (one swim lane per
// vault, key, cluster, AEK and workspace; states as coloured bars; scenario
// events as numbered markers; a legend), the Key Vault calls per hour, and
// the histograms of a sweep. Every string from the database is escaped; the
// output depends only on the data (no ids from counters, no clock).
#pragma once
#include <string>

#include "sim/report/report_data.h"

namespace cmksim::report {

// The fill colour of a state ("#2e7d32"); states the report does not know
// (AEK versions, future states) get colours in order of first appearance
// in `all_states`.
std::string state_colour(const std::string& state, const std::vector<std::string>& all_states);

// <svg id="timeline" ...>...</svg>
std::string svg_timeline(const Timeline& timeline);

// A part of the timeline: bars clipped to [from_ms, to_ms], the markers in
// it, a legend of only the states and marker kinds that occur in it.
struct TimelineWindow {
  TimeMs from_ms = 0;
  TimeMs to_ms = 1;
  std::string id;     // the svg element's id
  std::string title;  // its <title>
};
std::string svg_timeline(const Timeline& timeline, const TimelineWindow& window);
// The window around one incident: from its change to its resumption (or the
// end of the run), with a margin of a tenth of that, at least 10 minutes.
TimelineWindow incident_window(const IncidentFinding& incident, TimeMs end_ms);

// Calls per hour to one vault (failed calls in red), at most `max_bins` bars.
std::string svg_kv_chart(const KvSeries& series, DurationMs duration_ms, std::size_t max_bins);

// The histogram of one distribution, with its documented bound when it has one.
std::string svg_histogram(const Distribution& d, const std::string& bound_label);

// "32m32s" for durations, "85.204 GB" for GB.
std::string format_value(const Distribution& d, double v);

}  // namespace cmksim::report
