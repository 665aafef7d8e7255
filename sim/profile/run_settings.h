// What one run is simulated with besides the scenario: the profile in force,
// the D7 timing and the seed. A plain value, below the model, so the sweep
// (analysis) can name it without seeing the model (sim/model/model.h
// includes this header for existing code).
#pragma once
#include <cstdint>

#include "sim/profile/profile.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

struct RunSettings {
  Profile profile;
  Timing timing = Timing::kSampled;
  std::uint64_t seed = 1;
  // Routine Key Vault calls run inline, without the event queue (the model's
  // on_kv_call). Off: one event each, the reference the tests compare with;
  // the results are the same either way.
  bool inline_kv_calls = true;
  // The run's timelines (the events, states and kv_calls rows) are recorded.
  // Off for a sweep that keeps outcomes only (`cmksim sweep --keep outcomes`):
  // the risk figures and distributions read none of them, and a cluster-year's
  // 8,760 hourly kv_calls rows are most of what it writes (issue 17, item 4).
  bool record_timelines = true;
};

}  // namespace cmksim
