// Reading JSON text for the importer (nlohmann-json): one Error with the
// file and line:col where the parser gives one; JSON pointers for messages;
// case-insensitive member lookup (ARM property names arrive in both cases).
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/core/status.h"

namespace cmksim::import {

// Parses `text` (a JSON document, labelled `label` in errors).
Expected<nlohmann::json> parse_json(const std::string& text, const std::string& label);

// `pointer` + "/" + the escaped token (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string pointer_child(const std::string& pointer, std::string_view token);
std::string pointer_child(const std::string& pointer, std::size_t index);

// An error at a JSON pointer of a file: "file: /resources/0/name: message".
Error error_at(const std::string& file, const std::string& pointer, const std::string& message);

// The member `name` of an object, matched case-insensitively; nullptr when absent or `j` is no object.
const nlohmann::json* member(const nlohmann::json& j, std::string_view name);
nlohmann::json* member(nlohmann::json& j, std::string_view name);
// The member as a string / bool / number, when it is one.
std::string string_member(const nlohmann::json& j, std::string_view name);
const nlohmann::json* path(const nlohmann::json& j, std::initializer_list<std::string_view> names);

// A short text of a JSON value for messages (strings quoted, at most 80 characters).
std::string json_brief(const nlohmann::json& j);

}  // namespace cmksim::import
