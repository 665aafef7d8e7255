// The content of a security-review report, computed once from the runs of a
// results database (read_results_db) and rendered by html_report and
// markdown_report, so both formats say the same things in the same order.
// Nothing here reads the model: only the database's rows.
//
// A database with one run gives single values; with more than one (a sweep)
// the findings become distributions over the runs, and the per-run sections
// (timeline, Key Vault load, data accounting) show one representative run:
// the one with the longest exposure window (then the most GB lost, then the
// lowest run number).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"
#include "sim/core/time.h"
#include "sim/record/run_record.h"
#include "sim/record/sweep_stopped.h"
#include "sim/sweep/risk.h"

namespace cmksim::report {

// A check against a documented bound.
enum class Verdict { kWithin, kBeyond, kAverted, kOpen, kNotApplicable };

struct IncidentFinding {
  std::size_t number = 0;  // 1-based, in the order of the incidents table
  std::string cluster;
  std::string cause;
  bool kv_outage = false;  // D13: a Key Vault outage, not a permission change (no exposure window)
  TimeMs change_ms = 0;
  std::optional<TimeMs> first_denied_ms;
  std::optional<TimeMs> unavailable_ms;
  std::optional<TimeMs> restored_ms;
  std::optional<TimeMs> resumed_ms;
  std::optional<DurationMs> exposure_ms;
  Verdict exposure_verdict = Verdict::kNotApplicable;  // against D7's bound
  std::optional<DurationMs> unavailable_for_ms;        // unavailable -> resumed (or end of run)
  bool unavailable_at_end = false;
  std::optional<DurationMs> recovery_ms;
  Verdict recovery_verdict = Verdict::kNotApplicable;  // against D10's bound
  double gb_lost = 0;
  std::uint64_t queries_failed = 0;
  std::vector<std::pair<std::string, double>> gb_lost_by_workspace;
};

struct WorkspaceFinding {
  std::string name;
  double gb_ingested = 0;
  double gb_lost = 0;
  double gb_purged = 0;
  double gb_at_end = 0;
  double gb_inaccessible_at_end = 0;
  double gb_hot = 0;
  double unavailable_s = 0;
  std::uint64_t queries_ok = 0;
  std::uint64_t queries_failed = 0;
};

struct TimelineBar {
  std::string state;
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
};

struct TimelineLane {
  std::string kind;   // vault | key | cluster | aek | workspace
  std::string name;   // the subject; for merged workspace lanes, "N workspaces"
  std::vector<std::string> members;  // merged workspace lanes: every workspace; else empty
  std::vector<TimelineBar> bars;
};

struct TimelineMarker {
  std::size_t number = 0;  // 1-based, in time order
  TimeMs t_ms = 0;
  std::string event_id;
  std::string action;
  std::string target;
  int status = 0;
  std::string message;
};

struct Timeline {
  TimeMs end_ms = 0;
  std::vector<TimelineLane> lanes;
  std::vector<TimelineMarker> markers;
  std::vector<std::string> states;  // every state shown, in order of first appearance
  std::size_t merged_workspaces = 0;  // workspaces drawn in shared lanes (too many for one lane each)
};

struct KvSeries {
  std::string vault;
  std::vector<std::string> clusters;      // calling this vault
  std::vector<std::uint64_t> calls;       // per hour from 0, through the run's last hour
  std::vector<std::uint64_t> failed;      // per hour
  std::uint64_t total_calls = 0;
  std::uint64_t total_failed = 0;
  std::uint64_t wraps = 0;
  std::uint64_t unwraps = 0;
  std::uint64_t peak = 0;
  std::int64_t peak_hour = 0;
};

struct DataClassRow {
  std::string protection;  // mmk | cmk:vault/key/version | "MMK total" ...
  bool cmk = false;
  bool total = false;      // a subtotal or total row
  double gb_ingested = 0;
  double gb_lost = 0;
  double gb_purged = 0;
  double gb_at_end = 0;
};

struct KeyRadius {
  std::string key;  // vault/key
  std::vector<std::string> versions;
  std::vector<std::string> clusters;  // calling the key's vault (kv_calls)
  std::vector<std::pair<std::string, double>> workspaces;  // GB remaining under the key at the end
  double gb_at_end = 0;
  double gb_lost = 0;
};

// The blast radius of one key revoked at the start, from the database's
// blast_radius rows (RunRecord BlastRadiusRow), split by kind, in row order.
struct KeyBlast {
  std::string key;  // vault/key
  std::vector<BlastRadiusRow> clusters;       // affected
  std::vector<BlastRadiusRow> identities;     // of the affected clusters
  std::vector<BlastRadiusRow> workspaces;     // affected, with GB inaccessible and GB/day dropped
  std::vector<BlastRadiusRow> inaccessible;   // GB by protection class
  std::vector<BlastRadiusRow> not_affected;   // GB by protection class and location
  std::vector<BlastRadiusRow> clusters_not_affected;
  std::vector<BlastRadiusRow> workspaces_not_affected;
  double gb_inaccessible = 0;
  double gb_not_affected = 0;
  double gb_mmk_in_affected_storage = 0;  // part of gb_not_affected (K2)
  double gb_per_day_dropped = 0;          // D8, over the affected linked workspaces
};

struct CoverageRow {
  std::string what;     // the data or feature left under Microsoft-managed keys
  std::string where;    // workspace, location or "any workspace"
  std::optional<double> gb;  // when the database measures it
  std::string behaviour;     // K2 | K3 | K5 ...
};

struct BehaviourUse {
  std::string id;
  std::string sentence;
  std::string evidence;  // what in the database shows it
};

struct Distribution {
  std::string name;   // "exposure window"
  bool duration = true;  // values in ms, else GB
  std::string of;     // "incidents" | "runs"
  std::vector<double> values;  // sorted ascending
  double p50 = 0, p95 = 0, p99 = 0, max = 0, min = 0;
  struct Bin {
    double from = 0, to = 0;
    std::size_t count = 0;
  };
  std::vector<Bin> bins;
  std::size_t beyond_bound = 0;  // values above the documented bound (durations)
  std::optional<double> bound;
};

struct SweepRun {
  std::int64_t run_number = 0;  // 1-based position in the database
  std::uint64_t seed = 0;
  std::string timing;
  std::vector<std::pair<std::string, std::string>> varying;  // parameters that differ across runs
  std::size_t incidents = 0;
  std::optional<DurationMs> max_exposure_ms;
  std::optional<DurationMs> max_recovery_ms;
  double gb_lost = 0;
  std::optional<bool> expectations_met;
};

struct ReportData {
  // header
  std::string scenario;
  std::string description;
  std::string scenario_file;
  std::string scenario_sha256;
  std::string profile;
  std::string cmksim_version;
  std::vector<std::string> timings;  // distinct, in run order
  ParamValues params;  // in force (the representative run), in the profile's order
  DurationMs duration_ms = 0;
  std::optional<std::int64_t> start_epoch_ms;  // the scenario's `start` (ms since 1970, UTC): dates beside offsets
  std::uint64_t events_processed = 0;
  std::string reproduce;  // the command for the (representative) run
  std::string reproduce_note;  // sweep overrides of the scenario itself, which `run --set` cannot take

  DurationMs revocation_bound_ms = kMsPerHour;   // D7 (params revocation_bound)
  DurationMs recovery_bound_ms = 30 * kMsPerMinute;  // D10 (params recovery_bound)

  // sweep
  bool sweep = false;
  std::size_t run_count = 0;
  // false: the representative run's events, states and kv_calls were not
  // kept (sweep --keep outcomes); the sections drawn from them say so.
  bool timelines_kept = true;
  std::size_t runs_without_timelines = 0;  // of all the runs (sweep --keep outcomes)
  // The two runs of `cmksim run --timing bounds`: latest, then earliest, of
  // one seed (D7), not a sweep of two runs.
  bool bounds_pair = false;
  std::optional<SweepStopped> stopped;  // a sweep stopped before its last run (issue 8)
  std::vector<std::uint64_t> seeds;  // distinct, ascending
  std::vector<std::string> varying_params;
  std::size_t representative = 0;  // index into the runs
  std::vector<Distribution> distributions;  // exposure window, recovery time, GB lost
  std::vector<SweepRun> runs;
  std::vector<PointRuns> points;  // the runs by grid point (issue 15 item 5)
  std::vector<RiskFigures> risk;  // per grid point (issue 17 item 2)
  std::string representative_why;  // how the representative run was picked
  std::string database;            // the results database's path, when known
  std::size_t runs_expectations_met = 0, runs_expectations_failed = 0, runs_expectations_absent = 0;

  // findings (the representative run)
  std::vector<IncidentFinding> incidents;
  std::vector<WorkspaceFinding> workspaces;
  std::vector<ExpectationRow> expectations;
  double gb_lost_total = 0;
  std::size_t operations_not_modelled = 0;
  std::vector<std::string> refused_events;  // refused_event_text of each 4xx/5xx scenario event (issue 15)
  std::string timing_bounds;  // a sampled run's D7 bounds (bounds_lines), "" when it has none

  Timeline timeline;
  std::vector<KvSeries> kv;
  std::vector<DataClassRow> data_classes;
  std::vector<DataRow> data_rows;
  bool conservation_holds = true;
  std::vector<KeyRadius> keys;  // what the data and kv_calls tables say per key (databases without blast_radius)
  bool blast_radius_recorded = false;  // the database has the blast_radius table
  std::vector<KeyBlast> blast;         // per declared key, in declaration order
  std::vector<CoverageRow> coverage;
  std::vector<BehaviourUse> behaviours;
};

// Which run of a sweep the per-run sections show (`cmksim report --run N`,
// `--worst METRIC`); by default the longest exposure window, then the most
// GB lost, then the lowest run number.
struct Representative {
  std::optional<std::size_t> index;  // into the runs
  std::string why;                   // "picked by --worst gb_lost: 61.6 GB"
  std::string database;              // named in the report
};

// The metrics --worst takes: exposure_window, recovery_time,
// time_unavailable, gb_lost, queries_failed, and any `metrics` name (summed
// over the run's workspaces, else over every subject).
// `run_number` is 1-based (the database's run order). Bad input: an error.
Expected<Representative> pick_run(const std::vector<RunRecord>& runs, std::optional<std::uint64_t> run_number,
                                  const std::string& worst_metric);

// Builds the report's content from the runs of one database (at least one).
ReportData build_report_data(const std::vector<RunRecord>& runs,
                             const std::optional<SweepStopped>& stopped = std::nullopt,
                             const Representative& choice = {});

// How a lane's kind reads in the report: "AEK of" for aek, "provisioning"
// for cluster_provisioning, the kind itself otherwise.
std::string lane_label(const std::string& kind);
// The group a lane is drawn in: "cluster" for a cluster's sub-lanes.
std::string lane_group(const std::string& kind);

// "within", "BEYOND", ... for the renderers.
const char* verdict_word(Verdict v);

// Percentile by nearest rank over ascending `sorted` values (p in (0, 100]).
double percentile(const std::vector<double>& sorted, double p);

// Splits `series` into at most `max_bins` consecutive bins of equal width
// (in hours); each bin is [first_hour, last_hour] with the sums over it.
struct HourBin {
  std::int64_t first_hour = 0;
  std::int64_t last_hour = 0;
  std::uint64_t calls = 0;
  std::uint64_t failed = 0;
};
std::vector<HourBin> bin_hours(const KvSeries& series, std::size_t max_bins);

}  // namespace cmksim::report
