// The properties the fuzz targets check, shared with the regression test
// (tests/robustness_test.cpp replays every file of tests/fuzz-regressions/
// through these same functions). Each returns "" or what went wrong.
//
//   check_scenario_input: load_scenario_text then, on success, build_profile
//     and the resource-graph checks (what `cmksim validate` does). A load gives
//     exactly one of a scenario or an error; an error names the label, has a
//     position that is either absent or 1-based, is valid UTF-8 and is one
//     line (the CLI's "one message" rule).
//   check_param_input: parse_duration (a value is in range and survives
//     format_duration -> parse_duration), set_param on "name=value" (a value
//     it accepts reads back the same through param_value_text), and
//     build_profile with the pair as a --set.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/text.h"
#include "sim/graph/graph_checks.h"
#include "sim/io/profile_builder.h"
#include "sim/io/profile_loader.h"
#include "sim/io/scenario_loader.h"
#include "sim/profile/profile.h"
#include "sim/scenario/duration.h"

namespace cmksim::fuzz {

inline std::string one_line_problem(const std::string& what, const std::string& text) {
  if (text.empty()) return what + " is empty";
  if (text.find_first_of("\n\r") != std::string::npos) return what + " spans several lines: " + text;
  return "";
}

inline bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

inline std::string check_load_error(const Error& e, const std::string& label) {
  if (e.file != label && !e.file.empty()) return "error names file '" + e.file + "', not '" + label + "'";
  if (e.line < 0 || e.column < 0 || (e.line > 0 && e.column < 1)) return "error has a bad position: " + e.str();
  if (!valid_utf8(e.str())) return "error message is not valid UTF-8: " + e.str();
  return one_line_problem("error message", e.str());
}

inline std::string check_scenario_input(std::string_view text) {
  const std::string label = "fuzz.yaml";
  const Expected<Scenario> r = load_scenario_text(text, label);  // a scenario or an error, by its type
  if (!r) return check_load_error(r.error(), label);
  const Expected<Profile> profile = build_profile(*r, {}, "");
  if (!profile) {
    const Error& problem = profile.error();
    if (problem.file.empty()) return "build_profile's error names no file: " + problem.str();
    return check_load_error(problem, label);
  }
  (void)check_scenario_graph(*r);
  return "";
}

inline std::string check_duration(std::string_view text) {
  const Expected<DurationMs> d = parse_duration(text);
  if (!d) return d.error().message.empty() ? "a refused duration has no reason" : "";
  if (*d < 0) return "duration parsed negative";
  const std::string shown = format_duration(*d);
  const Expected<DurationMs> again = parse_duration(shown);
  if (!again || *again != *d) return "duration does not round-trip through '" + shown + "'";
  return "";
}

inline std::string check_param_input(std::string_view text) {
  if (std::string problem = check_duration(text); !problem.empty()) return problem;
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) return "";
  const std::string name(text.substr(0, eq));
  const std::string value(text.substr(eq + 1));
  Profile profile = *profile_by_name("azure-monitor-current");
  if (set_param(profile, name, value).ok()) {
    const ParamInfo* info = find_param(name);
    if (info == nullptr) return "set_param accepted an unknown parameter";
    const std::string shown = param_value_text(profile, *info);
    Profile again = *profile_by_name("azure-monitor-current");
    if (const Status e2 = set_param(again, name, shown); !e2) {
      return "value shown as '" + shown + "' is refused: " + e2.error().message;
    }
    if (param_value_text(again, *info) != shown) return "value '" + shown + "' does not read back the same";
  }
  // The same pair as `--set name=value` on a minimal scenario.
  static const Expected<Scenario> base = load_scenario_text("version: 1\nname: f\nduration: 1d\n", "base.yaml");
  if (!base) return "the base scenario does not load";
  const std::vector<std::pair<std::string, std::string>> sets = {{name, value}};
  if (const Expected<Profile> built = build_profile(*base, sets, ""); !built) {
    if (built.error().str().empty()) return "build_profile gave an empty error";
  }
  return "";
}

}  // namespace cmksim::fuzz
