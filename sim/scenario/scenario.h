// Scenario: the plain values of a scenario file, format v1 (INTERFACE.md §2).
//
// The loader produces one from YAML; the model consumes it. Nothing here
// knows about YAML, SQLite or the engine. Every declaration keeps its source
// position so later checks (and the model's messages) can point at the file.
// Names are the user's and are kept verbatim; references between sections
// are by name and have been checked by the loader (an event's targets are
// resolved only when it runs: an earlier event may have created them).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.h"
#include "sim/scenario/action.h"
#include "sim/scenario/fault.h"

namespace cmksim {

struct SourcePos {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

// D7: when a revocation takes effect. Named by what each maximises: latest
// (at the bound: the longest exposure, the least loss), earliest (the first
// denied call: the most loss). bounds is a way to run, not a moment: the
// latest and the earliest run side by side (the model never sees it).
// kWorst and kBest are the old names of kLatest and kEarliest.
enum class Timing { kSampled, kLatest, kEarliest, kBounds, kWorst = kLatest, kBest = kEarliest };
const char* timing_name(Timing t);  // the preferred name
// A timing's name, preferred or old ("worst" = latest, "best" = earliest).
std::optional<Timing> parse_timing_name(const std::string& name);
// "latest" for "worst", "earliest" for "best", else the name unchanged (old
// results databases and scenarios keep reading).
std::string preferred_timing_name(const std::string& name);
// For an old name, the note that names the preferred one; "" otherwise.
std::string timing_alias_note(const std::string& name);

// Key Vault permissions a grant gives (C7). Under RBAC the crypto role gives
// all three.
enum Permission : std::uint8_t { kPermGet = 1, kPermWrap = 2, kPermUnwrap = 4 };
constexpr std::uint8_t kAllPermissions = kPermGet | kPermWrap | kPermUnwrap;

struct KeyDecl {
  std::string name;
  std::vector<std::string> versions;  // oldest first; all enabled at the start
  SourcePos pos;
};

enum class PermissionModel { kRbac, kAccessPolicy };

struct VaultDecl {
  std::string name;
  std::string region;
  std::string tenant = "default";
  std::string subscription;
  bool soft_delete = false;        // C2
  bool purge_protection = false;   // C2
  PermissionModel permission_model = PermissionModel::kRbac;  // C7
  bool private_link = false;       // C6
  std::vector<KeyDecl> keys;
  SourcePos pos;
};

struct IdentityDecl {  // a user-assigned managed identity
  std::string name;
  std::string tenant = "default";
  SourcePos pos;
};

// A cluster's identity: system-assigned, a named user-assigned one, or none.
struct IdentitySpec {
  enum class Kind { kSystemAssigned, kUserAssigned, kNone } kind = Kind::kSystemAssigned;
  std::string user_assigned;  // the identity's name when kind == kUserAssigned
};

// "system_assigned", "user_assigned:NAME" or "none"; nullopt otherwise.
std::optional<IdentitySpec> parse_identity_spec(const std::string& text);

struct KeyRef {
  std::string vault;
  std::string key;
  std::string version;  // "" = auto-rotation (R1)
};

struct ClusterDecl {
  std::string name;
  std::string region;
  std::string subscription;
  std::string tenant = "default";
  IdentitySpec identity;
  double capacity_gb_per_day = 100;          // C1
  std::optional<bool> double_encryption;     // K4
  std::optional<KeyRef> key;                 // CMK configured when present
  DurationMs key_since_ms = 0;               // CMK configured this long before the start (K2)
  SourcePos pos;
};

struct GrantDecl {
  std::string identity;  // "cluster:NAME" or a user-assigned identity's name
  std::string vault;
  std::uint8_t permissions = kAllPermissions;
  SourcePos pos;
};

// The most background queries per hour the model serves: its exponential
// gaps have a mean of 1 h / rate, at least 1 ms (D2). The loader refuses more.
constexpr double kMaxQueriesPerHour = 3600000;

struct WorkspaceDecl {
  std::string name;
  std::string region;
  std::string tenant = "default";
  std::string subscription;
  std::string cluster;  // linked at the start; "" = unlinked
  double ingest_gb_per_day = 0;                        // D1
  std::optional<std::array<double, 24>> daily_profile; // D1: hourly weights, normalized to mean 1
  std::optional<std::array<double, 7>> weekly_profile;  // D1: Monday..Sunday weights, normalized to mean 1
  DurationMs retention_ms = 30 * kMsPerDay;            // D9
  DurationMs existing_data_ms = 0;                     // data already there at the start
  double queries_per_hour = 0;                         // background queries, Poisson
  DurationMs query_range_ms = kMsPerDay;               // how far back a background query reads
  SourcePos pos;
};

// One scheduled event. Only the fields of its action (action.h) are set; the
// loader rejects the others.
struct EventDecl {
  std::string id;  // optional; "" when absent
  TimeMs at_ms = 0;
  Action action = Action::kDisableKey;
  std::string vault, key, version, identity, cluster, workspace;
  std::string region, subscription, tenant, storage_account;
  std::optional<std::uint8_t> permissions;
  DurationMs for_ms = 0;          // kv_outage
  std::string fault;              // kv_outage: timeout | connection | dns | throttling
  std::optional<double> capacity_gb_per_day;
  std::optional<double> gb_per_day;
  DurationMs range_ms = 0;        // query
  std::string decision;           // lockbox_request: approve | reject
  std::optional<bool> double_encryption;
  std::optional<KeyRef> key_ref;  // create_cluster's optional key
  std::string from_fault;         // realised from this fault process (its name); "" = declared
  std::string fault_process;      // and its process (kv_outage ...)
  SourcePos pos;
};

// A number or a duration an expectation compares against. Durations are kept
// in ms; the evaluator converts to the metric's unit.
struct Bound {
  double value = 0;
  bool is_duration = false;
};

struct ExpectationDecl {
  enum class Kind { kMetric, kState, kOperation, kRisk } kind = Kind::kMetric;
  std::string text;     // the entry as written, for reports
  std::string metric;   // kMetric
  std::string subject;  // kMetric, kState
  std::optional<Bound> min, max;  // kMetric
  std::string state;    // kState
  TimeMs at_ms = 0;     // kState
  std::string operation;  // kOperation: an event id
  int status = 0;         // kOperation
  std::string risk;       // kRisk: a risk figure (risk_figure_names()), with min/max; its runs are over_seeds
  int over_seeds = 1;     // holds only if it holds for this many seeds (1..100000)
  SourcePos pos;
};

// A profile parameter overridden in `params:` (or by --set), as written; the
// profile parses and range-checks it.
struct ParamOverride {
  std::string name;
  std::string value;
  SourcePos pos;
};

struct Scenario {
  std::string file;         // the path it was read from
  std::string source_sha256;
  int version = 1;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  DurationMs duration_ms = 0;
  std::string start;        // optional wall-clock label, ISO 8601
  int start_hour_of_day = 0;  // from `start`, for daily profiles (D1)
  std::optional<std::int64_t> start_epoch_ms;  // `start` in ms since 1970-01-01 UTC: `at:` dates
  int start_weekday = 0;      // of start's date, 0 = Monday; without `start` day 0 is a Monday (D1)
  std::string profile = "azure-monitor-current";
  Timing timing = Timing::kSampled;
  std::string timing_alias;  // "worst" or "best" when the file used an old name (D7)
  std::vector<ParamOverride> params;
  std::vector<VaultDecl> key_vaults;
  std::vector<IdentityDecl> identities;
  std::vector<ClusterDecl> clusters;
  std::vector<GrantDecl> grants;
  std::vector<WorkspaceDecl> workspaces;
  std::vector<EventDecl> events;
  std::vector<FaultDecl> faults;  // realised per run (sim/scenario/fault_schedule.h)
  std::vector<ExpectationDecl> expectations;
};

}  // namespace cmksim
