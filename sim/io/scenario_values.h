// Values of format v1 that several sections share (part of the scenario
// loader, sim/io/scenario_loader.h): identity forms, key references,
// permission lists, the hourly ingestion profile and ISO 8601 start times.
// Syntax only: what a value names is checked by the section that reads it.
// A refusal throws a ReadFailure at the node (sim/io/yaml_reader.h).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/io/yaml_reader.h"
#include "sim/scenario/scenario.h"

namespace cmksim::load {

// The hour of day of an ISO 8601 time "YYYY-MM-DD[THH:MM[:SS[.f]](Z|±HH:MM)]",
// as written (the wall-clock label's own zone); nullopt when malformed.
std::optional<int> iso8601_hour(std::string_view s);

// system_assigned | user_assigned:NAME | none
IdentitySpec read_identity_spec(const Reader& field);

// A grant's identity: "cluster:NAME" or a user-assigned identity's name.
std::string read_grant_identity(const Reader& field);

// A list of get | wrap | unwrap (C7), as permission bits.
std::uint8_t read_permissions(const Reader& field);

// {vault, key, version?}; version "" is auto-rotation (R1).
KeyRef read_key_ref(const MapReader& map);

// The hourly weights (D1): 24 numbers >= 0 with a positive sum, normalized
// to mean 1. Checks the list's shape before touching any element.
std::array<double, 24> read_daily_profile(const Reader& field);
// 7 weights, Monday first, normalized to mean 1 (D1).
std::array<double, 7> read_weekly_profile(const Reader& field);

}  // namespace cmksim::load
