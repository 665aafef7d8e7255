// Durations as scenarios write them (INTERFACE.md §2): an integer with a unit,
// units chained from largest to smallest: "500ms", "45s", "15m", "1h30m",
// "2d", "1w". A bare "0" is zero. Parsing is exact integer arithmetic.
#pragma once
#include <string_view>

#include "sim/core/status.h"
#include "sim/core/time.h"

namespace cmksim {

// The duration `text` writes, in [0, 1000 years]; else an Error without a
// position whose message says why ("duration '5' has no unit ...").
Expected<DurationMs> parse_duration(std::string_view text);

}  // namespace cmksim
