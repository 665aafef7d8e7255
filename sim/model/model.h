// The cmksim model: runs one scenario on the event engine and returns
// everything it produced as a RunRecord.
//
// It models, for the azure-monitor-current profile: continuous ingestion (D1)
// with protection classes (K2), Key Vault calls every 6-60 s (D3) with a
// cached AEK (D4), transient faults that change nothing (D5), permission
// changes (D6) honoured within the revocation bound (D7, three timings),
// data dropped and queries failing while unavailable (D8), retention (D9)
// and recovery within the recovery bound (D10), the hot cache (K3, D2),
// rotation (R1-R4), the control plane with its documented answers (C1-C8,
// W1-W3, D11, D12, K4, Q1, L1) and the 2020 profile's outages (D13).
// It reads no files and writes none: the loader and the results writer sit
// at the edges.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/graph/resource_graph.h"
#include "sim/profile/profile.h"
#include "sim/profile/run_settings.h"
#include "sim/record/run_record.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

RunRecord run_scenario(const Scenario& scenario, const RunSettings& settings);

// The resources as the model holds them at simulated time `at_ms`, every
// event at or before it run: what `cmksim graph --at` shows. Asynchronous
// operations (link, unlink, key update, cluster deletion) change the graph
// when they complete in the run with these settings, so the seed and the
// timing matter. `operations`: the answers given so far, in order; one still
// pending (status 202) has no completed_ms.
struct GraphSnapshot {
  ResourceGraph graph;
  std::vector<OperationRow> operations;
};

GraphSnapshot graph_snapshot(const Scenario& scenario, const RunSettings& settings, TimeMs at_ms);

}  // namespace cmksim
