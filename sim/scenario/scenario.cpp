#include "sim/scenario/scenario.h"

namespace cmksim {

const char* timing_name(Timing t) {
  switch (t) {
    case Timing::kSampled: return "sampled";
    case Timing::kWorst: return "worst";
    case Timing::kBest: return "best";
  }
  return "sampled";
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
