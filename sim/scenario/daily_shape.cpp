#include "sim/scenario/daily_shape.h"

namespace cmksim {

DailyShape::DailyShape(const std::array<double, 24>& weights, int start_hour_of_day)
    : DailyShape(std::optional<std::array<double, 24>>(weights), std::nullopt, start_hour_of_day, 0) {}

DailyShape::DailyShape(const std::optional<std::array<double, 24>>& daily,
                       const std::optional<std::array<double, 7>>& weekly, int start_hour_of_day, int start_weekday)
    : flat_(!daily && !weekly), period_ms_(weekly ? kMsPerWeek : kMsPerDay) {
  if (flat_) return;
  const int hours = weekly ? 24 * 7 : 24;
  prefix_ms_.assign(static_cast<std::size_t>(hours) + 1, 0.0);
  for (int h = 0; h < hours; ++h) {
    const int hour_of_day = (start_hour_of_day + h) % 24;
    const int weekday = (start_weekday + (start_hour_of_day + h) / 24) % 7;  // D1: the run starts on start's weekday
    const double w = (daily ? (*daily)[static_cast<std::size_t>(hour_of_day)] : 1.0) *
                     (weekly ? (*weekly)[static_cast<std::size_t>(weekday)] : 1.0);
    prefix_ms_[static_cast<std::size_t>(h) + 1] = prefix_ms_[static_cast<std::size_t>(h)] + w * kMsPerHour;
  }
}

double DailyShape::weighted_ms(TimeMs t) const {
  if (flat_) return static_cast<double>(t);
  // floor division, so negative times (existing data) land in the right hour
  TimeMs periods = t / period_ms_;
  if (t % period_ms_ < 0) --periods;
  const TimeMs rest = t - periods * period_ms_;
  const TimeMs hour = rest / kMsPerHour;
  const auto h = static_cast<std::size_t>(hour);
  const double within_hour = (prefix_ms_[h + 1] - prefix_ms_[h]) *
                             static_cast<double>(rest - hour * kMsPerHour) / static_cast<double>(kMsPerHour);
  return static_cast<double>(periods) * prefix_ms_.back() + prefix_ms_[h] + within_hour;
}

}  // namespace cmksim
