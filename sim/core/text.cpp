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
  return match.empty() ? std::string() : " (did you mean '" + one_line(match) + "'?)";
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
  const auto hex = [&out](const char* format, unsigned value) {
    char buf[12];
    std::snprintf(buf, sizeof buf, format, value);
    out += buf;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0u;
    const auto third = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 2]) : 0u;
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {  // C0 (ESC included) and DEL
      hex("\\x%02x", c);
    } else if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {  // C1 controls (U+0080-U+009F), CSI among them
      hex("\\u%04x", next);
      ++i;
    } else if (c == 0xe2 && next == 0x80 && (third == 0xa8 || third == 0xa9)) {  // line and paragraph separators
      hex("\\u%04x", 0x2000u + third - 0x80u);
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string terminal_safe_lines(const std::string& text) {
  std::string out;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t to = std::min(text.find('\n', from), text.size());
    out += one_line(text.substr(from, to - from));
    if (to == text.size()) break;
    out += '\n';
    from = to + 1;
  }
  return out;
}

std::string shell_quote(const std::string& word) {
  const auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_./-=:,+@%").find(c) != std::string_view::npos;
  };
  if (!word.empty() && std::all_of(word.begin(), word.end(), plain)) return word;
  if (one_line(word) == word) {  // nothing a terminal would act on
    std::string out = "'";
    for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  std::string out = "$'";
  for (std::size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    const bool control = c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < word.size() &&
                                                    static_cast<unsigned char>(word[i + 1]) <= 0x9f &&
                                                    static_cast<unsigned char>(word[i + 1]) >= 0x80) ||
                         (c == 0xe2 && i + 2 < word.size() && static_cast<unsigned char>(word[i + 1]) == 0x80 &&
                          (static_cast<unsigned char>(word[i + 2]) == 0xa8 || static_cast<unsigned char>(word[i + 2]) == 0xa9));
    if (c == '\\' || c == '\'') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (control) {  // every byte of the control as \xHH: bash and zsh put the bytes back
      const std::size_t length = c == 0xc2 ? 2 : c == 0xe2 ? 3 : 1;
      for (std::size_t k = 0; k < length; ++k) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(word[i + k])));
        out += buf;
      }
      i += length - 1;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
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
