// Plan lint: the pitfalls the source documents call out, found in a
// scenario's plan before anything runs (`cmksim validate`). Each finding is a
// warning, not an error: the plan is valid, it just does something the
// documents warn about. Pure: reads the scenario and the profile only.
#pragma once
#include <string>
#include <vector>

#include "sim/profile/profile.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

struct LintFinding {
  SourcePos pos;
  std::string behaviour;  // the behaviour ID it cites
  std::string message;
};

// In the order of the scenario's text (by line, then column).
std::vector<LintFinding> lint_plan(const Scenario& scenario, const Profile& profile);

}  // namespace cmksim
