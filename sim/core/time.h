// Simulated time: integer milliseconds from the scenario's start.
//
// Time is never a floating-point value anywhere in the simulator: event order
// and every recorded timestamp must be identical on every platform.
#pragma once
#include <cstdint>

namespace cmksim {

using TimeMs = std::int64_t;      // an instant, ms since the scenario's start
using DurationMs = std::int64_t;  // a span of simulated time, ms

constexpr DurationMs kMsPerSecond = 1000;
constexpr DurationMs kMsPerMinute = 60 * kMsPerSecond;
constexpr DurationMs kMsPerHour = 60 * kMsPerMinute;
constexpr DurationMs kMsPerDay = 24 * kMsPerHour;
constexpr DurationMs kMsPerWeek = 7 * kMsPerDay;

}  // namespace cmksim
