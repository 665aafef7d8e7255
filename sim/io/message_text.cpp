#include "sim/io/message_text.h"

#include <algorithm>
#include <cstdio>

#include "sim/core/text.h"
#include "sim/io/utf8_screen.h"

namespace cmksim::load {

std::string clip(std::string_view s) {
  if (s.size() <= kMaxEcho) return std::string(s);
  std::size_t n = kMaxEcho - 3;  // not inside a UTF-8 sequence: messages stay valid UTF-8
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

std::string quote(std::string_view s) { return "'" + clip(s) + "'"; }

std::string hint(std::string_view word, const std::vector<std::string>& candidates) {
  return word.size() > kMaxEcho ? std::string() : did_you_mean(word, candidates);
}

std::string suggestion(std::string_view word, const std::vector<std::string>& allowed) {
  std::string hint_text = hint(word, allowed);
  if (hint_text.empty() && !allowed.empty() && allowed.size() <= 12) {
    hint_text = " (expected " + one_of(allowed) + ")";
  }
  return hint_text;
}

std::string one_of(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::string one_line_message(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  char hex[8];
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const std::size_t n = utf8_sequence_length(message, i);
      if (n == 0) {
        std::snprintf(hex, sizeof hex, "\\x%02x", u);
        out += hex;
      } else {
        out.append(message.substr(i, n));
        i += n - 1;
      }
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace cmksim::load
