#include "sim/scenario/duration.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace cmksim {
namespace {

struct Unit {
  std::string_view suffix;
  DurationMs ms;
  int rank;  // units must appear from the largest down
};

constexpr Unit kUnits[] = {
    {"ms", 1, 0}, {"w", kMsPerWeek, 5}, {"d", kMsPerDay, 4},
    {"h", kMsPerHour, 3}, {"m", kMsPerMinute, 2}, {"s", kMsPerSecond, 1},
};

Error fail(std::string why) { return Error(std::move(why)); }

}  // namespace

Expected<DurationMs> parse_duration(std::string_view text) {
  const std::string shown = "'" + std::string(text) + "'";
  if (text.empty()) return fail("empty duration (write e.g. 45s, 15m, 1h30m, 2d)");
  if (text == "0") return DurationMs{0};
  if (text[0] == '-') return fail("duration " + shown + " is negative");
  DurationMs total = 0;
  int last_rank = 6;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      return fail("expected a number in duration " + shown + " (write e.g. 45s, 15m, 1h30m, 2d)");
    }
    std::int64_t number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      number = number * 10 + (text[i] - '0');
      if (number > std::numeric_limits<std::int32_t>::max()) return fail("duration " + shown + " is too large");
      ++i;
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(i, u.suffix.size()) == u.suffix) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) {
      return fail(i == text.size() ? "duration " + shown + " has no unit (ms, s, m, h, d or w)"
                                   : "unknown unit in duration " + shown + " (use ms, s, m, h, d or w)");
    }
    if (unit->rank >= last_rank) return fail("units in duration " + shown + " must go from largest to smallest, each once");
    last_rank = unit->rank;
    i += unit->suffix.size();
    total += number * unit->ms;
    if (total > 1000 * 365 * kMsPerDay) return fail("duration " + shown + " is too large (at most 1000 years)");
  }
  return total;
}

}  // namespace cmksim
