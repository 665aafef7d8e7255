#include "sim/import/arm_id.h"

#include <cctype>

namespace cmksim::import {
namespace {

std::vector<std::string> split_path(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  for (const char c : text) {
    if (c == '/') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

// The host of "scheme://host[:port]/path".
std::string uri_host(std::string_view uri) {
  const std::size_t scheme = uri.find("://");
  std::string_view rest = scheme == std::string_view::npos ? uri : uri.substr(scheme + 3);
  const std::size_t end = rest.find_first_of("/:?#");
  return std::string(end == std::string_view::npos ? rest : rest.substr(0, end));
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

std::string ResourceId::type() const {
  std::string t = lower(provider);
  for (const auto& [segment_type, name] : segments) t += "/" + lower(segment_type);
  return t;
}

std::string ResourceId::key() const {
  std::string k = "/subscriptions/" + subscription;
  if (!resource_group.empty()) k += "/resourcegroups/" + resource_group;
  if (!scope.empty()) k = scope;
  k += "/providers/" + provider;
  for (const auto& [segment_type, name] : segments) k += "/" + segment_type + "/" + name;
  return lower(k);
}

std::optional<ResourceId> parse_resource_id(std::string_view text) {
  const std::vector<std::string> parts = split_path(text);
  if (parts.size() < 2 || !iequals(parts[0], "subscriptions")) return std::nullopt;
  ResourceId id;
  id.subscription = parts[1];
  std::size_t i = 2;
  if (i + 1 < parts.size() && iequals(parts[i], "resourcegroups")) {
    id.resource_group = parts[i + 1];
    i += 2;
  }
  // The resource's own provider is the last "providers" segment; what comes before is its scope.
  std::size_t last_providers = std::string::npos;
  for (std::size_t j = i; j < parts.size(); ++j) {
    if (iequals(parts[j], "providers")) last_providers = j;
  }
  if (last_providers == std::string::npos || last_providers + 1 >= parts.size()) return std::nullopt;
  bool extension = false;
  for (std::size_t j = i; j < last_providers; ++j) extension = true;
  if (extension) {
    std::string scope;
    for (std::size_t j = 0; j < last_providers; ++j) scope += "/" + parts[j];
    id.scope = scope;
  }
  id.provider = parts[last_providers + 1];
  const std::size_t first = last_providers + 2;
  if (first >= parts.size() || (parts.size() - first) % 2 != 0) return std::nullopt;
  for (std::size_t j = first; j + 1 < parts.size(); j += 2) id.segments.emplace_back(parts[j], parts[j + 1]);
  return id;
}

std::string make_resource_id(const std::string& subscription, const std::string& resource_group,
                             const std::string& full_type, const std::vector<std::string>& names) {
  const std::vector<std::string> types = split_path(full_type);
  std::string id = "/subscriptions/" + subscription;
  if (!resource_group.empty()) id += "/resourceGroups/" + resource_group;
  id += "/providers/" + (types.empty() ? std::string() : types[0]);
  for (std::size_t i = 1; i < types.size(); ++i) {
    id += "/" + types[i] + "/" + (i - 1 < names.size() ? names[i - 1] : std::string());
  }
  return id;
}

std::string normalize_region(std::string_view location) {
  std::string out;
  for (const char c : location) {
    if (c == ' ' || c == '-' || c == '_') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<std::string> vault_from_uri(std::string_view uri) {
  const std::string host = uri_host(uri);
  if (host.empty()) return std::nullopt;
  const std::size_t dot = host.find('.');
  return host.substr(0, dot);
}

std::pair<std::string, std::string> key_from_uri(std::string_view uri) {
  const std::size_t scheme = uri.find("://");
  std::string_view rest = scheme == std::string_view::npos ? uri : uri.substr(scheme + 3);
  const std::size_t slash = rest.find('/');
  const std::vector<std::string> parts =
      split_path(slash == std::string_view::npos ? std::string_view() : rest.substr(slash));
  if (parts.size() >= 2 && iequals(parts[0], "keys")) return {parts[1], parts.size() >= 3 ? parts[2] : ""};
  return {"", ""};
}

}  // namespace cmksim::import
