// cmksim validate: check scenarios without simulating.
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/graph/graph_checks.h"
#include "sim/io/scenario_loader.h"

namespace cmksim {
namespace {

const char* const kValidateUsage =
    "usage: cmksim validate SCENARIO.yaml...\n"
    "Checks types, units, ranges and references without simulating, then the resource graph: a key\n"
    "or workspace in another region or tenant than its cluster (C3), a cluster with no grant path to\n"
    "its vault (C2), and warnings for resources nothing uses. Exit status 0 valid (warnings allowed),\n"
    "2 invalid.\n"
    "example: cmksim validate scenarios/*.yaml\n";

}  // namespace

int command_validate(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kValidateUsage;
    return kExitOk;
  }
  if (args.size() < 2) return bad_input(err, std::string("cmksim validate: missing SCENARIO.yaml\n") + kValidateUsage);
  int status = kExitOk;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i].size() > 1 && args[i][0] == '-') {
      return bad_input(err, "cmksim validate: unknown option '" + args[i] + "'");
    }
    const LoadResult loaded = load_scenario_file(args[i]);
    std::optional<LoadError> problem = loaded.error;
    Profile profile;
    if (!problem) problem = build_profile(*loaded.scenario, {}, "", profile);
    if (problem) {
      err << problem->str() << "\n";
      status = kExitBadInput;
      continue;
    }
    const std::vector<GraphFinding> findings = check_scenario_graph(*loaded.scenario);
    for (const GraphFinding& f : findings) err << f.str(loaded.scenario->file) << "\n";
    if (has_errors(findings)) {
      status = kExitBadInput;
      continue;
    }
    out << args[i] << ": valid (" << loaded.scenario->events.size() << " events, "
        << loaded.scenario->expectations.size() << " expectations)\n";
  }
  return status;
}

}  // namespace cmksim
