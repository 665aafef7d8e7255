// Engine: a discrete-event loop over a virtual clock of integer milliseconds.
//
// The engine knows nothing of what its events mean: Payload is a small plain
// struct chosen by the model, and run_until() hands each one to a handler the
// caller passes in (a lambda, inlined; no virtual call per event).
// Invariants: the clock never goes backwards (checked on every dispatch and
// every schedule); events at the same time run in the order they were
// scheduled. The queue is a radix heap by default (integer, monotone times);
// the binary heap (EventQueue) is the reference the tests compare it with.
#pragma once
#include <algorithm>
#include <cstdint>

#include "sim/core/check.h"
#include "sim/core/time.h"
#include "sim/engine/event_queue.h"
#include "sim/engine/radix_event_queue.h"

namespace cmksim {

template <class Payload, template <class> class Queue = RadixEventQueue>
class Engine {
 public:
  TimeMs now() const { return now_; }
  std::uint64_t processed() const { return processed_; }
  std::size_t pending() const { return queue_.size(); }
  void reserve(std::size_t n) { queue_.reserve(n); }

  // REQUIRES: time >= now()
  void schedule_at(TimeMs time, Payload payload) {
    CMKSIM_CHECK(time >= now_, "event scheduled in the past");
    queue_.push(time, payload);
  }

  // REQUIRES: delay >= 0
  void schedule_in(DurationMs delay, Payload payload) { schedule_at(now_ + delay, payload); }

  // True when an event scheduled now at `time` would be the next one this
  // run_until() dispatches: no queued event is due at or before `time` (one
  // at the same time would run first), and `time` is within the run. A
  // handler may then do that event's work itself, inline, instead of
  // scheduling it: the same work in the same order, without the queue.
  bool next_if_scheduled(TimeMs time) { return time >= now_ && time <= inline_horizon(); }

  // The latest time next_if_scheduled() accepts until the queue changes: a
  // handler that schedules nothing may compare with it instead.
  TimeMs inline_horizon() { return queue_.empty() ? end_ : std::min(end_, queue_.top().time - 1); }

  // Dispatches every event with time <= end, in order, then sets the clock to
  // `end`. The handler is called as handler(now, payload) and may schedule
  // more events. Returns the number of events dispatched by this call.
  template <class Handler>
  std::uint64_t run_until(TimeMs end, Handler&& handler) {
    const std::uint64_t before = processed_;
    end_ = end;
    while (!queue_.empty() && queue_.top().time <= end) {
      const auto entry = queue_.pop();
      CMKSIM_CHECK(entry.time >= now_, "clock went backwards");
      now_ = entry.time;
      ++processed_;
      handler(now_, entry.payload);
    }
    if (end > now_) now_ = end;
    return processed_ - before;
  }

 private:
  Queue<Payload> queue_;
  TimeMs now_ = 0;
  TimeMs end_ = 0;  // of the run_until() under way
  std::uint64_t processed_ = 0;
};

}  // namespace cmksim
