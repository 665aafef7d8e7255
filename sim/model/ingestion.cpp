#include "sim/model/ingestion.h"

#include <algorithm>

#include "sim/core/check.h"

namespace cmksim {

void IngestionLedger::open(TimeMs t, Segment conditions) {
  close(t);
  if (!segments_.empty() && segments_.back().t_start_ms == segments_.back().t_end_ms) segments_.pop_back();
  conditions.t_start_ms = t;
  conditions.t_end_ms = t;
  segments_.push_back(conditions);
  open_ = true;
}

void IngestionLedger::close(TimeMs t) {
  if (!open_) return;
  CMKSIM_CHECK(t >= segments_.back().t_start_ms, "ledger closed before it opened");
  segments_.back().t_end_ms = t;
  open_ = false;
}

double IngestionLedger::gb_between(double gb_per_day, TimeMs t0, TimeMs t1) const {
  if (t1 <= t0 || gb_per_day == 0) return 0;
  return gb_per_day * (shape_.weighted_ms(t1) - shape_.weighted_ms(t0)) / static_cast<double>(kMsPerDay);
}

double IngestionLedger::stored_gb_between(TimeMs t0, TimeMs t1, TimeMs now, Location location, int cluster) const {
  const TimeMs from = std::max(t0, now - retention_ms_);
  double total = 0;
  for (const Segment& s : segments_) {
    if (!s.stored_at(now) || s.location != location || (cluster >= 0 && s.cluster != cluster)) continue;
    const TimeMs end = open_ && &s == &segments_.back() ? std::max(s.t_end_ms, now) : s.t_end_ms;
    total += gb_between(s.gb_per_day, std::max(s.t_start_ms, from), std::min(end, t1));
  }
  return total;
}

SegmentFate IngestionLedger::fate(const Segment& s, TimeMs end) const {
  SegmentFate f;
  f.gb_ingested = gb_between(s.gb_per_day, s.t_start_ms, s.t_end_ms);
  if (s.lost) {
    f.gb_lost = f.gb_ingested;
    return f;
  }
  // D9: a segment's data is purged when it reaches the retention age; C5,
  // W3: all of it once deleted for good
  const TimeMs purge_before = s.erased_ms <= end ? s.t_end_ms : end - retention_ms_;
  f.gb_purged = gb_between(s.gb_per_day, s.t_start_ms, std::min(s.t_end_ms, purge_before));
  f.gb_at_end = std::max(0.0, f.gb_ingested - f.gb_purged);
  return f;
}

double IngestionLedger::erase(int cluster, TimeMs t) {
  double gb = 0;
  for (Segment& s : segments_) {
    const bool open_one = open_ && &s == &segments_.back();
    if (open_one || !s.stored_at(t) || (cluster >= 0 && (s.location != Location::kCluster || s.cluster != cluster))) {
      continue;
    }
    gb += gb_between(s.gb_per_day, std::max(s.t_start_ms, t - retention_ms_), s.t_end_ms);
    s.erased_ms = t;
  }
  return gb;
}

double IngestionLedger::lose_buffered(int buffer_incident, int incident) {
  double gb = 0;
  for (Segment& s : segments_) {
    if (!s.buffered || s.lost || s.buffer_incident != buffer_incident) continue;
    s.lost = true;  // still counted as buffered: it went through the buffer
    s.incident = incident;
    gb += gb_between(s.gb_per_day, s.t_start_ms, s.t_end_ms);
  }
  return gb;
}

}  // namespace cmksim
