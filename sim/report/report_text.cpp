#include "sim/report/report_text.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "sim/core/text.h"

namespace cmksim::report {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if invalid.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // overlong 3- and 4-byte forms, surrogates, code points above U+10FFFF
  if (c == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (c == 0xED && byte(i + 1) > 0x9F) return 0;
  if (c == 0xF0 && byte(i + 1) < 0x90) return 0;
  if (c == 0xF4 && byte(i + 1) > 0x8F) return 0;
  return n;
}

// Calls `emit(sequence)` for each code point of `text`, with invalid bytes
// replaced by U+FFFD and control characters (but tab and newline) by a space;
// `emit` also gets the byte offset of the code point in `text`.
template <class Emit>
void each_code_point(std::string_view text, Emit emit) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      emit(std::string_view("\xEF\xBF\xBD"), i);
      ++i;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 1 && ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)) {
      emit(std::string_view(" "), i);
    } else {
      emit(text.substr(i, n), i);
    }
    i += n;
  }
}

}  // namespace

namespace {

// A control character a terminal or a parser would act on (C0 but line
// breaks and tabs, DEL, C1, U+2028/2029): shown as its escape (issue 18).
bool is_control(std::string_view cp) { return cp != "\n" && cp != "\t" && control_length(cp, 0) == cp.size(); }

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  each_code_point(text, [&](std::string_view cp, std::size_t) {
    switch (cp[0]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += is_control(cp) ? one_line(std::string(cp)) : std::string(cp);
    }
  });
  return out;
}

std::string md_text(std::string_view text, bool line_start) {
  std::string out;
  out.reserve(text.size());
  const auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (static_cast<unsigned char>(c) >= 0x80);
  };
  each_code_point(text, [&](std::string_view cp, std::size_t at) {
    const char c = cp[0];
    if (is_control(cp)) {
      out += md_text(one_line(std::string(cp)));
      return;
    }
    const char before = at > 0 ? text[at - 1] : ' ';
    const char after = at + 1 < text.size() ? text[at + 1] : ' ';
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n': case '\t': out += ' '; break;
      case '_':  // intraword underscores are never emphasis in GFM: keep gb_lost readable
        if (word_char(before) && word_char(after)) {
          out += c;
        } else {
          out += "\\_";
        }
        break;
      case '\\': case '`': case '*': case '[': case ']': case '|': case '~':
        out += '\\';
        out += cp;
        break;
      case '#': case '-': case '+':  // would start a heading or a list
        if (line_start && out.empty()) out += '\\';
        out += cp;
        break;
      default: out += cp;
    }
  });
  // "1. text" would start a numbered list
  std::size_t digits = 0;
  while (digits < out.size() && out[digits] >= '0' && out[digits] <= '9') ++digits;
  if (line_start && digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')')) out.insert(digits, "\\");
  return out;
}

std::string md_code(std::string_view text) {
  // Markup characters and backticks: plain escaped text instead, so that no
  // raw "<" ever reaches the Markdown (code spans would show it as text, but
  // not every tool that reads the file renders code spans).
  if (text.empty() || text.find_first_of("<>&`") != std::string_view::npos) return md_text(text);
  std::string body;
  each_code_point(text, [&](std::string_view cp, std::size_t) {
    if (cp[0] == '|') {
      body += "\\|";
    } else if (cp[0] == '\n' || cp[0] == '\t') {
      body += ' ';
    } else {
      body += is_control(cp) ? one_line(std::string(cp)) : std::string(cp);
    }
  });
  const bool pad = body.front() == ' ' || body.back() == ' ';
  return "`" + std::string(pad ? " " : "") + body + (pad ? " " : "") + "`";
}

std::string truncate_utf8(std::string_view text, std::size_t max_chars) {
  std::vector<std::string_view> points;
  each_code_point(text, [&](std::string_view cp, std::size_t) { points.push_back(cp); });
  const bool cut = points.size() > max_chars;
  const std::size_t keep = cut ? (max_chars > 0 ? max_chars - 1 : 0) : points.size();
  std::string out;
  for (std::size_t i = 0; i < keep; ++i) out += points[i];
  return cut ? out + "\xE2\x80\xA6" : out;
}

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string format_clock(TimeMs t) {
  const bool negative = t < 0;
  TimeMs rest = negative ? -t : t;
  const long long days = static_cast<long long>(rest / kMsPerDay);
  rest %= kMsPerDay;
  const long long h = static_cast<long long>(rest / kMsPerHour);
  const long long m = static_cast<long long>(rest % kMsPerHour / kMsPerMinute);
  const long long s = static_cast<long long>(rest % kMsPerMinute / kMsPerSecond);
  char buf[64];
  if (s == 0) {
    std::snprintf(buf, sizeof buf, "%s%lldd %02lld:%02lld", negative ? "-" : "", days, h, m);
  } else {
    std::snprintf(buf, sizeof buf, "%s%lldd %02lld:%02lld:%02lld", negative ? "-" : "", days, h, m, s);
  }
  return buf;
}

}  // namespace cmksim::report
