// Scenario loader: YAML text (format v1, INTERFACE.md §2) -> Scenario.
//
// Contract: a load gives either a complete, checked Scenario or exactly one
// Error (sim/core/status.h) naming the file, the 1-based line and column of
// the offending node and a short lower-case message, on one line (control
// characters in echoed text are escaped); it never throws and never crashes
// on hostile input (over 16 MiB, binary data, nesting deeper than 64, alias
// bombs: see LoadLimits; and the loader descends only into nodes whose schema
// it knows, after checking their type). It checks types, units, ranges,
// unknown and duplicate fields, unique names and the references among the
// declared resources (vaults, keys, identities, clusters, grants, workspaces,
// event ids, expectation subjects). Names inside events are NOT resolved: an
// earlier event may create them, and an unknown one is the service's 404/400
// when the event runs. Defaults not visible in the format: a key without
// `versions` has [v1].
//
// The loader's parts, by job, all under sim/io: utf8_screen (raw text),
// limit_scan (LoadLimits, before anything is built), yaml_document (one
// document, a mapping), yaml_reader (typed reads with positions),
// section_loader with load_header/load_resources/load_events/
// load_expectations (the sections), scenario_values and name_set (shared
// values and declared names), message_text (how messages echo the input).
// The profile a run uses is built by sim/io/profile_builder.h.
#pragma once
#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/io/load_limits.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

// Parses and checks `text`; `file_label` names it in errors and becomes
// Scenario::file. Scenario::source_sha256 is the SHA-256 of `text`.
Expected<Scenario> load_scenario_text(std::string_view text, const std::string& file_label);
Expected<Scenario> load_scenario_text(std::string_view text, const std::string& file_label, const LoadLimits& limits);

// Reads `path` (an error, without a position, if unreadable or over the size
// limit) and loads it, labelled with the path.
Expected<Scenario> load_scenario_file(const std::string& path);
Expected<Scenario> load_scenario_file(const std::string& path, const LoadLimits& limits);

}  // namespace cmksim
