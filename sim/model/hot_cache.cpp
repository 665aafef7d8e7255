#include "sim/model/hot_cache.h"

#include <algorithm>

#include "sim/core/check.h"

namespace cmksim {

bool HotCache::serve(TimeMs now, DurationMs range_ms, DurationMs hot_period_ms, DurationMs recent_use_ttl_ms,
                     bool ssd_loaded) {
  if (!ssd_loaded) return false;  // purged or still reloading: everything from cold storage
  if (range_ms <= hot_period_ms) return true;  // the common case, no bookkeeping
  recent_.erase(std::remove_if(recent_.begin(), recent_.end(), [now](const Range& r) { return r.expires <= now; }),
                recent_.end());
  const TimeMs old_from = now - range_ms;
  const TimeMs old_to = now - hot_period_ms;
  const bool hit = covered(old_from, old_to);
  // the whole range read counts as recently used, so the part that was young
  // when read stays on SSD as it ages past the hot period
  add(old_from, now, now + recent_use_ttl_ms);
  return hit;
}

bool HotCache::covered(TimeMs from, TimeMs to) const {
  TimeMs reached = from;
  for (const Range& r : recent_) {
    if (r.from > reached) break;
    reached = std::max(reached, r.to);
    if (reached >= to) return true;
  }
  return reached >= to;
}

void HotCache::add(TimeMs from, TimeMs to, TimeMs expires) {
  // Keep ranges disjoint: the new one replaces what it overlaps (its expiry
  // is the latest), and the parts of older ranges outside it stay.
  std::vector<Range> next;
  next.reserve(recent_.size() + 2);
  for (const Range& r : recent_) {
    if (r.to <= from || r.from >= to) {
      next.push_back(r);
      continue;
    }
    if (r.from < from) next.push_back({r.from, from, r.expires});
    if (r.to > to) next.push_back({to, r.to, r.expires});
  }
  next.push_back({from, to, expires});
  std::sort(next.begin(), next.end(), [](const Range& a, const Range& b) { return a.from < b.from; });
  recent_ = std::move(next);
}

void LatencyHistogram::add_overflow(DurationMs latency_ms) {
  for (auto& [value, count] : overflow_) {
    if (value == latency_ms) {
      ++count;
      return;
    }
  }
  overflow_.emplace_back(latency_ms, 1);
}

DurationMs LatencyHistogram::percentile(int p) const {
  CMKSIM_CHECK(total_ > 0 && p > 0 && p <= 100, "percentile of an empty histogram");
  // nearest rank: the smallest value with at least p% of the samples at or below it
  const std::uint64_t rank = (total_ * static_cast<std::uint64_t>(p) + 99) / 100;
  std::vector<std::pair<DurationMs, std::uint64_t>> sorted(inline_.begin(), inline_.begin() + static_cast<long>(used_));
  sorted.insert(sorted.end(), overflow_.begin(), overflow_.end());
  std::sort(sorted.begin(), sorted.end());
  std::uint64_t seen = 0;
  for (const auto& [value, count] : sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted.back().first;
}

}  // namespace cmksim
