#include "sim/check/refused_events.h"

#include "sim/core/text.h"

namespace cmksim {

std::vector<const OperationRow*> refused_events(const std::vector<OperationRow>& operations) {
  std::vector<const OperationRow*> out;
  for (const OperationRow& op : operations) {
    if (op.status >= 400) out.push_back(&op);
  }
  return out;
}

std::string refused_events_heading(std::size_t count) {
  if (count == 0) return "";
  return std::to_string(count) + (count == 1 ? " scenario event was" : " scenario events were") + " refused or failed:";
}

std::string refused_event_text(const OperationRow& op) {
  std::string out = one_line(op.event_id) + " (" + one_line(op.action);
  if (!op.target.empty()) out += " " + one_line(op.target);
  out += ", at " + format_instant(op.t_ms) + "): " + std::to_string(op.status);
  if (!op.message.empty()) out += " " + one_line(op.message);
  return out;
}

}  // namespace cmksim
