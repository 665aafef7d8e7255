#include "sim/sweep/diff.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <tuple>
#include <utility>

#include "sim/core/text.h"

namespace cmksim {
namespace {

bool same_number(double x, double y) {
  if (x == y) return true;
  return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
}

// An instant from the start, to the millisecond when it has one.
std::string instant(std::optional<TimeMs> t) {
  if (!t) return "none";
  std::string s = format_instant(*t);
  if (*t % kMsPerSecond != 0) {
    char ms[8];
    std::snprintf(ms, sizeof ms, ".%03lld", static_cast<long long>((*t < 0 ? -*t : *t) % kMsPerSecond));
    s += ms;
  }
  return s;
}

std::string duration(std::optional<DurationMs> d) { return d ? format_duration(*d) : "none"; }

// Two numbers that differ, printed so that they do not look the same.
std::pair<std::string, std::string> numbers(double x, double y) {
  std::string a = format_gb(x), b = format_gb(y);
  if (a == b) {
    char buf[2][32];
    std::snprintf(buf[0], sizeof buf[0], "%.12g", x);
    std::snprintf(buf[1], sizeof buf[1], "%.12g", y);
    a = buf[0];
    b = buf[1];
  }
  return {a, b};
}

std::string arrow(const std::string& a, const std::string& b) { return a + " -> " + b; }

// The changes found in one pair of runs.
class Changes {
 public:
  void add(std::string line) { lines_.push_back(std::move(line)); }
  template <class T, class Show>
  void field(const std::string& label, const T& a, const T& b, Show show) {
    if (!(a == b)) add(label + ": " + arrow(show(a), show(b)));
  }
  void number(const std::string& label, double a, double b, const std::string& unit = "") {
    if (same_number(a, b)) return;
    const auto [x, y] = numbers(a, b);
    add(label + ": " + arrow(x, y) + (unit.empty() ? "" : " " + unit));
  }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

// The parameters in force as (name, value text) pairs, for compare_keyed.
std::vector<std::pair<std::string, std::string>> named_values(const ParamValues& params) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const ParamValue& p : params) out.emplace_back(p.name, p.text);
  return out;
}

// Keyed lists compared key by key: a's order, then b's new keys.
template <class Value, class Same, class Show>
void compare_keyed(const std::vector<std::pair<std::string, Value>>& a,
                   const std::vector<std::pair<std::string, Value>>& b, const std::string& what, Same same, Show show,
                   std::vector<std::string>& out) {
  std::map<std::string, const Value*> in_b;
  for (const auto& [k, v] : b) in_b.emplace(k, &v);
  std::map<std::string, bool> in_a;
  for (const auto& [k, v] : a) {
    in_a.emplace(k, true);
    const auto it = in_b.find(k);
    const std::string label = what + (k.empty() ? "" : " " + k);
    if (it == in_b.end()) {
      out.push_back(label + ": " + show(v) + " -> (none)");
    } else if (!same(v, *it->second)) {
      out.push_back(label + ": " + arrow(show(v), show(*it->second)));
    }
  }
  for (const auto& [k, v] : b) {
    if (in_a.count(k) == 0) out.push_back(what + (k.empty() ? "" : " " + k) + ": (none) -> " + show(v));
  }
}

// What the two runs were asked to do, where it differs (context, not change).
std::vector<std::string> context(const RunRecord& a, const RunRecord& b) {
  std::vector<std::string> out;
  const RunInfo& x = a.run;
  const RunInfo& y = b.run;
  const auto text = [](const std::string& s) { return s.empty() ? std::string("\"\"") : s; };
  if (x.scenario != y.scenario) out.push_back("scenario: " + arrow(text(x.scenario), text(y.scenario)));
  if (x.scenario_sha256 != y.scenario_sha256) {
    out.push_back("scenario file: " + arrow(x.scenario_sha256.substr(0, 12), y.scenario_sha256.substr(0, 12)) +
                  " (sha256)");
  }
  if (x.seed != y.seed) out.push_back("seed: " + arrow(std::to_string(x.seed), std::to_string(y.seed)));
  if (x.profile != y.profile) out.push_back("profile: " + arrow(x.profile, y.profile));
  if (x.timing != y.timing) out.push_back("timing: " + arrow(x.timing, y.timing));
  if (x.duration_ms != y.duration_ms) out.push_back("duration: " + arrow(duration(x.duration_ms), duration(y.duration_ms)));
  if (x.cmksim_version != y.cmksim_version) out.push_back("cmksim: " + arrow(x.cmksim_version, y.cmksim_version));
  const auto same_text = [](const std::string& p, const std::string& q) { return p == q; };
  const auto show_text = [&text](const std::string& s) { return text(s); };
  if (x.params != y.params) {
    compare_keyed(named_values(x.params), named_values(y.params), "parameter", same_text, show_text, out);
  }
  if (a.sweep_params != b.sweep_params) compare_keyed(a.sweep_params, b.sweep_params, "grid", same_text, show_text, out);
  return out;
}

void compare_incidents(const RunRecord& a, const RunRecord& b, const std::string& la, const std::string& lb,
                       Changes& c) {
  // Per cluster, in order of first appearance.
  std::vector<std::string> clusters;
  std::map<std::string, std::pair<std::vector<const IncidentRow*>, std::vector<const IncidentRow*>>> by_cluster;
  for (const auto* list : {&a.incidents, &b.incidents}) {
    for (const IncidentRow& i : *list) {
      auto& entry = by_cluster[i.cluster];
      if (entry.first.empty() && entry.second.empty()) clusters.push_back(i.cluster);
      (list == &a.incidents ? entry.first : entry.second).push_back(&i);
    }
  }
  for (const std::string& cluster : clusters) {
    const auto& [xs, ys] = by_cluster[cluster];
    for (std::size_t k = 0; k < std::max(xs.size(), ys.size()); ++k) {
      const IncidentRow* x = k < xs.size() ? xs[k] : nullptr;
      const IncidentRow* y = k < ys.size() ? ys[k] : nullptr;
      const IncidentRow& any = x ? *x : *y;
      const std::string name = "incident " + std::to_string(k + 1) + " on " + cluster + " (" + any.cause + " at " +
                               instant(any.change_ms) + ")";
      if (!x || !y) {
        c.add(name + ": only in " + (x ? la : lb) + " (exposure window " + duration(any.exposure_window_ms) +
              ", GB lost " + format_gb(any.gb_lost) + ")");
        continue;
      }
      Changes f;  // this incident's changed fields
      const auto show_instant = [](const std::optional<TimeMs>& t) { return instant(t); };
      const auto show_duration = [](const std::optional<DurationMs>& d) { return duration(d); };
      f.field("cause", x->cause, y->cause, [](const std::string& s) { return s; });
      f.field("change", std::optional<TimeMs>(x->change_ms), std::optional<TimeMs>(y->change_ms), show_instant);
      f.field("first denied", x->first_denied_ms, y->first_denied_ms, show_instant);
      f.field("unavailable", x->unavailable_ms, y->unavailable_ms, show_instant);
      f.field("access restored", x->restored_ms, y->restored_ms, show_instant);
      f.field("first success", x->first_success_ms, y->first_success_ms, show_instant);
      f.field("resumed", x->resumed_ms, y->resumed_ms, show_instant);
      f.field("exposure window", x->exposure_window_ms, y->exposure_window_ms, show_duration);
      f.field("recovery time", x->recovery_time_ms, y->recovery_time_ms, show_duration);
      f.number("GB lost", x->gb_lost, y->gb_lost);
      f.field("queries failed", x->queries_failed, y->queries_failed,
              [](std::uint64_t n) { return std::to_string(n); });
      std::vector<std::string> lines;
      compare_keyed(x->gb_lost_by_workspace, y->gb_lost_by_workspace, "GB lost in", same_number,
                    [](double v) { return format_gb(v); }, lines);
      for (std::string& line : lines) f.add(std::move(line));
      if (f.lines().empty()) continue;
      c.add(name + ":");
      for (const std::string& line : f.lines()) c.add("  " + line);
    }
  }
}

void compare_metrics(const RunRecord& a, const RunRecord& b, Changes& c) {
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, const MetricRow*> in_b;
  for (const MetricRow& m : b.metrics) in_b.emplace(Key{m.subject_kind, m.subject, m.name}, &m);
  std::map<Key, bool> in_a;
  const auto label = [](const MetricRow& m) {
    return "figure " + m.name + " of " + m.subject_kind + (m.subject.empty() ? "" : " " + m.subject);
  };
  for (const MetricRow& m : a.metrics) {
    const Key key{m.subject_kind, m.subject, m.name};
    in_a.emplace(key, true);
    const auto it = in_b.find(key);
    if (it == in_b.end()) {
      c.add(label(m) + ": " + format_gb(m.value) + " " + m.unit + " -> (none)");
    } else {
      c.number(label(m), m.value, it->second->value, m.unit);
    }
  }
  for (const MetricRow& m : b.metrics) {
    if (in_a.count(Key{m.subject_kind, m.subject, m.name}) == 0) {
      c.add(label(m) + ": (none) -> " + format_gb(m.value) + " " + m.unit);
    }
  }
}

void compare_states(const RunRecord& a, const RunRecord& b, Changes& c) {
  using Subject = std::pair<std::string, std::string>;
  using Interval = std::tuple<TimeMs, TimeMs, std::string>;  // start, end, state
  std::vector<Subject> order;
  std::map<Subject, std::pair<std::vector<Interval>, std::vector<Interval>>> by_subject;
  for (const auto* list : {&a.states, &b.states}) {
    for (const StateRow& s : *list) {
      const Subject key{s.subject_kind, s.subject};
      auto [it, inserted] = by_subject.try_emplace(key);
      if (inserted) order.push_back(key);
      (list == &a.states ? it->second.first : it->second.second).emplace_back(s.t_start_ms, s.t_end_ms, s.state);
    }
  }
  for (const Subject& subject : order) {
    auto& [xs, ys] = by_subject[subject];
    if (xs == ys) continue;
    // Intervals only in a (-) and only in b (+), by start time, - first.
    std::map<Interval, int> count;
    for (const Interval& i : xs) ++count[i];
    for (const Interval& i : ys) --count[i];
    std::vector<std::tuple<TimeMs, bool, TimeMs, std::string>> listed;  // start, added, end, state
    for (const auto& [interval, n] : count) {
      const auto& [start, end, state] = interval;
      for (int k = 0; k < std::abs(n); ++k) listed.emplace_back(start, n < 0, end, state);
    }
    std::sort(listed.begin(), listed.end());
    c.add("states of " + subject.first + " " + subject.second + ":");
    for (const auto& [start, added, end, state] : listed) {
      c.add(std::string("  ") + (added ? "+ " : "- ") + state + " from " + instant(start) + " to " + instant(end));
    }
  }
}

void compare_operations(const RunRecord& a, const RunRecord& b, const std::string& la, const std::string& lb,
                        Changes& c) {
  for (std::size_t k = 0; k < std::max(a.operations.size(), b.operations.size()); ++k) {
    const OperationRow* x = k < a.operations.size() ? &a.operations[k] : nullptr;
    const OperationRow* y = k < b.operations.size() ? &b.operations[k] : nullptr;
    const OperationRow& any = x ? *x : *y;
    const std::string name = "operation " + any.event_id + " (" + any.action + " " + any.target + ")";
    if (!x || !y) {
      c.add(name + ": only in " + (x ? la : lb) + " (status " + std::to_string(any.status) + ")");
      continue;
    }
    const auto status = [](const OperationRow& o) { return std::to_string(o.status) + " " + o.message; };
    if (x->status != y->status || x->message != y->message) c.add(name + ": " + arrow(status(*x), status(*y)));
    if (x->event_id != y->event_id || x->action != y->action || x->target != y->target || x->t_ms != y->t_ms) {
      c.add(name + ": now " + y->event_id + " (" + y->action + " " + y->target + ") at " + instant(y->t_ms));
    }
    c.field(name + ": completed", x->completed_ms, y->completed_ms,
            [](const std::optional<TimeMs>& t) { return instant(t); });
  }
}

void compare_expectations(const RunRecord& a, const RunRecord& b, const std::string& la, const std::string& lb,
                          Changes& c) {
  for (std::size_t k = 0; k < std::max(a.expectations.size(), b.expectations.size()); ++k) {
    const ExpectationRow* x = k < a.expectations.size() ? &a.expectations[k] : nullptr;
    const ExpectationRow* y = k < b.expectations.size() ? &b.expectations[k] : nullptr;
    const ExpectationRow& any = x ? *x : *y;
    const std::string name = "expectation " + any.text;
    if (!x || !y) {
      c.add(name + ": only in " + (x ? la : lb));
      continue;
    }
    const auto verdict = [](const ExpectationRow& e) {
      return std::string(e.passed ? "met" : "not met") + " (" + e.observed + ")";
    };
    if (x->passed != y->passed || x->observed != y->observed) c.add(name + ": " + arrow(verdict(*x), verdict(*y)));
  }
}

std::string run_title(std::size_t index, const RunRecord& r, bool sweep) {
  std::string title = "run " + std::to_string(index + 1);
  if (!sweep) return title;
  std::string grid;
  for (const auto& [path, value] : r.sweep_params) grid += (grid.empty() ? "" : ", ") + path + "=" + value;
  return title + " (" + (grid.empty() ? "" : grid + ", ") + "seed " + std::to_string(r.run.seed) + ")";
}

}  // namespace

DiffResult diff_runs(const std::vector<RunRecord>& a, const std::vector<RunRecord>& b, const std::string& label_a,
                     const std::string& label_b, const DiffOptions& options) {
  DiffResult result;
  std::ostringstream out;
  const std::size_t n = std::min(a.size(), b.size());
  const bool sweep = a.size() > 1 || b.size() > 1;
  const auto runs_text = [](std::size_t k) { return std::to_string(k) + (k == 1 ? " run" : " runs"); };
  out << "--- " << label_a << " (" << runs_text(a.size()) << ")\n+++ " << label_b << " (" << runs_text(b.size())
      << ")\n";
  if (a.size() != b.size()) {
    result.differ = true;
    out << "different numbers of runs: " << a.size() << " -> " << b.size() << "; comparing the first " << n << "\n";
  }
  std::size_t shown = 0;
  std::vector<std::string> without_timelines;  // the sides with runs that kept outcomes only
  for (std::size_t i = 0; i < n; ++i) {
    const RunRecord& x = a[i];
    const RunRecord& y = b[i];
    Changes changes;
    compare_incidents(x, y, label_a, label_b, changes);
    compare_metrics(x, y, changes);
    if (x.timelines_recorded && y.timelines_recorded) {
      compare_states(x, y, changes);
    } else {  // sweep --keep outcomes: no states to compare, which is no change
      for (const auto* side : {&x, &y}) {
        const std::string& label = side == &x ? label_a : label_b;
        if (!side->timelines_recorded &&
            std::find(without_timelines.begin(), without_timelines.end(), label) == without_timelines.end()) {
          without_timelines.push_back(label);
        }
      }
    }
    compare_operations(x, y, label_a, label_b, changes);
    compare_expectations(x, y, label_a, label_b, changes);
    ++result.runs_compared;
    const std::vector<std::string> notes = context(x, y);
    if (changes.lines().empty()) {
      // The same outcome; say so once for a single run whose inputs differ.
      if (!sweep && !notes.empty()) {
        out << "with\n";
        for (const std::string& note : notes) out << "  " << note << "\n";
      }
      continue;
    }
    ++result.runs_differing;
    result.differ = true;
    if (options.max_runs_shown != 0 && shown == options.max_runs_shown) continue;
    ++shown;
    out << run_title(i, x, sweep) << ":\n";
    if (!notes.empty()) {
      out << "  with\n";
      for (const std::string& note : notes) out << "    " << note << "\n";
    }
    const auto& lines = changes.lines();
    const std::size_t limit = options.max_lines_per_run == 0 ? lines.size() : std::min(lines.size(), options.max_lines_per_run);
    for (std::size_t k = 0; k < limit; ++k) out << "  " << lines[k] << "\n";
    if (limit < lines.size()) out << "  ... and " << (lines.size() - limit) << " more changes in this run\n";
  }
  if (result.runs_differing > shown) {
    out << "... and " << (result.runs_differing - shown) << " more runs differ (--max-runs 0 lists them all)\n";
  }
  if (!without_timelines.empty()) {
    std::string sides;
    for (const std::string& label : without_timelines) sides += (sides.empty() ? "" : " and ") + label;
    out << "states not compared: " << sides << " kept outcomes only (cmksim sweep --keep outcomes)\n";
  }
  if (result.differ) {
    out << "differ: " << result.runs_differing << " of " << n << (n == 1 ? " run" : " runs") << " changed";
    if (a.size() != b.size()) out << "; the run counts differ";
    out << "\n";
  } else {
    out << "same: " << runs_text(n) << " with the same incidents, figures, " << (without_timelines.empty() ? "states, " : "")
        << "operations and expectations\n";
  }
  result.text = out.str();
  return result;
}

}  // namespace cmksim
