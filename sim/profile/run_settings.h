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
};

}  // namespace cmksim
