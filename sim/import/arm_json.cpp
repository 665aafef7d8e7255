#include "sim/import/arm_json.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "sim/core/text.h"
#include "sim/import/arm_id.h"

namespace cmksim::import {

namespace {

constexpr int kMaxDepth = 100;

// The deepest nesting of arrays and objects, counted without recursion.
int nesting_depth(const nlohmann::json& root) {
  int deepest = 0;
  std::vector<std::pair<const nlohmann::json*, int>> todo = {{&root, 0}};
  while (!todo.empty()) {
    const auto [j, depth] = todo.back();
    todo.pop_back();
    if (!j->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    if (deepest > kMaxDepth) return deepest;
    for (const auto& child : *j) todo.emplace_back(&child, depth + 1);
  }
  return deepest;
}

}  // namespace

Expected<nlohmann::json> parse_json(const std::string& text, const std::string& label) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    if (nesting_depth(j) > kMaxDepth) {
      return Error(label, 0, 0, "nested deeper than " + std::to_string(kMaxDepth) + " arrays and objects: not imported");
    }
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    // The parser gives the byte where it stopped: turn it into line:col.
    const std::size_t byte = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < byte; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string why = e.what();
    const std::size_t colon = why.rfind(": ");
    if (colon != std::string::npos) why = why.substr(colon + 2);
    return Error(label, line, column, "not JSON: " + one_line(why));
  }
}

std::string pointer_child(const std::string& pointer, std::string_view token) {
  std::string out = pointer + "/";
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

Error error_at(const std::string& file, const std::string& pointer, const std::string& message) {
  return Error(file, 0, 0, (pointer.empty() ? std::string() : pointer + ": ") + message);
}

const nlohmann::json* member(const nlohmann::json& j, std::string_view name) {
  if (!j.is_object()) return nullptr;
  const auto exact = j.find(std::string(name));
  if (exact != j.end()) return &*exact;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (iequals(it.key(), name)) return &it.value();
  }
  return nullptr;
}

nlohmann::json* member(nlohmann::json& j, std::string_view name) {
  return const_cast<nlohmann::json*>(member(static_cast<const nlohmann::json&>(j), name));  // the same lookup
}

std::string string_member(const nlohmann::json& j, std::string_view name) {
  const nlohmann::json* m = member(j, name);
  return m != nullptr && m->is_string() ? m->get<std::string>() : std::string();
}

const nlohmann::json* path(const nlohmann::json& j, std::initializer_list<std::string_view> names) {
  const nlohmann::json* at = &j;
  for (const std::string_view name : names) {
    at = member(*at, name);
    if (at == nullptr) return nullptr;
  }
  return at;
}

std::string json_brief(const nlohmann::json& j) {
  std::string text = j.dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return one_line(text);
}

}  // namespace cmksim::import
