// Realisation of fault processes (issue 17): scenario values + seed -> the
// ordinary events the faults cause, ids "faults.NAME#N" (and "#N.end",
// "#N.update", "#N.mistake" for what follows). A pure function: each process
// draws from its own stream, Rng::stream(seed, "faults." + NAME), so adding
// a process, or a draw in one, changes no other's schedule.
//
// Arrivals of the rate processes are Poisson: exponential gaps of mean
// 365d / rate_per_year, counted on the window's clock (the time the window
// is open, scaled so a year of weeks still realises rate_per_year) and from
// the end of the previous fault of the same process (faults of one process
// never overlap). A restore after the end of the run is not scheduled.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/random/rng.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

// The mean year the rates are per.
constexpr DurationMs kFaultYearMs = 365 * kMsPerDay;

// One draw of `d`, in ms, >= 0.
DurationMs draw_duration(const DurationDist& d, Rng& rng);

// A standard normal draw (inverse CDF of the project's uniform).
double standard_normal(Rng& rng);

// The events `fault` causes in a run of `scenario` with `seed`, in time order.
std::vector<EventDecl> realise_fault(const Scenario& scenario, const FaultDecl& fault, std::uint64_t seed);

// Every process's events, merged in time order (ties: process order).
std::vector<EventDecl> realise_faults(const Scenario& scenario, std::uint64_t seed);

// The scenario with its faults realised into `events` (after the declared
// ones) and `faults` emptied: what the model runs.
Scenario with_realised_faults(const Scenario& scenario, std::uint64_t seed);

// "3d04h12m  faults.kv#3  kv_outage kv for 45m fault timeout", one line per
// realised event: what `cmksim run --list-faults` prints.
std::string fault_schedule_text(const std::vector<EventDecl>& events);

}  // namespace cmksim
