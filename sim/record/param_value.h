// The parameters in force for one run (runs.params): each with its name, its
// value as cmksim prints it ("1h", "500", "chinaeast,chinanorth", "true") and
// its kind, so the summary, the report and `diff` read values without parsing
// JSON. The model fills the list from the profile, in the profile's table
// order; the results writer stores it as one JSON object (sim/io/run_params.h)
// and the reader gives the same list back.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace cmksim {

struct ParamValue {
  // A duration and text are JSON strings, a number a JSON number (its text as
  // written, "null" for a non-finite one), a bool true or false.
  enum class Kind { kDuration, kNumber, kText, kBool };

  std::string name;
  std::string text;  // the value as printed: format_duration, json_number, the text, true/false
  Kind kind = Kind::kText;

  bool operator==(const ParamValue& o) const { return name == o.name && text == o.text && kind == o.kind; }
  bool operator!=(const ParamValue& o) const { return !(*this == o); }
};

using ParamValues = std::vector<ParamValue>;

// The value of `name` in `params`, or nullptr.
inline const ParamValue* find_param_value(const ParamValues& params, std::string_view name) {
  for (const ParamValue& p : params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace cmksim
