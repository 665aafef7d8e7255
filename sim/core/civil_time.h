// Civil (proleptic Gregorian) dates in UTC, for the wall-clock labels a
// scenario's `start` gives: pure integer arithmetic (Howard Hinnant's
// days_from_civil / civil_from_days), no wall clock, no locale, no time zone
// but UTC. Times are ms since 1970-01-01T00:00:00Z.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/time.h"

namespace cmksim {

struct CivilDate {
  std::int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01 (negative before it).
std::int64_t days_from_civil(CivilDate date);
CivilDate civil_from_days(std::int64_t days);
// 0 = Monday ... 6 = Sunday (ISO 8601).
int weekday_from_days(std::int64_t days);
const char* weekday_name(int weekday);  // "Mon" ... "Sun"

// "2026-03-03", "2026-03-03T03:00", "2026-03-03T03:00:00.5Z",
// "2026-03-03T05:00:00+02:00" (the offset is applied: the result is UTC);
// nullopt when it is not such a time or a field is out of range.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

// True when `text` begins like an ISO date (DDDD-DD-DD), so a message can say
// "not a valid time" instead of "not a duration".
bool looks_like_iso8601(std::string_view text);

// "Tue 2026-03-03 03:00 UTC" (seconds shown only when not zero).
std::string format_utc(std::int64_t epoch_ms);

}  // namespace cmksim
