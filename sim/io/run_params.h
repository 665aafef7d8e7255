// runs.params: the parameters in force (sim/record/param_value.h) as one
// compact JSON object, {"name":value,...} in the list's order. Durations and
// text are JSON strings, numbers are written as their text, bools as
// true/false. The writer and the reader of the results database are the
// only users: reading gives back the list that was written, and writing it
// again gives the same bytes.
#pragma once
#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/record/param_value.h"

namespace cmksim {

// REQUIRES: a number's text is one JSON value (json_number's output is).
std::string params_to_json(const ParamValues& params);

// The list back from runs.params. A string is a duration when the profile
// names a duration parameter so, else text. Bytes that are not UTF-8 (a
// --set value nothing screened) read as U+FFFD. An error when the text is not
// one flat JSON object.
Expected<ParamValues> params_from_json(std::string_view json);

}  // namespace cmksim
