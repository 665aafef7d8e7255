// Rng: the simulator's only source of randomness, a xoshiro256** generator.
//
// One seed comes in per run; every component draws from its own *named*
// stream derived from it (Rng::stream(seed, "kv/lacluster01")), so adding a
// component or an extra draw in one place never shifts the draws of another.
// The generator and every distribution in distributions.h use integer
// arithmetic only, so a seed gives the same numbers on every platform and
// standard library (std::*_distribution does not).
#pragma once
#include <cstdint>
#include <string_view>

namespace cmksim {

class Rng {
 public:
  // A stream of `seed` identified by `name`.
  static Rng stream(std::uint64_t seed, std::string_view name) {
    return Rng(seed ^ fnv1a(name));
  }

  explicit Rng(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // A digest of the generator's state: equal after two runs of the same
  // scenario and seed (the double-run check compares it).
  std::uint64_t state_digest() const { return s_[0] ^ rotl(s_[1], 16) ^ rotl(s_[2], 32) ^ rotl(s_[3], 48); }

  static std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  static std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 0xCBF29CE484222325ULL;
    for (const char c : text) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001B3ULL;
    }
    return h;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace cmksim
