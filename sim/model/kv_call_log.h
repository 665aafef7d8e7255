// KvCallLog: counts every Key Vault call (D3) per vault, cluster and hour for
// the `kv_calls` table, without a heap allocation per call. Each (vault,
// cluster) pair has a series of hourly buckets, appended in time order (a
// cluster's calls come in time order), and each cluster's current bucket is
// remembered: a call within the remembered hour costs no division and no
// lookup (the calls of a fleet's clusters interleave: one remembered bucket
// for all of them meant a map lookup per call, most of a fleet year's time;
// a tree node per hour was a tenth of a cluster-year's).
#pragma once
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>
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
  void count(int vault, int cluster, TimeMs t, bool unwrap, bool failed) {
    KvCallCounts& counts = bucket(vault, cluster, t);
    (unwrap ? counts.unwraps : counts.wraps) += 1;
    if (failed) counts.failed += 1;
  }

  // Counts one cluster's calls to one vault, in time order, in registers,
  // adding them to the log at each new hour and at flush() (the model's
  // inline call loop: a memory counter per call was a third of its time).
  class Tally {
   public:
    Tally(KvCallLog& log, int vault, int cluster) : log_(log), vault_(vault), cluster_(cluster) {}
    Tally(const Tally&) = delete;
    Tally& operator=(const Tally&) = delete;
    ~Tally() { flush(); }

    void count(TimeMs t, bool unwrap, bool failed) {
      if (t >= hour_end_ms_) new_hour(t);
      counts_.wraps += unwrap ? 0 : 1;
      counts_.unwraps += unwrap ? 1 : 0;
      counts_.failed += failed ? 1 : 0;
    }

    void flush() {
      if (counts_.wraps + counts_.unwraps == 0) return;
      KvCallCounts& to = log_.bucket(vault_, cluster_, hour_start_ms_);
      to.wraps += counts_.wraps;
      to.unwraps += counts_.unwraps;
      to.failed += counts_.failed;
      counts_ = {};
    }

   private:
    void new_hour(TimeMs t) {
      flush();
      hour_start_ms_ = t / kMsPerHour * kMsPerHour;
      hour_end_ms_ = hour_start_ms_ + kMsPerHour;
    }

    KvCallLog& log_;
    const int vault_, cluster_;
    TimeMs hour_start_ms_ = 0, hour_end_ms_ = std::numeric_limits<TimeMs>::min();
    KvCallCounts counts_;
  };

  // Calls f(vault, cluster, hour, counts) for every hour with a call, in
  // (vault, cluster, hour) order.
  template <class F>
  void each(F&& f) const {
    for (const auto& [pair, series] : series_) {
      for (const Bucket& b : series) f(pair.first, pair.second, b.hour, b.counts);
    }
  }

 private:
  struct Bucket {
    std::int64_t hour = 0;
    KvCallCounts counts;
  };
  using Series = std::vector<Bucket>;  // by hour, increasing
  struct Current {
    int vault = 0;
    TimeMs hour_start_ms = 0;
    Series* series = nullptr;  // map nodes never move
    std::size_t index = 0;     // an index: the series may grow
  };

  KvCallCounts& bucket(int vault, int cluster, TimeMs t) {
    const auto slot = static_cast<std::size_t>(cluster);
    if (slot >= current_.size()) current_.resize(slot + 1);  // once per cluster
    Current& c = current_[slot];
    // within the remembered hour: no division, no lookup
    if (c.series == nullptr || c.vault != vault || t < c.hour_start_ms || t >= c.hour_start_ms + kMsPerHour) {
      const std::int64_t hour = t / kMsPerHour;
      Series& series = series_[{vault, cluster}];
      c = Current{vault, hour * kMsPerHour, &series, find_or_add(series, hour)};
    }
    return (*c.series)[c.index].counts;
  }

  // The bucket of `hour` in `series`: the last one, a new one after it, or
  // (never in time order, kept for safety) one found or inserted before.
  static std::size_t find_or_add(Series& series, std::int64_t hour) {
    if (series.empty() || series.back().hour < hour) {
      series.push_back(Bucket{hour, {}});
      return series.size() - 1;
    }
    const auto at = std::lower_bound(series.begin(), series.end(), hour,
                                     [](const Bucket& b, std::int64_t h) { return b.hour < h; });
    const auto index = static_cast<std::size_t>(at - series.begin());
    if (at == series.end() || at->hour != hour) series.insert(at, Bucket{hour, {}});
    return index;
  }

  std::map<std::pair<int, int>, Series> series_;  // by (vault, cluster)
  std::vector<Current> current_;                  // by cluster index
};

}  // namespace cmksim
