#include "sim/scenario/daily_shape.h"

#include <cstddef>

namespace cmksim {

DailyShape::DailyShape(const std::array<double, 24>& weights, int start_hour_of_day) : flat_(false) {
  prefix_ms_[0] = 0;
  for (int h = 0; h < 24; ++h) {
    const double w = weights[static_cast<std::size_t>((start_hour_of_day + h) % 24)];
    prefix_ms_[static_cast<std::size_t>(h) + 1] = prefix_ms_[static_cast<std::size_t>(h)] + w * kMsPerHour;
  }
}

double DailyShape::weighted_ms(TimeMs t) const {
  if (flat_) return static_cast<double>(t);
  // floor division, so negative times (existing data) land in the right hour
  TimeMs days = t / kMsPerDay;
  if (t % kMsPerDay < 0) --days;
  const TimeMs rest = t - days * kMsPerDay;
  const TimeMs hour = rest / kMsPerHour;
  const auto h = static_cast<std::size_t>(hour);
  const double within_hour = (prefix_ms_[h + 1] - prefix_ms_[h]) *
                             static_cast<double>(rest - hour * kMsPerHour) / static_cast<double>(kMsPerHour);
  return static_cast<double>(days) * prefix_ms_[24] + prefix_ms_[h] + within_hour;
}

}  // namespace cmksim
