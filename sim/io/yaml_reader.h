// Typed reads of yaml-cpp nodes with positions (part of the scenario loader,
// sim/io/scenario_loader.h; yaml-cpp stays inside sim/io).
//
// Reader is one YAML value with the name messages know it by ("workspaces[2]",
// "retention"); MapReader is a mapping as a list of such named fields, with
// unknown, missing and duplicate fields refused (yaml-cpp keeps duplicates
// and says nothing). A read that refuses its node throws a ReadFailure
// carrying the node's mark: the readers are called many levels deep, and the
// one entry point that catches it (load_scenario_text) turns it into the
// single Error of the load. ReadFailure never leaves sim/io.
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.h"
#include "sim/scenario/format.h"
#include "sim/scenario/scenario.h"

namespace cmksim::load {

// Thrown by the readers; caught once per load.
struct ReadFailure {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void fail_at(const YAML::Mark& mark, std::string message);

// 1-based; {0, 0} for a null mark (yaml-cpp counts from 0).
SourcePos pos_of(const YAML::Mark& mark);

// As pos_of, but 1:1 for a mark without a position: an error always has one.
SourcePos pos_or_start(const YAML::Mark& mark);

// "line:col"
std::string pos_text(SourcePos p);

// "a list", "a mapping", "a scalar" or "nothing".
const char* kind_of(const YAML::Node& node);

// A plain decimal number as YAML writes it: [+-]digits[.digits][e[+-]digits].
// Hex, inf and nan are refused. Returns false when `s` is not one; else sets
// `out` and whether it was within double's range.
bool parse_decimal(const std::string& s, double& out, bool& in_range);

// Numbers in scenarios: the same ceiling as profile numbers.
inline constexpr double kMaxNumber = 1e15;

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
  YAML::Mark mark() const;

  [[noreturn]] void fail(std::string message) const;

  // Any scalar: quoted or plain, possibly "".
  std::string text() const;
  // A name: a non-empty string.
  std::string name_text() const;
  // A finite number in [0, kMaxNumber] (sizes, rates, counts).
  double number() const;
  // `s` (this node's text) checked as number() checks it.
  double checked_number(const std::string& s) const;
  // Strictly true or false (not yes/no/on/off).
  bool boolean() const;
  // A non-negative integer.
  std::uint64_t integer() const;
  // A duration as scenarios write it (sim/scenario/duration.h).
  DurationMs duration() const;
  // One of a closed set of words ("unknown fault 'timout' (did you mean ...)").
  std::string choice(const std::string& what, const std::vector<std::string>& allowed) const;

  // The items of a list, named "name[i]". `null_is_empty`: an empty value is
  // an empty list (a section whose entries are all commented out).
  std::vector<Reader> items(bool null_is_empty = false) const;

  // The text of a scalar, or a failure naming what was expected.
  std::string scalar(const char* expected) const;

  // The text of an unquoted, untagged scalar: numbers and booleans are
  // typed values, "300" in quotes is a string.
  std::string plain(const char* expected) const;

 private:
  std::string name_;
  YAML::Node node_;
  YAML::Mark key_mark_;
};

class MapReader {
 public:
  // `what` names the mapping in messages ("workspace"); "" for the top level.
  // Refuses a value that is not a mapping, non-text keys and duplicate keys.
  MapReader(const Reader& from, std::string what);

  const std::vector<Reader>& fields() const { return fields_; }
  YAML::Mark mark() const { return mark_; }

  // " in workspace", or "" at the top level.
  std::string in() const { return what_.empty() ? std::string() : " in " + what_; }

  // The fields of `m` in the format table: the first unknown field is an
  // error (with a suggestion), then the first missing required one.
  void check_fields(Mapping m) const;
  void require_fields(Mapping m) const;

  // The first field not in `allowed` is an error, with a suggestion.
  void allow_only(const std::vector<std::string>& allowed) const;

  std::optional<Reader> get(std::string_view key) const;
  Reader require(std::string_view key) const;
  Reader require(std::string_view key, const std::string& message) const;

 private:
  std::string what_;
  YAML::Mark mark_;
  std::vector<Reader> fields_;
};

}  // namespace cmksim::load
