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

std::size_t control_length(std::string_view text, std::size_t i) {
  const auto byte = [&text](std::size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  const unsigned c = byte(i);
  if (c < 0x20 || c == 0x7f) return 1;                                       // C0 (ESC included) and DEL
  if (c == 0xc2 && byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9f) return 2;     // C1 (U+0080-U+009F), CSI among them
  if (c == 0xe2 && byte(i + 1) == 0x80 && (byte(i + 2) == 0xa8 || byte(i + 2) == 0xa9)) return 3;  // U+2028/2029
  return 0;
}

std::string one_line(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t length = control_length(text, i);
    const auto c = static_cast<unsigned char>(text[i]);
    char buf[12];
    if (length == 0) {
      out += text[i];
      continue;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (length == 1) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {  // the code point: U+0080-U+009F or U+2028/2029
      const unsigned code = length == 2 ? static_cast<unsigned char>(text[i + 1])
                                        : 0x2000u + static_cast<unsigned char>(text[i + 2]) - 0x80u;
      std::snprintf(buf, sizeof buf, "\\u%04x", code);
      out += buf;
    }
    i += length - 1;
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
    const std::size_t length = control_length(word, i);
    if (word[i] == '\\' || word[i] == '\'') {
      out += '\\';
      out += word[i];
    } else if (length > 0) {  // every byte of the control as \xHH: bash and zsh put the bytes back
      for (std::size_t k = 0; k < length; ++k) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(word[i + k])));
        out += buf;
      }
      i += length - 1;
    } else {
      out += word[i];
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

std::string format_count(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace cmksim
