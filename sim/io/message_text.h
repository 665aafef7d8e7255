// How the loaders' messages show the user's text (part of the scenario
// loader, sim/io/scenario_loader.h): echoed values are clipped (a value may
// be megabytes long) and quoted, suggestions are "did you mean" or, for a
// short closed set, the allowed words, and every message ends up on one line
// and valid UTF-8 (one_line_message), whatever the input held.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cmksim::load {

// The longest user text echoed whole; longer text is clipped.
inline constexpr std::size_t kMaxEcho = 64;

// `s`, clipped to kMaxEcho bytes with "..." (never inside a UTF-8 sequence).
std::string clip(std::string_view s);

// "'s'", clipped.
std::string quote(std::string_view s);

// did_you_mean (sim/core/text.h), skipped for words no typo could produce
// (its edit distance is quadratic in the length).
std::string hint(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)"; else, for a short closed set, " (expected a, b or c)".
std::string suggestion(std::string_view word, const std::vector<std::string>& allowed);

// "a, b or c"
std::string one_of(const std::vector<std::string>& words);

bool contains(const std::vector<std::string>& list, std::string_view word);

// A message on one line and valid UTF-8: control characters that YAML
// escapes can put in echoed text ("a\nb" in double quotes) and any byte that
// is not UTF-8 are written as escapes (\n, \r, \t, \x1b).
std::string one_line_message(std::string_view message);

}  // namespace cmksim::load
