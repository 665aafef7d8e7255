// The JSON of the results database (sim/core/json.h, sim/io/run_params.h):
// nlohmann underneath, the bytes cmksim has always written on top. Every
// expected string here is what the hand-written writer before nlohmann
// produced for the same input.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "sim/core/json.h"
#include "sim/io/run_params.h"
#include "sim/io/profile_loader.h"

using namespace cmksim;

TEST_CASE("JSON: strings: quotes, backslashes and control characters are escaped as always") {
  CHECK(json_escape("say \"hi\"") == "say \\\"hi\\\"");
  CHECK(json_escape("C:\\path\\") == "C:\\\\path\\\\");
  CHECK(json_escape("a\nb\rc\td") == "a\\nb\\rc\\td");
  // \b and \f as \u escapes (nlohmann's own would be \b and \f)
  CHECK(json_escape("\b\f") == "\\u0008\\u000c");
  CHECK(json_escape(std::string("\0\x01\x1f", 3)) == "\\u0000\\u0001\\u001f");
  CHECK(json_escape("\x7f") == "\x7f");  // DEL is not a control character in JSON
  CHECK(json_escape("/") == "/");
  // a backslash followed by b or f is not an escape of its own
  CHECK(json_escape("\\b\\f") == "\\\\b\\\\f");
}

TEST_CASE("JSON: strings: UTF-8 is kept as is, U+2028 included, bytes that are not UTF-8 too") {
  CHECK(json_escape("Zürich – 東京 – 🔑") == "Zürich – 東京 – 🔑");
  CHECK(json_escape("\xe2\x80\xa8|\xe2\x80\xa9") == "\xe2\x80\xa8|\xe2\x80\xa9");
  // a --set value is not screened: its bytes pass through, the ASCII around them escaped
  CHECK(json_escape("a\xff\"\xc3") == "a\xff\\\"\xc3");
  CHECK(JsonObject().add_string("k\xfe", "\b\xff").str() == "{\"k\xfe\":\"\\u0008\xff\"}");
}

TEST_CASE("JSON: numbers: integral values below 1e15 as integers, others %.10g, non-finite as null") {
  const auto num = [](double v) { return JsonObject().add_number("x", v).str(); };
  CHECK(num(500.0) == R"({"x":500})");
  CHECK(num(-0.0) == R"({"x":0})");
  CHECK(num(0.1) == R"({"x":0.1})");
  CHECK(num(1.0 / 3) == R"({"x":0.3333333333})");
  CHECK(num(1e-7) == R"({"x":1e-07})");
  CHECK(num(1e-4) == R"({"x":0.0001})");
  CHECK(num(999999999999999.0) == R"({"x":999999999999999})");
  CHECK(num(1e15) == R"({"x":1e+15})");
  CHECK(num(12345678901.5) == R"({"x":1.23456789e+10})");  // nlohmann alone would print 12345678901.5
  CHECK(num(-3.25) == R"({"x":-3.25})");
  CHECK(num(std::nan("")) == R"({"x":null})");
  CHECK(num(std::numeric_limits<double>::infinity()) == R"({"x":null})");
  CHECK(json_number(2.5) == "2.5");
}

TEST_CASE("JSON: an object keeps the order its members were added in, compact") {
  const std::string s = JsonObject()
                            .add_string("z", "last?")
                            .add_int("a", -42)
                            .add_bool("m", true)
                            .add_bool("n", false)
                            .add_number("g", 2.5)
                            .add_raw("axes", R"([["p",["1h","2h"]]])")
                            .str();
  CHECK(s == R"({"z":"last?","a":-42,"m":true,"n":false,"g":2.5,"axes":[["p",["1h","2h"]]]})");
  CHECK(JsonObject().str() == "{}");
}

TEST_CASE("JSON: a string member is read back from an object, decoded") {
  CHECK(json_string_member(R"({"behaviour":"D11","x":1})", "behaviour") == std::string("D11"));
  CHECK(json_string_member(R"({"s":"a\"b\u0041"})", "s") == std::string("a\"bA"));
  CHECK_FALSE(json_string_member(R"({"x":1})", "behaviour"));
  CHECK_FALSE(json_string_member(R"({"behaviour":5})", "behaviour"));
  CHECK_FALSE(json_string_member("not json", "behaviour"));
  CHECK_FALSE(json_string_member(R"(["behaviour"])", "behaviour"));
}

TEST_CASE("runs.params: written once, read back as the same list, written again byte for byte") {
  const ParamValues params = {
      {"aek_cache_ttl", "1h", ParamValue::Kind::kDuration},
      {"ssd_reload_gb_per_min", "500", ParamValue::Kind::kNumber},
      {"capacity_max_gb_per_day", "1.23456789e+10", ParamValue::Kind::kNumber},
      {"tiny", "1e-07", ParamValue::Kind::kNumber},
      {"nan", "null", ParamValue::Kind::kNumber},
      {"lockbox_unavailable_regions", "a,b \"q\" \\ \b\f\x01 \xe2\x80\xa8", ParamValue::Kind::kText},
      {"stale_version_revokes", "false", ParamValue::Kind::kBool},
      {"user_assigned_identity_supported", "true", ParamValue::Kind::kBool},
  };
  const std::string json = params_to_json(params);
  CHECK(json ==
        "{\"aek_cache_ttl\":\"1h\",\"ssd_reload_gb_per_min\":500,\"capacity_max_gb_per_day\":1.23456789e+10,"
        "\"tiny\":1e-07,\"nan\":null,\"lockbox_unavailable_regions\":\"a,b \\\"q\\\" \\\\ \\u0008\\u000c\\u0001 "
        "\xe2\x80\xa8\",\"stale_version_revokes\":false,\"user_assigned_identity_supported\":true}");
  const Expected<ParamValues> back = params_from_json(json);
  REQUIRE(back.ok());
  CHECK(*back == params);
  CHECK(params_to_json(*back) == json);
}

TEST_CASE("runs.params: every shipped profile's values round-trip through the column") {
  for (const std::string& name : profile_names()) {
    INFO(name);
    const ParamValues params = param_values(*profile_by_name(name));
    REQUIRE(params.size() == param_table().size());
    const Expected<ParamValues> back = params_from_json(params_to_json(params));
    REQUIRE(back.ok());
    CHECK(*back == params);
  }
}

TEST_CASE("runs.params: a string of a duration parameter reads as a duration, an unknown one as text") {
  const Expected<ParamValues> back = params_from_json(R"({"revocation_bound":"1h","old_param":"1h","n":7})");
  REQUIRE(back.ok());
  REQUIRE(back->size() == 3);
  CHECK((*back)[0].kind == ParamValue::Kind::kDuration);
  CHECK((*back)[1].kind == ParamValue::Kind::kText);
  CHECK((*back)[2] == ParamValue{"n", "7", ParamValue::Kind::kNumber});
}

TEST_CASE("runs.params: bytes that are not UTF-8 read back as U+FFFD") {
  const Expected<ParamValues> back = params_from_json("{\"r\":\"a\xff" "b\"}");
  REQUIRE(back.ok());
  CHECK((*back)[0].text == "a\xef\xbf\xbd" "b");
}

TEST_CASE("runs.params: anything but one flat object is an error") {
  for (const char* bad : {"", "not json", "[1]", "5", R"({"a":[1]})", R"({"a":{"b":1}})", R"({"a":1} x)",
                          R"({"a":1,"a":2})", R"({"a":1)"}) {
    INFO(bad);
    const Expected<ParamValues> back = params_from_json(bad);
    REQUIRE_FALSE(back.ok());
    CHECK(back.error().message.rfind("runs.params: ", 0) == 0);
  }
  CHECK(params_from_json("{}").ok());
}
