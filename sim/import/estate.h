// The estate: what a set of ARM resources says exists, as scenario values
// (sim/scenario/scenario.h), with every value the importer had to assume
// marked. ARM does not say how much a workspace ingests, how much data it
// holds, when a key was set or which key version is newest when only a
// versioned URI is known; those values get a comment on the line they set
// and a note for stderr naming the option that sets them.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/core/time.h"
#include "sim/import/arm_resource.h"
#include "sim/scenario/scenario.h"

namespace cmksim::import {

struct EstateOptions {
  std::optional<double> ingest_gb_per_day;   // every workspace's rate; default: a split of the cluster's capacity
  std::optional<DurationMs> existing_data_ms;  // every workspace's data at the start; default: its retention
};

// Where a comment goes: the entry of a section ("key_vaults/kv1"), one of its fields
// ("workspaces/ws1/ingest_gb_per_day") or a key of a vault ("key_vaults/kv1/keys/k1").
std::string comment_key(const std::string& section, const std::string& name, const std::string& field = "");

struct Estate {
  Scenario scenario;  // the resources; events only for what Azure says is already so (a disabled key)
  std::map<std::string, std::string> comments;  // comment_key -> the comment on that line
  std::vector<std::string> notes;               // for stderr: assumptions, skipped resources, warnings
  std::string tenant;                           // the one tenant of every resource, when there is one
};

// Builds the estate. Errors: the same resource twice with different values (naming both files), a
// workspace linked to two clusters.
Expected<Estate> build_estate(const std::vector<ArmResource>& resources, const EstateOptions& options);

}  // namespace cmksim::import
