// EventQueue: the pending events of a simulation, ordered by (time, sequence).
//
// Invariants:
//  - pop() returns the entry with the smallest time; among equal times, the
//    one pushed first (the sequence number is an insertion counter), so ties
//    run FIFO and the order never depends on the heap's internal layout.
//  - Entries are plain values; the queue never allocates per event once its
//    storage has grown to the peak number of pending events.
// It is an implicit d-ary heap with a hole-moving push and pop (no swaps).
// Measured with tools/bench_phold (16K pending events), d = 2 beat d = 4 and
// a Floyd-style pop; kArity is the one knob to re-measure.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/core/time.h"

namespace cmksim {

template <class Payload>
class EventQueue {
 public:
  struct Entry {
    TimeMs time;
    std::uint64_t seq;
    Payload payload;
  };

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

  // REQUIRES: !empty()
  const Entry& top() { return heap_.front(); }

  void push(TimeMs time, Payload payload) {
    Entry entry{time, next_seq_++, payload};
    std::size_t hole = heap_.size();
    heap_.push_back(entry);
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / kArity;
      if (!before(entry, heap_[parent])) break;
      heap_[hole] = heap_[parent];
      hole = parent;
    }
    heap_[hole] = entry;
  }

  // REQUIRES: !empty()
  Entry pop() {
    Entry result = heap_.front();
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return result;
    std::size_t hole = 0;
    for (;;) {
      const std::size_t first = hole * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = first + kArity < n ? first + kArity : n;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (before(heap_[c], heap_[best])) best = c;
      }
      if (!before(heap_[best], last)) break;
      heap_[hole] = heap_[best];
      hole = best;
    }
    heap_[hole] = last;
    return result;
  }

 private:
  static constexpr std::size_t kArity = 2;

  static bool before(const Entry& a, const Entry& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }

  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace cmksim
