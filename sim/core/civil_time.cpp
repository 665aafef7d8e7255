#include "sim/core/civil_time.h"

#include <cstdio>

namespace cmksim {
namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0); }

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// The digits at [at, at+n) as a number in [lo, hi], or -1.
int field(std::string_view s, std::size_t at, std::size_t n, int lo, int hi) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v < lo || v > hi ? -1 : v;
}

}  // namespace

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
std::int64_t days_from_civil(CivilDate date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;                                      // [0, 399]
  const std::int64_t mp = (date.month + 9) % 12;                               // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;                  // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;              // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int weekday_from_days(std::int64_t days) {
  const std::int64_t w = (days + 3) % 7;  // 1970-01-01 was a Thursday (3)
  return static_cast<int>(w < 0 ? w + 7 : w);
}

const char* weekday_name(int weekday) {
  static constexpr const char* kNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return weekday >= 0 && weekday < 7 ? kNames[weekday] : "?";
}

bool looks_like_iso8601(std::string_view s) {
  return field(s, 0, 4, 0, 9999) >= 0 && s.size() >= 10 && s[4] == '-' && s[7] == '-';
}

std::optional<std::int64_t> parse_iso8601_ms(std::string_view s) {
  if (!looks_like_iso8601(s)) return std::nullopt;
  const int year = field(s, 0, 4, 0, 9999);
  const int month = field(s, 5, 2, 1, 12);
  if (month < 0) return std::nullopt;
  const int day = field(s, 8, 2, 1, days_in_month(year, month));
  if (day < 0) return std::nullopt;
  const std::int64_t midnight = days_from_civil({year, month, day}) * kMsPerDay;
  if (s.size() == 10) return midnight;
  const int hour = field(s, 11, 2, 0, 23);
  const int minute = field(s, 14, 2, 0, 59);
  if (s[10] != 'T' || hour < 0 || s.size() < 16 || s[13] != ':' || minute < 0) return std::nullopt;
  std::int64_t ms = midnight + hour * kMsPerHour + minute * kMsPerMinute;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    const int second = field(s, i + 1, 2, 0, 59);
    if (second < 0) return std::nullopt;
    ms += second * kMsPerSecond;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      const std::size_t first = ++i;
      std::int64_t scale = 100;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ms += (s[i] - '0') * scale;  // digits below a millisecond are dropped
        scale /= 10;
        ++i;
      }
      if (i == first) return std::nullopt;
    }
  }
  if (i == s.size() || s.substr(i) == "Z") return ms;  // no zone: UTC
  if (s.size() != i + 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':') return std::nullopt;
  const int oh = field(s, i + 1, 2, 0, 23);
  const int om = field(s, i + 4, 2, 0, 59);
  if (oh < 0 || om < 0) return std::nullopt;
  const std::int64_t offset = oh * kMsPerHour + om * kMsPerMinute;
  return s[i] == '+' ? ms - offset : ms + offset;
}

std::string format_utc(std::int64_t epoch_ms) {
  const std::int64_t days = floor_div(epoch_ms, kMsPerDay);
  const std::int64_t rest = epoch_ms - days * kMsPerDay;
  const CivilDate d = civil_from_days(days);
  char buf[80];
  const long long seconds = rest % kMsPerMinute / kMsPerSecond;
  if (seconds == 0) {
    std::snprintf(buf, sizeof buf, "%s %04lld-%02d-%02d %02lld:%02lld UTC", weekday_name(weekday_from_days(days)),
                  static_cast<long long>(d.year), d.month, d.day, static_cast<long long>(rest / kMsPerHour),
                  static_cast<long long>(rest % kMsPerHour / kMsPerMinute));
  } else {
    std::snprintf(buf, sizeof buf, "%s %04lld-%02d-%02d %02lld:%02lld:%02lld UTC",
                  weekday_name(weekday_from_days(days)), static_cast<long long>(d.year), d.month, d.day,
                  static_cast<long long>(rest / kMsPerHour), static_cast<long long>(rest % kMsPerHour / kMsPerMinute),
                  seconds);
  }
  return buf;
}

}  // namespace cmksim
