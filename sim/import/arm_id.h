// Azure Resource Manager resource IDs, types and regions, read the way Azure
// compares them: case-insensitively. "/subscriptions/S/resourcegroups/RG/
// providers/Microsoft.KeyVault/vaults/kv/keys/k" and the same text with
// "resourceGroups" or another case name one resource. An extension resource
// (a role assignment on a vault) is named by its last "providers" segment.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cmksim::import {

struct ResourceId {
  std::string subscription;    // as written
  std::string resource_group;  // as written; "" at subscription scope
  std::string provider;        // "Microsoft.KeyVault", as written
  std::vector<std::pair<std::string, std::string>> segments;  // (type, name), parent first
  std::string scope;           // an extension resource's scope (the ID before its last "/providers/")

  // "microsoft.keyvault/vaults/keys": the provider and every segment's type, lower case.
  std::string type() const;
  // The resource's own name (the last segment's).
  std::string name() const { return segments.empty() ? std::string() : segments.back().second; }
  // The canonical text, lower case: equal for IDs that name the same resource.
  std::string key() const;
};

// Parses a resource ID; nullopt when `text` is not one.
std::optional<ResourceId> parse_resource_id(std::string_view text);

// Builds the ID of a resource in a resource group: what ARM's resourceId() returns.
std::string make_resource_id(const std::string& subscription, const std::string& resource_group,
                             const std::string& full_type, const std::vector<std::string>& names);

std::string lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);

// "East US" -> "eastus", "westeurope" -> "westeurope": ARM's region names.
std::string normalize_region(std::string_view location);

// The vault named by a Key Vault URI's host ("https://kv1.vault.azure.net/" -> "kv1"); nullopt when the
// URI has no host.
std::optional<std::string> vault_from_uri(std::string_view uri);

// A key URI's key and version ("https://kv.vault.azure.net/keys/k/v1" -> {"k", "v1"}); "" when absent.
std::pair<std::string, std::string> key_from_uri(std::string_view uri);

}  // namespace cmksim::import
