#include "sim/import/arm_functions.h"

#include <cctype>

#include "sim/core/sha256.h"
#include "sim/import/arm_id.h"
#include "sim/import/arm_json.h"

namespace cmksim::import {
namespace {

using nlohmann::json;

std::string to_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

std::vector<std::string> split_names(const std::string& name) {
  std::vector<std::string> parts;
  std::string current;
  for (const char c : name) {
    if (c == '/') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

Expected<json> call_pure_function(const std::string& f, const std::vector<json>& args,
                                  const DeploymentContext& context) {
  const auto need_strings = [&](std::size_t min_count) -> Status {
    if (args.size() < min_count) return Error(f + "() needs at least " + std::to_string(min_count) + " arguments");
    for (const json& a : args) {
      if (!a.is_string()) return Error(f + "() expects strings, got " + json_brief(a));
    }
    return Status();
  };
  if (f == "concat") {
    if (!args.empty() && args[0].is_array()) {
      json out = json::array();
      for (const json& a : args) {
        if (!a.is_array()) return Error("concat() of arrays and other values");
        for (const json& item : a) out.push_back(item);
      }
      return out;
    }
    std::string out;
    for (const json& a : args) {
      if (a.is_object() || a.is_array()) return Error("concat() of strings and other values");
      out += to_text(a);
    }
    return json(out);
  }
  if (f == "format") {
    if (args.empty() || !args[0].is_string()) return Error("format() needs a format string");
    const std::string fmt = args[0].get<std::string>();
    std::string out;
    for (std::size_t i = 0; i < fmt.size(); ++i) {
      if (fmt[i] == '{' && i + 1 < fmt.size() && fmt[i + 1] == '{') {
        out += '{';
        ++i;
      } else if (fmt[i] == '}' && i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out += '}';
        ++i;
      } else if (fmt[i] == '{') {
        const std::size_t end = fmt.find('}', i);
        if (end == std::string::npos) return Error("format() string has an unclosed '{'");
        std::string index = fmt.substr(i + 1, end - i - 1);
        index = index.substr(0, index.find(':'));
        std::size_t n = 0;
        if (index.empty() || index.size() > 6 || index.find_first_not_of("0123456789") != std::string::npos ||
            (n = std::stoul(index) + 1) >= args.size()) {
          return Error("format() has no argument {" + index + "}");
        }
        out += to_text(args[n]);
        i = end;
      } else {
        out += fmt[i];
      }
    }
    return json(out);
  }
  if (f == "tolower" || f == "toupper") {
    if (Status s = need_strings(1); !s.ok()) return s.error();
    std::string s = args[0].get<std::string>();
    for (char& c : s) c = static_cast<char>(f == "tolower" ? std::tolower(static_cast<unsigned char>(c))
                                                           : std::toupper(static_cast<unsigned char>(c)));
    return json(s);
  }
  if (f == "guid") {  // deterministic, like ARM's: the same arguments give the same GUID
    if (Status s = need_strings(1); !s.ok()) return s.error();
    std::string joined;
    for (const json& a : args) joined += a.get<std::string>() + "\n";
    const std::string h = sha256_hex(joined);
    return json(h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
                h.substr(20, 12));
  }
  if (f == "resourcegroup") {
    json rg = {{"name", context.resource_group},
               {"id", "/subscriptions/" + context.subscription + "/resourceGroups/" + context.resource_group}};
    if (!context.location.empty()) rg["location"] = context.location;
    return rg;
  }
  if (f == "subscription") {
    return json{{"subscriptionId", context.subscription}, {"id", "/subscriptions/" + context.subscription}};
  }
  if (f == "resourceid" || f == "subscriptionresourceid") {
    if (Status s = need_strings(2); !s.ok()) return s.error();
    // resourceId([subscriptionId], [resourceGroupName], type, name...): the type is the first argument with a '/'.
    std::size_t type_at = 0;
    while (type_at < args.size() && args[type_at].get<std::string>().find('/') == std::string::npos) ++type_at;
    if (type_at >= args.size() || type_at > 2) return Error(f + "() needs a resource type such as 'Microsoft.KeyVault/vaults'");
    std::string subscription = context.subscription;
    std::string group = f == "resourceid" ? context.resource_group : "";
    if (type_at == 2) {
      subscription = args[0].get<std::string>();
      group = args[1].get<std::string>();
    } else if (type_at == 1) {
      (f == "resourceid" ? group : subscription) = args[0].get<std::string>();
    }
    std::vector<std::string> names;
    for (std::size_t i = type_at + 1; i < args.size(); ++i) {
      for (const std::string& n : split_names(args[i].get<std::string>())) names.push_back(n);
    }
    return json(make_resource_id(subscription, group, args[type_at].get<std::string>(), names));
  }
  return Error("unsupported");
}

}  // namespace cmksim::import
