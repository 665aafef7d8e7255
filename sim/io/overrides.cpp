#include "sim/io/overrides.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "sim/core/sha256.h"
#include "sim/core/text.h"
#include "sim/profile/profile.h"

namespace cmksim {
namespace {

// Top-level scalar fields a sweep may vary (the sections are addressed by name).
const std::vector<std::string> kTopLevelFields = {"duration", "timing", "seed", "start",
                                                  "profile",  "name",   "description"};

struct Section {
  const char* name;     // as in the file
  const char* entry;    // one entry, for messages
  const char* key;      // the field that names an entry
};
const Section kSections[] = {
    {"key_vaults", "key vault", "name"}, {"identities", "identity", "name"}, {"clusters", "cluster", "name"},
    {"workspaces", "workspace", "name"}, {"events", "event id", "id"}, {"faults", "fault", "name"},  // issue 17
};

// The names the scenario declares in one section (events: their ids).
std::vector<std::string> declared_names(const Scenario& s, const std::string& section) {
  std::vector<std::string> names;
  if (section == "key_vaults") {
    for (const auto& v : s.key_vaults) names.push_back(v.name);
  } else if (section == "identities") {
    for (const auto& i : s.identities) names.push_back(i.name);
  } else if (section == "clusters") {
    for (const auto& c : s.clusters) names.push_back(c.name);
  } else if (section == "workspaces") {
    for (const auto& w : s.workspaces) names.push_back(w.name);
  } else if (section == "events") {
    for (const auto& e : s.events) {
      if (!e.id.empty()) names.push_back(e.id);
    }
  } else if (section == "faults") {
    for (const auto& f : s.faults) names.push_back(f.name);
  }
  return names;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// Where a path points.
struct Target {
  bool is_param = false;
  std::string param;                    // is_param: the parameter's name
  std::string section;                  // "" for a top-level field
  std::string entry;                    // the entry's name (or event id)
  std::vector<std::string> field_path;  // one or more field names
};

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::optional<Target> resolve(const Scenario& scenario, const std::string& path, std::string& error) {
  Target t;
  const std::size_t dot = path.find('.');
  if (dot == std::string::npos) {
    if (find_param(path) != nullptr) {
      t.is_param = true;
      t.param = path;
      return t;
    }
    if (std::find(kTopLevelFields.begin(), kTopLevelFields.end(), path) != kTopLevelFields.end()) {
      t.field_path = {path};
      return t;
    }
    std::vector<std::string> candidates = param_names();
    candidates.insert(candidates.end(), kTopLevelFields.begin(), kTopLevelFields.end());
    for (const Section& s : kSections) candidates.emplace_back(s.name);
    error = "unknown parameter or scenario field " + quoted(path) + did_you_mean(path, candidates);
    return std::nullopt;
  }
  const std::string first = path.substr(0, dot);
  const std::string rest = path.substr(dot + 1);
  if (first == "params") {
    if (find_param(rest) == nullptr) {
      error = "unknown parameter " + quoted(rest) + did_you_mean(rest, param_names());
      return std::nullopt;
    }
    t.is_param = true;
    t.param = rest;
    return t;
  }
  const Section* section = nullptr;
  for (const Section& s : kSections) {
    if (first == s.name) section = &s;
  }
  if (section == nullptr) {
    std::vector<std::string> candidates = {"params"};
    for (const Section& s : kSections) candidates.emplace_back(s.name);
    error = "unknown section " + quoted(first) + " (a path is PARAMETER, params.PARAMETER, a top-level field, or " +
            "SECTION.NAME.FIELD with SECTION one of key_vaults, identities, clusters, workspaces, events, faults)" +
            did_you_mean(first, candidates);
    return std::nullopt;
  }
  // The longest declared name followed by ".FIELD": names may contain dots.
  const std::vector<std::string> names = declared_names(scenario, first);
  const std::string* best = nullptr;
  for (const std::string& name : names) {
    if (rest.size() > name.size() + 1 && rest.compare(0, name.size(), name) == 0 && rest[name.size()] == '.' &&
        (best == nullptr || name.size() > best->size())) {
      best = &name;
    }
  }
  if (best == nullptr) {
    const std::size_t last_dot = rest.rfind('.');
    const std::string attempted = last_dot == std::string::npos ? rest : rest.substr(0, last_dot);
    if (last_dot == std::string::npos && std::find(names.begin(), names.end(), rest) != names.end()) {
      error = "missing field: write " + first + "." + rest + ".FIELD";
    } else if (names.empty()) {
      error = std::string("the scenario declares no ") + section->entry +
              (first == "events" ? " (give the event an id: events.ID.FIELD)" : "");
    } else {
      error = std::string("unknown ") + section->entry + " " + quoted(attempted);
      const std::string hint = did_you_mean(attempted, names);
      if (!hint.empty()) {
        error += hint;
      } else if (names.size() <= 12) {
        std::string list;
        for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
        error += std::string(" (the scenario has ") + list + ")";
      }
    }
    return std::nullopt;
  }
  t.section = first;
  t.entry = *best;
  t.field_path = split(rest.substr(best->size() + 1), '.');
  for (const std::string& field : t.field_path) {
    if (field.empty()) {
      error = "empty field name in " + quoted(path);
      return std::nullopt;
    }
  }
  return t;
}

const Section& section_named(const std::string& name) {
  for (const Section& s : kSections) {
    if (name == s.name) return s;
  }
  return kSections[0];  // unreachable: resolve() checked the name
}

// Sets one field in the YAML tree. Returns "" or why it cannot.
std::string set_in_tree(YAML::Node& root, const Target& t, const std::string& value) {
  YAML::Node node = root;
  if (!t.section.empty()) {
    const Section& section = section_named(t.section);
    const YAML::Node& items = static_cast<const YAML::Node&>(root)[t.section];
    bool found = false;
    for (YAML::const_iterator it = items.begin(); it != items.end(); ++it) {
      const YAML::Node item = *it;
      if (!item.IsMap()) continue;
      const YAML::Node key = item[section.key];
      if (key.IsDefined() && key.IsScalar() && key.Scalar() == t.entry) {
        node.reset(item);
        found = true;
        break;
      }
    }
    if (!found) return std::string("no ") + section.entry + " " + quoted(t.entry);
  }
  for (std::size_t i = 0; i + 1 < t.field_path.size(); ++i) {
    const YAML::Node child = static_cast<const YAML::Node&>(node)[t.field_path[i]];
    if (!child.IsDefined() || !child.IsMap()) {
      return quoted(t.field_path[i]) + " is not a mapping" +
             (t.section.empty() ? std::string()
                                : std::string(" in ") + section_named(t.section).entry + " " + quoted(t.entry));
    }
    node.reset(child);
  }
  node[t.field_path.back()] = value;
  return "";
}

// The --set options of one grid point, for messages.
std::string sets_text(const PathValues& sets) {
  std::string out;
  for (const auto& [path, value] : sets) out += (out.empty() ? "--set " : " --set ") + path + "=" + value;
  return out;
}

// Source positions refer to the reloaded text: put the file's back.
template <class T>
void copy_positions(const std::vector<T>& from, std::vector<T>& to) {
  if (from.size() != to.size()) return;
  for (std::size_t i = 0; i < from.size(); ++i) to[i].pos = from[i].pos;
}

void restore_positions(const Scenario& from, Scenario& to) {
  copy_positions(from.key_vaults, to.key_vaults);
  if (from.key_vaults.size() == to.key_vaults.size()) {
    for (std::size_t i = 0; i < from.key_vaults.size(); ++i) {
      copy_positions(from.key_vaults[i].keys, to.key_vaults[i].keys);
    }
  }
  copy_positions(from.identities, to.identities);
  copy_positions(from.clusters, to.clusters);
  copy_positions(from.grants, to.grants);
  copy_positions(from.workspaces, to.workspaces);
  copy_positions(from.events, to.events);
  copy_positions(from.expectations, to.expectations);
  copy_positions(from.params, to.params);
  if (from.faults.size() == to.faults.size()) {
    for (std::size_t i = 0; i < from.faults.size(); ++i) {
      to.faults[i].line = from.faults[i].line;
      to.faults[i].column = from.faults[i].column;
    }
  }
}

}  // namespace

Expected<ScenarioTemplate> ScenarioTemplate::load(const std::string& path) {
  const Expected<Scenario> loaded = load_scenario_file(path);
  if (!loaded) return loaded.error();
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.good() && !in.eof()) return Error{path, 0, 0, "cannot read the scenario file"};
  if (sha256_hex(text) != loaded->source_sha256) return Error{path, 0, 0, "the scenario file changed while it was read"};
  return ScenarioTemplate(std::move(text), *loaded);
}

Expected<ScenarioTemplate> ScenarioTemplate::from_text(const std::string& text, const std::string& label) {
  const Expected<Scenario> loaded = load_scenario_text(text, label);
  if (!loaded) return loaded.error();
  return ScenarioTemplate(text, *loaded);
}

std::optional<bool> ScenarioTemplate::is_profile_param(const std::string& path, std::string& error) const {
  const std::optional<Target> t = resolve(scenario_, path, error);
  if (!t) return std::nullopt;
  return t->is_param;
}

void ScenarioTemplate::split_sets(const PathValues& sets, PathValues& params, PathValues& fields) const {
  for (const auto& [path, value] : sets) {
    std::string error;
    const std::optional<Target> t = resolve(scenario_, path, error);
    if (t && t->is_param) {
      params.emplace_back(t->param, value);
    } else {
      fields.emplace_back(path, value);
    }
  }
}

std::string ScenarioTemplate::apply(const PathValues& sets, Scenario& out) const {
  PathValues params, fields;
  split_sets(sets, params, fields);
  if (fields.empty()) {
    out = scenario_;
    return "";
  }
  std::string text;
  try {
    YAML::Node root = YAML::Load(text_);
    for (const auto& [path, value] : fields) {
      std::string error;
      const std::optional<Target> t = resolve(scenario_, path, error);
      if (!t) return "--set " + path + ": " + error;
      error = set_in_tree(root, *t, value);
      if (!error.empty()) return "--set " + path + "=" + value + ": " + error;
    }
    YAML::Emitter emitter;
    emitter << root;
    if (!emitter.good()) return sets_text(fields) + ": " + emitter.GetLastError();
    text = emitter.c_str();
  } catch (const YAML::Exception& e) {
    return sets_text(fields) + ": " + e.what();
  }
  const Expected<Scenario> loaded = load_scenario_text(text, scenario_.file);
  if (!loaded) return sets_text(fields) + ": " + loaded.error().message;
  out = *loaded;
  out.source_sha256 = scenario_.source_sha256;  // runs.scenario_sha256 names the file the user has
  restore_positions(scenario_, out);
  return "";
}

}  // namespace cmksim
