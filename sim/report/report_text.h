// Escaping and number formatting shared by the HTML, SVG and Markdown
// renderers. Every string that comes from a results database goes through
// html_escape (HTML, SVG) or md_text / md_code (Markdown) before it is
// written: names are the user's and may hold markup.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/time.h"

namespace cmksim::report {

// & < > " ' as character references; invalid UTF-8 bytes become U+FFFD;
// control characters other than tab and newline become spaces.
std::string html_escape(std::string_view text);

// Markdown prose: backslash-escapes the punctuation Markdown could read as
// markup, writes < > & as character references, turns newlines into spaces.
// `line_start`: the text starts a line, where "#", "-", "+" and "1." would
// start a heading or a list.
std::string md_text(std::string_view text, bool line_start = false);

// A name as a Markdown code span (`ws-app`), | escaped for tables, newlines
// as spaces; a name holding < > & or a backtick is written as md_text instead.
std::string md_code(std::string_view text);

// At most `max_chars` code points of UTF-8 `text`, "…" at the end when cut.
std::string truncate_utf8(std::string_view text, std::size_t max_chars);

// Fixed-point number without trailing zeros ("12.5", "3"), `decimals` at most.
std::string format_number(double value, int decimals);

// A compact instant label "1d 06:00" (seconds dropped when zero: "1d 06:00:07").
std::string format_clock(TimeMs t);

}  // namespace cmksim::report
