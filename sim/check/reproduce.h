// The `cmksim run` command that reproduces a run (issue 15, item 3): the
// scenario file, the profile, every parameter whose value in force differs
// from that profile's (the scenario's params and --set alike: the command
// stays right even when only the results database is at hand), the timing
// and the seed, each word shell-quoted.
#pragma once
#include <string>
#include <vector>

#include "sim/record/run_record.h"

namespace cmksim {

// "cmksim run FILE --profile P [--set name=value]... --timing T --seed N".
// A profile that is not a shipped one (a file) is written as the default
// profile with every parameter that differs from it. The parameters named in
// `always` (a sweep's grid) get their --set even at the profile's value.
// `command` is the subcommand: "run", or "check" for a verdict over many runs
// (a risk expectation), which takes the same options.
std::string reproduce_command(const RunInfo& run, const std::vector<std::string>& always = {},
                              const std::string& command = "run");

}  // namespace cmksim
