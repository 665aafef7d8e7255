// SectionLoader (sim/io/section_loader.h): the order of the sections, and the
// top-level fields: version, header and params.
#include <string>

#include "sim/core/text.h"
#include "sim/io/message_text.h"
#include "sim/io/profile_loader.h"
#include "sim/io/scenario_values.h"
#include "sim/io/section_loader.h"
#include "sim/profile/profile.h"
#include "sim/scenario/format.h"

namespace cmksim::load {

Scenario SectionLoader::load(const Reader& root) {
  const MapReader top(root, "");
  read_version(top);
  top.check_fields(Mapping::kScenario);
  read_header(top);
  if (auto f = top.get("params")) read_params(*f);
  if (auto f = top.get("key_vaults")) read_vaults(*f);
  if (auto f = top.get("identities")) read_identities(*f);
  if (auto f = top.get("clusters")) read_clusters(*f);
  if (auto f = top.get("grants")) read_grants(*f);
  if (auto f = top.get("workspaces")) read_workspaces(*f);
  if (auto f = top.get("events")) read_events(*f);
  if (auto f = top.get("faults")) read_faults(*f);  // issue 17
  if (auto f = top.get("expect")) read_expectations(*f);
  return std::move(s_);
}

// Checked before unknown fields: a version-2 file's new fields are not typos.
void SectionLoader::read_version(const MapReader& top) {
  const Reader f = top.require("version", "missing required field 'version' (write version: 1)");
  const std::string v = f.scalar("1");
  if (v != "1") f.fail("unsupported version " + clip(v) + " (this cmksim reads version 1)");
  s_.version = 1;
}

void SectionLoader::read_header(const MapReader& top) {
  s_.name = top.require("name").name_text();
  if (auto f = top.get("description")) s_.description = f->text();
  if (auto f = top.get("seed")) s_.seed = f->integer();
  const Reader duration = top.require("duration");
  s_.duration_ms = duration.duration();
  if (s_.duration_ms <= 0) duration.fail("duration must be > 0");
  if (auto f = top.get("start")) {
    s_.start = f->text();
    const auto hour = iso8601_hour(s_.start);
    if (!hour) f->fail("start must be an ISO 8601 time like 2026-01-05T00:00:00Z, got " + quote(s_.start));
    s_.start_hour_of_day = *hour;
  }
  if (auto f = top.get("profile")) s_.profile = f->choice("profile", profile_names());
  if (auto f = top.get("timing")) {
    const std::string t = f->choice("timing", timing_names());  // D7
    s_.timing = t == "worst" ? Timing::kWorst : t == "best" ? Timing::kBest : Timing::kSampled;
  }
}

// An `at` within [0, duration].
TimeMs SectionLoader::read_at(const Reader& f) const {
  const TimeMs at = f.duration();
  if (at > s_.duration_ms) {
    f.fail("'at' " + f.text() + " is after the end of the scenario (duration " + format_duration(s_.duration_ms) +
           ")");
  }
  return at;
}

// Each parameter is applied to a scratch copy of the named profile so a bad
// name or value is reported where it is written; build_profile
// (sim/io/profile_builder.h) redoes this for the run (possibly on another
// profile, then --set).
void SectionLoader::read_params(const Reader& section) {
  if (section.is_null()) return;
  const MapReader params(section, "params");
  Profile scratch = *profile_by_name(s_.profile);
  for (const Reader& f : params.fields()) {
    if (find_param(f.name()) == nullptr) {
      // set_param words it (with did-you-mean) unless the name is absurdly long.
      fail_at(f.key_mark(), f.name().size() > kMaxEcho ? "unknown parameter " + quote(f.name())
                                                       : set_param(scratch, f.name(), "").error().message);
    }
    const std::string value = f.scalar("a single value");
    if (value.size() > kMaxEcho) f.fail(f.name() + ": value " + quote(value) + " is too long");
    if (const Status set = set_param(scratch, f.name(), value); !set) f.fail(set.error().message);
    s_.params.push_back(ParamOverride{f.name(), value, pos_of(f.mark())});
  }
  if (const Status consistent = check_profile(scratch); !consistent) {
    fail_at(section.key_mark(), consistent.error().message);
  }
}

}  // namespace cmksim::load
