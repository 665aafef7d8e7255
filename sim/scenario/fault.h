// Fault processes (issue 17): the `faults:` section of format v1 as plain
// values, and the table of processes with the fields each takes. A process
// is realised per run, from the run's seed, into ordinary scenario events
// (sim/scenario/fault_schedule.h); the model never sees a process.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.h"

namespace cmksim {

// A duration drawn at random: fixed: D | uniform: [A, B] | lognormal:
// {median: M, p95: P} (P >= M; sigma = ln(P/M) / 1.6448536).
struct DurationDist {
  enum class Kind { kFixed, kUniform, kLognormal } kind = Kind::kFixed;
  DurationMs a = 0;  // fixed: the value; uniform: the low end; lognormal: the median
  DurationMs b = 0;  // uniform: the high end; lognormal: the p95
};

// Bounds the loader enforces so a realised schedule stays a schedule: at most
// one arrival every ~5 minutes on average, at most one rotation an hour.
constexpr double kMaxFaultRatePerYear = 100000;
constexpr DurationMs kMinRotationPeriodMs = kMsPerHour;

enum class FaultProcess { kKvOutage, kDisableKey, kRemoveAccess, kIdentityNone, kRotation };

struct FaultProcessInfo {
  FaultProcess process;
  const char* name;                   // as written in scenarios
  std::vector<const char*> required;  // fields besides name/process
  std::vector<const char*> optional;
  const char* behaviours;
  const char* description;
};

const std::vector<FaultProcessInfo>& fault_process_table();
const FaultProcessInfo& fault_process_info(FaultProcess p);
std::optional<FaultProcess> fault_process_from_name(std::string_view name);
std::vector<std::string> fault_process_names();
// name, process, window: the fields every fault may have.
const std::vector<std::string>& fault_common_fields();

// When a process may start a fault: between `from` and `to` (scenario time),
// and, when restricted, only on some days and hours of the week. The week
// is anchored at the scenario's `start` (Monday 00:00 without one).
struct FaultWindow {
  DurationMs from_ms = 0;
  std::optional<DurationMs> to_ms;  // none: the end of the run
  bool weekdays_only = false;       // Monday to Friday
  int hour_from = 0;                // [hour_from, hour_to) of each allowed day
  int hour_to = 24;
};

// One fault process as written. Only the fields of its process are set (the
// loader refuses the others).
struct FaultDecl {
  std::string name;
  FaultProcess process = FaultProcess::kKvOutage;
  std::string vault, key, identity, cluster;
  double rate_per_year = 0;                               // kv_outage and the mistakes: Poisson
  DurationDist duration;                                  // kv_outage
  std::vector<std::pair<std::string, double>> fault_kinds = {{"timeout", 1.0}};  // kv_outage, weights (D5)
  DurationDist restore_after;                             // disable_key, remove_access, identity_none
  DurationMs every_ms = 0;                                // rotation (R1, R2)
  bool explicit_version = false;                          // rotation: the cluster is updated (R2) or auto (R1)
  DurationDist update_after{DurationDist::Kind::kFixed, kMsPerHour, 0};  // rotation, explicit
  double mistake_probability = 0;                         // rotation: the old version disabled first (R3)
  DurationDist mistake_delay;                             // rotation
  std::optional<FaultWindow> window;
  int line = 0, column = 0;
};

}  // namespace cmksim
