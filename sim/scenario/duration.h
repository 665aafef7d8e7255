// Durations as scenarios write them (INTERFACE.md §2): an integer with a unit,
// units chained from largest to smallest: "500ms", "45s", "15m", "1h30m",
// "2d", "1w". A bare "0" is zero. Parsing is exact integer arithmetic.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.h"

namespace cmksim {

struct DurationParse {
  std::optional<DurationMs> value;
  std::string error;  // why it is not a duration, when !value
};

DurationParse parse_duration(std::string_view text);

}  // namespace cmksim
