// The starting scenarios of `cmksim init`: YAML files in sim/cli/templates/,
// compiled into the binary at build time (CMake embeds their text, as for the
// shipped profiles), so cmksim finds them wherever it is installed. Each one
// validates, runs, and meets its own `expect:` block (tests/init_test.cpp).
#pragma once
#include <vector>

namespace cmksim {

struct InitTemplate {
  const char* name;  // the file's name without .yaml
  const char* text;  // its YAML
};

// In the order of CMakeLists.txt's CMKSIM_TEMPLATES (the default first).
const std::vector<InitTemplate>& init_templates();

}  // namespace cmksim
