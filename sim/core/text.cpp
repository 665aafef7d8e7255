#include "sim/core/text.h"

#include <algorithm>
#include <cstdio>

namespace cmksim {

// Optimal-string-alignment distance: Levenshtein plus adjacent
// transpositions, the commonest typo ("wrost" for "worst"). Three rolling
// rows: memory O(|b|), never a full matrix.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

// Suggestions compare names of at most kSuggestLength characters: a typo
// in a longer name is not worth a suggestion, and hostile names of
// thousands of characters must not cost |a| x |b| per pair (issue 18).
// Candidates whose length alone puts them further than the best so far are
// skipped, so the result is the same as comparing every pair in full.
constexpr std::size_t kSuggestLength = 64;

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > kSuggestLength) return {};
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    if (candidate.size() > kSuggestLength) continue;
    const std::size_t gap = candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (best != nullptr && gap >= best_distance) continue;  // its distance is at least the gap: never better
    const std::size_t d = edit_distance(word, candidate);
    if (best == nullptr || d < best_distance) {
      best = &candidate;
      best_distance = d;
    }
  }
  if (best == nullptr) return {};
  const std::size_t limit = std::max<std::size_t>(1, std::max(word.size(), best->size()) / 3);
  return best_distance <= limit ? *best : std::string();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string match = closest_match(word, candidates);
  return match.empty() ? std::string() : " (did you mean '" + match + "'?)";
}

std::string format_duration(DurationMs d) {
  if (d == 0) return "0";
  std::string out = d < 0 ? "-" : "";
  DurationMs rest = d < 0 ? -d : d;
  struct Unit { DurationMs ms; const char* name; };
  static constexpr Unit kUnits[] = {{kMsPerDay, "d"}, {kMsPerHour, "h"}, {kMsPerMinute, "m"},
                                    {kMsPerSecond, "s"}, {1, "ms"}};
  for (const Unit& unit : kUnits) {
    if (rest >= unit.ms) {
      out += std::to_string(rest / unit.ms) + unit.name;
      rest %= unit.ms;
    }
  }
  return out;
}

std::string format_duration_rounded(DurationMs d) {
  if (d > -kMsPerSecond && d < kMsPerSecond) return format_duration(d);
  const DurationMs half = d < 0 ? -kMsPerSecond / 2 : kMsPerSecond / 2;
  return format_duration((d + half) / kMsPerSecond * kMsPerSecond);
}

std::string format_instant(TimeMs t) {
  const bool negative = t < 0;
  TimeMs rest = negative ? -t : t;
  const TimeMs days = rest / kMsPerDay;
  rest %= kMsPerDay;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%lldd %02lld:%02lld:%02lld", negative ? "-" : "", static_cast<long long>(days),
                static_cast<long long>(rest / kMsPerHour), static_cast<long long>(rest % kMsPerHour / kMsPerMinute),
                static_cast<long long>(rest % kMsPerMinute / kMsPerSecond));
  return buf;
}

std::string one_line(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_gb(double gb) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", gb);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

}  // namespace cmksim
