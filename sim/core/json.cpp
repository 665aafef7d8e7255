#include "sim/core/json.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/core/check.h"

namespace cmksim {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann writes \b and \f; the database has always held \u0008 and \u000c.
// Every backslash in nlohmann's output starts an escape, so pairs are read.
std::string with_unicode_b_f(const std::string& dumped) {
  if (dumped.find('\\') == std::string::npos) return dumped;
  std::string out;
  out.reserve(dumped.size() + 8);
  for (std::size_t i = 0; i < dumped.size(); ++i) {
    if (dumped[i] != '\\' || i + 1 == dumped.size()) {
      out += dumped[i];
      continue;
    }
    const char c = dumped[++i];
    if (c == 'b') {
      out += "\\u0008";
    } else if (c == 'f') {
      out += "\\u000c";
    } else {
      out += '\\';
      out += c;
    }
  }
  return out;
}

std::string dump_text(std::string_view text) { return with_unicode_b_f(Json(std::string(text)).dump()); }

// nlohmann refuses bytes that are not UTF-8; such text (a --set value, which
// nothing screens) keeps them as they are, as it always has: only ASCII is
// escaped, so the runs between them are escaped on their own.
std::string quoted_not_utf8(std::string_view text) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80) ++end;
    const std::string part = dump_text(text.substr(i, end - i));
    out.append(part, 1, part.size() - 2);
    i = end;
  }
  return out + "\"";
}

// One value as the database holds it.
std::string dumped(const Json& value) {
  try {
    return with_unicode_b_f(value.dump());
  } catch (const nlohmann::json::type_error&) {  // only a string that is not UTF-8
    return quoted_not_utf8(value.get_ref<const std::string&>());
  }
}

std::string json_quoted(std::string_view text) { return dumped(Json(std::string(text))); }

}  // namespace

std::string json_escape(std::string_view text) {
  const std::string q = json_quoted(text);
  return q.substr(1, q.size() - 2);
}

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

JsonObject::JsonObject() : members_(std::make_unique<Json>(Json::object())) {}
JsonObject::~JsonObject() = default;
JsonObject::JsonObject(JsonObject&&) noexcept = default;
JsonObject& JsonObject::operator=(JsonObject&&) noexcept = default;

namespace {

template <class Value>
void add_member(Json& members, std::vector<bool>& verbatim, std::string_view key, Value&& value, bool is_text) {
  const bool added = members.emplace(std::string(key), std::forward<Value>(value)).second;
  CMKSIM_CHECK(added, "a JSON key added twice");
  verbatim.push_back(is_text);
}

}  // namespace

JsonObject& JsonObject::add_string(std::string_view key, std::string_view value) {
  add_member(*members_, verbatim_, key, std::string(value), false);
  return *this;
}

JsonObject& JsonObject::add_number(std::string_view key, double value) {
  add_member(*members_, verbatim_, key, json_number(value), true);
  return *this;
}

JsonObject& JsonObject::add_int(std::string_view key, long long value) {
  add_member(*members_, verbatim_, key, value, false);
  return *this;
}

JsonObject& JsonObject::add_bool(std::string_view key, bool value) {
  add_member(*members_, verbatim_, key, value, false);
  return *this;
}

JsonObject& JsonObject::add_raw(std::string_view key, std::string_view json) {
  CMKSIM_CHECK(Json::accept(json.begin(), json.end()), "add_raw: not one JSON value");
  add_member(*members_, verbatim_, key, std::string(json), true);
  return *this;
}

std::string JsonObject::str() const {
  std::string out = "{";
  std::size_t i = 0;
  for (auto it = members_->begin(); it != members_->end(); ++it, ++i) {
    if (i > 0) out += ',';
    out += json_quoted(it.key());
    out += ':';
    const Json& value = it.value();
    out += verbatim_[i] ? value.get_ref<const std::string&>() : dumped(value);
  }
  return out + "}";
}

std::optional<std::string> json_string_member(std::string_view json, std::string_view key) {
  const Json doc = Json::parse(json.begin(), json.end(), nullptr, false);
  if (!doc.is_object()) return std::nullopt;  // a parse error gives a discarded value
  const auto it = doc.find(std::string(key));
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace cmksim
