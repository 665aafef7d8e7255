// DailyShape: a plain value of the scenario (a workspace's daily_profile and
// weekly_profile, D1), shared by the model's ingestion ledger and the resource
// graph's data figures, so neither has to include the other.
#pragma once
#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "sim/core/time.h"

namespace cmksim {

// The shape of a workspace's arrival rate: 24 hourly weights of mean 1 (D1),
// anchored at the scenario start's hour of day, optionally times 7 daily
// weights of mean 1 (Monday first) anchored at the start's weekday.
class DailyShape {
 public:
  DailyShape() = default;  // flat
  DailyShape(const std::array<double, 24>& weights, int start_hour_of_day);
  // Either profile may be absent (flat); both absent: flat.
  DailyShape(const std::optional<std::array<double, 24>>& daily, const std::optional<std::array<double, 7>>& weekly,
             int start_hour_of_day, int start_weekday);

  // Integral of the weight over [0, t) in weighted ms (t may be negative):
  // for a flat shape, t itself.
  double weighted_ms(TimeMs t) const;

 private:
  bool flat_ = true;
  DurationMs period_ms_ = kMsPerDay;   // a day, or a week with a weekly profile
  std::vector<double> prefix_ms_;      // weighted ms at the start of each hour of the period
};

}  // namespace cmksim
