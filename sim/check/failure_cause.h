// Why an expectation failed, in words (issue 15, item 8): the incidents
// behind the subject of a failed metric or state expectation, each with the
// event that caused it (the incident's cause names it), or the answer of a
// failed operation. Read from the record of the failing seed.
#pragma once
#include <string>

#include "sim/record/run_record.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

// "incident #1 on lacluster01: key disabled (disable_key kv-prod/logs-cmk at
// 1d), exposure window 1h, GB lost 78.4"; several joined by "; ". For a
// subject no incident touches: "no incident touches SUBJECT".
std::string failure_cause(const ExpectationDecl& x, const RunRecord& record);

}  // namespace cmksim
