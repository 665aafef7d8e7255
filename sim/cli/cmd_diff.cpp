// cmksim diff: what changed between two results databases (INTERFACE.md §1).
#include <string>
#include <utility>
#include <vector>

#include "sim/cli/command.h"
#include "sim/core/text.h"
#include "sim/io/results_reader.h"
#include "sim/sweep/diff.h"
#include "sim/sweep/risk.h"

namespace cmksim {
namespace {

struct DiffRequest {
  std::vector<std::string> files;
  DiffOptions options;
  bool risk = false;  // --risk: the sweeps' risk figures side by side (issue 17 item 2)
};

Status read_max_runs(const std::string& value, DiffOptions& options) {
  const auto n = parse_uint64(value);
  if (!n) return Error("--max-runs expects a non-negative integer, got '" + value + "'");
  options.max_runs_shown = static_cast<std::size_t>(*n);
  return {};
}

int diff(const DiffRequest& request, std::ostream& out, std::ostream& err) {
  const std::vector<std::string>& files = request.files;
  if (files.size() != 2) {
    return bad_input(err, "cmksim diff: expects two databases, got " + std::to_string(files.size()));
  }
  const Expected<ResultsRead> a = read_results_db(files[0]);
  if (!a) return bad_input(err, "cmksim diff: " + a.error().str());
  const Expected<ResultsRead> b = read_results_db(files[1]);
  if (!b) return bad_input(err, "cmksim diff: " + b.error().str());
  if (request.risk) {
    const RiskDiff risk = diff_risk(risk_by_point(a->runs), risk_by_point(b->runs), files[0], files[1]);
    out << terminal_safe_lines(risk.text);
    return risk.differ ? kExitNotMet : kExitOk;
  }
  const DiffResult result = diff_runs(a->runs, b->runs, files[0], files[1], request.options);
  // Context, not a change: a sweep stopped early holds only its first runs (issue 8).
  for (const auto& [file, read] : {std::make_pair(files[0], &*a), std::make_pair(files[1], &*b)}) {
    if (read->stopped) {
      out << "note: " << file << " holds a sweep stopped by " << read->stopped->reason << " after "
          << read->stopped->written_runs << " of " << read->stopped->planned_runs << " planned runs\n";
    }
  }
  out << terminal_safe_lines(result.text);  // names from the databases (issue 18)
  return result.differ ? kExitNotMet : kExitOk;
}

}  // namespace

CommandAction define_diff(CLI::App& app) {
  app.description(
      "Compares two results databases run by run (a single run, or a sweep's runs in run_id order):\n"
      "incidents, headline figures, state intervals, operations and expectations. Differences in what\n"
      "the runs were asked to do (seed, profile, parameters, grid values) are shown as context.\n"
      "Exit status 0 when they are the same, 1 when they differ, 2 on bad input (not a cmksim database).\n");
  app.footer("example: cmksim diff before.db after.db\n"
             "         cmksim diff --risk pinned.db auto-rotation.db\n");
  const auto r = std::make_shared<DiffRequest>();
  add_operands(app, "a.db b.db", "database", r->files)->required();
  add_read_option(app, "--max-runs", "N", "list the changes of at most N runs (default 10; 0 = all)",
                  [r](const std::string& v) { return read_max_runs(v, r->options); });
  app.add_flag("--risk", r->risk,
               "compare the risk figures of two sweeps (two policies) per grid point: A, B, B-A and whether the "
               "95% confidence intervals overlap; exit 1 when some do not");
  return [r](std::ostream& out, std::ostream& err) { return diff(*r, out, err); };
}

}  // namespace cmksim
