// libFuzzer target: the scenario loader and validator (`cmksim validate`
// without the file system): load_scenario_text, build_profile, the resource
// graph checks. Aborts when a property of fuzz_checks.h fails; ASan/UBSan
// abort on memory errors and undefined behaviour. Built by tools/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tools/fuzzers/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string problem = cmksim::fuzz::check_scenario_input(text);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_scenario: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
