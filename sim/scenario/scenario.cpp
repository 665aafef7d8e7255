#include "sim/scenario/scenario.h"

namespace cmksim {

const char* timing_name(Timing t) {
  switch (t) {
    case Timing::kSampled: return "sampled";
    case Timing::kWorst: return "worst";
    case Timing::kBest: return "best";
  }
  return "sampled";
}

}  // namespace cmksim
