// Profile loader: profiles as data (P1). A profile is a YAML file:
//
//   name: my-profile
//   description: what it models
//   base: azure-monitor-current   # optional: start from a shipped profile
//   params: {aek_cache_ttl: 10m, ...}
//
// A profile without `base` must set every parameter (the shipped ones do, a
// test checks it); with `base` it overrides some. A load gives the Profile or
// one Error (sim/core/status.h) with file:line:col, like a scenario's.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/profile/profile.h"

namespace cmksim {

// The shipped profiles' names, the default first.
std::vector<std::string> profile_names();

// A shipped profile by name; nullopt if there is none of that name.
std::optional<Profile> profile_by_name(std::string_view name);

// `label` names the text in errors.
Expected<Profile> load_profile_text(std::string_view text, const std::string& label);
// Reads `path` (an error, without a position, if unreadable or over 1 MiB).
Expected<Profile> load_profile_file(const std::string& path);

// `name_or_file`: a shipped profile's name, or a path to a profile file
// (anything ending in .yaml or .yml, or containing a '/'). An unknown name is
// an Error without a file.
Expected<Profile> resolve_profile(const std::string& name_or_file);

}  // namespace cmksim
