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

struct Segment {
  TimeMs t_start_ms = 0;
  TimeMs t_end_ms = 0;
  double gb_per_day = 0;
  int protection = 0;  // index into the model's table of protection classes
  Location location = Location::kShared;
  bool lost = false;   // arrived while storage did not accept data (D8, D10)
  int incident = -1;   // the incident that dropped it, when lost
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

  // Closes the open segment at t (if any) and opens one with these
  // conditions. A zero-length previous segment is dropped.
  void open(TimeMs t, double gb_per_day, int protection, Location location, bool lost, int incident);
  void close(TimeMs t);

  // GB arriving at `gb_per_day` over [t0, t1).
  double gb_between(double gb_per_day, TimeMs t0, TimeMs t1) const;

  // GB of stored (not lost) data at `location` ingested in [t0, t1), as of
  // time `now` (data older than the retention at `now` is purged).
  double stored_gb_between(TimeMs t0, TimeMs t1, TimeMs now, Location location) const;

  SegmentFate fate(const Segment& s, TimeMs end) const;
  const std::vector<Segment>& segments() const { return segments_; }
  const Segment& current() const { return segments_.back(); }
  bool is_open() const { return open_; }

 private:
  DailyShape shape_;
  DurationMs retention_ms_;
  std::vector<Segment> segments_;
  bool open_ = false;
};

}  // namespace cmksim
