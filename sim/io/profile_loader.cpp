#include "sim/io/profile_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "sim/core/check.h"
#include "sim/core/text.h"
#include "sim/profile/shipped_profiles.h"

namespace cmksim {
namespace {

Error error_at(const std::string& label, const YAML::Mark& mark, std::string message) {
  return Error{label, mark.line + 1, mark.column + 1, std::move(message)};
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const auto& p : shipped_profiles()) names.emplace_back(p.name);
  return names;
}

std::optional<Profile> profile_by_name(std::string_view name) {
  for (const auto& p : shipped_profiles()) {
    if (name != p.name) continue;
    Expected<Profile> loaded = load_profile_text(p.text, std::string("profile ") + p.name);
    // Shipped profiles are our own data; a broken one is a bug (tests load each).
    CMKSIM_CHECK(loaded.ok(), "a shipped profile does not load");
    return std::move(loaded).value();
  }
  return std::nullopt;
}

Expected<Profile> load_profile_text(std::string_view text, const std::string& label) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return error_at(label, e.mark, "invalid YAML: " + e.msg);
  }
  if (!root.IsMap()) return Error{label, 1, 1, "a profile must be a YAML mapping (name:, params:)"};
  const std::vector<std::string> fields = {"name", "description", "base", "params"};
  for (const auto& entry : root) {
    const std::string key = entry.first.Scalar();
    if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
      return error_at(label, entry.first.Mark(), "unknown field '" + key + "' in a profile" + did_you_mean(key, fields));
    }
  }
  if (!root["name"] || !root["name"].IsScalar() || root["name"].Scalar().empty()) {
    return Error{label, 1, 1, "missing required field 'name' in a profile"};
  }
  Profile profile;
  const bool has_base = static_cast<bool>(root["base"]);
  if (has_base) {
    const YAML::Node base = root["base"];
    const auto found = base.IsScalar() ? profile_by_name(base.Scalar()) : std::nullopt;
    if (!found) {
      const std::string written = base.IsScalar() ? base.Scalar() : std::string();
      return error_at(label, base.Mark(),
                      "unknown base profile '" + written + "'" + did_you_mean(written, profile_names()));
    }
    profile = *found;
  }
  profile.name = root["name"].Scalar();
  const YAML::Node params = root["params"];
  if (params && !params.IsMap()) return error_at(label, params.Mark(), "params must be a mapping of name: value");
  std::vector<std::string> set;
  if (params) {
    for (const auto& entry : params) {
      const std::string key = entry.first.Scalar();
      if (!entry.second.IsScalar()) return error_at(label, entry.second.Mark(), key + " must be a single value");
      const Status applied = set_param(profile, key, entry.second.Scalar());
      if (!applied) return error_at(label, entry.first.Mark(), applied.error().message);
      set.push_back(key);
    }
  }
  if (!has_base) {
    for (const auto& info : param_table()) {
      if (std::find(set.begin(), set.end(), info.name) == set.end()) {
        return Error{label, 1, 1, "the profile does not set '" + std::string(info.name) +
                                                  "' (a profile without 'base' sets every parameter)"};
      }
    }
  }
  if (const Status consistent = check_profile(profile); !consistent) {
    return Error{label, 1, 1, consistent.error().message};
  }
  return profile;
}

Expected<Profile> load_profile_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, 0, 0, "cannot read the profile file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > 1024 * 1024) return Error{path, 0, 0, "the profile file is too large (over 1 MiB)"};
  return load_profile_text(text.str(), path);
}

Expected<Profile> resolve_profile(const std::string& name_or_file) {
  if (ends_with(name_or_file, ".yaml") || ends_with(name_or_file, ".yml") ||
      name_or_file.find('/') != std::string::npos) {
    return load_profile_file(name_or_file);
  }
  if (std::optional<Profile> profile = profile_by_name(name_or_file)) return std::move(*profile);
  return Error{"", 0, 0, "unknown profile '" + name_or_file + "'" + did_you_mean(name_or_file, profile_names())};
}

}  // namespace cmksim
