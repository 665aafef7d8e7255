// Scenario loader (INTERFACE.md §2). Structure:
//   1. the raw text is screened (size, control bytes, UTF-8) before yaml-cpp
//      sees it, so hostile input fails fast with a position;
//   2. yaml-cpp builds the node graph (aliases share nodes, so an alias bomb
//      costs nothing until someone walks it -- and nobody does: every read
//      below checks a node's type against the schema before descending);
//   3. Reader / MapReader read typed values and throw a Failure carrying the
//      node's Mark; load_scenario_text turns it into the single LoadError.
// Sections are read in dependency order (vaults before clusters before
// grants ...) whatever their order in the file, so references can be checked
// as soon as they are read.
#include "sim/io/scenario_loader.h"

#include "sim/io/profile_loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sim/core/sha256.h"
#include "sim/core/text.h"
#include "sim/scenario/duration.h"
#include "sim/scenario/format.h"

namespace cmksim {

std::string LoadError::str() const {
  std::string where = file;
  if (line > 0) {
    if (!where.empty()) where += ":";
    where += std::to_string(line) + ":" + std::to_string(column);
  }
  return where.empty() ? message : where + ": " + message;
}

namespace {

constexpr double kMaxNumber = 1e15;  // same ceiling as profile numbers

// ---------------------------------------------------------------------------
// Failures and small text helpers

// Thrown by the readers; caught once in load_scenario_text.
struct Failure {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void fail_at(const YAML::Mark& mark, std::string message) {
  throw Failure{mark, std::move(message)};
}

SourcePos pos_of(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};  // yaml-cpp counts from 0
}

std::string pos_text(SourcePos p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

// User text echoed in a message is clipped: a value may be megabytes long.
constexpr std::size_t kMaxEcho = 64;

std::string clip(std::string_view s) {
  if (s.size() <= kMaxEcho) return std::string(s);
  std::size_t n = kMaxEcho - 3;  // not inside a UTF-8 sequence: messages stay valid UTF-8
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

std::string quote(std::string_view s) { return "'" + clip(s) + "'"; }

// did_you_mean, skipped for words no typo could produce (its edit distance is
// quadratic in the length).
std::string hint(std::string_view word, const std::vector<std::string>& candidates) {
  return word.size() > kMaxEcho ? std::string() : did_you_mean(word, candidates);
}

bool contains(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// "a, b or c"
std::string one_of(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

// " (did you mean 'x'?)"; else, for a short closed set, what is allowed.
std::string suggestion(std::string_view word, const std::vector<std::string>& allowed) {
  std::string hint_text = hint(word, allowed);
  if (hint_text.empty() && !allowed.empty() && allowed.size() <= 12) {
    hint_text = " (expected " + one_of(allowed) + ")";
  }
  return hint_text;
}

const char* kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Scalar: return "a scalar";
    default: return "nothing";
  }
}

// A plain decimal number as YAML writes it: [+-]digits[.digits][e[+-]digits].
// Hex, inf and nan are refused. Returns false when `s` is not one.
bool parse_decimal(const std::string& s, double& out, bool& in_range) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t mantissa = i;
  bool digits = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) { ++i; digits = true; }
  }
  if (!digits) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  if (i != s.size()) return false;
  const char* first = s.data() + (s[0] == '+' ? mantissa : 0);
  const auto result = std::from_chars(first, s.data() + s.size(), out);
  in_range = result.ec == std::errc();
  out += 0.0;  // -0 -> 0
  return true;
}

// ---------------------------------------------------------------------------
// Reader: one YAML value with the name it is known by in messages.

class Reader {
 public:
  Reader(std::string name, YAML::Node node, YAML::Mark key_mark)
      : name_(std::move(name)), node_(std::move(node)), key_mark_(key_mark) {}

  const std::string& name() const { return name_; }
  const YAML::Node& node() const { return node_; }
  bool is_null() const { return !node_.IsDefined() || node_.IsNull(); }
  YAML::Mark key_mark() const { return key_mark_; }

  // Where the value is. yaml-cpp marks an empty value at the next token, so
  // an empty value is reported at its key.
  YAML::Mark mark() const {
    const YAML::Mark m = node_.Mark();
    return is_null() || m.is_null() ? key_mark_ : m;
  }

  [[noreturn]] void fail(std::string message) const { fail_at(mark(), std::move(message)); }

  // Any scalar: quoted or plain, possibly "".
  std::string text() const { return scalar("a string"); }

  // A name: a non-empty string.
  std::string name_text() const {
    std::string s = text();
    if (s.empty()) fail(name_ + " must not be empty");
    return s;
  }

  // A finite number >= 0 (sizes, rates, counts).
  double number() const {
    const std::string s = plain("a number");
    return checked_number(s);
  }

  double checked_number(const std::string& s) const {
    double v = 0;
    bool in_range = false;
    if (!parse_decimal(s, v, in_range)) fail(name_ + " must be a number, got " + quote(s));
    if (!in_range || !std::isfinite(v)) fail(name_ + " must be a finite number, got " + clip(s));
    if (v < 0) fail(name_ + " must be >= 0, got " + clip(s));
    if (v > kMaxNumber) fail(name_ + " must be at most 1e15, got " + clip(s));
    return v;
  }

  // Strictly true or false (not yes/no/on/off).
  bool boolean() const {
    const std::string s = plain("true or false");
    if (s != "true" && s != "false") fail(name_ + " must be true or false, got " + quote(s));
    return s == "true";
  }

  // A non-negative integer.
  std::uint64_t integer() const {
    const std::string s = plain("a non-negative integer");
    std::uint64_t v = 0;
    const bool digits =
        !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    const auto result = std::from_chars(s.data(), s.data() + s.size(), v);
    if (!digits) fail(name_ + " must be a non-negative integer, got " + quote(s));
    if (result.ec != std::errc()) fail(name_ + " is too large, got " + clip(s));
    return v;
  }

  DurationMs duration() const {
    const std::string s = text();
    if (s.size() > kMaxEcho) fail(name_ + ": duration " + quote(s) + " is too long");
    const DurationParse d = parse_duration(s);
    if (!d.value) fail(name_ + ": " + d.error);
    return *d.value;
  }

  // One of a closed set of words ("unknown fault 'timout' (did you mean ...)").
  std::string choice(const std::string& what, const std::vector<std::string>& allowed) const {
    std::string s = text();
    if (!contains(allowed, s)) fail("unknown " + what + " " + quote(s) + suggestion(s, allowed));
    return s;
  }

  // The items of a list, named "name[i]". `null_is_empty`: an empty value is
  // an empty list (a section whose entries are all commented out).
  std::vector<Reader> items(bool null_is_empty = false) const {
    if (is_null() && null_is_empty) return {};
    if (is_null()) fail(name_ + " has no value");
    if (!node_.IsSequence()) fail(name_ + " must be a list, got " + kind_of(node_));
    std::vector<Reader> out;
    out.reserve(node_.size());
    std::size_t i = 0;
    for (const YAML::Node& item : node_) {
      const YAML::Mark m = item.Mark().is_null() || item.IsNull() ? mark() : item.Mark();
      out.emplace_back(name_ + "[" + std::to_string(i++) + "]", item, m);
    }
    return out;
  }

  // The text of a scalar, or a failure naming what was expected.
  std::string scalar(const char* expected) const {
    if (is_null()) fail(name_ + " has no value");
    if (!node_.IsScalar()) fail(name_ + " must be " + expected + ", got " + kind_of(node_));
    return node_.Scalar();
  }

  // The text of an unquoted, untagged scalar: numbers and booleans are
  // typed values, "300" in quotes is a string.
  std::string plain(const char* expected) const {
    std::string s = scalar(expected);
    const std::string& tag = node_.Tag();  // "?" plain, "!" quoted, else an explicit tag
    if (tag == "!") fail(name_ + " must be " + expected + ", not the quoted string " + quote(s));
    if (tag != "?") fail(name_ + " must be " + expected + ", not a value tagged " + quote(tag));
    return s;
  }

 private:
  std::string name_;
  YAML::Node node_;
  YAML::Mark key_mark_;
};

// ---------------------------------------------------------------------------
// MapReader: a YAML mapping as a list of named fields. Rejects non-mappings,
// non-text keys and duplicate keys (yaml-cpp keeps both and says nothing).

class MapReader {
 public:
  // `what` names the mapping in messages ("workspace"); "" for the top level.
  MapReader(const Reader& from, std::string what) : what_(std::move(what)), mark_(from.mark()) {
    if (from.is_null()) from.fail((what_.empty() ? from.name() : what_) + " has no value");
    if (!from.node().IsMap()) {
      from.fail((what_.empty() ? from.name() : what_) + " must be a mapping, got " + kind_of(from.node()));
    }
    std::map<std::string, YAML::Mark> first;
    for (const auto& pair : from.node()) {
      const YAML::Node& key = pair.first;
      const YAML::Mark key_mark = key.Mark().is_null() ? mark_ : key.Mark();
      if (!key.IsScalar()) fail_at(key_mark, "field names must be plain words" + in());
      const auto [it, inserted] = first.emplace(key.Scalar(), key_mark);
      if (!inserted) {
        fail_at(key_mark, "duplicate field " + quote(key.Scalar()) + in() + " (first at " +
                              pos_text(pos_of(it->second)) + ")");
      }
      fields_.emplace_back(key.Scalar(), pair.second, key_mark);
    }
  }

  const std::vector<Reader>& fields() const { return fields_; }
  YAML::Mark mark() const { return mark_; }

  // " in workspace", or "" at the top level.
  std::string in() const { return what_.empty() ? std::string() : " in " + what_; }

  // The fields of `m` in the format table: the first unknown field is an
  // error (with a suggestion), then the first missing required one.
  void check_fields(Mapping m) const {
    allow_only(field_names(m));
    require_fields(m);
  }

  void require_fields(Mapping m) const {
    for (const FieldDef& f : mapping_def(m).fields) {
      if (f.required) require(f.name);
    }
  }

  // The first field not in `allowed` is an error, with a suggestion.
  void allow_only(const std::vector<std::string>& allowed) const {
    for (const Reader& field : fields_) {
      if (contains(allowed, field.name())) continue;
      fail_at(field.key_mark(), "unknown field " + quote(field.name()) +
                                    (what_.empty() ? " at the top level" : in()) +
                                    hint(field.name(), allowed));
    }
  }

  std::optional<Reader> get(std::string_view key) const {
    for (const Reader& field : fields_) {
      if (field.name() == key) return field;
    }
    return std::nullopt;
  }

  Reader require(std::string_view key) const {
    return require(key, "missing required field " + quote(key) + in());
  }

  Reader require(std::string_view key, const std::string& message) const {
    if (auto field = get(key)) return *field;
    fail_at(mark_, message);
  }

 private:
  std::string what_;
  YAML::Mark mark_;
  std::vector<Reader> fields_;
};

// ---------------------------------------------------------------------------
// Declared names of one section: uniqueness and references.

class NameSet {
 public:
  explicit NameSet(std::string kind) : kind_(std::move(kind)) {}

  // `field` is the name's node; `scope` qualifies the message (" in vault 'kv'").
  void declare(const Reader& field, const std::string& name, const std::string& scope = "") {
    const auto [it, inserted] = first_.emplace(name, pos_of(field.mark()));
    if (!inserted) {
      field.fail("duplicate " + kind_ + " " + quote(name) + scope + " (first declared at " +
                 pos_text(it->second) + ")");
    }
    names_.push_back(name);
  }

  bool has(const std::string& name) const { return first_.count(name) > 0; }
  const std::vector<std::string>& names() const { return names_; }

  // "<owner> names unknown <kind> 'x' (did you mean 'y'?)" unless declared.
  void check_reference(const Reader& at, const std::string& name, const std::string& owner,
                       const std::string& kind) const {
    if (has(name)) return;
    at.fail(owner + " names unknown " + kind + " " + quote(name) + hint(name, names_));
  }

 private:
  std::string kind_;
  std::map<std::string, SourcePos> first_;
  std::vector<std::string> names_;
};

// ---------------------------------------------------------------------------
// Field lists and closed sets: from the format table (sim/scenario/format.h),
// the one source the JSON Schema and the reference are generated from too.
// Events take theirs from action_table().

const std::vector<std::string> kEventCommonFields = event_common_fields();
const int kMaxOverSeeds = static_cast<int>(*find_field(Mapping::kMetricExpectation, "over_seeds")->max);

// The names the results database writes (INTERFACE.md §3 metrics/states).
const std::vector<std::string> kMetricNames = metric_names();
const std::vector<std::string> kTimeMetricNames = time_metric_names();
const std::vector<std::string> kStateNames = state_names();
const std::vector<std::string> kFaults = fault_names();                       // D5
const std::vector<std::string> kDecisions = decision_names();                 // L1
const std::vector<std::string> kTimings = timing_names();                     // D7
const std::vector<std::string> kPermissionModels = permission_model_names();  // C7

// Every field some action takes, plus at/action/id.
std::vector<std::string> all_event_fields() {
  std::vector<std::string> out = kEventCommonFields;
  for (const ActionInfo& info : action_table()) {
    for (const auto* list : {&info.required, &info.optional}) {
      for (const char* f : *list) {
        if (!contains(out, f)) out.emplace_back(f);
      }
    }
  }
  return out;
}

std::vector<std::string> action_fields(const ActionInfo& info) {
  std::vector<std::string> out = kEventCommonFields;
  out.insert(out.end(), info.required.begin(), info.required.end());
  out.insert(out.end(), info.optional.begin(), info.optional.end());
  return out;
}

// ---------------------------------------------------------------------------
// Value parsers shared by declarations and events

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// The hour of day of an ISO 8601 time "YYYY-MM-DD[THH:MM[:SS[.f]](Z|±HH:MM)]",
// as written (the wall-clock label's own zone); nullopt when malformed.
std::optional<int> iso8601_hour(std::string_view s) {
  auto field = [&](std::size_t at, std::size_t n, int lo, int hi) -> std::optional<int> {
    if (at + n > s.size() || !is_digits(s.substr(at, n))) return std::nullopt;
    const int v = digits_value(s.substr(at, n));
    if (v < lo || v > hi) return std::nullopt;
    return v;
  };
  const auto year = field(0, 4, 0, 9999);
  const auto month = field(5, 2, 1, 12);
  if (!year || !month || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  const int days = *month == 2 && !leap ? 28 : kDays[*month - 1];
  if (!field(8, 2, 1, days)) return std::nullopt;
  if (s.size() == 10) return 0;
  const auto hour = field(11, 2, 0, 23);
  if (s[10] != 'T' || !hour || s.size() < 16 || s[13] != ':' || !field(14, 2, 0, 59)) return std::nullopt;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!field(i + 1, 2, 0, 59)) return std::nullopt;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      const std::size_t start = ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return std::nullopt;
    }
  }
  if (s.substr(i) == "Z") return hour;
  const bool offset = s.size() == i + 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
                      field(i + 1, 2, 0, 23) && field(i + 4, 2, 0, 59);
  return offset ? hour : std::nullopt;
}

// system_assigned | user_assigned:NAME | none
IdentitySpec read_identity_spec(const Reader& field) {
  const std::string s = field.text();
  const std::string prefix = "user_assigned:";
  if (s == "system_assigned") return {IdentitySpec::Kind::kSystemAssigned, ""};
  if (s == "none") return {IdentitySpec::Kind::kNone, ""};
  if (s.rfind(prefix, 0) == 0 && s.size() > prefix.size()) {
    return {IdentitySpec::Kind::kUserAssigned, s.substr(prefix.size())};
  }
  if (s == "user_assigned" || s == prefix) {
    field.fail("identity user_assigned needs the identity's name (write user_assigned:NAME)");
  }
  field.fail("unknown identity " + quote(s) + suggestion(s, identity_spec_forms()));
}

// A grant's identity: "cluster:NAME" or a user-assigned identity's name.
std::string read_grant_identity(const Reader& field) {
  std::string s = field.name_text();
  if (s == "cluster:") field.fail("identity cluster: needs the cluster's name (write cluster:NAME)");
  return s;
}

// A list of get | wrap | unwrap (C7).
std::uint8_t read_permissions(const Reader& field) {
  std::uint8_t bits = 0;
  for (const Reader& item : field.items()) {
    const std::string p = item.choice("permission", permission_names());
    bits = static_cast<std::uint8_t>(bits | (p == "get" ? kPermGet : p == "wrap" ? kPermWrap : kPermUnwrap));
  }
  return bits;
}

// {vault, key, version?}: syntax only; the caller checks what it names.
KeyRef read_key_ref(const MapReader& map) {
  map.check_fields(Mapping::kKeyRef);
  KeyRef ref;
  ref.vault = map.require("vault").name_text();
  ref.key = map.require("key").name_text();
  if (auto version = map.get("version")) {
    if (version->is_null()) version->fail("version has no value (write \"\" for auto-rotation)");
    ref.version = version->text();  // "" = auto-rotation (R1)
  }
  return ref;
}

// The hourly weights (D1): 24 numbers >= 0 with a positive sum, normalized
// to mean 1. Checks the list's shape before touching any element.
std::array<double, 24> read_daily_profile(const Reader& field) {
  const std::vector<Reader> items = field.items();
  if (items.size() != 24) {
    field.fail("daily_profile must have 24 hourly weights, got " + std::to_string(items.size()));
  }
  std::array<double, 24> weights{};
  double sum = 0;
  for (std::size_t h = 0; h < 24; ++h) {
    weights[h] = items[h].number();
    sum += weights[h];
  }
  if (!(sum > 0)) field.fail("daily_profile must have a positive sum");
  for (double& w : weights) w = w * 24 / sum;
  return weights;
}

// ---------------------------------------------------------------------------
// Loader: the sections, in dependency order.

class Loader {
 public:
  Scenario load(const Reader& root) {
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
    if (auto f = top.get("expect")) read_expectations(*f);
    return std::move(s_);
  }

 private:
  // Checked before unknown fields: a version-2 file's new fields are not typos.
  void read_version(const MapReader& top) {
    const Reader f = top.require("version", "missing required field 'version' (write version: 1)");
    const std::string v = f.scalar("1");
    if (v != "1") f.fail("unsupported version " + clip(v) + " (this cmksim reads version 1)");
    s_.version = 1;
  }

  void read_header(const MapReader& top) {
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
      const std::string t = f->choice("timing", kTimings);
      s_.timing = t == "worst" ? Timing::kWorst : t == "best" ? Timing::kBest : Timing::kSampled;
    }
  }

  // An `at` within [0, duration].
  TimeMs read_at(const Reader& f) const {
    const TimeMs at = f.duration();
    if (at > s_.duration_ms) {
      f.fail("'at' " + f.text() + " is after the end of the scenario (duration " +
             format_duration(s_.duration_ms) + ")");
    }
    return at;
  }

  // Each parameter is applied to a scratch copy of the named profile so a bad
  // name or value is reported where it is written; build_profile redoes this
  // for the run (possibly on another profile, then --set).
  void read_params(const Reader& section) {
    if (section.is_null()) return;
    const MapReader params(section, "params");
    Profile scratch = *profile_by_name(s_.profile);
    for (const Reader& f : params.fields()) {
      if (find_param(f.name()) == nullptr) {
        // set_param words it (with did-you-mean) unless the name is absurdly long.
        fail_at(f.key_mark(), f.name().size() > kMaxEcho ? "unknown parameter " + quote(f.name())
                                                         : set_param(scratch, f.name(), ""));
      }
      const std::string value = f.scalar("a single value");
      if (value.size() > kMaxEcho) f.fail(f.name() + ": value " + quote(value) + " is too long");
      const std::string error = set_param(scratch, f.name(), value);
      if (!error.empty()) f.fail(error);
      s_.params.push_back(ParamOverride{f.name(), value, pos_of(f.mark())});
    }
    const std::string inconsistent = check_profile(scratch);
    if (!inconsistent.empty()) fail_at(section.key_mark(), inconsistent);
  }

  void read_vaults(const Reader& section) {
    for (const Reader& item : section.items(true)) {
      const MapReader m(item, "key vault");
      m.check_fields(Mapping::kKeyVault);
      VaultDecl v;
      v.pos = pos_of(m.mark());
      const Reader name = m.require("name");
      v.name = name.name_text();
      vaults_.declare(name, v.name);
      if (auto f = m.get("region")) v.region = f->name_text();
      if (auto f = m.get("tenant")) v.tenant = f->name_text();
      if (auto f = m.get("subscription")) v.subscription = f->name_text();
      if (auto f = m.get("soft_delete")) v.soft_delete = f->boolean();
      if (auto f = m.get("purge_protection")) v.purge_protection = f->boolean();
      if (auto f = m.get("permission_model")) {
        v.permission_model = f->choice("permission_model", kPermissionModels) == "rbac"
                                 ? PermissionModel::kRbac : PermissionModel::kAccessPolicy;
      }
      if (auto f = m.get("private_link")) v.private_link = f->boolean();
      if (auto f = m.get("keys")) {
        NameSet keys("key name");
        for (const Reader& k : f->items(true)) v.keys.push_back(read_key(k, keys, v.name));
      }
      s_.key_vaults.push_back(std::move(v));
    }
    for (const VaultDecl& v : s_.key_vaults) {
      subjects_.insert(v.name);
      for (const KeyDecl& k : v.keys) {
        keys_[{v.name, k.name}] = &k;
        subjects_.insert(v.name + "/" + k.name);
      }
    }
  }

  KeyDecl read_key(const Reader& item, NameSet& keys, const std::string& vault) {
    const MapReader m(item, "key");
    m.check_fields(Mapping::kKey);
    KeyDecl k;
    k.pos = pos_of(m.mark());
    const Reader name = m.require("name");
    k.name = name.name_text();
    keys.declare(name, k.name, " in vault " + quote(vault));
    k.versions = {"v1"};
    if (auto f = m.get("versions")) {
      k.versions.clear();
      NameSet versions("version");
      for (const Reader& v : f->items()) {
        k.versions.push_back(v.name_text());
        versions.declare(v, k.versions.back(), " of key " + quote(k.name));
      }
      if (k.versions.empty()) f->fail("key " + quote(k.name) + " must have at least one version");
    }
    return k;
  }

  void read_identities(const Reader& section) {
    for (const Reader& item : section.items(true)) {
      const MapReader m(item, "identity");
      m.check_fields(Mapping::kIdentity);
      IdentityDecl id;
      id.pos = pos_of(m.mark());
      const Reader name = m.require("name");
      id.name = name.name_text();
      identities_.declare(name, id.name);
      if (auto f = m.get("tenant")) id.tenant = f->name_text();
      s_.identities.push_back(std::move(id));
    }
  }

  void read_clusters(const Reader& section) {
    for (const Reader& item : section.items(true)) {
      const MapReader m(item, "cluster");
      m.check_fields(Mapping::kCluster);
      ClusterDecl c;
      c.pos = pos_of(m.mark());
      const Reader name = m.require("name");
      c.name = name.name_text();
      clusters_.declare(name, c.name);
      const std::string owner = "cluster " + quote(c.name);
      if (auto f = m.get("region")) c.region = f->name_text();
      if (auto f = m.get("subscription")) c.subscription = f->name_text();
      if (auto f = m.get("tenant")) c.tenant = f->name_text();
      if (auto f = m.get("identity")) {
        c.identity = read_identity_spec(*f);
        if (c.identity.kind == IdentitySpec::Kind::kUserAssigned) {
          identities_.check_reference(*f, c.identity.user_assigned, owner, "identity");
        }
      }
      if (auto f = m.get("capacity_gb_per_day")) c.capacity_gb_per_day = f->number();  // C1 ranges: the model
      if (auto f = m.get("double_encryption")) c.double_encryption = f->boolean();    // K4
      if (auto f = m.get("key")) c.key = read_cluster_key(*f, owner);
      if (auto f = m.get("key_since")) {
        c.key_since_ms = f->duration();  // K2
        if (!c.key) f->fail("key_since needs a key on cluster " + quote(c.name));
      }
      subjects_.insert(c.name);
      s_.clusters.push_back(std::move(c));
    }
  }

  // A declared cluster's key must exist at the start: vault, key and (unless
  // "" = auto-rotation, R1) version.
  KeyRef read_cluster_key(const Reader& field, const std::string& owner) {
    const MapReader m(field, "key reference");
    KeyRef ref = read_key_ref(m);
    vaults_.check_reference(m.require("vault"), ref.vault, owner, "vault");
    const auto key = keys_.find({ref.vault, ref.key});
    if (key == keys_.end()) {
      std::vector<std::string> key_names;
      for (const auto& [vault_key, decl] : keys_) {
        if (vault_key.first == ref.vault) key_names.push_back(decl->name);
      }
      m.require("key").fail(owner + " names unknown key " + quote(ref.key) + " in vault " + quote(ref.vault) +
                            hint(ref.key, key_names));
    }
    const std::vector<std::string>& versions = key->second->versions;
    if (!ref.version.empty() && !contains(versions, ref.version)) {
      m.require("version").fail(owner + " names unknown version " + quote(ref.version) + " of key " +
                                quote(ref.vault + "/" + ref.key) + hint(ref.version, versions));
    }
    return ref;
  }

  void read_grants(const Reader& section) {
    for (const Reader& item : section.items(true)) {
      const MapReader m(item, "grant");
      m.check_fields(Mapping::kGrant);
      GrantDecl g;
      g.pos = pos_of(m.mark());
      const Reader identity = m.require("identity");
      g.identity = read_grant_identity(identity);
      check_grant_identity(identity, g.identity);
      const Reader vault = m.require("vault");
      g.vault = vault.name_text();
      vaults_.check_reference(vault, g.vault, "grant", "vault");
      if (auto f = m.get("permissions")) g.permissions = read_permissions(*f);
      s_.grants.push_back(std::move(g));
    }
  }

  // "cluster:NAME" names a declared cluster, anything else a declared
  // user-assigned identity.
  void check_grant_identity(const Reader& field, const std::string& identity) const {
    const std::string prefix = "cluster:";
    if (identity.rfind(prefix, 0) == 0) {
      clusters_.check_reference(field, identity.substr(prefix.size()), "grant", "cluster");
      return;
    }
    if (identities_.has(identity)) return;
    std::vector<std::string> candidates = identities_.names();
    for (const std::string& c : clusters_.names()) candidates.push_back(prefix + c);
    field.fail("grant names unknown identity " + quote(identity) + hint(identity, candidates));
  }

  void read_workspaces(const Reader& section) {
    for (const Reader& item : section.items(true)) {
      const MapReader m(item, "workspace");
      m.check_fields(Mapping::kWorkspace);
      WorkspaceDecl w;
      w.pos = pos_of(m.mark());
      const Reader name = m.require("name");
      w.name = name.name_text();
      workspaces_.declare(name, w.name);
      if (auto f = m.get("region")) w.region = f->name_text();
      if (auto f = m.get("tenant")) w.tenant = f->name_text();
      if (auto f = m.get("subscription")) w.subscription = f->name_text();
      if (auto f = m.get("cluster")) {
        w.cluster = f->name_text();
        clusters_.check_reference(*f, w.cluster, "workspace " + quote(w.name), "cluster");
      }
      if (auto f = m.get("ingest_gb_per_day")) w.ingest_gb_per_day = f->number();  // D1
      if (auto f = m.get("daily_profile")) w.daily_profile = read_daily_profile(*f);
      if (auto f = m.get("retention")) {
        w.retention_ms = f->duration();  // D9
        if (w.retention_ms <= 0) f->fail("retention must be > 0");
      }
      if (auto f = m.get("existing_data")) w.existing_data_ms = f->duration();
      if (auto f = m.get("queries_per_hour")) w.queries_per_hour = f->number();
      if (auto f = m.get("query_range")) w.query_range_ms = f->duration();
      subjects_.insert(w.name);
      s_.workspaces.push_back(std::move(w));
    }
  }

  void read_events(const Reader& section) {
    const std::vector<std::string> every_field = all_event_fields();
    for (const Reader& item : section.items(true)) s_.events.push_back(read_event(item, every_field));
  }

  // Field checks come before values: a typo'd field name is a better message
  // than the "missing required field" it causes.
  EventDecl read_event(const Reader& item, const std::vector<std::string>& every_field) {
    const MapReader m(item, "event");
    const ActionInfo* info = nullptr;
    if (auto f = m.get("action"); f && f->node().IsScalar()) {
      if (const auto a = action_from_name(f->node().Scalar())) info = &action_info(*a);
    }
    for (const Reader& f : m.fields()) {
      if (contains(every_field, f.name())) continue;
      fail_at(f.key_mark(), "unknown field " + quote(f.name()) + " in event" +
                                hint(f.name(), info ? action_fields(*info) : every_field));
    }
    const Reader action = m.require("action");
    const std::string action_name = action.choice("action", action_names());
    info = &action_info(*action_from_name(action_name));
    const std::vector<std::string> allowed = action_fields(*info);
    for (const Reader& f : m.fields()) {
      if (!contains(allowed, f.name())) {
        fail_at(f.key_mark(), "field " + quote(f.name()) + " does not belong to action " + quote(action_name));
      }
    }
    m.require_fields(Mapping::kEvent);
    EventDecl e;
    e.action = info->action;
    e.pos = pos_of(m.mark());
    e.at_ms = read_at(m.require("at"));
    for (const char* required : info->required) {
      m.require(required, "missing required field " + quote(required) + " for action " + quote(action_name));
    }
    if (auto f = m.get("id")) {
      e.id = f->name_text();
      event_ids_.declare(*f, e.id);
    }
    for (const Reader& f : m.fields()) read_event_field(f, e);
    if (e.action == Action::kCreateCluster) subjects_.insert(e.cluster);
    return e;
  }

  // One field of an event: types only. The names it holds are resolved when
  // the event runs (an earlier event may create them).
  static void read_event_field(const Reader& f, EventDecl& e) {
    static const std::map<std::string, std::string EventDecl::*> kNames = {
        {"vault", &EventDecl::vault}, {"cluster", &EventDecl::cluster},
        {"workspace", &EventDecl::workspace}, {"region", &EventDecl::region},
        {"subscription", &EventDecl::subscription}, {"tenant", &EventDecl::tenant},
        {"storage_account", &EventDecl::storage_account}};
    const std::string& n = f.name();
    const auto named = kNames.find(n);
    if (named != kNames.end()) {
      e.*(named->second) = f.name_text();
    } else if (n == "key" && e.action == Action::kCreateCluster) {
      e.key_ref = read_key_ref(MapReader(f, "key reference"));
    } else if (n == "key") {
      e.key = f.name_text();
    } else if (n == "version") {
      e.version = e.action == Action::kUpdateClusterKey ? f.text() : f.name_text();  // "" = R1
    } else if (n == "identity" && (e.action == Action::kSetIdentity || e.action == Action::kCreateCluster)) {
      read_identity_spec(f);
      e.identity = f.text();
    } else if (n == "identity") {
      e.identity = read_grant_identity(f);
    } else if (n == "permissions") {
      e.permissions = read_permissions(f);
    } else if (n == "for") {
      e.for_ms = f.duration();
    } else if (n == "range") {
      e.range_ms = f.duration();
    } else if (n == "fault") {
      e.fault = f.choice("fault", kFaults);
    } else if (n == "decision") {
      e.decision = f.choice("decision", kDecisions);
    } else if (n == "capacity_gb_per_day") {
      e.capacity_gb_per_day = f.number();
    } else if (n == "gb_per_day") {
      e.gb_per_day = f.number();
    } else if (n == "double_encryption") {
      e.double_encryption = f.boolean();
    }
    // at, action, id: read by read_event.
  }

  void read_expectations(const Reader& section) {
    for (const Reader& item : section.items(true)) s_.expectations.push_back(read_expectation(item));
  }

  ExpectationDecl read_expectation(const Reader& item) {
    const MapReader m(item, "expectation");
    m.allow_only(expectation_field_names());
    const int kinds = (m.get("metric") ? 1 : 0) + (m.get("state") ? 1 : 0) + (m.get("operation") ? 1 : 0);
    if (kinds != 1) {
      fail_at(m.mark(), kinds == 0 ? "an expectation needs 'metric', 'state' or 'operation'"
                                   : "an expectation has only one of 'metric', 'state' or 'operation'");
    }
    ExpectationDecl x;
    x.pos = pos_of(m.mark());
    if (m.get("metric")) {
      only_fields(m, Mapping::kMetricExpectation, "a metric expectation");
      read_metric_expectation(m, x);
    } else if (m.get("state")) {
      only_fields(m, Mapping::kStateExpectation, "a state expectation");
      read_state_expectation(m, x);
    } else {
      only_fields(m, Mapping::kOperationExpectation, "an operation expectation");
      read_operation_expectation(m, x);
    }
    if (const auto n = m.get("over_seeds")) x.over_seeds = read_over_seeds(*n);
    if (x.over_seeds > 1) x.text += " over " + std::to_string(x.over_seeds) + " seeds";
    return x;
  }

  static void only_fields(const MapReader& m, Mapping expectation, const std::string& kind) {
    const std::vector<std::string> allowed = field_names(expectation);
    for (const Reader& f : m.fields()) {
      if (!contains(allowed, f.name())) {
        fail_at(f.key_mark(), "field " + quote(f.name()) + " does not belong to " + kind);
      }
    }
    m.require_fields(expectation);
  }

  void read_metric_expectation(const MapReader& m, ExpectationDecl& x) {
    x.kind = ExpectationDecl::Kind::kMetric;
    x.metric = m.require("metric").choice("metric", kMetricNames);
    x.subject = read_subject(m.require("subject"));
    x.text = "metric " + x.metric + " of " + x.subject;
    const auto min = m.get("min");
    const auto max = m.get("max");
    if (!min && !max) fail_at(m.mark(), "a metric expectation needs 'min' or 'max'");
    if (min) {
      x.min = read_bound(*min, x.metric);
      x.text += " >= " + min->text();
    }
    if (max) {
      x.max = read_bound(*max, x.metric);
      x.text += std::string(min ? " and" : "") + " <= " + max->text();
    }
    const auto seconds = [](const Bound& b) { return b.is_duration ? b.value / 1000 : b.value; };
    if (x.min && x.max && seconds(*x.min) > seconds(*x.max)) {
      min->fail("min " + min->text() + " is above max " + max->text());
    }
  }

  // An integer in [1, kMaxOverSeeds].
  static int read_over_seeds(const Reader& f) {
    const std::string s = f.plain("an integer from 1 to 100000");
    const bool digits = !s.empty() && s.size() <= 6 &&
                        std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int n = digits ? std::stoi(s) : 0;
    if (n < 1 || n > kMaxOverSeeds) {
      double v = 0;
      bool in_range = false;
      const bool numeric = parse_decimal(s, v, in_range);
      f.fail("over_seeds must be an integer from 1 to " + std::to_string(kMaxOverSeeds) + ", got " +
             (numeric ? clip(s) : quote(s)));
    }
    return n;
  }

  void read_state_expectation(const MapReader& m, ExpectationDecl& x) {
    x.kind = ExpectationDecl::Kind::kState;
    x.state = m.require("state").choice("state", kStateNames);
    x.subject = read_subject(m.require("subject"));
    const Reader at = m.require("at");
    x.at_ms = read_at(at);
    x.text = "state of " + x.subject + " at " + at.text() + " is " + x.state;
  }

  void read_operation_expectation(const MapReader& m, ExpectationDecl& x) {
    x.kind = ExpectationDecl::Kind::kOperation;
    const Reader op = m.require("operation");
    x.operation = op.name_text();
    if (!event_ids_.has(x.operation)) {
      op.fail("unknown operation " + quote(x.operation) + " (no event has this id)" +
              hint(x.operation, event_ids_.names()));
    }
    const Reader status = m.require("status");
    const std::uint64_t code = status.integer();
    if (code < 100 || code > 599) {
      status.fail("status must be an HTTP status code (100 to 599), got " + std::to_string(code));
    }
    x.status = static_cast<int>(code);
    x.text = "operation " + x.operation + " returns " + std::to_string(x.status);
  }

  // A number or a duration (kept in ms); a duration only for the metrics
  // measured in seconds.
  static Bound read_bound(const Reader& f, const std::string& metric) {
    const std::string s = f.scalar("a number or a duration");
    double v = 0;
    bool in_range = false;
    if (f.node().Tag() == "?" && parse_decimal(s, v, in_range)) return Bound{f.checked_number(s), false};
    const DurationParse d = parse_duration(s);
    if (!d.value) f.fail(f.name() + " must be a number or a duration, got " + quote(s));
    if (!contains(kTimeMetricNames, metric)) {
      f.fail(f.name() + " of " + metric + " must be a number (a duration bounds only " + one_of(kTimeMetricNames) +
             "), got " + quote(s));
    }
    return Bound{static_cast<double>(*d.value), true};
  }

  // A declared vault, key ("vault/key"), cluster or workspace, or a cluster
  // an event creates.
  std::string read_subject(const Reader& f) const {
    const std::string s = f.name_text();
    if (subjects_.count(s) == 0) {
      const std::vector<std::string> known(subjects_.begin(), subjects_.end());
      f.fail("unknown subject " + quote(s) + hint(s, known));
    }
    return s;
  }

  Scenario s_;
  NameSet vaults_{"key vault name"};
  NameSet identities_{"identity name"};
  NameSet clusters_{"cluster name"};
  NameSet workspaces_{"workspace name"};
  NameSet event_ids_{"event id"};
  // Lookups by name, so no check scans a section (a 16 MiB file may hold
  // 10^5 entries). Filled once the section they index is complete.
  std::map<std::pair<std::string, std::string>, const KeyDecl*> keys_;  // (vault, key)
  std::set<std::string> subjects_;  // what an expectation may name
};

// ---------------------------------------------------------------------------
// Raw text screening and parsing

struct TextProblem {
  SourcePos pos;
  std::string message;
};

// Control bytes (NUL included) and invalid UTF-8 are refused before yaml-cpp
// sees them: it would read them as text and fail somewhere less clear.
std::optional<TextProblem> screen_text(std::string_view text) {
  int line = 1;
  int column = 1;
  char hex[8];
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    if (c == '\n') {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
      std::snprintf(hex, sizeof hex, "0x%02x", c);
      return TextProblem{{line, column}, std::string("control character ") + hex +
                                             " in the scenario (is it a binary file?)"};
    }
    if (c >= 0x80) {
      // Lead byte, then continuation bytes; no overlongs, surrogates or > U+10FFFF.
      unsigned lo = 0x80, hi = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) length = 2;
      else if (c >= 0xe0 && c <= 0xef) { length = 3; if (c == 0xe0) lo = 0xa0; if (c == 0xed) hi = 0x9f; }
      else if (c >= 0xf0 && c <= 0xf4) { length = 4; if (c == 0xf0) lo = 0x90; if (c == 0xf4) hi = 0x8f; }
      else length = 0;
      bool ok = length != 0 && i + length <= text.size();
      for (std::size_t k = 1; ok && k < length; ++k) {
        const auto cc = static_cast<unsigned char>(text[i + k]);
        ok = k == 1 ? (cc >= lo && cc <= hi) : (cc >= 0x80 && cc <= 0xbf);
      }
      if (!ok) {
        std::snprintf(hex, sizeof hex, "0x%02x", c);
        return TextProblem{{line, column}, std::string("invalid UTF-8 byte ") + hex +
                                               " (the scenario must be UTF-8 text)"};
      }
    }
    i += length;
    column += static_cast<int>(length);  // columns count bytes, as yaml-cpp's marks do
  }
  return std::nullopt;
}

// True when the text holds nothing but blank lines, comments and document markers.
bool only_comments(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t\r\xef\xbb\xbf");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::string rest = line.substr(first, 3);
    const bool marker = rest == "---" || rest == "...";
    if (marker && line.find_first_not_of(" \t\r", first + 3) == std::string::npos) continue;
    return false;
  }
  return true;
}

// Records where each document starts, to point at a second one.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

YAML::Mark second_document_start(std::string_view text) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  DocumentStarts starts;
  while (starts.starts.size() < 2 && parser.HandleNextDocument(starts)) {
  }
  return starts.starts.size() >= 2 ? starts.starts[1] : YAML::Mark::null_mark();
}

// The length of the valid UTF-8 sequence at s[i], or 0 (no overlongs,
// surrogates or code points past U+10FFFF, as screen_text).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  unsigned lo = 0x80, hi = 0xbf;
  std::size_t n = 0;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) { n = 3; if (c == 0xe0) lo = 0xa0; if (c == 0xed) hi = 0x9f; }
  else if (c >= 0xf0 && c <= 0xf4) { n = 4; if (c == 0xf0) lo = 0x90; if (c == 0xf4) hi = 0x8f; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (cc < lo || cc > hi) : (cc < 0x80 || cc > 0xbf)) return 0;
  }
  return n;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// A message on one line and valid UTF-8: control characters that YAML
// escapes can put in echoed text ("a\nb" in double quotes), and any byte
// that is not UTF-8, are written as escapes.
std::string one_line(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  char hex[8];
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const std::size_t n = utf8_sequence(message, i);
      if (n == 0) {
        std::snprintf(hex, sizeof hex, "\\x%02x", u);
        out += hex;
      } else {
        out.append(message.substr(i, n));
        i += n - 1;
      }
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

LoadResult failure(const std::string& file, SourcePos pos, std::string message) {
  LoadResult result;
  result.error = LoadError{file, pos.line, pos.column, one_line(message)};
  return result;
}

SourcePos pos_or_start(const YAML::Mark& mark) {
  const SourcePos p = pos_of(mark);
  return p.line > 0 ? p : SourcePos{1, 1};
}

// ---------------------------------------------------------------------------
// Limits (LoadLimits). First on yaml-cpp's event stream, before any node is
// built, so a hostile file costs one parse: nesting deeper than max_depth
// (counting what an alias brings in), aliases adding more than
// max_alias_nodes nodes once expanded (an alias bomb), an alias inside the
// collection it names, and a document that does not advance (yaml-cpp 0.7
// loops forever, allocating, on a ',' outside a flow collection:
// jbeder/yaml-cpp#1040). The scan stops at a second document. Then on the
// node graph, before any section is read: the number of events and the
// simulated time.

std::string bytes_text(std::size_t n) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  return n % kMiB == 0 && n > 0 ? std::to_string(n / kMiB) + " MiB" : std::to_string(n) + " bytes";
}

std::string years_text(DurationMs d) {
  if (d % kMsPerLimitYear != 0) return format_duration(d);
  const DurationMs years = d / kMsPerLimitYear;
  return std::to_string(years) + (years == 1 ? " year" : " years");
}

class LimitScan : public YAML::EventHandler {
 public:
  LimitScan(std::string_view text, const LoadLimits& limits) : text_(text), limits_(limits) {}

  std::size_t documents = 0;
  YAML::Mark second_start = YAML::Mark::null_mark();

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents > 0 && mark.pos == last_start_.pos) {
      const std::size_t at = static_cast<std::size_t>(std::max(mark.pos, 0));
      const std::string token = at < text_.size() ? quote(text_.substr(at, 1)) : std::string("end of file");
      fail_at(mark, "invalid YAML: unexpected " + token);
    }
    if (++documents == 2) second_start = mark;
    last_start_ = mark;
    open_.clear();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // The text is UTF-8 (screen_text), but yaml-cpp 0.7 decodes the escapes
    // \N and \_ to the single bytes 0x85 and 0xa0: nothing invalid goes on.
    if (!valid_utf8(value) || !valid_utf8(tag)) {
      fail_at(mark, "this string is not valid UTF-8 once its escapes are decoded "
                    "(write \\N as \\u0085 and \\_ as \\u00a0)");
    }
    leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const Anchored a = anchor < anchors_.size() ? anchors_[anchor] : Anchored{1, 0, false};
    if (a.open) fail_at(mark, "a YAML alias refers to the collection that contains it");
    aliased_ += a.nodes;
    if (aliased_ > limits_.max_alias_nodes) {
      fail_at(mark, "YAML aliases expand the scenario by more than " + std::to_string(limits_.max_alias_nodes) +
                        " nodes (an alias bomb?)");
    }
    if (open_.size() + a.height > static_cast<std::size_t>(limits_.max_depth)) too_deep(mark);
    child_height(a.height);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

 private:
  struct Anchored {
    std::size_t nodes = 1;  // expanded
    std::size_t height = 0;  // collections nested in it, itself included
    bool open = false;
  };
  struct Open {
    YAML::anchor_t anchor;
    std::size_t nodes_before;
    std::size_t height;
  };

  [[noreturn]] void too_deep(const YAML::Mark& mark) const {
    fail_at(mark, "the YAML is nested too deeply (depth limit " + std::to_string(limits_.max_depth) + " reached)");
  }
  void remember(YAML::anchor_t anchor, Anchored a) {
    if (anchor == 0) return;
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1);
    anchors_[anchor] = a;
  }
  void child_height(std::size_t height) {
    if (!open_.empty()) open_.back().height = std::max(open_.back().height, height + 1);
  }
  void leaf(const YAML::Mark&, YAML::anchor_t anchor) {
    ++nodes_;
    remember(anchor, Anchored{1, 0, false});
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (open_.size() >= static_cast<std::size_t>(limits_.max_depth)) too_deep(mark);
    open_.push_back(Open{anchor, nodes_ + aliased_, 1});
    ++nodes_;
    remember(anchor, Anchored{1, 0, true});
  }
  void close() {
    if (open_.empty()) return;
    const Open done = open_.back();
    open_.pop_back();
    remember(done.anchor, Anchored{nodes_ + aliased_ - done.nodes_before, done.height, false});
    child_height(done.height);
  }

  std::string_view text_;
  const LoadLimits& limits_;
  YAML::Mark last_start_ = YAML::Mark::null_mark();
  std::vector<Open> open_;
  std::vector<Anchored> anchors_;  // by anchor id (from 1)
  std::size_t nodes_ = 0;          // as written
  std::size_t aliased_ = 0;        // added by aliases
};

// Returns the scan; throws a Failure at the first limit broken.
LimitScan scan_limits(std::string_view text, const LoadLimits& limits) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  LimitScan scan(text, limits);
  while (scan.documents < 2 && parser.HandleNextDocument(scan)) {
  }
  return scan;
}

void check_node_limits(const YAML::Node& root, const LoadLimits& limits) {
  for (const auto& pair : root) {
    if (!pair.first.IsScalar()) continue;
    const std::string& key = pair.first.Scalar();
    const YAML::Node& value = pair.second;
    if (key == "events" && value.IsSequence() && value.size() > limits.max_events) {
      std::size_t i = 0;
      for (const YAML::Node& item : value) {
        if (i++ < limits.max_events) continue;
        fail_at(item.Mark().is_null() ? value.Mark() : item.Mark(),
                "more than " + std::to_string(limits.max_events) + (limits.max_events == 1 ? " event" : " events") +
                    " (the limit; --max-events raises it)");
      }
    }
    if (key == "duration" && value.IsScalar()) {
      const DurationParse d = parse_duration(value.Scalar());
      if (d.value && *d.value > limits.max_duration) {
        fail_at(value.Mark(), "duration " + clip(value.Scalar()) + " is longer than the limit of " +
                                  years_text(limits.max_duration) + " (--max-years raises it)");
      }
    }
  }
}

LoadResult parse_and_load(std::string_view text, const std::string& label, const LoadLimits& limits) {
  const LimitScan scan = scan_limits(text, limits);
  if (scan.documents == 0 || only_comments(text)) return failure(label, {1, 1}, "the scenario file is empty");
  if (scan.documents > 1) {
    return failure(label, pos_or_start(scan.second_start),
                   "the scenario file holds more than one YAML document (one scenario per file)");
  }
  std::istringstream in{std::string(text)};
  const std::vector<YAML::Node> documents = YAML::LoadAll(in);
  if (documents.empty() || (documents[0].IsNull() && only_comments(text))) {
    return failure(label, {1, 1}, "the scenario file is empty");
  }
  if (documents.size() > 1) {
    return failure(label, pos_or_start(second_document_start(text)),
                   "the scenario file holds more than one YAML document (one scenario per file)");
  }
  const YAML::Node& root = documents[0];
  if (!root.IsMap()) {
    return failure(label, pos_or_start(root.Mark()),
                   std::string("the scenario must be a YAML mapping (version: 1, name: ..., duration: ...), ") +
                       "got " + kind_of(root));
  }
  check_node_limits(root, limits);
  Loader loader;
  Scenario scenario = loader.load(Reader("scenario", root, root.Mark()));
  scenario.file = label;
  scenario.source_sha256 = sha256_hex(text);
  LoadResult result;
  result.scenario = std::move(scenario);
  return result;
}

}  // namespace

LoadResult load_scenario_text(std::string_view text, const std::string& file_label) {
  return load_scenario_text(text, file_label, LoadLimits{});
}

LoadResult load_scenario_text(std::string_view text, const std::string& file_label, const LoadLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return failure(file_label, {}, "the scenario file is too large (" + std::to_string(text.size()) +
                                       " bytes; the limit is " + bytes_text(limits.max_bytes) + ")");
  }
  if (const auto problem = screen_text(text)) return failure(file_label, problem->pos, problem->message);
  try {
    return parse_and_load(text, file_label, limits);
  } catch (const Failure& f) {
    return failure(file_label, pos_or_start(f.mark), f.message);
  } catch (const YAML::DeepRecursion& e) {
    return failure(file_label, pos_or_start(e.mark),
                   "the YAML is nested too deeply (depth limit " + std::to_string(e.depth()) + " reached)");
  } catch (const YAML::Exception& e) {  // ParserException and the rest: e.msg has no position
    return failure(file_label, pos_or_start(e.mark), "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    return failure(file_label, {}, std::string("cannot read the scenario: ") + e.what());
  }
}

LoadResult load_scenario_file(const std::string& path) { return load_scenario_file(path, LoadLimits{}); }

LoadResult load_scenario_file(const std::string& path, const LoadLimits& limits) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return failure(path, {}, "cannot read the scenario file: it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return failure(path, {}, std::string("cannot read the scenario file: ") +
                                 (err != 0 ? std::strerror(err) : "unknown error"));
  }
  // Read at most one byte past the limit, whatever the file claims to be.
  std::string bytes;
  char buffer[65536];
  while (bytes.size() <= limits.max_bytes && in) {
    in.read(buffer, sizeof buffer);
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return failure(path, {}, "cannot read the scenario file: read error");
  if (bytes.size() > limits.max_bytes) {
    return failure(path, {}, "the scenario file is too large (over " + bytes_text(limits.max_bytes) + ")");
  }
  return load_scenario_text(bytes, path, limits);
}

const std::vector<std::string>& limit_options() {
  static const std::vector<std::string> options = {"--max-events", "--max-years"};
  return options;
}

std::optional<std::string> apply_limit_option(LoadLimits& limits, const std::string& option,
                                              const std::string& value) {
  const bool digits = !value.empty() && value.size() <= 18 &&
                      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  const long long n = digits ? std::stoll(value) : -1;
  if (option == "--max-events") {
    if (n < 0) return "--max-events expects a whole number of events, got " + quote(value);
    limits.max_events = static_cast<std::size_t>(n);
    return std::string();
  }
  if (option == "--max-years") {
    if (n < 1 || n > 1000) return "--max-years expects a whole number of years from 1 to 1000, got " + quote(value);
    limits.max_duration = n * kMsPerLimitYear;
    return std::string();
  }
  return std::nullopt;
}

namespace {
std::optional<LoadError> build_profile_unescaped(const Scenario& scenario,
                                                 const std::vector<std::pair<std::string, std::string>>& cli_sets,
                                                 const std::string& profile_override, Profile& out);
}  // namespace

std::optional<LoadError> build_profile(const Scenario& scenario,
                                       const std::vector<std::pair<std::string, std::string>>& cli_sets,
                                       const std::string& profile_override, Profile& out) {
  std::optional<LoadError> error = build_profile_unescaped(scenario, cli_sets, profile_override, out);
  if (error) error->message = one_line(error->message);  // one message, one line
  return error;
}

namespace {
std::optional<LoadError> build_profile_unescaped(const Scenario& scenario,
                                                 const std::vector<std::pair<std::string, std::string>>& cli_sets,
                                                 const std::string& profile_override, Profile& out) {
  // --profile NAME or --profile FILE (P1: profiles are data)
  const std::string name = profile_override.empty() ? scenario.profile : profile_override;
  ProfileLoad resolved = resolve_profile(name);
  if (resolved.error) {
    if (profile_override.empty()) return LoadError{scenario.file, 0, 0, resolved.error->message};
    if (resolved.error->file.empty()) return LoadError{"", 0, 0, "--profile: " + resolved.error->message};
    return resolved.error;
  }
  std::optional<Profile>& profile = resolved.profile;
  for (const ParamOverride& p : scenario.params) {
    const std::string error = set_param(*profile, p.name, p.value);
    if (!error.empty()) return LoadError{scenario.file, p.pos.line, p.pos.column, error};
  }
  for (const auto& [param, value] : cli_sets) {
    std::string error = set_param(*profile, param, value);
    if (error.empty()) continue;
    const std::string prefix = param + ": ";  // set_param's own "name: why"
    if (error.rfind(prefix, 0) == 0) error.erase(0, prefix.size());
    return LoadError{"", 0, 0, "--set " + param + ": " + error};
  }
  const std::string inconsistent = check_profile(*profile);
  if (!inconsistent.empty()) return LoadError{scenario.file, 0, 0, inconsistent};
  out = std::move(*profile);
  return std::nullopt;
}
}  // namespace

}  // namespace cmksim
