// Nothing silent (issue 15, item 2): the scenario events the service refused
// or failed (a 4xx or 5xx answer in `operations`), in words, for the run
// summary and the report's findings.
#pragma once
#include <string>
#include <vector>

#include "sim/record/run_record.h"

namespace cmksim {

// The operations answered with a status >= 400, in order.
std::vector<const OperationRow*> refused_events(const std::vector<OperationRow>& operations);

// "3 scenario events were refused or failed:" (one event: "1 scenario event
// was ..."); "" when there are none.
std::string refused_events_heading(std::size_t count);

// "id (action target, at 1d 2h): 404 Key not found"
std::string refused_event_text(const OperationRow& op);

}  // namespace cmksim
