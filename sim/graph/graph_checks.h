// Load-time checks of a scenario's resources, done on its ResourceGraph.
//
// Errors (the scenario describes something the service would never have let
// exist at the start):
//   C3  a cluster whose key's vault is in another region or tenant (the key
//       chain cluster -> storage -> AEK -> version -> key -> vault, a BFS);
//   C3  a workspace linked to a cluster in another region or tenant;
//   C2  a cluster with a key but no grant path (identity -> grant with wrap
//       and unwrap) from its identity to its key's vault, a BFS; C7 when a
//       grant exists but lacks wrap or unwrap; C6 when the identity is none.
// Warnings (a resource nothing refers to, now or through an event):
//   K1  a vault none of whose keys any cluster uses, and a key no cluster uses;
//   C6  a user-assigned identity no cluster uses;
//   C7  a grant no cluster uses (no cluster with that identity keeps its key
//       in that vault);
//   W1  a cluster no workspace is linked to.
// Events are not checked (an event's names are resolved when it runs); they
// count only as references, so a vault used by a later update_cluster_key is
// not reported unused. Pure: no I/O.
#pragma once
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace cmksim {

enum class Severity { kError, kWarning };

struct GraphFinding {
  Severity severity = Severity::kError;
  SourcePos pos;          // the declaration it is about
  std::string message;    // lower case, no trailing period
  std::string behaviour;  // "C3", "K1", ...

  // "file:line:col: message [C3]" or "file:line:col: warning: message [K1]"
  // ("file: ..." when the position is unknown).
  std::string str(const std::string& file) const;
};

// Every finding, ordered by position (then by check) for stable output.
std::vector<GraphFinding> check_scenario_graph(const Scenario& scenario);

bool has_errors(const std::vector<GraphFinding>& findings);

}  // namespace cmksim
