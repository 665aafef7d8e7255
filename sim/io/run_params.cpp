#include "sim/io/run_params.h"

#include <cstdint>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "sim/core/json.h"
#include "sim/profile/profile.h"

namespace cmksim {
namespace {

using Json = nlohmann::json;

ParamValue::Kind string_kind(const std::string& name) {
  const ParamInfo* info = find_param(name);
  const bool duration = info != nullptr && std::holds_alternative<DurationMs Profile::*>(info->field);
  return duration ? ParamValue::Kind::kDuration : ParamValue::Kind::kText;
}

// Collects one flat object's members as the parser meets them, keeping each
// number's text as written (the SAX interface hands it over; a parsed double
// would print differently).
class FlatObject final : public nlohmann::json_sax<Json> {
 public:
  ParamValues values;
  std::string error;

  bool null() override { return add("null", ParamValue::Kind::kNumber); }
  bool boolean(bool v) override { return add(v ? "true" : "false", ParamValue::Kind::kBool); }
  bool number_integer(number_integer_t v) override { return add(std::to_string(v), ParamValue::Kind::kNumber); }
  bool number_unsigned(number_unsigned_t v) override { return add(std::to_string(v), ParamValue::Kind::kNumber); }
  bool number_float(number_float_t, const string_t& text) override { return add(text, ParamValue::Kind::kNumber); }
  bool string(string_t& v) override { return add(v, string_kind(key_)); }
  bool binary(binary_t&) override { return nested(); }
  bool start_object(std::size_t) override { return depth_++ == 0 || nested(); }
  bool key(string_t& k) override {
    key_ = k;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return nested(); }
  bool end_array() override { return nested(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = e.what();
    return false;
  }

 private:
  bool add(std::string text, ParamValue::Kind kind) {
    if (depth_ != 1) return nested();  // a value outside the object
    if (find_param_value(values, key_) != nullptr) {
      error = "parameter '" + key_ + "' given twice";
      return false;
    }
    values.push_back({key_, std::move(text), kind});
    return true;
  }
  bool nested() {
    error = "not one flat object of strings, numbers and bools";
    return false;
  }

  int depth_ = 0;
  std::string key_;
};

Expected<ParamValues> parse(std::string_view json) {
  FlatObject object;
  if (!Json::sax_parse(json.begin(), json.end(), &object)) return Error("runs.params: " + object.error);
  return std::move(object.values);
}

// `text` with each invalid UTF-8 sequence replaced by U+FFFD (nlohmann's own
// replacement, through one dump and parse).
std::string valid_utf8(std::string_view text) {
  const std::string dumped = Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
  return Json::parse(dumped).get<std::string>();
}

}  // namespace

std::string params_to_json(const ParamValues& params) {
  JsonObject out;
  for (const ParamValue& p : params) {
    switch (p.kind) {
      case ParamValue::Kind::kDuration:
      case ParamValue::Kind::kText: out.add_string(p.name, p.text); break;
      case ParamValue::Kind::kNumber: out.add_raw(p.name, p.text); break;
      case ParamValue::Kind::kBool: out.add_bool(p.name, p.text == "true"); break;
    }
  }
  return out.str();
}

Expected<ParamValues> params_from_json(std::string_view json) {
  Expected<ParamValues> values = parse(json);
  if (values.ok()) return values;
  Expected<ParamValues> repaired = parse(valid_utf8(json));
  return repaired.ok() ? repaired : values;
}

}  // namespace cmksim
