#include "sim/io/utf8_screen.h"

#include <cstdio>

namespace cmksim::load {
namespace {

// The byte written as the messages show it: "0x1b".
std::string hex_byte(unsigned char c) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", c);
  return hex;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return 1;
  // Lead byte, then continuation bytes; no overlongs, surrogates or > U+10FFFF.
  unsigned lo = 0x80, hi = 0xbf;
  std::size_t n = 0;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) { n = 3; if (c == 0xe0) lo = 0xa0; if (c == 0xed) hi = 0x9f; }
  else if (c >= 0xf0 && c <= 0xf4) { n = 4; if (c == 0xf0) lo = 0x90; if (c == 0xf4) hi = 0x8f; }
  else return 0;
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if (k == 1 ? (cc < lo || cc > hi) : (cc < 0x80 || cc > 0xbf)) return 0;
  }
  return n;
}

bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

Status screen_utf8(std::string_view text, const std::string& file_label) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
      return Error{file_label, line, column,
                   "control character " + hex_byte(c) + " in the scenario (is it a binary file?)"};
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      return Error{file_label, line, column,
                   "invalid UTF-8 byte " + hex_byte(c) + " (the scenario must be UTF-8 text)"};
    }
    i += length;
    column += static_cast<int>(length);  // columns count bytes, as yaml-cpp's marks do
  }
  return Status();
}

}  // namespace cmksim::load
