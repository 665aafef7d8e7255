#include "sim/check/failure_cause.h"

#include "sim/core/text.h"

namespace cmksim {
namespace {

// An incident touches a subject when it is the incident's cluster, or a
// workspace that lost data in it.
bool touches(const IncidentRow& inc, const std::string& subject) {
  if (inc.cluster == subject) return true;
  for (const auto& [workspace, gb] : inc.gb_lost_by_workspace) {
    if (workspace == subject) return true;
  }
  return false;
}

std::string incident_words(std::size_t number, const IncidentRow& inc) {
  std::string out = "incident #" + std::to_string(number) + " on " + one_line(inc.cluster) + ": " + one_line(inc.cause);
  out += inc.exposure_window_ms ? ", exposure window " + format_duration_rounded(*inc.exposure_window_ms)
                                : ", exposure window still open at the end";
  if (inc.recovery_time_ms) out += ", recovery time " + format_duration_rounded(*inc.recovery_time_ms);
  out += ", GB lost " + format_gb(inc.gb_lost);
  return out;
}

}  // namespace

std::string failure_cause(const ExpectationDecl& x, const RunRecord& record) {
  if (x.kind == ExpectationDecl::Kind::kOperation) {
    for (const OperationRow& op : record.operations) {
      if (op.event_id != x.operation) continue;
      return "the event " + one_line(op.event_id) + " (" + one_line(op.action) + " " + one_line(op.target) + " at " +
             format_instant(op.t_ms) + ") was answered " + std::to_string(op.status) +
             (op.message.empty() ? "" : " " + one_line(op.message));
    }
    return "no event with id " + one_line(x.operation) + " ran";
  }
  std::string out;
  for (std::size_t i = 0; i < record.incidents.size(); ++i) {
    const IncidentRow& inc = record.incidents[i];
    if (!touches(inc, x.subject)) continue;
    if (x.kind == ExpectationDecl::Kind::kState && inc.change_ms > x.at_ms) continue;
    out += (out.empty() ? "" : "; ") + incident_words(i + 1, inc);
  }
  return out.empty() ? "no incident touches " + one_line(x.subject) : out;
}

}  // namespace cmksim
