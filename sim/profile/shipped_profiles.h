// The profiles shipped with cmksim: YAML files in sim/profile/profiles/,
// compiled into the binary at build time (CMake embeds their text), so
// cmksim finds them wherever it is installed. Parsing them is the io layer's
// job (sim/io/profile_loader.h).
#pragma once
#include <vector>

namespace cmksim {

struct ShippedProfile {
  const char* name;  // the file's name without .yaml
  const char* text;  // its YAML
};

// In the order of CMakeLists.txt's CMKSIM_PROFILES (the default first).
const std::vector<ShippedProfile>& shipped_profiles();

}  // namespace cmksim
