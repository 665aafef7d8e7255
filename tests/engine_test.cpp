// The event engine (sim/engine/engine.h) and its queue (event_queue.h):
// time order, FIFO ties, a clock that never goes back, run_until's end, and
// the heap against a reference ordering on random workloads.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "sim/engine/engine.h"
#include "sim/engine/event_queue.h"
#include "sim/engine/radix_event_queue.h"
#include "sim/random/distributions.h"
#include "sim/random/rng.h"

using cmksim::Engine;
using cmksim::EventQueue;
using cmksim::RadixEventQueue;
using cmksim::Rng;
using cmksim::TimeMs;
using cmksim::uniform_int;

namespace {

struct Ev {
  int id;
};

// A seed for each iteration of a randomized test, from Catch's --rng-seed.
std::uint64_t test_seed(std::uint64_t iteration) {
  return (static_cast<std::uint64_t>(Catch::rngSeed()) << 32) ^ iteration;
}

}  // namespace

TEST_CASE("Engine: events run in time order") {
  Engine<Ev> engine;
  const std::vector<TimeMs> times = {50, 10, 40, 0, 30, 20, 1000, 999, 1};
  for (std::size_t i = 0; i < times.size(); ++i) engine.schedule_at(times[i], Ev{static_cast<int>(i)});
  std::vector<TimeMs> seen;
  const std::uint64_t n = engine.run_until(10000, [&](TimeMs now, const Ev& ev) {
    CHECK(now == times[static_cast<std::size_t>(ev.id)]);
    seen.push_back(now);
  });
  CHECK(n == times.size());
  CHECK(engine.processed() == times.size());
  std::vector<TimeMs> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  CHECK(seen == sorted);
  CHECK(engine.pending() == 0);
  CHECK(engine.now() == 10000);
}

TEST_CASE("Engine: events at the same time run FIFO (insertion order)") {
  Engine<Ev> engine;  // the radix heap; the queue tests below cover both heaps
  // 3,000 events over only 7 distinct times, interleaved, so every time has
  // hundreds of ties spread through the heap.
  std::vector<std::pair<TimeMs, int>> scheduled;
  Rng rng(test_seed(1));
  for (int id = 0; id < 3000; ++id) {
    const TimeMs t = uniform_int(rng, 0, 6) * 100;
    scheduled.emplace_back(t, id);
    engine.schedule_at(t, Ev{id});
  }
  std::stable_sort(scheduled.begin(), scheduled.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<TimeMs, int>> seen;
  engine.run_until(1000, [&](TimeMs now, const Ev& ev) { seen.emplace_back(now, ev.id); });
  CHECK(seen == scheduled);
}

TEST_CASE("Engine: the clock never goes backwards") {
  for (std::uint64_t iteration = 0; iteration < 200; ++iteration) {
    const std::uint64_t seed = test_seed(iteration);
    INFO("seed " << seed);
    Rng rng(seed);
    Engine<Ev> engine;
    const int initial = static_cast<int>(uniform_int(rng, 1, 50));
    for (int id = 0; id < initial; ++id) engine.schedule_at(uniform_int(rng, 0, 1000), Ev{id});
    int next_id = initial;
    TimeMs last = 0;
    bool backwards = false;
    bool mismatch = false;
    const auto handler = [&](TimeMs now, const Ev&) {
      if (now < last) backwards = true;
      if (now != engine.now()) mismatch = true;
      last = now;
      // Each event schedules 0..2 more, some at the current time.
      const auto children = uniform_int(rng, 0, 2);
      for (int c = 0; c < children && next_id < 2000; ++c) {
        engine.schedule_in(uniform_int(rng, 0, 3) == 0 ? 0 : uniform_int(rng, 1, 500), Ev{next_id++});
      }
    };
    // Run in random slices; the clock also moves forward between events.
    TimeMs end = 0;
    while (engine.pending() > 0) {
      end += uniform_int(rng, 0, 700);
      engine.run_until(end, handler);
      REQUIRE(engine.now() >= last);
      REQUIRE(engine.now() == end);
      last = engine.now();
    }
    REQUIRE_FALSE(backwards);
    REQUIRE_FALSE(mismatch);
    REQUIRE(engine.processed() == static_cast<std::uint64_t>(next_id));
  }
}

TEST_CASE("Engine: run_until stops at the end time and leaves later events pending") {
  Engine<Ev> engine;
  engine.schedule_at(10, Ev{1});
  engine.schedule_at(20, Ev{2});
  engine.schedule_at(30, Ev{3});
  std::vector<int> seen;
  const auto record = [&](TimeMs, const Ev& ev) { seen.push_back(ev.id); };

  CHECK(engine.run_until(20, record) == 2);  // the end time is inclusive
  CHECK(seen == std::vector<int>{1, 2});
  CHECK(engine.now() == 20);
  CHECK(engine.pending() == 1);

  CHECK(engine.run_until(29, record) == 0);
  CHECK(engine.now() == 29);
  CHECK(engine.pending() == 1);

  CHECK(engine.run_until(5, record) == 0);  // an end in the past changes nothing
  CHECK(engine.now() == 29);

  CHECK(engine.run_until(100, record) == 1);
  CHECK(seen == std::vector<int>{1, 2, 3});
  CHECK(engine.now() == 100);
  CHECK(engine.pending() == 0);
  CHECK(engine.processed() == 3);

  // After the clock moved to 100, schedule_in counts from there.
  engine.schedule_in(5, Ev{4});
  CHECK(engine.run_until(104, record) == 0);
  CHECK(engine.run_until(105, record) == 1);
  CHECK(seen.back() == 4);
}

TEST_CASE("Engine: handlers may schedule events at the current time") {
  Engine<Ev> engine;
  engine.schedule_at(5, Ev{1});
  engine.schedule_at(5, Ev{2});
  engine.schedule_at(6, Ev{3});
  std::vector<std::pair<TimeMs, int>> seen;
  engine.run_until(100, [&](TimeMs now, const Ev& ev) {
    seen.emplace_back(now, ev.id);
    if (ev.id == 1) engine.schedule_in(0, Ev{10});       // after 2: same tick, FIFO
    if (ev.id == 10) engine.schedule_at(now, Ev{11});    // a chain within one tick
  });
  const std::vector<std::pair<TimeMs, int>> expected = {{5, 1}, {5, 2}, {5, 10}, {5, 11}, {6, 3}};
  CHECK(seen == expected);
}

TEST_CASE("Engine: scheduling in the past aborts (checked in a child process)") {
  std::fflush(nullptr);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGABRT, SIG_DFL);  // bypass Catch's handler: the abort is expected
    std::freopen("/dev/null", "w", stderr);  // and so is the check's message
    Engine<Ev> engine;
    engine.run_until(10, [](TimeMs, const Ev&) {});
    engine.schedule_at(9, Ev{0});
    _exit(0);  // not reached when the check works
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
}

// One test, every implementation: the binary heap and the radix heap (the
// engine's default) must pop identically.
TEMPLATE_TEST_CASE("EventQueue: pops in the same order as a reference multimap on random workloads", "",
                   EventQueue<Ev>, RadixEventQueue<Ev>) {
  for (std::uint64_t iteration = 0; iteration < 50; ++iteration) {
    const std::uint64_t seed = test_seed(1000 + iteration);
    INFO("seed " << seed);
    Rng rng(seed);
    TestType queue;
    // std::multimap keeps equal keys in insertion order: the reference.
    std::multimap<TimeMs, int> reference;
    const TimeMs time_span = uniform_int(rng, 0, 1) == 0 ? 20 : 1000000;  // many ties, or few
    TimeMs floor = 0;  // pushes never go below the last popped time, as in the engine
    int next_id = 0;
    for (int step = 0; step < 5000; ++step) {
      if (reference.empty() || uniform_int(rng, 0, 9) < 6) {
        const TimeMs t = floor + uniform_int(rng, 0, time_span);
        queue.push(t, Ev{next_id});
        reference.emplace(t, next_id);
        ++next_id;
      } else {
        REQUIRE(queue.size() == reference.size());
        REQUIRE(queue.top().time == reference.begin()->first);
        const auto entry = queue.pop();
        REQUIRE(entry.time == reference.begin()->first);
        REQUIRE(entry.payload.id == reference.begin()->second);
        floor = entry.time;
        reference.erase(reference.begin());
      }
    }
    while (!reference.empty()) {
      const auto entry = queue.pop();
      REQUIRE(entry.time == reference.begin()->first);
      REQUIRE(entry.payload.id == reference.begin()->second);
      reference.erase(reference.begin());
    }
    REQUIRE(queue.empty());
  }
}

TEMPLATE_TEST_CASE("EventQueue: arbitrary push times (not only future ones) still pop in (time, seq) order", "",
                   EventQueue<Ev>, RadixEventQueue<Ev>) {
  Rng rng(test_seed(7));
  TestType queue;
  std::vector<std::pair<TimeMs, int>> pushed;
  for (int id = 0; id < 20000; ++id) {
    const TimeMs t = uniform_int(rng, -50, 50);
    queue.push(t, Ev{id});
    pushed.emplace_back(t, id);
  }
  std::stable_sort(pushed.begin(), pushed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [t, id] : pushed) {
    const auto entry = queue.pop();
    REQUIRE(entry.time == t);
    REQUIRE(entry.payload.id == id);
  }
  CHECK(queue.empty());
}

TEST_CASE("Engine: work done inline when next_if_scheduled says so runs in the same order as scheduled events") {
  // A self-rescheduling chain (like a cluster's Key Vault calls) among
  // other events, some of them at the chain's times; with inline, the
  // chain's next step runs in the handler whenever the engine says it would
  // be dispatched next. The order of all work must be the same either way.
  const auto trace = [](std::uint64_t seed, bool inline_steps, TimeMs end) {
    Engine<Ev> engine;
    Rng rng = Rng::stream(seed, "workload");
    std::vector<std::pair<TimeMs, int>> done;
    for (int i = 1; i <= 200; ++i) engine.schedule_at(uniform_int(rng, 0, 2000) * 10, Ev{i});  // ties with the chain
    engine.schedule_at(0, Ev{0});
    engine.run_until(end, [&](TimeMs now, const Ev& e) {
      done.emplace_back(now, e.id);
      if (e.id != 0) return;
      TimeMs at = now;
      TimeMs next = at + uniform_int(rng, 1, 6) * 10;
      while (inline_steps && engine.next_if_scheduled(next)) {
        at = next;
        done.emplace_back(at, 0);
        next = at + uniform_int(rng, 1, 6) * 10;
      }
      engine.schedule_at(next, Ev{0});
    });
    return done;
  };
  for (std::uint64_t i = 0; i < 200; ++i) {
    const std::uint64_t seed = test_seed(i);
    const TimeMs end = 5000 + static_cast<TimeMs>(i) * 97;  // the run's end cuts the chain too
    INFO("seed " << seed);
    const auto scheduled = trace(seed, false, end);
    CHECK(trace(seed, true, end) == scheduled);
  }
}
