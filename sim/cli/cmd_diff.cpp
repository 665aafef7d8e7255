// cmksim diff: what changed between two results databases (INTERFACE.md §1).
#include <string>
#include <utility>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/core/text.h"
#include "sim/io/results_reader.h"
#include "sim/sweep/diff.h"

namespace cmksim {
namespace {

const char* const kDiffUsage =
    "usage: cmksim diff a.db b.db [--max-runs N]\n"
    "Compares two results databases run by run (a single run, or a sweep's runs in run_id order):\n"
    "incidents, headline figures, state intervals, operations and expectations. Differences in what\n"
    "the runs were asked to do (seed, profile, parameters, grid values) are shown as context.\n"
    "  --max-runs N   list the changes of at most N runs (default 10; 0 = all)\n"
    "Exit status 0 when they are the same, 1 when they differ, 2 on bad input (not a cmksim database).\n"
    "example: cmksim diff before.db after.db\n";

}  // namespace

int command_diff(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kDiffUsage;
    return kExitOk;
  }
  std::vector<std::string> files;
  DiffOptions options;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--max-runs") {
      if (i + 1 >= args.size()) return bad_input(err, "cmksim diff: option --max-runs needs a value");
      const auto n = parse_seed(args[++i]);
      if (!n) return bad_input(err, "cmksim diff: --max-runs expects a non-negative integer, got '" + args[i] + "'");
      options.max_runs_shown = static_cast<std::size_t>(*n);
    } else if (a.size() > 1 && a[0] == '-') {
      return bad_input(err, "cmksim diff: unknown option '" + a + "'" + did_you_mean(a, {"--max-runs"}));
    } else {
      files.push_back(a);
    }
  }
  if (files.size() != 2) return bad_input(err, "cmksim diff: expects two databases\n" + std::string(kDiffUsage));
  const Expected<ResultsRead> a = read_results_db(files[0]);
  if (!a) return bad_input(err, "cmksim diff: " + a.error().str());
  const Expected<ResultsRead> b = read_results_db(files[1]);
  if (!b) return bad_input(err, "cmksim diff: " + b.error().str());
  const DiffResult result = diff_runs(a->runs, b->runs, files[0], files[1], options);
  // Context, not a change: a sweep stopped early holds only its first runs (issue 8).
  for (const auto& [file, read] : {std::make_pair(files[0], &*a), std::make_pair(files[1], &*b)}) {
    if (read->stopped) {
      out << "note: " << file << " holds a sweep stopped by " << read->stopped->reason << " after "
          << read->stopped->written_runs << " of " << read->stopped->planned_runs << " planned runs\n";
    }
  }
  out << result.text;
  return result.differ ? kExitNotMet : kExitOk;
}

}  // namespace cmksim
