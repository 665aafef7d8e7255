// KvCallLog: counts every Key Vault call (D3) per vault, cluster and hour for
// the `kv_calls` table, without a heap allocation per call: a new bucket is
// made once per hour and each cluster's current one is remembered (the calls
// of a fleet's clusters interleave: one remembered bucket for all of them
// meant a map lookup per call, most of a fleet year's time).
#pragma once
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "sim/core/time.h"

namespace cmksim {

struct KvCallCounts {
  std::uint64_t wraps = 0;
  std::uint64_t unwraps = 0;
  std::uint64_t failed = 0;
};

class KvCallLog {
 public:
  using Key = std::tuple<int, int, std::int64_t>;  // vault, cluster, hour

  void count(int vault, int cluster, TimeMs t, bool unwrap, bool failed) {
    const auto slot = static_cast<std::size_t>(cluster);
    if (slot >= current_.size()) current_.resize(slot + 1);  // once per cluster
    Current& c = current_[slot];
    // within the remembered hour: no division, no lookup
    if (c.counts == nullptr || c.vault != vault || t < c.hour_start_ms || t >= c.hour_start_ms + kMsPerHour) {
      const std::int64_t hour = t / kMsPerHour;
      c = Current{vault, hour * kMsPerHour, &buckets_[Key{vault, cluster, hour}]};  // map nodes never move
    }
    (unwrap ? c.counts->unwraps : c.counts->wraps) += 1;
    if (failed) c.counts->failed += 1;
  }

  const std::map<Key, KvCallCounts>& buckets() const { return buckets_; }

 private:
  struct Current {
    int vault = 0;
    std::int64_t hour_start_ms = 0;
    KvCallCounts* counts = nullptr;
  };
  std::map<Key, KvCallCounts> buckets_;
  std::vector<Current> current_;  // by cluster index
};

}  // namespace cmksim
