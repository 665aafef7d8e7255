// What the security-review report says, section by section (the order is
// the issue's): header, findings, timeline, Key Vault load, data accounting,
// blast radius, CMK coverage, behaviours exercised.
#include "sim/report/report_document.h"

#include <algorithm>
#include <cmath>

#include "sim/core/text.h"
#include "sim/report/report_text.h"
#include "sim/report/svg_timeline.h"

namespace cmksim::report {
namespace {

constexpr std::size_t kMarkdownKvRows = 48;   // hour bins in the Key Vault table
constexpr std::size_t kSvgKvBars = 360;       // hour bins in the Key Vault chart
constexpr std::size_t kMaxSweepRunRows = 200;  // rows of the runs table of a sweep

Span text(std::string s) { return {Span::Kind::kText, std::move(s)}; }
Span code(std::string s) { return {Span::Kind::kCode, std::move(s)}; }
Span strong(std::string s) { return {Span::Kind::kStrong, std::move(s)}; }
Span good(std::string s) { return {Span::Kind::kGood, std::move(s)}; }
Span bad(std::string s) { return {Span::Kind::kBad, std::move(s)}; }

Inline cell(std::string s) { return {text(std::move(s))}; }
Inline code_cell(std::string s) { return {code(std::move(s))}; }

std::string gb(double v) { return format_gb(v); }
std::string at(std::optional<TimeMs> t) { return t ? format_instant(*t) : std::string("-"); }
std::string span(std::optional<DurationMs> d) { return d ? format_duration_rounded(*d) : std::string("-"); }

Span verdict(Verdict v) {
  switch (v) {
    case Verdict::kWithin: return good("within");
    case Verdict::kAverted: return good("averted");
    case Verdict::kBeyond: return bad("BEYOND");
    case Verdict::kOpen: return bad("still open at the end");
    case Verdict::kNotApplicable: return text("-");
  }
  return text("-");
}

class Builder {
 public:
  void heading(int level, std::string id, std::string title) {
    Block b;
    b.kind = Block::Kind::kHeading;
    b.level = level;
    b.id = std::move(id);
    b.text = {text(std::move(title))};
    doc.blocks.push_back(std::move(b));
  }
  void paragraph(Inline content) {
    Block b;
    b.kind = Block::Kind::kParagraph;
    b.text = std::move(content);
    doc.blocks.push_back(std::move(b));
  }
  void list(std::vector<Inline> items) {
    Block b;
    b.kind = Block::Kind::kList;
    b.items = std::move(items);
    doc.blocks.push_back(std::move(b));
  }
  void code_block(std::string c) {
    Block b;
    b.kind = Block::Kind::kCode;
    b.code = std::move(c);
    doc.blocks.push_back(std::move(b));
  }
  void figure(std::string svg, std::string caption) {
    Block b;
    b.kind = Block::Kind::kFigure;
    b.svg = std::move(svg);
    b.text = {text(std::move(caption))};
    doc.blocks.push_back(std::move(b));
  }
  // A table; `numeric` marks right-aligned columns by header index.
  Table& table(std::vector<std::string> header, std::vector<bool> numeric, std::string collapsed_summary = "") {
    Block b;
    b.kind = Block::Kind::kTable;
    numeric.resize(header.size(), false);
    b.table.header = std::move(header);
    b.table.numeric = std::move(numeric);
    if (!collapsed_summary.empty()) {
      b.collapsed = true;
      b.text = {text(std::move(collapsed_summary))};
    }
    doc.blocks.push_back(std::move(b));
    return doc.blocks.back().table;
  }
  static void row(Table& t, std::vector<Inline> cells, bool emphasised = false) {
    cells.resize(t.header.size());
    t.rows.push_back(std::move(cells));
    t.emphasised.push_back(emphasised);
  }
  Document doc;
};

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
    Builder::row(t, {cell("runs"), cell(std::to_string(d.run_count) + " (a sweep)")});
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
    b.paragraph({text("Reproduce the representative run (run " + std::to_string(d.representative + 1) +
                      ", the one with the longest exposure window) with:")});
  } else {
    b.paragraph({text("Reproduce this run with:")});
  }
  b.code_block(d.reproduce);
  if (!d.reproduce_note.empty()) {
    b.paragraph({text("With the scenario file edited to the sweep's values: " + d.reproduce_note +
                      " (cmksim run's --set takes profile parameters only).")});
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

// ---- findings ----------------------------------------------------------------

void incident_tables(Builder& b, const ReportData& d) {
  if (d.incidents.empty()) {
    b.paragraph({text("No incident: no permission change reached a cluster's storage in this run.")});
    return;
  }
  b.heading(3, "exposure", "Exposure window per incident (D7)");
  b.paragraph({text("The exposure window runs from the permission change to the moment storage became unavailable: "
                    "data stayed readable and ingestion went on. Documented bound: " +
                    format_duration(d.revocation_bound_ms) + ".")});
  Table& e = b.table({"#", "cluster", "cause", "change", "first denied call", "unavailable from", "exposure window",
                      "D7 bound " + format_duration(d.revocation_bound_ms)},
                     {true, false, false, false, false, false, true, false});
  for (const auto& inc : d.incidents) {
    Builder::row(e, {cell(std::to_string(inc.number)), code_cell(inc.cluster), cell(inc.cause), cell(at(inc.change_ms)),
                     cell(at(inc.first_denied_ms)), cell(at(inc.unavailable_ms)), cell(span(inc.exposure_ms)),
                     {verdict(inc.exposure_verdict)}});
  }
  b.heading(3, "recovery", "Recovery per incident (D8, D10)");
  b.paragraph({text("Recovery time runs from the restoration of access to the resumption of ingestion and queries. "
                    "Documented promise: " + format_duration(d.recovery_bound_ms) + ".")});
  Table& r = b.table({"#", "cluster", "access restored", "resumed", "unavailable for", "recovery time",
                      "D10 promise " + format_duration(d.recovery_bound_ms), "GB lost", "queries failed"},
                     {true, false, false, false, true, true, false, true, true});
  for (const auto& inc : d.incidents) {
    std::string unavailable = span(inc.unavailable_for_ms);
    if (inc.unavailable_at_end) unavailable += " (still unavailable at the end)";
    Builder::row(r, {cell(std::to_string(inc.number)), code_cell(inc.cluster), cell(at(inc.restored_ms)),
                     cell(at(inc.resumed_ms)), cell(unavailable), cell(span(inc.recovery_ms)),
                     {verdict(inc.recovery_verdict)}, cell(gb(inc.gb_lost)), cell(format_count(inc.queries_failed))});
  }
  bool any_split = false;
  for (const auto& inc : d.incidents) any_split = any_split || !inc.gb_lost_by_workspace.empty();
  if (any_split) {
    b.heading(3, "loss-per-incident", "GB lost per incident and workspace");
    Table& l = b.table({"#", "cluster", "workspace", "GB lost"}, {true, false, false, true});
    for (const auto& inc : d.incidents) {
      for (const auto& [workspace, lost] : inc.gb_lost_by_workspace) {
        Builder::row(l, {cell(std::to_string(inc.number)), code_cell(inc.cluster), code_cell(workspace), cell(gb(lost))});
      }
    }
  }
}

void workspace_table(Builder& b, const ReportData& d) {
  b.heading(3, "gb-lost", "GB lost per workspace (D8, D11)");
  if (d.workspaces.empty()) {
    b.paragraph({text("No workspace in this run.")});
    return;
  }
  Table& t = b.table({"workspace", "GB ingested", "GB lost", "GB purged", "GB at end", "GB inaccessible at end",
                      "unavailable", "queries ok", "queries failed"},
                     {false, true, true, true, true, true, true, true, true});
  for (const auto& w : d.workspaces) {
    Builder::row(t, {code_cell(w.name), cell(gb(w.gb_ingested)),
                     {w.gb_lost > 0 ? bad(gb(w.gb_lost)) : text(gb(w.gb_lost))}, cell(gb(w.gb_purged)),
                     cell(gb(w.gb_at_end)), cell(gb(w.gb_inaccessible_at_end)),
                     cell(format_duration_rounded(static_cast<DurationMs>(std::llround(w.unavailable_s * 1000)))),
                     cell(format_count(w.queries_ok)), cell(format_count(w.queries_failed))});
  }
}

void expectation_table(Builder& b, const ReportData& d) {
  b.heading(3, "expectations", "Expectations");
  if (d.expectations.empty()) {
    b.paragraph({text("Not evaluated in this database: "), code("cmksim check"),
                 text(" evaluates the scenario's "), code("expect:"), text(" block.")});
    return;
  }
  Table& t = b.table({"#", "expectation", "result", "observed", "expected"}, {true, false, false, false, false});
  for (const auto& x : d.expectations) {
    Builder::row(t, {cell(std::to_string(x.idx + 1)), cell(x.text), {x.passed ? good("met") : bad("NOT MET")},
                     cell(x.observed), cell(x.expected)});
  }
}

std::vector<Inline> headline(const ReportData& d) {
  std::vector<Inline> items;
  if (d.incidents.empty()) {
    items.push_back({strong("Incidents:"), text(" none.")});
  } else {
    std::optional<DurationMs> worst;
    bool beyond = false, open = false;
    for (const auto& inc : d.incidents) {
      if (inc.exposure_ms) worst = std::max(worst.value_or(0), *inc.exposure_ms);
      beyond = beyond || inc.exposure_verdict == Verdict::kBeyond;
      open = open || inc.exposure_verdict == Verdict::kOpen;
    }
    Inline line = {strong("Exposure:"), text(" " + std::to_string(d.incidents.size()) + " incident(s); longest exposure window " +
                                              span(worst) + " against D7's " + format_duration(d.revocation_bound_ms) +
                                              ": ")};
    line.push_back(beyond ? bad("bound exceeded") : open ? bad("an exposure still open at the end") : good("within the bound"));
    line.push_back(text("."));
    items.push_back(std::move(line));
  }
  {
    std::size_t affected = 0;
    for (const auto& w : d.workspaces) affected += w.gb_lost > 0 ? 1 : 0;
    Inline line = {strong("Data lost:"), text(" ")};
    line.push_back(d.gb_lost_total > 0 ? bad(gb(d.gb_lost_total) + " GB") : good("0 GB"));
    line.push_back(text(" dropped for good, in " + std::to_string(affected) + " of " + std::to_string(d.workspaces.size()) +
                        " workspace(s)."));
    items.push_back(std::move(line));
  }
  {
    std::optional<DurationMs> worst;
    bool beyond = false, open = false;
    for (const auto& inc : d.incidents) {
      if (inc.recovery_ms) worst = std::max(worst.value_or(0), *inc.recovery_ms);
      beyond = beyond || inc.recovery_verdict == Verdict::kBeyond;
      open = open || inc.recovery_verdict == Verdict::kOpen;
    }
    Inline line = {strong("Recovery:"), text(" ")};
    if (worst) {
      line.push_back(text("longest " + span(worst) + " after access was restored, against the " +
                          format_duration(d.recovery_bound_ms) + " promise (D10): "));
      line.push_back(beyond ? bad("promise broken") : good("promise kept"));
      if (open) line.push_back(bad("; storage still unavailable at the end of the run"));
      line.push_back(text("."));
    } else if (open) {
      line.push_back(bad("storage still unavailable at the end of the run"));
      line.push_back(text("."));
    } else {
      line.push_back(text("nothing to recover from."));
    }
    items.push_back(std::move(line));
  }
  {
    Inline line = {strong("Expectations:"), text(" ")};
    if (d.expectations.empty()) {
      line.push_back(text("not evaluated in this database."));
    } else {
      std::size_t met = 0;
      for (const auto& x : d.expectations) met += x.passed ? 1 : 0;
      const std::string words = std::to_string(met) + " of " + std::to_string(d.expectations.size()) + " met";
      line.push_back(met == d.expectations.size() ? good(words) : bad(words));
      line.push_back(text("."));
    }
    items.push_back(std::move(line));
  }
  if (d.operations_not_modelled > 0) {
    items.push_back({strong("Note:"), text(" " + std::to_string(d.operations_not_modelled) +
                                           " scenario event(s) answered 501, not modelled in this version "
                                           "(see the scenario events under the timeline).")});
  }
  return items;
}

void sweep_findings(Builder& b, const ReportData& d) {
  std::vector<Inline> items;
  std::size_t incidents = 0;
  for (const auto& r : d.runs) incidents += r.incidents;
  items.push_back({strong("Runs:"), text(" " + std::to_string(d.run_count) + " runs, " + std::to_string(incidents) +
                                         " incident(s) in all.")});
  for (const auto& dist : d.distributions) {
    std::string name = dist.name;
    if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
    Inline line = {strong(name + ":"), text(" ")};
    if (dist.values.empty()) {
      line.push_back(text("no value in any run."));
    } else {
      line.push_back(text("p50 " + format_value(dist, dist.p50) + ", p95 " + format_value(dist, dist.p95) + ", p99 " +
                          format_value(dist, dist.p99) + ", max " + format_value(dist, dist.max) + " over " +
                          std::to_string(dist.values.size()) + " " + dist.of));
      if (dist.bound) {
        line.push_back(text("; "));
        const std::string words = std::to_string(dist.beyond_bound) + " beyond the documented " +
                                  format_value(dist, *dist.bound);
        line.push_back(dist.beyond_bound > 0 ? bad(words) : good(words));
      }
      line.push_back(text("."));
    }
    items.push_back(std::move(line));
  }
  {
    Inline line = {strong("Expectations:"), text(" ")};
    if (d.runs_expectations_absent == d.run_count) {
      line.push_back(text("not evaluated in this database."));
    } else {
      const std::string words = "all met in " + std::to_string(d.runs_expectations_met) + " of " +
                                std::to_string(d.run_count) + " runs";
      line.push_back(d.runs_expectations_failed == 0 ? good(words) : bad(words));
      if (d.runs_expectations_absent > 0) {
        line.push_back(text(" (" + std::to_string(d.runs_expectations_absent) + " not evaluated)"));
      }
      line.push_back(text("."));
    }
    items.push_back(std::move(line));
  }
  b.list(std::move(items));

  b.heading(3, "distributions", "Distributions over the runs");
  b.paragraph({text("Percentiles by nearest rank. Exposure window and recovery time count one value per incident "
                    "that has one; GB lost counts one value per run.")});
  Table& t = b.table({"measure", "values", "p50", "p95", "p99", "max", "beyond the documented bound"},
                     {false, true, true, true, true, true, true});
  for (const auto& dist : d.distributions) {
    if (dist.values.empty()) {
      Builder::row(t, {cell(dist.name), cell("0 " + dist.of), cell("-"), cell("-"), cell("-"), cell("-"), cell("-")});
      continue;
    }
    Builder::row(t, {cell(dist.name), cell(std::to_string(dist.values.size()) + " " + dist.of),
                     cell(format_value(dist, dist.p50)), cell(format_value(dist, dist.p95)),
                     cell(format_value(dist, dist.p99)), cell(format_value(dist, dist.max)),
                     dist.bound ? Inline{dist.beyond_bound > 0 ? bad(std::to_string(dist.beyond_bound))
                                                               : good("0")}
                                : cell("-")});
  }
  for (const auto& dist : d.distributions) {
    if (dist.values.empty()) continue;
    const std::string bound_label =
        dist.bound ? (dist.name == "exposure window" ? "D7 bound " : "D10 promise ") + format_value(dist, *dist.bound)
                   : std::string();
    b.figure(svg_histogram(dist, bound_label), "Histogram of the " + dist.name);
    Table& h = b.table({"from", "to", dist.of, "share"}, {true, true, true, false},
                       "Histogram of the " + dist.name + " as a table");
    for (const auto& bin : dist.bins) {
      const std::size_t bar = static_cast<std::size_t>(
          std::llround(30.0 * static_cast<double>(bin.count) / static_cast<double>(dist.values.size())));
      Builder::row(h, {cell(format_value(dist, bin.from)), cell(format_value(dist, bin.to)),
                       cell(std::to_string(bin.count)),
                       {text(format_number(100.0 * static_cast<double>(bin.count) / static_cast<double>(dist.values.size()), 0) +
                             "% "),
                        code(bar == 0 ? "." : std::string(bar, '#'))}});
    }
  }

  b.heading(3, "runs", "Runs");
  std::vector<std::string> header = {"run", "seed", "timing"};
  for (const auto& name : d.varying_params) header.push_back(name);
  for (const char* h : {"incidents", "max exposure", "max recovery", "GB lost", "expectations"}) header.emplace_back(h);
  std::vector<bool> numeric(header.size(), false);
  numeric[0] = numeric[1] = true;
  for (std::size_t c = header.size() - 5; c + 1 < header.size(); ++c) numeric[c] = true;
  Table& runs = b.table(header, numeric);
  const std::size_t shown = std::min(d.runs.size(), kMaxSweepRunRows);
  for (std::size_t i = 0; i < shown; ++i) {
    const SweepRun& r = d.runs[i];
    std::vector<Inline> cells = {cell(std::to_string(r.run_number) + (i == d.representative ? " (representative)" : "")),
                                 cell(std::to_string(r.seed)), cell(r.timing)};
    for (const auto& [name, value] : r.varying) cells.push_back(cell(value));
    cells.push_back(cell(std::to_string(r.incidents)));
    cells.push_back(cell(span(r.max_exposure_ms)));
    cells.push_back(cell(span(r.max_recovery_ms)));
    cells.push_back(cell(gb(r.gb_lost)));
    cells.push_back(r.expectations_met ? Inline{*r.expectations_met ? good("met") : bad("NOT MET")}
                                       : cell("not evaluated"));
    Builder::row(runs, std::move(cells));
  }
  if (shown < d.runs.size()) {
    b.paragraph({text("... and " + std::to_string(d.runs.size() - shown) + " more runs (the database has them all).")});
  }
}

void findings(Builder& b, const ReportData& d) {
  b.heading(2, "findings", "Findings");
  if (d.sweep) {
    sweep_findings(b, d);
    b.heading(3, "representative", "Representative run " + std::to_string(d.representative + 1));
    b.paragraph({text("Run " + std::to_string(d.representative + 1) + " (seed " +
                      std::to_string(d.runs[d.representative].seed) +
                      ") has the longest exposure window of the sweep (then the most GB lost). Its incidents follow; "
                      "the timeline, Key Vault load, data accounting and coverage sections show this run.")});
    b.list(headline(d));
  } else {
    b.list(headline(d));
  }
  incident_tables(b, d);
  workspace_table(b, d);
  if (!d.sweep) expectation_table(b, d);
}

// ---- timeline ------------------------------------------------------------------

void timeline(Builder& b, const ReportData& d) {
  const Timeline& t = d.timeline;
  b.heading(2, "timeline-section", "Timeline");
  b.paragraph({text("One lane per vault, key, cluster and workspace, with the key version wrapping each cluster's AEK "
                    "(R4) under its cluster. Bars are states; numbered markers are the scenario's events, listed below. "
                    "Times are from the scenario's start (day hh:mm:ss).")});
  if (t.merged_workspaces > 0) {
    b.paragraph({text(std::to_string(t.merged_workspaces) +
                      " workspaces whose states are identical share a lane (more than 40 workspaces).")});
  }
  b.figure(svg_timeline(t), "Timeline of the run (time from the scenario's start; hover a bar or marker for its details)");

  b.heading(3, "events", "Scenario events");
  if (t.markers.empty()) {
    b.paragraph({text("The scenario has no events.")});
  } else {
    Table& e = b.table({"#", "time", "event", "action", "target", "status", "message"},
                       {true, false, false, false, false, true, false});
    for (const auto& m : t.markers) {
      const Span status = m.status >= 400 ? bad(std::to_string(m.status)) : text(std::to_string(m.status));
      Builder::row(e, {cell(std::to_string(m.number)), cell(format_instant(m.t_ms)), code_cell(m.event_id),
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
                       cell(format_instant(bar.start_ms)), cell(format_instant(bar.end_ms)),
                       cell(format_duration_rounded(bar.end_ms - bar.start_ms))});
    }
  }
}

// ---- Key Vault load --------------------------------------------------------------

void key_vault(Builder& b, const ReportData& d) {
  b.heading(2, "key-vault", "Key Vault calls per hour (D3, D4)");
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

// ---- blast radius -------------------------------------------------------------------

// What the data and kv_calls tables say per key: all a database without the
// blast_radius table (written by an older cmksim) can show.
void blast_radius_fallback(Builder& b, const ReportData& d) {
  b.paragraph({strong("Blast radius: not recorded in this database."),
               text(" It was written by a cmksim version without the "), code("blast_radius"),
               text(" table; run the scenario again with this version, or ask the resource graph with "),
               code("cmksim graph SCENARIO.yaml --impact VAULT/KEY"),
               text(". What the database does record, per key: the data ingested under it and the clusters calling "
                    "its vault.")});
  if (d.keys.empty()) {
    b.paragraph({text("No key in this run.")});
    return;
  }
  Table& t = b.table({"key", "versions with data", "clusters calling its vault", "workspaces (GB remaining under the key)",
                      "GB remaining", "GB lost"},
                     {false, false, false, false, true, true});
  for (const auto& k : d.keys) {
    std::string versions, clusters, workspaces;
    for (const auto& v : k.versions) versions += (versions.empty() ? "" : ", ") + v;
    for (const auto& c : k.clusters) clusters += (clusters.empty() ? "" : ", ") + c;
    for (const auto& [w, g] : k.workspaces) workspaces += (workspaces.empty() ? "" : ", ") + w + " " + gb(g);
    Builder::row(t, {code_cell(k.key), versions.empty() ? cell("-") : code_cell(versions),
                     clusters.empty() ? cell("-") : code_cell(clusters), cell(workspaces.empty() ? "-" : workspaces),
                     cell(gb(k.gb_at_end)), cell(gb(k.gb_lost))});
  }
}

// A blast_radius location as words: "cluster:A, cluster:B" -> cluster `A`,
// cluster `B`; "shared" -> shared storage; anything else as it is.
Inline location_words(const std::string& location) {
  Inline out;
  std::size_t from = 0;
  while (from <= location.size()) {
    const std::size_t comma = std::min(location.find(", ", from), location.size());
    const std::string part = location.substr(from, comma - from);
    if (!out.empty()) out.push_back(text(", "));
    if (part.rfind("cluster:", 0) == 0) {
      out.push_back(text("cluster "));
      out.push_back(code(part.substr(8)));
    } else {
      out.push_back(text(part == "shared" ? "shared storage" : part));
    }
    from = comma + 2;
  }
  return out;
}

// Rows as "a (note), b (note)", names in code; "none" when empty. The note is
// the protection (clusters) or the location (workspaces).
Inline named_list(const std::vector<BlastRadiusRow>& rows, bool protection_note) {
  if (rows.empty()) return {text("none")};
  Inline out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out.push_back(text(", "));
    out.push_back(code(rows[i].subject));
    const std::string& note = protection_note ? rows[i].protection : rows[i].location;
    if (note.empty()) continue;
    out.push_back(text(" ("));
    if (protection_note) {
      out.push_back(code(note));
    } else {
      for (Span& s : location_words(note)) out.push_back(std::move(s));
    }
    out.push_back(text(")"));
  }
  return out;
}

Inline joined(Inline head, Inline tail) {
  for (Span& s : tail) head.push_back(std::move(s));
  return head;
}

void key_blast(Builder& b, const KeyBlast& k, const ReportData& d) {
  b.heading(3, "", "Key " + k.key);
  Inline summary = {text("Revoking "), code(k.key), text(" at the start makes ")};
  if (k.clusters.empty()) {
    summary.push_back(good("no data inaccessible"));
    summary.push_back(text(": no cluster's AEK is wrapped by it at the start."));
  } else {
    summary.push_back(bad(gb(k.gb_inaccessible) + " GB inaccessible"));
    summary.push_back(text(" once the storage of its " + std::to_string(k.clusters.size()) +
                           " cluster(s) becomes unavailable (D6, within D7's " + format_duration(d.revocation_bound_ms) +
                           "), and " + gb(k.gb_per_day_dropped) + " GB/day of arrivals are dropped while it is (D8)."));
  }
  if (k.gb_not_affected > 0) {
    summary.push_back(text(" " + gb(k.gb_not_affected) + " GB is not under this key"));
    if (k.gb_mmk_in_affected_storage > 0) {
      summary.push_back(text(", " + gb(k.gb_mmk_in_affected_storage) +
                             " GB of it MMK data in an affected cluster's storage (K2: the key does not encrypt it, "
                             "but its workspaces cannot be queried while that storage is unavailable)"));
    }
    summary.push_back(text("."));
  } else if (k.gb_inaccessible > 0) {
    summary.push_back(text(" Every GB stored at the start is under this key."));
  }
  b.paragraph(std::move(summary));

  if (!k.clusters.empty() || !k.workspaces.empty()) {
    Table& t = b.table({"affected", "name", "detail", "GB inaccessible", "GB/day dropped while unavailable"},
                       {false, false, false, true, true});
    for (const auto& c : k.clusters) {
      Builder::row(t, {cell("cluster"), code_cell(c.subject),
                       c.protection.empty() ? cell("-") : Inline{text("AEK wrapped by "), code(c.protection)},
                       cell("-"), cell("-")});
    }
    for (const auto& i : k.identities) {
      Builder::row(t, {cell("identity"), code_cell(i.subject), joined({text("identity of ")}, location_words(i.location)),
                       cell("-"), cell("-")});
    }
    for (const auto& w : k.workspaces) {
      Builder::row(t, {cell("workspace"), code_cell(w.subject),
                       w.location.empty() ? cell("-") : joined({text("data in ")}, location_words(w.location)), cell(gb(w.gb)),
                       cell(gb(w.gb_per_day))});
    }
  }

  if (!k.inaccessible.empty() || !k.not_affected.empty()) {
    Table& t = b.table({"data", "protection", "location", "GB"}, {false, false, false, true});
    for (const auto& x : k.inaccessible) {
      Builder::row(t, {cell("inaccessible"), code_cell(x.protection), cell("an affected cluster's storage"), cell(gb(x.gb))});
    }
    Builder::row(t, {cell("inaccessible, total"), cell(""), cell(""), cell(gb(k.gb_inaccessible))}, true);
    for (const auto& x : k.not_affected) {
      Builder::row(t, {cell("not affected"), code_cell(x.protection), location_words(x.location), cell(gb(x.gb))});
    }
    Builder::row(t, {cell("not affected, total"), cell(""), cell(""), cell(gb(k.gb_not_affected))}, true);
  }

  b.list({joined(joined({strong("Clusters not affected:"), text(" ")}, named_list(k.clusters_not_affected, true)),
                 {text(".")}),
          joined(joined({strong("Workspaces not affected:"), text(" ")}, named_list(k.workspaces_not_affected, false)),
                 {text(".")}),
          {strong("Never under the CMK (K5):"),
           text(" tables on the Auxiliary plan, saved queries in query packs, dashboards, Logic Apps, Notebooks and "
                "Automation runbooks, whatever the key (see the coverage section).")}});
}

void blast_radius(Builder& b, const ReportData& d) {
  b.heading(2, "blast-radius", "Blast radius of each key");
  if (!d.blast_radius_recorded) {
    blast_radius_fallback(b, d);
    return;
  }
  b.paragraph({text("What revoking each declared key at the start of the run (disabling or deleting it, or removing "
                    "its clusters' access, D6) takes down, as the resource graph answers it from the scenario: the "
                    "clusters whose AEK the key wraps, their identities and workspaces, and the GB stored at the start "
                    "by protection class (K2) that becomes inaccessible or stays readable. "),
               code("cmksim graph SCENARIO.yaml --impact VAULT/KEY --at TIME"),
               text(d.sweep ? " asks the same at any time. Figures of the representative run."
                            : " asks the same at any time.")});
  if (d.blast.empty()) {
    b.paragraph({text("No key is declared in this scenario.")});
    return;
  }
  for (const KeyBlast& k : d.blast) key_blast(b, k, d);
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
  Table& t = b.table({"ID", "behaviour modelled", "evidence"}, {});
  for (const auto& u : d.behaviours) Builder::row(t, {{strong(u.id)}, cell(u.sentence), cell(u.evidence)});
}

}  // namespace

Document build_document(const ReportData& d) {
  Builder b;
  b.doc.title = "cmksim security review: " + d.scenario;
  b.doc.version = d.cmksim_version;
  header(b, d);
  findings(b, d);
  timeline(b, d);
  key_vault(b, d);
  data_accounting(b, d);
  blast_radius(b, d);
  cmk_coverage(b, d);
  behaviours_section(b, d);
  b.doc.footer = "Generated by cmksim " + d.cmksim_version +
                 " from the results database alone; the same database gives the same report, byte for byte.";
  return std::move(b.doc);
}

}  // namespace cmksim::report
