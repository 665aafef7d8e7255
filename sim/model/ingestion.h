// Ingestion ledger of one workspace (D1, K2, D8, D9).
//
// Data is never simulated gigabyte by gigabyte: between two changes of the
// workspace's conditions (rate, protection, location, whether storage accepts
// data) the arrival rate is a known function of time, so the ledger keeps one
// Segment per such interval and integrates the rate analytically when asked.
// Invariants: segments are contiguous and ordered by time; the open segment
// starts at `open_since()`; a segment's fate (stored or lost) never changes.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/time.h"
#include "sim/scenario/daily_shape.h"

namespace cmksim {

enum class Location : std::uint8_t { kShared, kCluster };

constexpr TimeMs kNever = INT64_MAX;  // a time that never comes

struct Segment {
  TimeMs t_start_ms = 0;
  TimeMs t_end_ms = 0;
  double gb_per_day = 0;
  int protection = 0;  // index into the model's table of protection classes
  Location location = Location::kShared;
  int cluster = -1;    // the cluster whose storage holds it (location kCluster): it follows that cluster (D12)
  bool lost = false;   // arrived while storage did not accept data (D8, D10)
  bool buffered = false;  // arrived into the D13 outage buffer under the MMK (written under the CMK on resume, or lost)
  int buffer_incident = -1;  // the outage incident whose buffer took it
  int incident = -1;   // the incident that dropped it, when lost
  TimeMs erased_ms = kNever;  // deleted for good with its cluster or workspace (C5, W3)

  // The conditions of arriving data, times and erasure aside.
  bool same_conditions(const Segment& o) const {
    return gb_per_day == o.gb_per_day && protection == o.protection && location == o.location &&
           cluster == o.cluster && lost == o.lost && buffered == o.buffered && buffer_incident == o.buffer_incident &&
           incident == o.incident;
  }
  bool stored_at(TimeMs now) const { return !lost && erased_ms > now; }
};

// What a segment stands for once the run is over (D9: retention runs on
// every stored segment, accessible or not).
struct SegmentFate {
  double gb_ingested = 0;
  double gb_lost = 0;
  double gb_purged = 0;
  double gb_at_end = 0;
};

class IngestionLedger {
 public:
  IngestionLedger(DailyShape shape, DurationMs retention_ms) : shape_(shape), retention_ms_(retention_ms) {}

  // Closes the open segment at t (if any) and opens one with the conditions
  // of `conditions` (its times are ignored). A zero-length previous segment
  // is dropped.
  void open(TimeMs t, Segment conditions);
  void close(TimeMs t);

  // GB arriving at `gb_per_day` over [t0, t1).
  double gb_between(double gb_per_day, TimeMs t0, TimeMs t1) const;

  // GB of stored (not lost, not erased) data at `location` ingested in
  // [t0, t1), as of time `now` (data older than the retention at `now` is
  // purged); with `cluster` >= 0, only the data in that cluster's storage.
  double stored_gb_between(TimeMs t0, TimeMs t1, TimeMs now, Location location, int cluster = -1) const;

  // C5, W3: the stored data of the closed segments held by `cluster` (-1:
  // every segment) is deleted for good at `t`. Returns the GB erased.
  double erase(int cluster, TimeMs t);
  // D13: the buffered data of `buffer_incident` is lost to `incident` after
  // all (a revocation took effect during the outage and access did not come
  // back before the buffer ran out). Returns the GB.
  double lose_buffered(int buffer_incident, int incident);


  SegmentFate fate(const Segment& s, TimeMs end) const;
  const std::vector<Segment>& segments() const { return segments_; }
  const Segment& current() const { return segments_.back(); }
  TimeMs retention_ms() const { return retention_ms_; }
  bool is_open() const { return open_; }

 private:
  DailyShape shape_;
  DurationMs retention_ms_;
  std::vector<Segment> segments_;
  bool open_ = false;
};

}  // namespace cmksim
