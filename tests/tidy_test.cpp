// Tidy: a scan of the simulator's source tree for calls that would make a run
// depend on the machine or the moment (wall clocks, unseeded or std::
// randomness) or on hash order (unordered containers, whose iteration order
// could leak into reports). Only sim/ is scanned: tools/ may time things.
// The scan is plain text, comments included, so the words themselves are
// kept out of sim/.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kBanned[] = {
    "std::rand",     " rand(",          "srand",        "random_device",
    "system_clock",  "steady_clock",    "high_resolution_clock",
    "time(nullptr)", "time(NULL)",      "gettimeofday", "clock_gettime",
    "std::uniform_int_distribution",    "_distribution<",
    "unordered_map", "unordered_set",
};

struct Hit {
  int line;
  std::string_view token;
};

// Every banned token in `text`, by line (1-based), in order.
std::vector<Hit> find_banned(std::string_view text) {
  std::vector<Hit> hits;
  int line_number = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    for (const std::string_view token : kBanned) {
      if (line.find(token) != std::string_view::npos) hits.push_back({line_number, token});
    }
    start = end + 1;
    ++line_number;
  }
  return hits;
}

}  // namespace

TEST_CASE("Tidy: sim/ uses no wall clock and no nondeterministic randomness") {
  const fs::path root = fs::path(CMKSIM_SOURCE_DIR) / "sim";
  REQUIRE(fs::is_directory(root));
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 10);  // the scan really found the tree

  std::ostringstream report;
  int hit_count = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    for (const Hit& hit : find_banned(text)) {
      report << fs::relative(file, CMKSIM_SOURCE_DIR).string() << ":" << hit.line << ": " << hit.token << "\n";
      ++hit_count;
    }
  }
  INFO("banned tokens in sim/:\n" << report.str());
  CHECK(hit_count == 0);
}

TEST_CASE("Tidy: the scanner finds planted banned tokens, with their lines") {
  const std::string planted =
      "int ok = 1;\n"
      "auto t = std::chrono::system_clock::now();\n"
      "\n"
      "std::unordered_map<int, int> m; int r = rand(); srand(3);\n"
      "std::uniform_int_distribution<int> d(0, 9);";
  const std::vector<Hit> hits = find_banned(planted);
  std::vector<std::string> found;
  for (const Hit& hit : hits) found.push_back(std::to_string(hit.line) + " " + std::string(hit.token));
  // In line order, then in the order of the banned list.
  const std::vector<std::string> expected = {
      "2 system_clock", "4  rand(", "4 srand", "4 unordered_map", "5 std::uniform_int_distribution",
      "5 _distribution<",
  };
  CHECK(found == expected);

  CHECK(find_banned("int x = operand(1);  // randomness-free, timeless").empty());
  CHECK(find_banned("").empty());
  CHECK(find_banned("gettimeofday").size() == 1);  // a hit on the last line, no newline
}
