// cmksim validate: check scenarios without simulating.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/cli/command.h"
#include "sim/graph/graph_checks.h"
#include "sim/io/profile_builder.h"
#include "sim/io/scenario_loader.h"
#include "sim/lint/plan_lint.h"
#include "sim/core/text.h"

namespace cmksim {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  bool strict = false;
  LoadLimits limits;
};

int validate(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  int status = kExitOk;
  bool any_warning = false;
  for (const std::string& file : options.files) {
    const Expected<Scenario> loaded = load_scenario_file(file, options.limits);
    const Expected<Profile> built = loaded ? build_profile(*loaded, {}, "") : Expected<Profile>(loaded.error());
    if (!built) {
      err << built.error().str() << "\n";
      status = kExitBadInput;
      continue;
    }
    if (const Status bounded = check_work(*loaded, *built, options.limits.max_work, loaded->duration_ms); !bounded) {
      err << bounded.error().str() << "\n";  // what run would refuse (issue 18, item 7)
      status = kExitBadInput;
      continue;
    }
    const Scenario& scenario = *loaded;
    const Profile& profile = *built;
    if (const std::string note = timing_alias_note(scenario.timing_alias); !note.empty()) err << file << ": " << note << "\n";
    const std::vector<GraphFinding> findings = check_scenario_graph(scenario);
    for (const GraphFinding& f : findings) err << one_line(f.str(scenario.file)) << "\n";
    if (has_errors(findings)) {
      status = kExitBadInput;
      continue;
    }
    any_warning = any_warning || !findings.empty();
    for (const LintFinding& f : lint_plan(scenario, profile)) {
      err << scenario.file << ":" << f.pos.line << ":" << f.pos.column << ": warning: " << one_line(f.message)
          << (f.behaviour.empty() ? "" : " [" + f.behaviour + "]") << "\n";
      any_warning = true;
    }
    // A scenario of fault processes (issue 17) has its events drawn per seed: say so, not "0 events".
    const std::string faults = scenario.faults.empty() ? ""
                               : std::to_string(scenario.faults.size()) +
                                     (scenario.faults.size() == 1 ? " fault process, " : " fault processes, ");
    out << file << ": valid (" << scenario.events.size() << " events, " << faults << scenario.expectations.size()
        << " expectations)\n";
  }
  if (status == kExitOk && options.strict && any_warning) return kExitNotMet;
  return status;
}

}  // namespace

CommandAction define_validate(CLI::App& app) {
  app.description(
      "Checks types, units, ranges and references without simulating, then the resource graph: a key\n"
      "or workspace in another region or tenant than its cluster (C3), a cluster with no grant path to\n"
      "its vault (C2), and warnings for resources nothing uses; then lints the plan for the pitfalls the\n"
      "documents call out (a version in use disabled before the cluster moves, R3; identity and key in one\n"
      "update, C2; a link before provisioning, D11; a third link in 30 days, W2; identity none, C6; a vault\n"
      "without soft delete or purge protection, C2; a name nothing else refers to, a probable typo).\n"
      "Exit status 0 valid (warnings allowed), 1 with --strict when there are warnings, 2 invalid.\n");
  app.footer("example: cmksim validate scenarios/*.yaml\n");
  const auto o = std::make_shared<ValidateOptions>();
  add_operands(app, "SCENARIO.yaml", "scenario", o->files)->required();
  app.add_flag("--strict", o->strict, "exit 1 when there are warnings");
  add_limit_options(app, o->limits);
  return [o](std::ostream& out, std::ostream& err) { return validate(*o, out, err); };
}

}  // namespace cmksim
