// The report's findings section (document_builder.h): the headline, each
// incident against D7's and D10's bounds, the workspaces, the expectations,
// and for a sweep the distributions over its runs and the runs themselves.
#include <algorithm>
#include <cmath>

#include "sim/check/refused_events.h"
#include "sim/report/document_builder.h"
#include "sim/report/report_text.h"
#include "sim/report/svg_timeline.h"

namespace cmksim::report::document {
namespace {

constexpr std::size_t kMaxSweepRunRows = 200;  // rows of the runs table of a sweep

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
    Builder::row(e, {cell(std::to_string(inc.number)), code_cell(inc.cluster), cell(inc.cause), cell(at(d, inc.change_ms)),
                     cell(at(d, inc.first_denied_ms)), cell(at(d, inc.unavailable_ms)), cell(span(inc.exposure_ms)),
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
    Builder::row(r, {cell(std::to_string(inc.number)), code_cell(inc.cluster), cell(at(d, inc.restored_ms)),
                     cell(at(d, inc.resumed_ms)), cell(unavailable), cell(span(inc.recovery_ms)),
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

// D8: how long storage was unavailable (queries failing, arrivals dropped).
Inline time_unavailable_line(const ReportData& d) {
  DurationMs total = 0;
  const IncidentFinding* longest = nullptr;
  for (const auto& inc : d.incidents) {
    if (!inc.unavailable_for_ms) continue;
    total += *inc.unavailable_for_ms;
    if (longest == nullptr || *inc.unavailable_for_ms > *longest->unavailable_for_ms) longest = &inc;
  }
  Inline line = {strong("Time unavailable:"), text(" ")};
  if (longest == nullptr) {
    line.push_back(good("none"));
    line.push_back(text(": no cluster's storage became unavailable."));
    return line;
  }
  line.push_back(bad(format_duration_rounded(total)));
  line.push_back(text(" in all (D8: queries failed, arrivals dropped); longest " +
                      format_duration_rounded(*longest->unavailable_for_ms) + ", incident #" +
                      std::to_string(longest->number) + " on " + longest->cluster + ", from " +
                      at(d, longest->unavailable_ms) + (longest->unavailable_at_end ? ", still unavailable at the end." : ".")));
  return line;
}

std::vector<Inline> headline(const ReportData& d) {
  std::vector<Inline> items;
  if (d.incidents.empty()) {
    items.push_back({strong("Incidents:"), text(" none.")});
  } else {
    std::optional<DurationMs> worst;
    bool beyond = false, open = false;
    std::size_t outages = 0;
    for (const auto& inc : d.incidents) {
      outages += inc.kv_outage ? 1 : 0;
      if (inc.exposure_ms) worst = std::max(worst.value_or(0), *inc.exposure_ms);
      beyond = beyond || inc.exposure_verdict == Verdict::kBeyond;
      open = open || inc.exposure_verdict == Verdict::kOpen;
    }
    // D13: an outage is not a permission change and has no exposure window
    const std::string outage_note =
        outages == 0 ? "" : "; " + std::to_string(outages) + " Key Vault outage(s) (D13), not permission changes";
    Inline line = {strong("Exposure:")};
    if (outages == d.incidents.size()) {
      line.push_back(text(" no permission change; " + std::to_string(outages) +
                          " Key Vault outage(s) (D13), which are not revocations: no exposure window."));
    } else {
      line.push_back(text(" " + std::to_string(d.incidents.size() - outages) + " incident(s)" + outage_note +
                          "; longest exposure window " + span(worst) + " against D7's " +
                          format_duration(d.revocation_bound_ms) + ": "));
      line.push_back(beyond ? bad("bound exceeded") : open ? bad("an exposure still open at the end") : good("within the bound"));
      line.push_back(text("."));
    }
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
  items.push_back(time_unavailable_line(d));
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
  if (!d.refused_events.empty()) {  // nothing silent (issue 15)
    std::string words = " " + refused_events_heading(d.refused_events.size());
    for (std::size_t i = 0; i < d.refused_events.size(); ++i) words += (i ? "; " : " ") + d.refused_events[i];
    items.push_back({strong("Refused events:"), text(words + ".")});
  }
  if (!d.timing_bounds.empty()) {  // where a sampled run sits between the D7 extremes (issue 15)
    std::string words;
    std::size_t start = 0;
    while (start < d.timing_bounds.size()) {
      const std::size_t end = d.timing_bounds.find('\n', start);
      std::string line = d.timing_bounds.substr(start, end - start);
      line.erase(0, line.find_first_not_of(' '));
      words += (words.empty() ? " " : "; ") + line;
      start = end == std::string::npos ? d.timing_bounds.size() : end + 1;
    }
    items.push_back({strong("D7 bounds:"), text(words + " (the same seed run with timing latest and earliest).")});
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

  grid_comparison(b, d);
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

}  // namespace

void findings(Builder& b, const ReportData& d) {
  b.heading(2, "findings", "Findings");
  if (d.sweep) {
    sweep_findings(b, d);
    b.heading(3, "representative", "Representative run " + std::to_string(d.representative + 1));
    b.paragraph({text("Run " + std::to_string(d.representative + 1) + " of the sweep" +
                      (d.database.empty() ? std::string() : " in " + d.database) + " (seed " +
                      std::to_string(d.runs[d.representative].seed) + "): " + d.representative_why +
                      ". Its incidents follow; the timeline, Key Vault load, data accounting and coverage sections "
                      "show this run.")});
    b.list(headline(d));
  } else {
    b.list(headline(d));
  }
  incident_tables(b, d);
  workspace_table(b, d);
  if (!d.sweep) expectation_table(b, d);
}

}  // namespace cmksim::report::document
