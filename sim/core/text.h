// Small text helpers shared by the loader and the command line: edit
// distance for "did you mean" suggestions, and duration formatting.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.h"

namespace cmksim {

// Edit distance between a and b (insertions, deletions, substitutions and
// adjacent transpositions each cost 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a plausible
// typo (distance at most a third of its length, at least 1), else "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// A duration the way scenarios write it: "1h30m", "45s", "500ms", "0".
std::string format_duration(DurationMs d);

// A duration rounded to whole seconds for people ("32m32s"); below one
// second it keeps its milliseconds.
std::string format_duration_rounded(DurationMs d);

// An instant as "day D hh:mm:ss" from the scenario's start ("1d 00:32:31").
std::string format_instant(TimeMs t);

// Text from a user (a name, a message quoting one) on one line and unable to
// drive a terminal (issue 18): C0 controls (ESC included) and DEL written as
// escapes (\n, \t, \x1b), C1 controls and U+2028/U+2029 as \u0085,
// \u2028, so it cannot break, redraw or hide the lines around it.
std::string one_line(const std::string& text);

// How many bytes of a control character start at text[i] (C0, DEL, C1 or
// U+2028/2029; 1 to 3), or 0: the one definition one_line, shell_quote and
// the report's escapers share.
std::size_t control_length(std::string_view text, std::size_t i);

// Text of several lines made harmless for a terminal: every line through
// one_line, the line breaks kept (for a report composed of names' lines).
std::string terminal_safe_lines(const std::string& text);

// One word of a shell command line that reproduces a run (issue 18): as it is
// when plainly safe ([A-Za-z0-9_./=:,+@%-]), else single-quoted, else, when
// it holds characters one_line escapes, ANSI-C quoted ($'...\x1b...') so the
// line is both runnable in bash and zsh and harmless on a terminal.
std::string shell_quote(const std::string& word);

// A GB figure with up to 3 decimals, trailing zeros removed.
std::string format_gb(double gb);

// An integer count grouped for readability: 1234567 -> "1,234,567" (the
// report's tables, the sweep summary's counts).
std::string format_count(std::uint64_t value);

}  // namespace cmksim
