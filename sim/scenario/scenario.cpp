#include "sim/scenario/scenario.h"

namespace cmksim {

const char* timing_name(Timing t) {
  switch (t) {
    case Timing::kSampled: return "sampled";
    case Timing::kLatest: return "latest";
    case Timing::kEarliest: return "earliest";
    case Timing::kBounds: return "bounds";
  }
  return "sampled";
}

std::optional<Timing> parse_timing_name(const std::string& name) {
  if (name == "sampled") return Timing::kSampled;
  if (name == "latest" || name == "worst") return Timing::kLatest;
  if (name == "earliest" || name == "best") return Timing::kEarliest;
  if (name == "bounds") return Timing::kBounds;
  return std::nullopt;
}

std::string preferred_timing_name(const std::string& name) {
  return name == "worst" ? "latest" : name == "best" ? "earliest" : name;
}

std::string timing_alias_note(const std::string& name) {
  if (name == "worst") {
    return "note: timing 'worst' is 'latest' (revocation at the D7 bound: the longest exposure and the least "
           "data loss; 'earliest' gives the most loss, 'bounds' both); prefer 'latest'";
  }
  if (name == "best") {
    return "note: timing 'best' is 'earliest' (revocation at the first denied call: the shortest exposure and the "
           "most data loss; 'latest' gives the longest exposure, 'bounds' both); prefer 'earliest'";
  }
  return "";
}

std::optional<IdentitySpec> parse_identity_spec(const std::string& text) {
  const std::string prefix = "user_assigned:";
  if (text == "system_assigned") return IdentitySpec{IdentitySpec::Kind::kSystemAssigned, ""};
  if (text == "none") return IdentitySpec{IdentitySpec::Kind::kNone, ""};
  if (text.rfind(prefix, 0) == 0 && text.size() > prefix.size()) {
    return IdentitySpec{IdentitySpec::Kind::kUserAssigned, text.substr(prefix.size())};
  }
  return std::nullopt;
}

}  // namespace cmksim
