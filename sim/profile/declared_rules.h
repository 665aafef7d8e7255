// What a profile forbids in the resources a scenario declares (P1): a
// declared cluster exists at the start, so a capacity or an identity the
// service would have refused at its creation is a load error, not an
// operation's answer. build_profile (sim/io) applies it for run, check,
// graph, sweep and validate alike.
#pragma once
#include <string>

#include "sim/core/status.h"
#include "sim/profile/profile.h"
#include "sim/scenario/scenario.h"

namespace cmksim {

// C1, P1: "" when the reservation is allowed, else the service's message.
std::string capacity_refusal(const Profile& profile, double gb_per_day);

// P1, C1, C6: the first declared cluster the profile forbids (a capacity out
// of range, a user-assigned identity where none is supported, a
// user-assigned identity with a Private Link vault), at its position.
Status check_declared_resources(const Scenario& scenario, const Profile& profile);

}  // namespace cmksim
