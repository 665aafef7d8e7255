// libFuzzer target: duration parsing (parse_duration) and `--set name=value`
// (set_param, build_profile with a command-line override). The input is the
// text of one duration, or of one name=value pair. Aborts when a property of
// fuzz_checks.h fails. Built by tools/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tools/fuzzers/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string problem = cmksim::fuzz::check_param_input(text);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_params: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
