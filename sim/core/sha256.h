// SHA-256 of a byte string, as lowercase hex (runs.scenario_sha256).
#pragma once
#include <string>
#include <string_view>

namespace cmksim {

std::string sha256_hex(std::string_view bytes);

}  // namespace cmksim
