// StateTimeline: turns "subject X is now in state S" notices into the
// intervals of the `states` table. One open interval per subject; a new
// state closes it. A change at the same instant as the interval's start
// replaces it, so no zero-length interval is ever written.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/record/run_record.h"

namespace cmksim {

class StateTimeline {
 public:
  explicit StateTimeline(std::vector<StateRow>& rows) : rows_(rows) {}

  // Returns true when the subject's state actually changed.
  bool set(const std::string& kind, const std::string& subject, const std::string& state, TimeMs t) {
    const auto key = std::make_pair(kind, subject);
    const auto it = open_.find(key);
    if (it != open_.end()) {
      StateRow& row = rows_[it->second];
      if (row.state == state) return false;
      if (row.t_start_ms == t) {
        row.state = state;
        return true;
      }
      row.t_end_ms = t;
    }
    open_[key] = rows_.size();
    rows_.push_back(StateRow{kind, subject, state, t, t});
    return true;
  }

  // Closes every open interval at `end`.
  void close_all(TimeMs end) {
    for (const auto& [key, index] : open_) rows_[index].t_end_ms = end;
    open_.clear();
  }

 private:
  std::vector<StateRow>& rows_;
  std::map<std::pair<std::string, std::string>, std::size_t> open_;
};

}  // namespace cmksim
