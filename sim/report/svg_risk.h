// The loss-exceedance curve of a sweep's risk section (issue 17 item 2): the
// standard FAIR picture, P(annual loss > x) against x, one line per grid
// point, axes labelled; x is log-scaled when the positive losses span more
// than two decades. Deterministic: the output depends only on the figures.
#pragma once
#include <string>
#include <vector>

#include "sim/sweep/risk.h"

namespace cmksim::report {

std::string svg_loss_exceedance(const std::vector<RiskFigures>& points);

// The x values the curve's table shows: the distinct positive losses, thinned
// to at most `max_rows` (always the largest).
std::vector<double> exceedance_thresholds(const std::vector<RiskFigures>& points, std::size_t max_rows);

}  // namespace cmksim::report
