#include "sim/check/summary.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "sim/check/expectations.h"
#include "sim/check/refused_events.h"
#include "sim/check/reproduce.h"
#include "sim/check/timing_bounds.h"
#include "sim/core/civil_time.h"
#include "sim/core/json.h"
#include "sim/core/text.h"
#include "sim/scenario/duration.h"

namespace cmksim {
namespace {

// The run's start in ms since 1970 (UTC), when the scenario has a `start`.
std::optional<std::int64_t> start_of(const RunInfo& run) {
  return run.start.empty() ? std::nullopt : parse_iso8601_ms(run.start);
}

// "0d 06:00:00", with the date beside it when the run has a start.
std::string at(std::optional<TimeMs> t, const RunInfo& run) {
  if (!t) return "-";
  const std::optional<std::int64_t> start = start_of(run);
  return start ? format_instant(*t) + " (" + format_utc(*start + *t) + ")" : format_instant(*t);
}

void write_incident(std::ostringstream& out, std::size_t number, const IncidentRow& inc, const RunInfo& run,
                    DurationMs revocation_bound_ms, DurationMs recovery_bound_ms) {
  out << "  #" << number << " " << one_line(inc.cluster) << ": " << one_line(inc.cause) << "\n";
  out << "     change " << at(inc.change_ms, run) << ", first denied call " << at(inc.first_denied_ms, run)
      << ", unavailable " << at(inc.unavailable_ms, run) << ", access restored " << at(inc.restored_ms, run)
      << ", resumed " << at(inc.resumed_ms, run) << "\n";
  if (is_kv_outage(inc)) {
    // D13: Key Vault did not say no; arrivals were buffered under the MMK
    out << "     not a permission change (D6): no exposure window; GB buffered under the MMK " << format_gb(inc.gb_buffered);
    for (const auto& [workspace, gb] : inc.gb_buffered_by_workspace) out << " " << one_line(workspace) << " " << format_gb(gb);
    out << "\n";
  } else if (inc.exposure_window_ms) {
    const bool within = *inc.exposure_window_ms <= revocation_bound_ms;
    out << "     exposure window " << format_duration_rounded(*inc.exposure_window_ms)
        << (inc.unavailable_ms ? "" : " (access restored before storage became unavailable)") << "  [D7: "
        << (within ? "within " : "BEYOND ") << format_duration(revocation_bound_ms) << "]\n";
  } else {
    out << "     exposure window: still open at the end of the run\n";
  }
  if (inc.unavailable_ms) {
    const TimeMs until = inc.resumed_ms.value_or(run.duration_ms);
    out << "     unavailable for " << format_duration_rounded(until - *inc.unavailable_ms)
        << (inc.resumed_ms ? "" : " (still unavailable at the end)") << "\n";
  }
  if (inc.recovery_time_ms) {
    const bool within = *inc.recovery_time_ms <= recovery_bound_ms;
    out << "     recovery time " << format_duration_rounded(*inc.recovery_time_ms) << "  [D10: "
        << (within ? "within " : "BEYOND ") << format_duration(recovery_bound_ms) << "]\n";
  }
  out << "     GB lost " << format_gb(inc.gb_lost);
  if (!inc.gb_lost_by_workspace.empty()) {
    out << ":";
    for (const auto& [workspace, gb] : inc.gb_lost_by_workspace) out << " " << one_line(workspace) << " " << format_gb(gb);
  }
  out << "; queries failed " << inc.queries_failed << "\n";
}

// A duration parameter in force; 0 when the run has none of that name.
DurationMs param_duration(const ParamValues& params, const std::string& name) {
  const ParamValue* p = find_param_value(params, name);
  const bool text = p != nullptr && (p->kind == ParamValue::Kind::kDuration || p->kind == ParamValue::Kind::kText);
  if (!text) return 0;
  const Expected<DurationMs> d = parse_duration(p->text);
  return d ? *d : 0;
}

// name=value ..., as the summary has always shown runs.params: each value's
// JSON text without quotes, ':' as '=' and ',' as ' ' (a region list reads
// "chinaeast chinanorth").
std::string params_line(const ParamValues& params) {
  const auto plain = [](const std::string& json) {
    std::string out;
    for (const char c : json) {
      if (c == '"' || c == '{' || c == '}') continue;
      out += c == ':' ? '=' : c == ',' ? ' ' : c;
    }
    return out;
  };
  std::string out;
  for (const ParamValue& p : params) {
    const bool quoted = p.kind == ParamValue::Kind::kDuration || p.kind == ParamValue::Kind::kText;
    out += (out.empty() ? "" : " ") + plain(json_escape(p.name)) + "=" + plain(quoted ? json_escape(p.text) : p.text);
  }
  return out;
}

}  // namespace

std::string format_summary(const RunRecord& record, const std::string& db_path) {
  const RunInfo& run = record.run;
  std::ostringstream out;
  out << "cmksim " << run.cmksim_version << ": " << one_line(run.scenario) << " (" << one_line(run.scenario_file) << ")\n";
  out << "  seed " << run.seed << ", profile " << run.profile << ", timing " << run.timing << ", "
      << format_duration(run.duration_ms) << " simulated, " << run.events_processed << " events\n";
  if (const auto start = start_of(run)) {
    out << "  from " << format_utc(*start) << " to " << format_utc(*start + run.duration_ms) << "\n";
  }
  out << "  parameters " << params_line(run.params) << "\n";

  std::map<std::string, double> metric;  // "kind/subject/name" -> value
  for (const auto& m : record.metrics) metric[m.subject_kind + "/" + m.subject + "/" + m.name] = m.value;
  const DurationMs revocation_bound = param_duration(run.params, "revocation_bound");
  const DurationMs recovery_bound = param_duration(run.params, "recovery_bound");

  if (record.incidents.empty()) {
    out << "incidents: none\n";
  } else {
    out << "incidents: " << record.incidents.size() << "\n";
    for (std::size_t i = 0; i < record.incidents.size(); ++i) {
      write_incident(out, i + 1, record.incidents[i], run, revocation_bound, recovery_bound);
    }
  }

  if (const std::string bounds = bounds_lines(record); !bounds.empty()) {
    out << "D7 bounds, the same seed (latest: the longest exposure; earliest: the most loss):\n" << bounds;
  }
  if (const auto refused = refused_events(record.operations); !refused.empty()) {
    out << refused_events_heading(refused.size()) << "\n";  // nothing silent (issue 15)
    for (const OperationRow* op : refused) out << "  " << refused_event_text(*op) << "\n";
  }

  out << "workspaces:\n";
  for (const auto& m : record.metrics) {
    if (m.subject_kind != "workspace" || m.name != "gb_ingested") continue;
    const std::string key = "workspace/" + m.subject + "/";
    out << "  " << one_line(m.subject) << ": ingested " << format_gb(m.value) << " GB, lost " << format_gb(metric[key + "gb_lost"])
        << " GB, purged " << format_gb(metric[key + "gb_purged"]) << " GB, unavailable "
        << format_duration_rounded(static_cast<DurationMs>(metric[key + "unavailable_s"] * 1000)) << ", queries "
        << static_cast<long long>(metric[key + "queries_ok"]) << " ok / "
        << static_cast<long long>(metric[key + "queries_failed"]) << " failed\n";
  }
  bool any_vault = false;
  for (const auto& m : record.metrics) {
    if (m.subject_kind != "vault" || m.name != "kv_calls") continue;
    if (!any_vault) out << "key vault calls (D3):\n";
    any_vault = true;
    const double hours = static_cast<double>(run.duration_ms) / kMsPerHour;
    out << "  " << one_line(m.subject) << ": " << static_cast<long long>(m.value) << " calls ("
        << static_cast<long long>(metric["vault/" + m.subject + "/kv_calls_failed"]) << " failed), "
        << static_cast<long long>(std::llround(hours > 0 ? m.value / hours : 0)) << " per hour\n";
  }
  if (!record.expectations.empty()) {
    int met = 0;
    for (const auto& x : record.expectations) met += x.passed ? 1 : 0;
    out << "expectations: " << met << " of " << record.expectations.size() << " met\n";
    for (const auto& x : record.expectations) out << one_line(expectation_line(x)) << "\n";
  }
  int not_modelled = 0;
  for (const auto& op : record.operations) not_modelled += op.status == 501 ? 1 : 0;
  if (not_modelled > 0) {
    out << "note: " << not_modelled << " event(s) answered 501 (not modelled yet); see the operations table\n";
  }
  out << "results: " << db_path << "\n";
  out << "reproduce: " << reproduce_command(run) << "\n";
  return out.str();
}

}  // namespace cmksim
