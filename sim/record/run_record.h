// RunRecord: everything one run produced, as plain rows, one vector per table
// of the results database (INTERFACE.md §3). The model fills it; the results
// writer, the summary and the expectation checks read it. It knows nothing of
// SQLite. Rows are appended in simulation order, so the order is
// deterministic and needs no sorting.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/time.h"
#include "sim/record/param_value.h"

namespace cmksim {

struct RunInfo {
  std::string scenario;         // the scenario's name
  std::string scenario_file;
  std::string scenario_sha256;  // of the file's bytes
  std::uint64_t seed = 1;
  std::string profile;
  std::string timing;
  ParamValues params;           // the parameter values in force, in the profile's order
  DurationMs duration_ms = 0;
  std::uint64_t events_processed = 0;  // every event, routine ones included (batched background queries too)
  std::string cmksim_version;
  std::string description;      // the scenario's description (runs.description, after scenario_file)
  std::string start;            // the scenario's `start` as written, or "" (runs.start, after description)
};

// A timeline entry: every scenario event and every state change the model
// makes. Routine events (Key Vault calls that change nothing, background
// queries) are counted in `kv_calls` and `metrics` instead of listed here.
struct EventRow {
  std::uint64_t seq = 0;
  TimeMs t_ms = 0;
  std::string kind;
  std::string subject;
  std::string detail_json;
};

struct StateRow {
  std::string subject_kind;  // vault | key | cluster | workspace
  std::string subject;
  std::string state;
  TimeMs t_start_ms = 0;
  TimeMs t_end_ms = 0;
};

struct OperationRow {
  std::string event_id;  // the event's id, or "events[N]" (N counts from 0)
  TimeMs t_ms = 0;
  std::string action;
  std::string target;
  int status = 0;
  std::string message;
  std::optional<TimeMs> completed_ms;
};

struct IncidentRow {
  std::string cluster;
  std::string cause;
  TimeMs change_ms = 0;
  std::optional<TimeMs> first_denied_ms;
  std::optional<TimeMs> unavailable_ms;    // empty when access came back first
  std::optional<TimeMs> restored_ms;
  std::optional<TimeMs> first_success_ms;
  std::optional<TimeMs> resumed_ms;
  std::optional<DurationMs> exposure_window_ms;
  std::optional<DurationMs> recovery_time_ms;
  double gb_lost = 0;
  std::uint64_t queries_failed = 0;
  std::vector<std::pair<std::string, double>> gb_lost_by_workspace;  // for the summary
  // D13: GB held in the outage buffer under the MMK (per workspace: for the
  // summary; the database has the metric gb_buffered per workspace and cluster)
  double gb_buffered = 0;
  std::vector<std::pair<std::string, double>> gb_buffered_by_workspace;
};

// D13: the cause of a 2020 Key Vault outage incident, which is not a
// permission change (D6) and has no exposure window.
inline constexpr const char* kKvOutageCause = "Key Vault outage (D13)";
inline bool is_kv_outage(const IncidentRow& inc) { return inc.cause == kKvOutageCause; }

struct MetricRow {
  std::string subject_kind;  // run | vault | cluster | workspace
  std::string subject;
  std::string name;
  double value = 0;
  std::string unit;
};

struct DataRow {
  std::string workspace;
  std::string protection;  // mmk | cmk:vault/key/version
  std::string location;    // shared | cluster
  double gb_ingested = 0;
  double gb_lost = 0;
  double gb_purged = 0;
  double gb_at_end = 0;
};

struct KvCallRow {
  std::string vault;
  std::string cluster;
  std::int64_t hour = 0;
  std::uint64_t wraps = 0;
  std::uint64_t unwraps = 0;
  std::uint64_t failed = 0;
};

struct ExpectationRow {
  int idx = 0;
  std::string text;
  bool passed = false;
  std::string observed;
  std::string expected;
};

// The blast radius of one declared key revoked at the start of the run, as
// the resource graph answers it (impact_of_every_key, sim/graph/impact.h):
// one row per fact; keys in declaration order, each key's rows in the order
// of the kinds below. Columns a kind does not use are "" or 0.
//   cluster                 subject: an affected cluster; protection: the version wrapping its AEK
//   identity                subject: the identity of an affected cluster; location: cluster:NAME
//   workspace               subject: an affected workspace; location: the affected storage holding
//                           its data (cluster:NAME, comma-separated if several); gb: GB inaccessible;
//                           gb_per_day: arrivals dropped while unavailable (D8, 0 when not linked)
//   data_inaccessible       protection: a class (cmk:vault/key/version); gb: GB that becomes inaccessible
//   data_not_affected       protection: mmk | cmk:...; location: cluster:NAME | shared; gb: GB not
//                           under the key (MMK data in an affected storage included, K2)
//   cluster_not_affected    subject: a cluster the key does not reach; protection: cmk:... | mmk
//   workspace_not_affected  subject: a workspace it does not reach; location: cluster:NAME | unlinked
struct BlastRadiusRow {
  std::string key;  // vault/key
  std::string kind;
  std::string subject;
  std::string protection;
  std::string location;
  double gb = 0;
  double gb_per_day = 0;
};

struct RunRecord {
  RunInfo run;
  std::vector<EventRow> events;
  std::vector<StateRow> states;
  std::vector<OperationRow> operations;
  std::vector<IncidentRow> incidents;
  std::vector<MetricRow> metrics;
  std::vector<DataRow> data;
  std::vector<KvCallRow> kv_calls;
  std::vector<ExpectationRow> expectations;
  std::vector<BlastRadiusRow> blast_radius;
  // False only for a run read from a database written before the
  // blast_radius table existed (the writer always creates it).
  bool blast_radius_recorded = true;
  // false: the run's events, states and kv_calls rows were not kept (a sweep
  // with --keep outcomes; the database's `outcomes_only` table lists the run).
  bool timelines_recorded = true;
  // A sweep's grid values for this run, (path, value) in --set order: the
  // `sweep` table. Empty for a single run (no `sweep` table is written).
  std::vector<std::pair<std::string, std::string>> sweep_params;
};

}  // namespace cmksim
