// UTF-8 screening of a scenario's raw text, before yaml-cpp sees it (part of
// the scenario loader, sim/io/scenario_loader.h). yaml-cpp reads control
// bytes and broken UTF-8 as text and fails somewhere less clear, so they are
// refused first, at their line and column (columns count bytes, as yaml-cpp's
// marks do). Valid UTF-8 here: no overlong forms, no surrogates, nothing past
// U+10FFFF.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace cmksim::load {

// Ok, or the first control byte (NUL included; tab and CR are allowed) or
// invalid UTF-8 byte of `text`, as an Error labelled `file_label`.
Status screen_utf8(std::string_view text, const std::string& file_label);

// The length of the valid UTF-8 sequence that starts at text[i], or 0.
// REQUIRES: i < text.size().
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

bool valid_utf8(std::string_view text);

}  // namespace cmksim::load
