// What the security-review report says, section by section (the order is
// the issue's): header, findings, timeline, Key Vault load, data accounting,
// blast radius, CMK coverage, behaviours exercised. The findings and the
// blast radius have files of their own (document_builder.h).
#include "sim/report/report_document.h"

#include <algorithm>
#include <cmath>

#include "sim/report/document_builder.h"
#include "sim/report/report_text.h"
#include "sim/report/svg_timeline.h"

namespace cmksim::report {
namespace document {
namespace {

constexpr std::size_t kMaxZoomedIncidents = 20;  // zoomed timelines, one per incident


// A section drawn from the timelines of a run a sweep did not keep them for.
constexpr const char* kNotKept =
    "Not in the database: the sweep kept outcomes only (--keep outcomes). Reproduce the run with the command "
    "at the top for its events, states and Key Vault calls.";

constexpr std::size_t kMarkdownKvRows = 48;   // hour bins in the Key Vault table
constexpr std::size_t kSvgKvBars = 360;       // hour bins in the Key Vault chart

// ---- header ----------------------------------------------------------------

void header(Builder& b, const ReportData& d) {
  b.heading(1, "top", "Security review: " + d.scenario);
  b.paragraph({d.description.empty() ? text("(The results database holds no description of this scenario.)")
                                     : text(d.description)});
  Table& t = b.table({"run", "value"}, {});
  Builder::row(t, {cell("scenario"), code_cell(d.scenario)});
  Builder::row(t, {cell("scenario file"), code_cell(d.scenario_file)});
  Builder::row(t, {cell("scenario SHA-256"), code_cell(d.scenario_sha256)});
  if (d.sweep) {
    std::string seeds;
    const std::size_t shown = std::min<std::size_t>(d.seeds.size(), 5);
    for (std::size_t i = 0; i < shown; ++i) seeds += (i ? ", " : "") + std::to_string(d.seeds[i]);
    if (shown < d.seeds.size()) seeds += ", ... (" + std::to_string(d.seeds.size()) + " seeds)";
    Builder::row(t, {cell("runs"), cell(d.bounds_pair ? "2: the D7 timing bounds of one seed (run 1 latest, run 2 "
                                                          "earliest: cmksim run --timing bounds)"
                                                        : std::to_string(d.run_count) + " (a sweep)")});
    if (!d.database.empty()) Builder::row(t, {cell("results database"), code_cell(d.database)});
    Builder::row(t, {cell("representative run"),
                     cell("run " + std::to_string(d.representative + 1) + ": " + d.representative_why)});
    Builder::row(t, {cell("seeds"), cell(seeds)});
  } else {
    Builder::row(t, {cell("seed"), cell(std::to_string(d.seeds.empty() ? 0 : d.seeds.front()))});
  }
  if (d.stopped) {
    Builder::row(t, {cell("stopped"), cell("by " + d.stopped->reason + " after " + format_count(d.stopped->written_runs) +
                                           " of " + format_count(d.stopped->planned_runs) + " planned runs")});
  }
  Builder::row(t, {cell("profile"), code_cell(d.profile)});
  std::string timings;
  for (const auto& x : d.timings) timings += (timings.empty() ? "" : ", ") + x;
  Builder::row(t, {cell("timing (D7)"), cell(timings)});
  Builder::row(t, {cell("simulated time"), cell(format_duration(d.duration_ms))});
  if (d.start_epoch_ms) {
    Builder::row(t, {cell("wall clock (start)"), cell(format_utc(*d.start_epoch_ms) + " to " +
                                                      format_utc(*d.start_epoch_ms + d.duration_ms))});
  }
  Builder::row(t, {cell("events processed"), cell(format_count(d.events_processed))});
  Builder::row(t, {cell("cmksim version"), cell(d.cmksim_version)});
  if (d.stopped) {
    b.paragraph({strong("This sweep was stopped before its end"),
                 text(" (by " + d.stopped->reason + "): the database holds the " + format_count(d.stopped->written_runs) +
                      " runs finished in order, of " + format_count(d.stopped->planned_runs) +
                      " planned, each the same as in the whole sweep. Every figure below covers those runs only; "
                      "run the sweep again for the rest.")});
  }

  if (d.sweep) {
    b.paragraph({text("Reproduce the representative run (run " + std::to_string(d.representative + 1) + " of " +
                      std::to_string(d.run_count) + ": " + d.representative_why + ") with:")});
  } else {
    b.paragraph({text("Reproduce this run with:")});
  }
  b.code_block(d.reproduce);
  if (!d.reproduce_note.empty()) {
    b.paragraph({text("With the scenario file edited to the sweep's values: " + d.reproduce_note +
                      " (cmksim run's --set takes profile parameters only).")});
  }

  if (!d.timelines_kept) {
    b.paragraph({strong("Timelines not kept."),
                 text(" This sweep kept each run's outcomes only (cmksim sweep --keep outcomes): its incidents, "
                      "metrics, data and blast radius, without the events, states and Key Vault calls. The "
                      "figures below are complete; the timeline, the Key Vault load and the CMK coverage gaps "
                      "(C6) of the run shown are not: the command above simulates it again in full.")});
  }

  Table& p = b.table({"parameter", "value in force"}, {false, true},
                     "Parameters in force (" + std::to_string(d.params.size()) + ")");
  for (const ParamValue& param : d.params) {
    const std::string& name = param.name;
    const std::string& value = param.text;
    const bool varies = std::find(d.varying_params.begin(), d.varying_params.end(), name) != d.varying_params.end();
    const std::string shown = value.empty() ? "(none)" : value;
    Builder::row(p, {code_cell(name), cell(varies ? shown + " (varies across runs)" : shown)});
  }
}

// ---- timeline ------------------------------------------------------------------

void timeline(Builder& b, const ReportData& d) {
  const Timeline& t = d.timeline;
  b.heading(2, "timeline-section", "Timeline");
  if (!d.timelines_kept) {
    b.paragraph({text(kNotKept)});
    return;
  }
  b.paragraph({text("One lane per vault, key, cluster and workspace, with the key version wrapping each cluster's AEK "
                    "(R4) under its cluster. Bars are states; numbered markers are the scenario's events, listed below. "
                    "Times are from the scenario's start (day hh:mm:ss)" +
                    std::string(d.start_epoch_ms ? ", with the UTC date beside them." : "."))});
  if (t.merged_workspaces > 0) {
    b.paragraph({text(std::to_string(t.merged_workspaces) +
                      " workspaces whose states are identical share a lane (more than 40 workspaces).")});
  }
  b.figure(svg_timeline(t), "Timeline of the run (time from the scenario's start)",
           " Hover a bar or marker for its details.");
  for (std::size_t i = 0; i < d.incidents.size() && i < kMaxZoomedIncidents; ++i) {
    const TimelineWindow window = incident_window(d.incidents[i], d.duration_ms);
    b.figure(svg_timeline(t, window), "Incident #" + std::to_string(d.incidents[i].number) + " on " +
                                          d.incidents[i].cluster + ", zoomed: " + at(d, window.from_ms) + " to " +
                                          at(d, window.to_ms));
  }

  b.heading(3, "events", "Scenario events");
  if (t.markers.empty()) {
    b.paragraph({text("The scenario has no events.")});
  } else {
    Table& e = b.table({"#", "time", "event", "action", "target", "status", "message"},
                       {true, false, false, false, false, true, false});
    for (const auto& m : t.markers) {
      const Span status = m.status >= 400 ? bad(std::to_string(m.status)) : text(std::to_string(m.status));
      Builder::row(e, {cell(std::to_string(m.number)), cell(at(d, m.t_ms)), code_cell(m.event_id),
                       code_cell(m.action), code_cell(m.target), {status}, cell(m.message)});
    }
  }
  std::size_t intervals = 0;
  for (const auto& lane : t.lanes) intervals += lane.bars.size();
  Table& s = b.table({"lane", "subject", "state", "from", "to", "duration"}, {false, false, false, false, false, true},
                     "The timeline as a table (" + std::to_string(intervals) + " state intervals)");
  for (const auto& lane : t.lanes) {
    std::string subject = lane.name;
    if (!lane.members.empty()) {
      subject += ":";
      for (const auto& m : lane.members) subject += " " + m;
    }
    for (const auto& bar : lane.bars) {
      Builder::row(s, {cell(lane_label(lane.kind)), code_cell(subject), code_cell(bar.state),
                       cell(at(d, bar.start_ms)), cell(at(d, bar.end_ms)),
                       cell(format_duration_rounded(bar.end_ms - bar.start_ms))});
    }
  }
}

// ---- Key Vault load --------------------------------------------------------------

void key_vault(Builder& b, const ReportData& d) {
  b.heading(2, "key-vault", "Key Vault calls per hour (D3, D4)");
  if (!d.timelines_kept) {
    b.paragraph({text(kNotKept)});
    return;
  }
  if (d.kv.empty()) {
    b.paragraph({text("No Key Vault call in this run (no cluster uses a customer-managed key).")});
    return;
  }
  b.paragraph({text("Every wrap or unwrap of a cluster's AEK is one call; failed calls (a fault, or Key Vault saying "
                    "no) count in the calls and again as failed.")});
  Table& t = b.table({"vault", "clusters", "calls", "failed", "wraps", "unwraps", "mean per hour", "peak per hour"},
                     {false, false, true, true, true, true, true, true});
  for (const auto& s : d.kv) {
    std::string clusters;
    for (const auto& c : s.clusters) clusters += (clusters.empty() ? "" : ", ") + c;
    const double hours = static_cast<double>(std::max<std::size_t>(1, s.calls.size()));
    Builder::row(t, {code_cell(s.vault), code_cell(clusters), cell(format_count(s.total_calls)),
                     {s.total_failed > 0 ? bad(format_count(s.total_failed)) : text("0")},
                     cell(format_count(s.wraps)), cell(format_count(s.unwraps)),
                     cell(format_number(static_cast<double>(s.total_calls) / hours, 1)),
                     cell(format_count(s.peak) + " (hour " + std::to_string(s.peak_hour) + ")")});
  }
  for (const auto& s : d.kv) {
    b.heading(3, "", "Calls per hour to " + s.vault);
    b.figure(svg_kv_chart(s, d.duration_ms, kSvgKvBars), "Key Vault calls per hour to " + s.vault);
    const std::vector<HourBin> bins = bin_hours(s, kMarkdownKvRows);
    const bool hourly = !bins.empty() && bins.front().first_hour == bins.front().last_hour;
    Table& h = b.table({hourly ? "hour" : "hours", "calls per hour", "failed per hour"}, {true, true, true},
                       "Calls per hour to " + s.vault + " as a table" + (hourly ? "" : " (mean over each row's hours)"));
    b.doc.blocks.back().screen_only = true;  // printed as the chart above
    for (const HourBin& bin : bins) {
      const double span_hours = static_cast<double>(bin.last_hour - bin.first_hour + 1);
      Builder::row(h, {cell(hourly ? std::to_string(bin.first_hour)
                                   : std::to_string(bin.first_hour) + "-" + std::to_string(bin.last_hour)),
                       cell(format_number(static_cast<double>(bin.calls) / span_hours, 1)),
                       cell(format_number(static_cast<double>(bin.failed) / span_hours, 1))});
    }
  }
}

// ---- data accounting --------------------------------------------------------------

void data_accounting(Builder& b, const ReportData& d) {
  b.heading(2, "data", "Data accounting by protection class (K2, D8, D9)");
  if (d.data_rows.empty()) {
    b.paragraph({text("The database records no data.")});
    return;
  }
  b.paragraph({text("Every GB that arrived (existing data included) is lost, purged by retention, or remaining at the "
                    "end: "),
               d.conservation_holds ? good("the books balance on every row") : bad("the books do NOT balance"),
               text(". The protection class is the key version wrapping the AEK when the data was ingested.")});
  Table& t = b.table({"protection", "class", "GB ingested", "GB lost", "GB purged", "GB remaining"},
                     {false, false, true, true, true, true});
  for (const auto& c : d.data_classes) {
    Builder::row(t,
                 {c.total ? cell(c.protection) : code_cell(c.protection), cell(c.total && c.protection == "all data" ? "-" : c.cmk ? "CMK" : "MMK"),
                  cell(gb(c.gb_ingested)), cell(gb(c.gb_lost)), cell(gb(c.gb_purged)), cell(gb(c.gb_at_end))},
                 c.total);
  }
  b.heading(3, "data-rows", "By workspace, protection and location");
  Table& r = b.table({"workspace", "protection", "location", "GB ingested", "GB lost", "GB purged", "GB remaining"},
                     {false, false, false, true, true, true, true});
  for (const auto& row : d.data_rows) {
    Builder::row(r, {code_cell(row.workspace), code_cell(row.protection), cell(row.location), cell(gb(row.gb_ingested)),
                     cell(gb(row.gb_lost)), cell(gb(row.gb_purged)), cell(gb(row.gb_at_end))});
  }
}

// ---- coverage -------------------------------------------------------------------------

void cmk_coverage(Builder& b, const ReportData& d) {
  b.heading(2, "coverage", "CMK coverage: what stays under Microsoft-managed keys (K2, K3, K5)");
  b.paragraph({text("What this scenario leaves outside customer-managed-key protection, measured where the database "
                    "measures it, and the features the documents place outside the CMK whatever the configuration.")});
  Table& t = b.table({"left under Microsoft-managed keys", "where", "GB at end", "behaviour"}, {false, false, true, false});
  for (const auto& c : d.coverage) {
    Builder::row(t, {cell(c.what), c.where.rfind("every ", 0) == 0 ? cell(c.where) : code_cell(c.where),
                     cell(c.gb ? gb(*c.gb) : "-"), cell(c.behaviour)});
  }
}

// ---- behaviours --------------------------------------------------------------------------

void behaviours_section(Builder& b, const ReportData& d) {
  b.heading(2, "behaviours", "Behaviours exercised");
  b.paragraph({text("Behaviour IDs of BEHAVIORS.md that this " + std::string(d.sweep ? "sweep" : "run") +
                    " exercised, each with the sentence it models (a summary of BEHAVIORS.md) and what in the "
                    "database shows it.")});
  if (d.runs_without_timelines > 0) {
    b.paragraph({text(format_count(d.runs_without_timelines) + " of " + format_count(d.run_count) +
                      " runs kept their outcomes only (sweep --keep outcomes): what only their events, states and "
                      "Key Vault calls would show (D4's cached AEK, K3's SSD purges, D5's faults, the AEK's "
                      "versions of R1 and R4, and the behaviours the model's events name) is not counted for them.")});
  }
  Table& t = b.table({"ID", "behaviour modelled", "evidence"}, {});
  for (const auto& u : d.behaviours) Builder::row(t, {{strong(u.id)}, cell(u.sentence), cell(u.evidence)});
}

}  // namespace
}  // namespace document

Document build_document(const ReportData& d) {
  document::Builder b;
  b.doc.title = "cmksim security review: " + d.scenario;
  b.doc.version = d.cmksim_version;
  document::header(b, d);
  document::findings(b, d);
  if (d.sweep) document::risk(b, d);
  document::timeline(b, d);
  document::key_vault(b, d);
  document::data_accounting(b, d);
  document::blast_radius(b, d);
  document::cmk_coverage(b, d);
  document::behaviours_section(b, d);
  b.doc.footer = "Generated by cmksim " + d.cmksim_version +
                 " from the results database alone; the same database gives the same report, byte for byte.";
  return std::move(b.doc);
}

}  // namespace cmksim::report
