// HotCache: what of one workspace's data is on the SSD hot cache (K3, D2).
//
// Data younger than the hot period is on SSD whenever the cluster's SSD is
// loaded. Older data comes onto SSD when a query reads it, and stays for
// `recent_use_ttl`. A revocation purges the SSD (D8): the recently-read
// ranges go, and the young data comes back only with the reload (D10).
// Invariant: `recent_` holds disjoint ranges sorted by start, none expired at
// the last call to serve().
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/core/time.h"

namespace cmksim {

class HotCache {
 public:
  // A query at `now` reading back `range_ms`: true when every part of it is
  // on SSD. Older parts it reads come onto SSD until now + recent_use_ttl.
  bool serve(TimeMs now, DurationMs range_ms, DurationMs hot_period_ms, DurationMs recent_use_ttl_ms, bool ssd_loaded);

  void purge() { recent_.clear(); }

 private:
  struct Range {
    TimeMs from, to;  // ingest times [from, to)
    TimeMs expires;
  };
  bool covered(TimeMs from, TimeMs to) const;
  void add(TimeMs from, TimeMs to, TimeMs expires);

  std::vector<Range> recent_;
};

// Query latencies as counts per distinct value: percentiles without keeping
// one number per query. There are few distinct values (the SSD and the cold
// latency), kept inline: no pointer to chase on the hot path.
class LatencyHistogram {
 public:
  void add(DurationMs latency_ms) {
    ++total_;
    for (std::size_t i = 0; i < used_; ++i) {
      if (inline_[i].first == latency_ms) {
        ++inline_[i].second;
        return;
      }
    }
    if (used_ < inline_.size()) {
      inline_[used_++] = {latency_ms, 1};
    } else {
      add_overflow(latency_ms);
    }
  }
  std::uint64_t total() const { return total_; }
  // Nearest-rank percentile, p in (0, 100]. REQUIRES: total() > 0
  DurationMs percentile(int p) const;

 private:
  void add_overflow(DurationMs latency_ms);

  std::array<std::pair<DurationMs, std::uint64_t>, 4> inline_{};
  std::size_t used_ = 0;
  std::vector<std::pair<DurationMs, std::uint64_t>> overflow_;  // unsorted, rarely used
  std::uint64_t total_ = 0;
};

}  // namespace cmksim
