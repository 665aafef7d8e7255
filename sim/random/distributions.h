// Integer-only distributions over Rng. Each gives the same value for the same
// generator state on every platform: no floating-point maths, no std::
// distribution objects (whose algorithms differ between standard libraries).
#pragma once
#include <array>
#include <cstdint>

#include "sim/core/check.h"
#include "sim/random/rng.h"

namespace cmksim {

// 128-bit products for exact fixed-point arithmetic (GCC and Clang).
__extension__ typedef unsigned __int128 u128;

// Uniform integer in [lo, hi], unbiased (Lemire's multiply-and-reject).
// REQUIRES: lo <= hi
inline std::int64_t uniform_int(Rng& rng, std::int64_t lo, std::int64_t hi) {
  CMKSIM_CHECK(lo <= hi, "uniform_int: empty range");
  const std::uint64_t range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  if (range == 0) return static_cast<std::int64_t>(rng.next());  // the full 64-bit range
  u128 m = static_cast<u128>(rng.next()) * range;
  auto low = static_cast<std::uint64_t>(m);
  if (low < range) {
    const std::uint64_t threshold = (0 - range) % range;
    while (low < threshold) {
      m = static_cast<u128>(rng.next()) * range;
      low = static_cast<std::uint64_t>(m);
    }
  }
  // In unsigned arithmetic: lo + offset may exceed INT64_MAX as an intermediate
  // (offset > 2^63 when the range is over half of int64), which is undefined
  // behaviour in signed arithmetic (found by UBSan); the result is the same.
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + static_cast<std::uint64_t>(m >> 64));
}

// uniform_int over one range, drawn again and again (a cluster's Key Vault
// call gaps, D3): the same values from the same generator state, with the
// rejection threshold worked out once instead of at each rejection.
// REQUIRES: lo <= hi
class UniformInt {
 public:
  UniformInt(std::int64_t lo, std::int64_t hi)
      : lo_(static_cast<std::uint64_t>(lo)),
        range_(static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1),
        threshold_(range_ == 0 ? 0 : (0 - range_) % range_) {
    CMKSIM_CHECK(lo <= hi, "UniformInt: empty range");
  }

  std::int64_t operator()(Rng& rng) const {
    if (range_ == 0) return static_cast<std::int64_t>(rng.next());  // the full 64-bit range
    u128 m = static_cast<u128>(rng.next()) * range_;
    while (static_cast<std::uint64_t>(m) < threshold_) m = static_cast<u128>(rng.next()) * range_;
    return static_cast<std::int64_t>(lo_ + static_cast<std::uint64_t>(m >> 64));
  }

 private:
  std::uint64_t lo_, range_, threshold_;
};

// True with probability numerator/denominator (an integer ratio, no floats).
inline bool chance(Rng& rng, std::uint64_t numerator, std::uint64_t denominator) {
  CMKSIM_CHECK(denominator > 0 && numerator <= denominator, "chance: bad ratio");
  return static_cast<std::uint64_t>(uniform_int(rng, 0, static_cast<std::int64_t>(denominator) - 1)) < numerator;
}

namespace detail {

// log2(1 + i/4096) in Q32 for i in [0, 4096], computed by the exact
// bit-by-bit squaring algorithm in integer arithmetic at compile time.
constexpr std::uint64_t log2_q32_of_q61(std::uint64_t y) {  // y in [1, 2) as Q61
  std::uint64_t result = 0;
  for (int bit = 31; bit >= 0; --bit) {
    y = static_cast<std::uint64_t>((static_cast<u128>(y) * y) >> 61);
    if (y >= (std::uint64_t{2} << 61)) {
      y >>= 1;
      result |= std::uint64_t{1} << bit;
    }
  }
  return result;
}

constexpr std::array<std::uint64_t, 4097> make_log2_table() {
  std::array<std::uint64_t, 4097> table{};
  for (std::uint64_t i = 0; i < 4096; ++i) {
    table[i] = log2_q32_of_q61((std::uint64_t{1} << 61) + (i << 49));
  }
  table[4096] = std::uint64_t{1} << 32;
  return table;
}

inline constexpr std::array<std::uint64_t, 4097> kLog2Table = make_log2_table();

// log2(v) in Q32 for v >= 1: the integer part from the leading bit, the
// fraction from the table with linear interpolation (error below 1e-7).
inline std::uint64_t log2_q32(std::uint64_t v) {
  const int k = 63 - __builtin_clzll(v);
  const std::uint64_t mantissa = v << (63 - k);  // Q63 in [1, 2)
  const std::uint64_t index = (mantissa >> 51) & 0xFFF;
  const std::uint64_t rest = mantissa & ((std::uint64_t{1} << 51) - 1);
  const std::uint64_t lo = kLog2Table[index];
  const std::uint64_t hi = kLog2Table[index + 1];
  const std::uint64_t frac = lo + static_cast<std::uint64_t>((static_cast<u128>(hi - lo) * rest) >> 51);
  return (static_cast<std::uint64_t>(k) << 32) + frac;
}

}  // namespace detail

// Exponentially distributed integer with the given mean (in whatever unit the
// caller uses, ticks or ms), by inversion: -ln(U) * mean, in fixed point.
// REQUIRES: mean >= 0
inline std::int64_t exponential(Rng& rng, std::int64_t mean) {
  CMKSIM_CHECK(mean >= 0, "exponential: negative mean");
  constexpr std::uint64_t kLn2Q32 = 2977044472ULL;  // ln(2) * 2^32
  const std::uint64_t v = (rng.next() >> 11) + 1;  // U = v / 2^53 in (0, 1]
  const std::uint64_t minus_log2_u = (std::uint64_t{53} << 32) - detail::log2_q32(v);  // Q32
  const auto minus_ln_u = static_cast<std::uint64_t>((static_cast<u128>(minus_log2_u) * kLn2Q32) >> 32);
  const auto scaled = static_cast<u128>(minus_ln_u) * static_cast<std::uint64_t>(mean);
  return static_cast<std::int64_t>((scaled + (std::uint64_t{1} << 31)) >> 32);
}

}  // namespace cmksim
