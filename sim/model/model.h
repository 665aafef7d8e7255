// The cmksim model: runs one scenario on the event engine and returns
// everything it produced as a RunRecord.
//
// It models, for the azure-monitor-current profile: continuous ingestion (D1)
// with protection classes (K2), Key Vault calls every 6-60 s (D3) with a
// cached AEK (D4), transient faults that change nothing (D5), permission
// changes (D6) honoured within the revocation bound (D7, three timings),
// data dropped and queries failing while unavailable (D8), retention (D9)
// and recovery within the recovery bound (D10), plus auto-rotation and
// explicit versions (R1, R2). Actions of later issues are answered 501.
// It reads no files and writes none: the loader and the results writer sit
// at the edges.
#pragma once
#include <cstdint>

#include "sim/profile/profile.h"
#include "sim/record/run_record.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

struct RunSettings {
  Profile profile;
  Timing timing = Timing::kSampled;
  std::uint64_t seed = 1;
};

RunRecord run_scenario(const Scenario& scenario, const RunSettings& settings);

}  // namespace cmksim
