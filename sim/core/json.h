// JSON for the results database's `events.detail` and `runs.params` columns,
// on nlohmann's ordered json. The bytes are those cmksim has always written:
// compact, keys in the order they are added, control characters as \uXXXX
// except \n \r \t (so \b and \f too, where nlohmann writes \b and \f),
// numbers as json_number prints them, and bytes that are not UTF-8 (a --set
// value is not screened) passed through as they are.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cmksim {

// `text` as a JSON string, without the surrounding quotes.
std::string json_escape(std::string_view text);

// A double as cmksim prints it: integral values below 1e15 as integers, others
// with %.10g, non-finite ones as null; the same on every platform.
std::string json_number(double value);

// Builds one flat object; keys appear in the order they are added.
// REQUIRES: each key is added once.
class JsonObject {
 public:
  JsonObject();
  ~JsonObject();
  JsonObject(JsonObject&&) noexcept;
  JsonObject& operator=(JsonObject&&) noexcept;

  JsonObject& add_string(std::string_view key, std::string_view value);
  JsonObject& add_number(std::string_view key, double value);
  JsonObject& add_int(std::string_view key, long long value);
  JsonObject& add_bool(std::string_view key, bool value);
  // `json`: one JSON value, written as given (REQUIRES: valid JSON).
  JsonObject& add_raw(std::string_view key, std::string_view json);
  std::string str() const;

 private:
  // Numbers and raw values are held as their text (a string member marked in
  // `verbatim_`, one flag per member in order): nlohmann would print 500.0 and
  // shortest round-trip digits where the database has always held 500 and
  // %.10g. Behind a pointer so that the model's files need not compile all
  // of nlohmann's header.
  std::unique_ptr<nlohmann::ordered_json> members_;
  std::vector<bool> verbatim_;
};

// The string member `key` of the JSON object `json`; nothing when `json` is
// not an object or has no such string member.
std::optional<std::string> json_string_member(std::string_view json, std::string_view key);

}  // namespace cmksim
