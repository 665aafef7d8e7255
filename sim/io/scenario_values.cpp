#include "sim/io/scenario_values.h"

#include <algorithm>

#include "sim/io/message_text.h"
#include "sim/scenario/format.h"

namespace cmksim::load {
namespace {

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<int> iso8601_hour(std::string_view s) {
  auto field = [&](std::size_t at, std::size_t n, int lo, int hi) -> std::optional<int> {
    if (at + n > s.size() || !is_digits(s.substr(at, n))) return std::nullopt;
    const int v = digits_value(s.substr(at, n));
    if (v < lo || v > hi) return std::nullopt;
    return v;
  };
  const auto year = field(0, 4, 0, 9999);
  const auto month = field(5, 2, 1, 12);
  if (!year || !month || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  const int days = *month == 2 && !leap ? 28 : kDays[*month - 1];
  if (!field(8, 2, 1, days)) return std::nullopt;
  if (s.size() == 10) return 0;
  const auto hour = field(11, 2, 0, 23);
  if (s[10] != 'T' || !hour || s.size() < 16 || s[13] != ':' || !field(14, 2, 0, 59)) return std::nullopt;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!field(i + 1, 2, 0, 59)) return std::nullopt;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      const std::size_t start = ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return std::nullopt;
    }
  }
  if (s.substr(i) == "Z") return hour;
  const bool offset = s.size() == i + 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
                      field(i + 1, 2, 0, 23) && field(i + 4, 2, 0, 59);
  return offset ? hour : std::nullopt;
}

IdentitySpec read_identity_spec(const Reader& field) {
  const std::string s = field.text();
  const std::string prefix = "user_assigned:";
  if (s == "system_assigned") return {IdentitySpec::Kind::kSystemAssigned, ""};
  if (s == "none") return {IdentitySpec::Kind::kNone, ""};
  if (s.rfind(prefix, 0) == 0 && s.size() > prefix.size()) {
    return {IdentitySpec::Kind::kUserAssigned, s.substr(prefix.size())};
  }
  if (s == "user_assigned" || s == prefix) {
    field.fail("identity user_assigned needs the identity's name (write user_assigned:NAME)");
  }
  field.fail("unknown identity " + quote(s) + suggestion(s, identity_spec_forms()));
}

std::string read_grant_identity(const Reader& field) {
  std::string s = field.name_text();
  if (s == "cluster:") field.fail("identity cluster: needs the cluster's name (write cluster:NAME)");
  return s;
}

std::uint8_t read_permissions(const Reader& field) {
  std::uint8_t bits = 0;
  for (const Reader& item : field.items()) {
    const std::string p = item.choice("permission", permission_names());
    bits = static_cast<std::uint8_t>(bits | (p == "get" ? kPermGet : p == "wrap" ? kPermWrap : kPermUnwrap));
  }
  return bits;
}

KeyRef read_key_ref(const MapReader& map) {
  map.check_fields(Mapping::kKeyRef);
  KeyRef ref;
  ref.vault = map.require("vault").name_text();
  ref.key = map.require("key").name_text();
  if (auto version = map.get("version")) {
    if (version->is_null()) version->fail("version has no value (write \"\" for auto-rotation)");
    ref.version = version->text();  // "" = auto-rotation (R1)
  }
  return ref;
}

namespace {

// N weights with a positive sum, scaled to mean 1 (D1's daily and weekly
// shapes); `name` and `what` for the messages.
template <std::size_t N>
std::array<double, N> read_weights(const Reader& field, const char* name, const char* what) {
  const std::vector<Reader> items = field.items();
  if (items.size() != N) {
    field.fail(std::string(name) + " must have " + std::to_string(N) + " " + what + ", got " +
               std::to_string(items.size()));
  }
  std::array<double, N> weights{};
  double sum = 0;
  for (std::size_t i = 0; i < N; ++i) {
    weights[i] = items[i].number();
    sum += weights[i];
  }
  if (!(sum > 0)) field.fail(std::string(name) + " must have a positive sum");
  for (double& w : weights) w = w * static_cast<double>(N) / sum;
  return weights;
}

}  // namespace

std::array<double, 24> read_daily_profile(const Reader& field) {
  return read_weights<24>(field, "daily_profile", "hourly weights");
}

std::array<double, 7> read_weekly_profile(const Reader& field) {
  return read_weights<7>(field, "weekly_profile", "weights, Monday to Sunday");
}

}  // namespace cmksim::load
