// RadixEventQueue: the engine's default queue, a radix heap over integer
// times (monotone keys: nothing is pushed before the last time popped, as
// the engine guarantees).
//
// Entries live in 65 buckets: bucket 0 holds the entries whose time equals
// `last_` (the current minimum), bucket i > 0 those whose time first differs
// from `last_` at bit i-1. When bucket 0 runs dry, the lowest non-empty
// bucket is redistributed below its minimum; each entry moves O(log range)
// times in all, by plain appends.
// Invariants:
//  - entries with equal times are always in the same bucket, in insertion
//    order (appends, and redistribution in order into empty buckets), so
//    ties pop FIFO without a sequence number;
//  - once warmed up, no allocation per event (the bucket vectors keep their
//    capacity).
// Same interface as EventQueue (the binary heap), which the tests run too.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/check.h"
#include "sim/core/time.h"

namespace cmksim {

template <class Payload>
class RadixEventQueue {
 public:
  struct Entry {
    TimeMs time;
    Payload payload;
  };

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void reserve(std::size_t n) { buckets_[0].reserve(n); }

  void push(TimeMs time, Payload payload) {
    if (time < last_) rebase(time);  // before the current minimum: rare, O(n)
    buckets_[bucket_of(time)].push_back(Entry{time, payload});
    ++size_;
  }

  // REQUIRES: !empty(). Not const: it may redistribute a bucket.
  const Entry& top() {
    refill();
    return buckets_[0][head_];
  }

  // REQUIRES: !empty()
  Entry pop() {
    refill();
    const Entry entry = buckets_[0][head_++];
    --size_;
    if (head_ == buckets_[0].size()) {
      buckets_[0].clear();
      head_ = 0;
    }
    return entry;
  }

 private:
  static constexpr std::size_t kBuckets = 65;

  std::size_t bucket_of(TimeMs time) const {
    const auto diff = static_cast<std::uint64_t>(time) ^ static_cast<std::uint64_t>(last_);
    return diff == 0 ? 0 : static_cast<std::size_t>(64 - __builtin_clzll(diff));
  }

  // Makes bucket 0 non-empty. REQUIRES: !empty()
  void refill() {
    if (head_ < buckets_[0].size()) return;
    std::size_t i = 1;
    while (buckets_[i].empty()) ++i;
    std::vector<Entry>& from = buckets_[i];
    TimeMs min = from.front().time;
    for (const Entry& e : from) min = e.time < min ? e.time : min;
    last_ = min;
    for (const Entry& e : from) buckets_[bucket_of(e.time)].push_back(e);  // into lower, empty buckets
    from.clear();
  }

  // Re-buckets everything around a new, lower minimum. Equal times stay in
  // order: they share a bucket, visited in order.
  void rebase(TimeMs new_last) {
    std::vector<Entry> all;
    all.reserve(size_);
    for (std::size_t i = 0; i < kBuckets; ++i) {
      const std::size_t from = i == 0 ? head_ : 0;
      for (std::size_t k = from; k < buckets_[i].size(); ++k) all.push_back(buckets_[i][k]);
      buckets_[i].clear();
    }
    head_ = 0;
    last_ = new_last;
    // equal times must keep their order: a stable pass per bucket does
    for (const Entry& e : all) buckets_[bucket_of(e.time)].push_back(e);
    CMKSIM_CHECK(size_ == all.size(), "radix queue lost entries");
  }

  std::array<std::vector<Entry>, kBuckets> buckets_;
  std::size_t head_ = 0;  // next entry of bucket 0
  std::size_t size_ = 0;
  TimeMs last_ = 0;
};

}  // namespace cmksim
