#include "sim/io/yaml_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include "sim/io/message_text.h"
#include "sim/scenario/duration.h"

namespace cmksim::load {

void fail_at(const YAML::Mark& mark, std::string message) { throw ReadFailure{mark, std::move(message)}; }

SourcePos pos_of(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

SourcePos pos_or_start(const YAML::Mark& mark) {
  const SourcePos p = pos_of(mark);
  return p.line > 0 ? p : SourcePos{1, 1};
}

std::string pos_text(SourcePos p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

const char* kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Scalar: return "a scalar";
    default: return "nothing";
  }
}

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
// Reader

YAML::Mark Reader::mark() const {
  const YAML::Mark m = node_.Mark();
  return is_null() || m.is_null() ? key_mark_ : m;
}

void Reader::fail(std::string message) const { fail_at(mark(), std::move(message)); }

std::string Reader::text() const { return scalar("a string"); }

std::string Reader::name_text() const {
  std::string s = text();
  if (s.empty()) fail(name_ + " must not be empty");
  return s;
}

double Reader::number() const {
  const std::string s = plain("a number");
  return checked_number(s);
}

double Reader::checked_number(const std::string& s) const {
  double v = 0;
  bool in_range = false;
  if (!parse_decimal(s, v, in_range)) fail(name_ + " must be a number, got " + quote(s));
  if (!in_range || !std::isfinite(v)) fail(name_ + " must be a finite number, got " + clip(s));
  if (v < 0) fail(name_ + " must be >= 0, got " + clip(s));
  if (v > kMaxNumber) fail(name_ + " must be at most 1e15, got " + clip(s));
  return v;
}

bool Reader::boolean() const {
  const std::string s = plain("true or false");
  if (s != "true" && s != "false") fail(name_ + " must be true or false, got " + quote(s));
  return s == "true";
}

std::uint64_t Reader::integer() const {
  const std::string s = plain("a non-negative integer");
  std::uint64_t v = 0;
  const bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  const auto result = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!digits) fail(name_ + " must be a non-negative integer, got " + quote(s));
  if (result.ec != std::errc()) fail(name_ + " is too large, got " + clip(s));
  return v;
}

DurationMs Reader::duration() const {
  const std::string s = text();
  if (s.size() > kMaxEcho) fail(name_ + ": duration " + quote(s) + " is too long");
  const Expected<DurationMs> d = parse_duration(s);
  if (!d) fail(name_ + ": " + d.error().message);
  return *d;
}

std::string Reader::choice(const std::string& what, const std::vector<std::string>& allowed) const {
  std::string s = text();
  if (!contains(allowed, s)) fail("unknown " + what + " " + quote(s) + suggestion(s, allowed));
  return s;
}

std::vector<Reader> Reader::items(bool null_is_empty) const {
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

std::string Reader::scalar(const char* expected) const {
  if (is_null()) fail(name_ + " has no value");
  if (!node_.IsScalar()) fail(name_ + " must be " + expected + ", got " + kind_of(node_));
  return node_.Scalar();
}

std::string Reader::plain(const char* expected) const {
  std::string s = scalar(expected);
  const std::string& tag = node_.Tag();  // "?" plain, "!" quoted, else an explicit tag
  if (tag == "!") fail(name_ + " must be " + expected + ", not the quoted string " + quote(s));
  if (tag != "?") fail(name_ + " must be " + expected + ", not a value tagged " + quote(tag));
  return s;
}

// ---------------------------------------------------------------------------
// MapReader

MapReader::MapReader(const Reader& from, std::string what) : what_(std::move(what)), mark_(from.mark()) {
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

void MapReader::check_fields(Mapping m) const {
  allow_only(field_names(m));
  require_fields(m);
}

void MapReader::require_fields(Mapping m) const {
  for (const FieldDef& f : mapping_def(m).fields) {
    if (f.required) require(f.name);
  }
}

void MapReader::allow_only(const std::vector<std::string>& allowed) const {
  for (const Reader& field : fields_) {
    if (contains(allowed, field.name())) continue;
    fail_at(field.key_mark(), "unknown field " + quote(field.name()) + (what_.empty() ? " at the top level" : in()) +
                                  hint(field.name(), allowed));
  }
}

std::optional<Reader> MapReader::get(std::string_view key) const {
  for (const Reader& field : fields_) {
    if (field.name() == key) return field;
  }
  return std::nullopt;
}

Reader MapReader::require(std::string_view key) const {
  return require(key, "missing required field " + quote(key) + in());
}

Reader MapReader::require(std::string_view key, const std::string& message) const {
  if (auto field = get(key)) return *field;
  fail_at(mark_, message);
}

}  // namespace cmksim::load
