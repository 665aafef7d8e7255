// DailyShape: a plain value of the scenario (a workspace's daily_profile,
// D1), shared by the model's ingestion ledger and the resource graph's data
// figures, so neither has to include the other.
#pragma once
#include <array>

#include "sim/core/time.h"

namespace cmksim {

// The shape of a workspace's arrival rate over a day: 24 hourly weights of
// mean 1 (D1), anchored at the scenario start's hour of day.
class DailyShape {
 public:
  DailyShape() = default;  // flat
  DailyShape(const std::array<double, 24>& weights, int start_hour_of_day);

  // Integral of the weight over [0, t) in weighted ms (t may be negative):
  // for a flat shape, t itself.
  double weighted_ms(TimeMs t) const;

 private:
  bool flat_ = true;
  std::array<double, 25> prefix_ms_{};  // weighted ms at the start of each hour of the day
};

}  // namespace cmksim
