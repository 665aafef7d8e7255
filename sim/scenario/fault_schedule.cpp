#include "sim/scenario/fault_schedule.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "sim/core/text.h"
#include "sim/random/distributions.h"

namespace cmksim {
namespace {

constexpr double kNormalP95 = 1.6448536;  // the standard normal's 95th percentile (lognormal from median and p95)
constexpr std::int64_t kProbabilityScale = 1000000000;  // probabilities as integer ratios (chance)
constexpr double kWeightScale = 1e6;                     // fault-kind weights as integers

// Acklam's rational approximation of the standard normal quantile (relative
// error below 1.2e-9): only +, *, /, log and sqrt.
double normal_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  if (p < kLow || p > 1 - kLow) {
    const double q = std::sqrt(-2 * std::log(p < kLow ? p : 1 - p));
    const double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                     ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < kLow ? x : -x;
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// The week as the window sees it: scenario time t is (t + offset) from a
// Monday 00:00.
DurationMs week_offset(const Scenario& s) {
  int y = 0, m = 0, d = 0;
  if (s.start.size() < 10 || std::sscanf(s.start.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return 0;
  // Days since 1970-01-01 (Howard Hinnant's days_from_civil); that day was a Thursday.
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  const std::int64_t weekday = ((days + 3) % 7 + 7) % 7;  // Monday = 0
  return weekday * kMsPerDay + static_cast<DurationMs>(s.start_hour_of_day) * kMsPerHour;
}

// The clock a process's arrivals run on: only the time its window is open.
class WindowClock {
 public:
  WindowClock(const Scenario& s, const std::optional<FaultWindow>& w)
      : window_(w), offset_(week_offset(s)), end_(s.duration_ms) {
    if (w && w->to_ms) end_ = std::min(end_, *w->to_ms);
  }

  // The share of a week the window is open (1 without a window).
  double open_share() const {
    if (!window_) return 1;
    const double days = window_->weekdays_only ? 5 : 7;
    return days * (window_->hour_to - window_->hour_from) / (7.0 * 24);
  }

  // The time at which `amount` of open time has passed since `t`; nullopt
  // when that is past the end of the window or of the run.
  std::optional<TimeMs> advance(TimeMs t, DurationMs amount) const {
    if (!window_) return t + amount <= end_ ? std::optional<TimeMs>(t + amount) : std::nullopt;
    TimeMs cur = std::max(t, window_->from_ms);
    while (cur < end_) {
      const std::int64_t day = (cur + offset_) / kMsPerDay;
      const TimeMs day_start = day * kMsPerDay - offset_;
      const bool allowed = !window_->weekdays_only || day % 7 < 5;
      const TimeMs a = std::max(cur, day_start + window_->hour_from * kMsPerHour);
      const TimeMs b = std::min(end_, day_start + window_->hour_to * kMsPerHour);
      if (allowed && a < b) {
        if (amount < b - a) return a + amount;
        amount -= b - a;
      }
      cur = day_start + kMsPerDay;
    }
    return std::nullopt;
  }

 private:
  std::optional<FaultWindow> window_;
  DurationMs offset_;
  TimeMs end_;
};

EventDecl base_event(const FaultDecl& f, const std::string& id, TimeMs at, Action action) {
  EventDecl e;
  e.id = id;
  e.at_ms = at;
  e.action = action;
  e.from_fault = f.name;
  e.fault_process = fault_process_info(f.process).name;
  e.pos = SourcePos{f.line, f.column};
  return e;
}

std::string draw_fault_kind(const FaultDecl& f, Rng& rng) {
  std::int64_t total = 0;
  for (const auto& [kind, weight] : f.fault_kinds) total += std::llround(weight * kWeightScale);
  if (total <= 0) return f.fault_kinds.front().first;
  std::int64_t pick = uniform_int(rng, 0, total - 1);
  for (const auto& [kind, weight] : f.fault_kinds) {
    pick -= std::llround(weight * kWeightScale);
    if (pick < 0) return kind;
  }
  return f.fault_kinds.back().first;
}

std::uint8_t granted_permissions(const Scenario& s, const FaultDecl& f) {
  for (const GrantDecl& g : s.grants) {
    if (g.identity == f.identity && g.vault == f.vault) return g.permissions;
  }
  return kAllPermissions;
}

// A fault and, when it ends within the run, its restore.
void emit_rate_fault(const Scenario& s, const FaultDecl& f, const std::string& id, TimeMs at, DurationMs length,
                     Rng& rng, std::vector<EventDecl>& out) {
  const TimeMs end = at + length;
  switch (f.process) {
    case FaultProcess::kKvOutage: {  // D5: one event carries its duration
      EventDecl e = base_event(f, id, at, Action::kKvOutage);
      e.vault = f.vault;
      e.for_ms = std::max<DurationMs>(1, length);
      e.fault = draw_fault_kind(f, rng);
      out.push_back(std::move(e));
      return;
    }
    case FaultProcess::kDisableKey: {
      EventDecl e = base_event(f, id, at, Action::kDisableKey);
      e.vault = f.vault;
      e.key = f.key;
      out.push_back(e);
      if (end <= s.duration_ms) {
        e = base_event(f, id + ".end", end, Action::kEnableKey);
        e.vault = f.vault;
        e.key = f.key;
        out.push_back(std::move(e));
      }
      return;
    }
    case FaultProcess::kRemoveAccess: {
      EventDecl e = base_event(f, id, at, Action::kRemoveAccess);
      e.vault = f.vault;
      e.identity = f.identity;
      out.push_back(e);
      if (end <= s.duration_ms) {
        e = base_event(f, id + ".end", end, Action::kGrantAccess);
        e.vault = f.vault;
        e.identity = f.identity;
        e.permissions = granted_permissions(s, f);
        out.push_back(std::move(e));
      }
      return;
    }
    case FaultProcess::kIdentityNone: {  // C6: only a support case restores the identity
      EventDecl e = base_event(f, id, at, Action::kSetIdentity);
      e.cluster = f.cluster;
      e.identity = "none";
      out.push_back(e);
      if (end <= s.duration_ms) {
        e = base_event(f, id + ".end", end, Action::kSupportRestore);
        e.cluster = f.cluster;
        out.push_back(std::move(e));
      }
      return;
    }
    case FaultProcess::kRotation: return;  // not a rate process
  }
}

void realise_rate_process(const Scenario& s, const FaultDecl& f, Rng& rng, std::vector<EventDecl>& out) {
  if (f.rate_per_year <= 0) return;
  const WindowClock clock(s, f.window);
  const double mean = static_cast<double>(kFaultYearMs) * clock.open_share() / f.rate_per_year;
  const auto mean_ms = static_cast<std::int64_t>(std::llround(std::min(mean, 1e15)));
  TimeMs t = 0;
  for (int n = 1;; ++n) {
    const std::optional<TimeMs> at = clock.advance(t, exponential(rng, mean_ms));
    if (!at || *at > s.duration_ms) return;
    const DurationMs length =
        draw_duration(f.process == FaultProcess::kKvOutage ? f.duration : f.restore_after, rng);
    emit_rate_fault(s, f, "faults." + f.name + "#" + std::to_string(n), *at, length, rng, out);
    t = *at + std::max<DurationMs>(1, length);  // faults of one process never overlap
  }
}

std::string newest_version(const Scenario& s, const FaultDecl& f) {
  for (const VaultDecl& v : s.key_vaults) {
    for (const KeyDecl& k : v.keys) {
      if (v.name == f.vault && k.name == f.key && !k.versions.empty()) return k.versions.back();
    }
  }
  return "v1";
}

// R1/R2/R3: a new version every period; explicit mode updates the cluster;
// a mistaken rotation disables the old version before that update.
void realise_rotation(const Scenario& s, const FaultDecl& f, Rng& rng, std::vector<EventDecl>& out) {
  if (f.every_ms <= 0) return;
  const WindowClock clock(s, f.window);
  std::string old_version = newest_version(s, f);
  const auto threshold = static_cast<std::uint64_t>(std::llround(f.mistake_probability * kProbabilityScale));
  for (std::int64_t k = 1; k * f.every_ms <= s.duration_ms; ++k) {
    const std::optional<TimeMs> at = clock.advance(k * f.every_ms, 0);
    if (!at || *at > s.duration_ms) return;
    const DurationMs update_after = draw_duration(f.update_after, rng);  // every draw every time: a stable stream
    const bool mistake = chance(rng, threshold, kProbabilityScale);
    const DurationMs mistake_delay = draw_duration(f.mistake_delay, rng);
    const std::string id = "faults." + f.name + "#" + std::to_string(k);
    const std::string version = f.name + "." + std::to_string(k);
    EventDecl add = base_event(f, id, *at, Action::kAddKeyVersion);
    add.vault = f.vault;
    add.key = f.key;
    add.version = version;
    out.push_back(add);
    const TimeMs mistake_at = *at + mistake_delay;
    if (mistake && mistake_at <= s.duration_ms) {
      EventDecl e = base_event(f, id + ".mistake", mistake_at, Action::kDisableKeyVersion);
      e.vault = f.vault;
      e.key = f.key;
      e.version = old_version;
      out.push_back(std::move(e));
    }
    TimeMs update_at = *at + update_after;
    if (mistake) update_at = std::max(update_at, mistake_at + 1);  // the mistake comes first
    if (f.explicit_version && update_at <= s.duration_ms) {
      EventDecl e = base_event(f, id + ".update", update_at, Action::kUpdateClusterKey);
      e.cluster = f.cluster;
      e.vault = f.vault;
      e.key = f.key;
      e.version = version;
      out.push_back(std::move(e));
    }
    old_version = version;
  }
}

}  // namespace

double standard_normal(Rng& rng) {
  const double u = (static_cast<double>(rng.next() >> 11) + 0.5) / 9007199254740992.0;  // (0, 1)
  return normal_quantile(u);
}

DurationMs draw_duration(const DurationDist& d, Rng& rng) {
  switch (d.kind) {
    case DurationDist::Kind::kFixed: return d.a;
    case DurationDist::Kind::kUniform: return uniform_int(rng, d.a, d.b);
    case DurationDist::Kind::kLognormal: {
      const double z = standard_normal(rng);
      if (d.a <= 0) return 0;
      const double sigma = std::log(static_cast<double>(d.b) / static_cast<double>(d.a)) / kNormalP95;
      const double v = static_cast<double>(d.a) * std::exp(sigma * z);
      return static_cast<DurationMs>(std::llround(std::min(v, 1000.0 * 365 * kMsPerDay)));
    }
  }
  return 0;
}

std::vector<EventDecl> realise_fault(const Scenario& scenario, const FaultDecl& fault, std::uint64_t seed) {
  Rng rng = Rng::stream(seed, "faults." + fault.name);
  std::vector<EventDecl> out;
  if (fault.process == FaultProcess::kRotation) {
    realise_rotation(scenario, fault, rng, out);
  } else {
    realise_rate_process(scenario, fault, rng, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const EventDecl& a, const EventDecl& b) { return a.at_ms < b.at_ms; });
  return out;
}

std::vector<EventDecl> realise_faults(const Scenario& scenario, std::uint64_t seed) {
  std::vector<EventDecl> out;
  for (const FaultDecl& f : scenario.faults) {
    std::vector<EventDecl> events = realise_fault(scenario, f, seed);
    out.insert(out.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
  }
  std::stable_sort(out.begin(), out.end(), [](const EventDecl& a, const EventDecl& b) { return a.at_ms < b.at_ms; });
  return out;
}

Scenario with_realised_faults(const Scenario& scenario, std::uint64_t seed) {
  Scenario out = scenario;
  std::vector<EventDecl> events = realise_faults(scenario, seed);
  out.events.insert(out.events.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
  out.faults.clear();
  return out;
}

std::string fault_schedule_text(const std::vector<EventDecl>& events) {
  std::string out;
  for (const EventDecl& e : events) {
    std::string line = format_instant(e.at_ms) + "  " + one_line(e.id) + "  " + action_info(e.action).name;
    for (const std::string* field : {&e.cluster, &e.identity, &e.vault, &e.key, &e.version}) {
      if (!field->empty()) line += " " + one_line(*field);
    }
    if (e.action == Action::kKvOutage) line += " for " + format_duration(e.for_ms) + " fault " + e.fault;
    out += line + "\n";
  }
  return out;
}

}  // namespace cmksim
