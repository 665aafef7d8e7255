// cmksim validate: check scenarios without simulating.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/graph/graph_checks.h"
#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/lint/plan_lint.h"
#include "sim/core/text.h"

namespace cmksim {
namespace {

const char* const kValidateUsage =
    "usage: cmksim validate [--strict] [--max-events N] [--max-years Y] SCENARIO.yaml...\n"
    "Checks types, units, ranges and references without simulating, then the resource graph: a key\n"
    "or workspace in another region or tenant than its cluster (C3), a cluster with no grant path to\n"
    "its vault (C2), and warnings for resources nothing uses; then lints the plan for the pitfalls the\n"
    "documents call out (a version in use disabled before the cluster moves, R3; identity and key in one\n"
    "update, C2; a link before provisioning, D11; a third link in 30 days, W2; identity none, C6; a vault\n"
    "without soft delete or purge protection, C2; a name nothing else refers to, a probable typo).\n"
    "Exit status 0 valid (warnings allowed), 1 with --strict when there are warnings, 2 invalid.\n"
    "--max-events and --max-years set the limits on a scenario (default 1000000 events, 100 years).\n"
    "example: cmksim validate scenarios/*.yaml\n";

}  // namespace

int command_validate(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kValidateUsage;
    return kExitOk;
  }
  if (args.size() < 2) return bad_input(err, std::string("cmksim validate: missing SCENARIO.yaml\n") + kValidateUsage);
  int status = kExitOk;
  bool strict = false;
  bool any_warning = false;
  LoadLimits limits;
  std::vector<std::string> files;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--strict") {
      strict = true;
      continue;
    }
    if (args[i].size() > 1 && args[i][0] == '-') {
      std::vector<std::string> known = {"--strict"};
      known.insert(known.end(), limit_options().begin(), limit_options().end());
      if (std::find(known.begin(), known.end(), args[i]) == known.end()) {
        return bad_input(err, "cmksim validate: unknown option '" + args[i] + "'" + did_you_mean(args[i], known));
      }
      if (i + 1 >= args.size()) return bad_input(err, "cmksim validate: option " + args[i] + " needs a value");
      const Status limit = apply_limit_option(limits, args[i], args[i + 1]);  // the only options with a value
      if (!limit) return bad_input(err, "cmksim validate: " + limit.error().message);
      ++i;
      continue;
    }
    files.push_back(args[i]);
  }
  if (files.empty()) return bad_input(err, std::string("cmksim validate: missing SCENARIO.yaml\n") + kValidateUsage);
  for (const std::string& file : files) {
    const Expected<Scenario> loaded = load_scenario_file(file, limits);
    const Expected<Profile> built = loaded ? build_profile(*loaded, {}, "") : Expected<Profile>(loaded.error());
    if (!built) {
      err << built.error().str() << "\n";
      status = kExitBadInput;
      continue;
    }
    const Profile& profile = *built;
    const std::vector<GraphFinding> findings = check_scenario_graph(*loaded);
    for (const GraphFinding& f : findings) err << one_line(f.str(loaded->file)) << "\n";
    if (has_errors(findings)) {
      status = kExitBadInput;
      continue;
    }
    any_warning = any_warning || !findings.empty();
    for (const LintFinding& f : lint_plan(*loaded, profile)) {
      err << loaded->file << ":" << f.pos.line << ":" << f.pos.column << ": warning: " << one_line(f.message)
          << (f.behaviour.empty() ? "" : " [" + f.behaviour + "]") << "\n";
      any_warning = true;
    }
    out << file << ": valid (" << loaded->events.size() << " events, "
        << loaded->expectations.size() << " expectations)\n";
  }
  if (status == kExitOk && strict && any_warning) return kExitNotMet;
  return status;
}

}  // namespace cmksim
