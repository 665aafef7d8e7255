// Minimal JSON writing for the results database's `detail` and `params`
// columns. Every string is escaped (quotes, backslashes, control characters);
// numbers are printed the same way on every platform.
#pragma once
#include <string>
#include <string_view>

namespace cmksim {

std::string json_escape(std::string_view text);  // without the surrounding quotes
std::string json_number(double value);

// Builds one flat object; keys appear in the order they are added.
class JsonObject {
 public:
  JsonObject& add_string(std::string_view key, std::string_view value);
  JsonObject& add_number(std::string_view key, double value);
  JsonObject& add_int(std::string_view key, long long value);
  JsonObject& add_bool(std::string_view key, bool value);
  JsonObject& add_raw(std::string_view key, std::string_view json);
  std::string str() const { return "{" + body_ + "}"; }

 private:
  void key(std::string_view k);
  std::string body_;
};

}  // namespace cmksim
