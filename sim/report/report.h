// The security-review report of a results database (`cmksim report`): one
// self-contained HTML file (inline CSS and SVG, no script, nothing fetched),
// or Markdown with the same content in tables. Both are byte-identical for
// the same runs: nothing depends on the clock or the machine.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/record/run_record.h"
#include "sim/record/sweep_stopped.h"
#include "sim/report/report_data.h"
#include "sim/report/report_document.h"

namespace cmksim::report {

std::string render_html(const Document& doc);
// The same with every folded table unfolded (for print and PDF).
std::string render_html_for_print(const Document& doc);
std::string render_markdown(const Document& doc);

// The report of the runs of one database (at least one run; more than one
// is a sweep and gives distributions).
// `stopped`: the database's `sweep_stopped` row, if it has one.
// `choice`: the run a sweep's per-run sections show (pick_run, report_data.h).
std::string html_report(const std::vector<RunRecord>& runs, const std::optional<SweepStopped>& stopped = std::nullopt,
                        const Representative& choice = {});
std::string markdown_report(const std::vector<RunRecord>& runs,
                            const std::optional<SweepStopped>& stopped = std::nullopt,
                            const Representative& choice = {});

}  // namespace cmksim::report
