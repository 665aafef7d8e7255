// The human summary `cmksim run` prints: the run's header (with the command
// that reproduces it) and, for each incident, its cause, exposure window,
// unavailable time, recovery time and GB lost per workspace. It reads only
// the RunRecord, never the model.
#pragma once
#include <string>

#include "sim/record/run_record.h"

namespace cmksim {

std::string format_summary(const RunRecord& record, const std::string& db_path);

}  // namespace cmksim
