// bench_phold: the PHOLD benchmark, run on cmksim::Engine and on a plain
// std::priority_queue with a switch dispatch, same seed, same workload.
//
// 1,024 logical processes (LPs) start with 16 events each; every processed
// event schedules one new event for a uniformly random LP, an exponential
// delay (mean 1,000 ticks) later, until `--events` events (10 million by
// default, the initial ones included) have been scheduled; the queue is then
// drained, so exactly that many events are processed. Both sides draw from
// the same named Rng stream in the same order and break ties the same way
// ((time, insertion seq)), so they process the same events in the same
// order: their checksums must match, or the program exits 1.
// With --repeat R the two sides run R times, alternating, and the fastest
// run of each is reported (wall times on a shared machine are noisy).
// When ns-3 is installed (Debian's libns3-dev; CMake finds it and defines
// CMKSIM_HAVE_NS3), the same workload also runs on ns-3's simulator core,
// with its default scheduler (map) and its faster ones (heap, priority
// queue, calendar), in the same run; their checksums must match too.
//
// Usage: bench_phold [--events N] [--seed S] [--repeat R]
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "sim/engine/engine.h"

#ifdef CMKSIM_HAVE_NS3
#include <ns3/core-module.h>

#include <string>
#endif

#include "sim/random/distributions.h"
#include "sim/random/rng.h"

namespace {

constexpr std::uint32_t kLps = 1024;
constexpr int kInitialEventsPerLp = 16;
constexpr std::int64_t kMeanDelayTicks = 1000;

struct Result {
  std::uint64_t events = 0;
  double wall_s = 0;
  std::uint64_t checksum = 0;  // order-sensitive: a hash of every (time, lp) processed
  std::int64_t final_time = 0;
};

std::uint64_t mix(std::uint64_t h, std::int64_t time, std::uint32_t lp) {
  h ^= static_cast<std::uint64_t>(time) * 0x9E3779B97F4A7C15ULL + lp;
  return h * 0x100000001B3ULL;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// (a) cmksim::Engine with a lambda handler.
Result run_engine(std::uint64_t seed, std::uint64_t events_total) {
  struct Payload {
    std::uint32_t lp;
  };
  cmksim::Rng rng = cmksim::Rng::stream(seed, "phold");
  cmksim::Engine<Payload> engine;
  engine.reserve(kLps * kInitialEventsPerLp);
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t scheduled = 0;
  for (std::uint32_t lp = 0; lp < kLps; ++lp) {
    for (int i = 0; i < kInitialEventsPerLp && scheduled < events_total; ++i, ++scheduled) {
      engine.schedule_at(cmksim::exponential(rng, kMeanDelayTicks), Payload{lp});
    }
  }
  Result result;
  engine.run_until(INT64_MAX, [&](cmksim::TimeMs now, const Payload& event) {
    result.checksum = mix(result.checksum, now, event.lp);
    if (scheduled < events_total) {
      ++scheduled;
      const auto lp = static_cast<std::uint32_t>(cmksim::uniform_int(rng, 0, kLps - 1));
      engine.schedule_at(now + cmksim::exponential(rng, kMeanDelayTicks), Payload{lp});
    }
    result.final_time = now;
  });
  result.wall_s = seconds_since(start);
  result.events = engine.processed();
  return result;
}

// (b) A plain binary heap of small structs, dispatched by a switch on a kind.
Result run_plain(std::uint64_t seed, std::uint64_t events_total) {
  enum class Kind : std::uint8_t { kArrive };
  struct Event {
    std::int64_t time;
    std::uint64_t seq;
    std::uint32_t lp;
    Kind kind;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time > b.time || (a.time == b.time && a.seq > b.seq);
    }
  };
  cmksim::Rng rng = cmksim::Rng::stream(seed, "phold");
  std::vector<Event> storage;
  storage.reserve(kLps * kInitialEventsPerLp);
  std::priority_queue<Event, std::vector<Event>, Later> queue(Later{}, std::move(storage));
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t seq = 0;
  std::uint64_t scheduled = 0;
  for (std::uint32_t lp = 0; lp < kLps; ++lp) {
    for (int i = 0; i < kInitialEventsPerLp && scheduled < events_total; ++i, ++scheduled) {
      queue.push(Event{cmksim::exponential(rng, kMeanDelayTicks), seq++, lp, Kind::kArrive});
    }
  }
  Result result;
  std::int64_t now = 0;
  while (!queue.empty()) {
    const Event event = queue.top();
    queue.pop();
    if (event.time < now) std::abort();  // the same invariant the engine checks
    now = event.time;
    ++result.events;
    switch (event.kind) {
      case Kind::kArrive: {
        result.checksum = mix(result.checksum, now, event.lp);
        if (scheduled < events_total) {
          ++scheduled;
          const auto lp = static_cast<std::uint32_t>(cmksim::uniform_int(rng, 0, kLps - 1));
          queue.push(Event{now + cmksim::exponential(rng, kMeanDelayTicks), seq++, lp, Kind::kArrive});
        }
        result.final_time = now;
        break;
      }
    }
  }
  result.wall_s = seconds_since(start);
  return result;
}

#ifdef CMKSIM_HAVE_NS3
// (c) ns-3's simulator core: Simulator::Schedule with a member callback,
// one scheduler at a time. ns-3 orders events by (time, insertion uid), the
// same rule as ours, so the checksum must be the same.
class Ns3Phold {
 public:
  Ns3Phold(std::uint64_t seed, std::uint64_t events_total)
      : rng_(cmksim::Rng::stream(seed, "phold")), events_total_(events_total) {}

  Result run(const char* scheduler) {
    ns3::ObjectFactory factory;
    factory.SetTypeId(scheduler);
    ns3::Simulator::SetScheduler(factory);
    const auto start = std::chrono::steady_clock::now();
    for (std::uint32_t lp = 0; lp < kLps; ++lp) {
      for (int i = 0; i < kInitialEventsPerLp && scheduled_ < events_total_; ++i, ++scheduled_) {
        ns3::Simulator::Schedule(ns3::NanoSeconds(cmksim::exponential(rng_, kMeanDelayTicks)), &Ns3Phold::arrive, this, lp);
      }
    }
    ns3::Simulator::Run();
    result_.wall_s = seconds_since(start);
    ns3::Simulator::Destroy();
    return result_;
  }

 private:
  void arrive(std::uint32_t lp) {
    const std::int64_t now = ns3::Simulator::Now().GetNanoSeconds();
    ++result_.events;
    result_.checksum = mix(result_.checksum, now, lp);
    result_.final_time = now;
    if (scheduled_ < events_total_) {
      ++scheduled_;
      const auto next = static_cast<std::uint32_t>(cmksim::uniform_int(rng_, 0, kLps - 1));
      ns3::Simulator::Schedule(ns3::NanoSeconds(cmksim::exponential(rng_, kMeanDelayTicks)), &Ns3Phold::arrive, this, next);
    }
  }

  cmksim::Rng rng_;
  std::uint64_t events_total_;
  std::uint64_t scheduled_ = 0;
  Result result_;
};
#endif

void print(const char* name, const Result& r) {
  std::printf("%-40s events %" PRIu64 "  wall %.3f s  %.2f M events/s  final time %" PRId64
              "  checksum %016" PRIx64 "\n",
              name, r.events, r.wall_s, static_cast<double>(r.events) / r.wall_s / 1e6, r.final_time, r.checksum);
}

bool parse_u64(const char* text, std::uint64_t& out) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-') return false;
  out = value;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t events_total = 10000000;
  std::uint64_t seed = 1;
  std::uint64_t repeat = 1;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--events") == 0 && has_value && parse_u64(argv[i + 1], events_total)) {
      ++i;
    } else if (std::strcmp(argv[i], "--seed") == 0 && has_value && parse_u64(argv[i + 1], seed)) {
      ++i;
    } else if (std::strcmp(argv[i], "--repeat") == 0 && has_value && parse_u64(argv[i + 1], repeat) && repeat > 0) {
      ++i;
    } else {
      std::fprintf(stderr, "usage: bench_phold [--events N] [--seed S] [--repeat R]\n");
      return 2;
    }
  }

  std::printf("PHOLD: %u LPs x %d initial events, exponential delays of mean %" PRId64
              " ticks, %" PRIu64 " events, seed %" PRIu64 "\n",
              kLps, kInitialEventsPerLp, kMeanDelayTicks, events_total, seed);
  Result engine = run_engine(seed, events_total);
  Result plain = run_plain(seed, events_total);
  bool rounds_agree = true;
  for (std::uint64_t round = 1; round < repeat; ++round) {
    const Result e = run_engine(seed, events_total);
    const Result p = run_plain(seed, events_total);
    rounds_agree = rounds_agree && e.checksum == engine.checksum && p.checksum == plain.checksum;
    if (e.wall_s < engine.wall_s) engine = e;
    if (p.wall_s < plain.wall_s) plain = p;
  }
  print("engine (cmksim::Engine):", engine);
  print("plain (std::priority_queue + switch):", plain);
  std::printf("ratio engine/plain (events/s): %.2f\n",
              (static_cast<double>(engine.events) / engine.wall_s) / (static_cast<double>(plain.events) / plain.wall_s));

#ifdef CMKSIM_HAVE_NS3
  const double plain_rate = static_cast<double>(plain.events) / plain.wall_s;
  for (const char* scheduler : {"ns3::MapScheduler", "ns3::HeapScheduler", "ns3::PriorityQueueScheduler",
                                "ns3::CalendarScheduler"}) {
    const Result ns3_result = Ns3Phold(seed, events_total).run(scheduler);
    const std::string label = std::string("ns-3 ") + scheduler + ":";
    print(label.c_str(), ns3_result);
    std::printf("  ratio cmksim engine / this: %.2f, this / plain: %.2f\n",
                (static_cast<double>(engine.events) / engine.wall_s) /
                    (static_cast<double>(ns3_result.events) / ns3_result.wall_s),
                (static_cast<double>(ns3_result.events) / ns3_result.wall_s) / plain_rate);
    rounds_agree = rounds_agree && ns3_result.checksum == engine.checksum;
  }
#else
  std::printf("ns-3: not built (install Debian's libns3-dev and re-run cmake to compare with it)\n");
#endif

  if (!rounds_agree || engine.checksum != plain.checksum || engine.events != plain.events || engine.final_time != plain.final_time) {
    std::printf("MISMATCH: the two sides processed different events\n");
    return 1;
  }
  std::printf("checksums match\n");
  return 0;
}
