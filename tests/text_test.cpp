// The text helpers of sim/core/text.h: did-you-mean suggestions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/core/text.h"
#include "sim/random/distributions.h"
#include "sim/random/rng.h"

using namespace cmksim;

namespace {

// The full-matrix optimal-string-alignment distance and the all-pairs
// closest match, as sim/core/text.cpp had them before issue 18: the
// reference the bounded version must agree with on short names.
std::size_t reference_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::string reference_closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    const std::size_t d = reference_distance(word, c);
    if (best.empty() || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  const std::size_t limit = std::max<std::size_t>(1, std::max(word.size(), best.size()) / 3);
  return (!best.empty() && best_distance <= limit) ? best : std::string();
}

std::string random_word(Rng& rng, std::size_t max_length) {
  const auto length = static_cast<std::size_t>(uniform_int(rng, 1, static_cast<std::int64_t>(max_length)));
  std::string w;
  for (std::size_t i = 0; i < length; ++i) w += static_cast<char>('a' + uniform_int(rng, 0, 3));  // few letters: near misses
  return w;
}

}  // namespace

TEST_CASE("Text: did-you-mean suggests the closest name within a third of its length") {
  const std::vector<std::string> names = {"sampled", "worst", "best"};
  CHECK(closest_match("wrost", names) == "worst");  // a transposition costs 1
  CHECK(closest_match("sampeld", names) == "sampled");
  CHECK(closest_match("zzzzzz", names).empty());
  CHECK(did_you_mean("bset", names) == " (did you mean 'best'?)");
  CHECK(did_you_mean("nothing-like", names).empty());
}

TEST_CASE("Text: the bounded did-you-mean agrees with the all-pairs full-matrix one on short names (500 seeds)") {
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    Rng rng = Rng::stream(seed, "text_test");
    std::vector<std::string> candidates;
    const auto count = uniform_int(rng, 1, 12);
    for (std::int64_t i = 0; i < count; ++i) candidates.push_back(random_word(rng, 12));
    const std::string word = random_word(rng, 12);
    INFO("seed " << seed << ": " << word);
    CHECK(closest_match(word, candidates) == reference_closest(word, candidates));
    CHECK(edit_distance(word, candidates.front()) == reference_distance(word, candidates.front()));
  }
}

TEST_CASE("Issue 18: names of thousands of characters get no suggestion, and no matrix of their size") {
  const std::string long_a(16000, 'a');
  std::string long_b = long_a;
  long_b[8000] = 'b';
  // One substitution apart, but past the compared length: no suggestion
  // (before, this pair alone built a 16,001 x 16,001 matrix: 2 GB).
  CHECK(closest_match(long_a, {long_b}).empty());
  CHECK(closest_match("ab", {long_b, "abc"}) == "abc");  // long candidates are skipped, short ones still match
  CHECK(edit_distance(std::string(3000, 'x'), std::string(3000, 'y')) == 3000);  // rolling rows: O(|b|) memory
}
