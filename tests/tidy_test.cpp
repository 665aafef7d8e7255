// Tidy: a scan of the simulator's source tree for calls that would make a run
// depend on the machine or the moment (wall clocks, unseeded or std::
// randomness) or on hash order (unordered containers, whose iteration order
// could leak into reports). Only sim/ is scanned: tools/ may time things.
// The scan is plain text, comments included, so the words themselves are
// kept out of sim/.
//
// It also checks the layers (README "Layout"; CMakeLists.txt makes each layer
// a library that sees only the headers below it): every `#include "sim/..."`
// under sim/ against a table layer -> layers it may use, and yaml-cpp and
// SQLite included only under sim/io.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
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

struct Layer {
  std::string_view name;
  std::vector<std::string_view> folders;  // under sim/
  std::vector<std::string_view> uses;     // the layers below it, whose headers it may include
};

// The same table as the cmksim_layer() calls of CMakeLists.txt.
const std::vector<Layer> kLayers = {
    {"base", {"core", "random", "engine", "spec"}, {}},
    {"scenario", {"scenario", "profile", "record"}, {"base"}},
    {"graph", {"graph"}, {"base", "scenario"}},
    {"model", {"model"}, {"base", "scenario", "graph"}},
    {"lint", {"lint"}, {"base", "scenario", "graph"}},
    {"io", {"io"}, {"base", "scenario"}},
    {"import", {"import"}, {"base", "scenario"}},
    {"analysis", {"check", "report", "sweep"}, {"base", "scenario", "io"}},
    {"cli", {"cli"}, {"base", "scenario", "graph", "model", "lint", "io", "import", "analysis"}},
};


// Headers of libraries only sim/io may use (the edges: YAML and SQLite).
constexpr std::string_view kIoOnly[] = {"<yaml-cpp/", "<sqlite3.h>"};

const Layer* layer_of_folder(std::string_view folder) {
  for (const Layer& layer : kLayers) {
    if (std::find(layer.folders.begin(), layer.folders.end(), folder) != layer.folders.end()) return &layer;
  }
  return nullptr;
}

// "sim/model/model.h" -> "model"; "" when the path is not under sim/.
std::string_view folder_of(std::string_view path) {
  if (path.substr(0, 4) != "sim/") return {};
  const std::size_t slash = path.find('/', 4);
  return slash == std::string_view::npos ? std::string_view() : path.substr(4, slash - 4);
}

bool may_include(const Layer& from, std::string_view header) {
  const Layer* to = layer_of_folder(folder_of(header));
  if (to == nullptr) return false;
  return to == &from || std::find(from.uses.begin(), from.uses.end(), to->name) != from.uses.end();
}

// Every include of `text` (a file in sim/<folder>/) that breaks the layers,
// as "LINE: what", in line order.
std::vector<std::string> include_problems(std::string_view folder, std::string_view text) {
  std::vector<std::string> problems;
  const Layer* from = layer_of_folder(folder);
  if (from == nullptr) return {"0: sim/" + std::string(folder) + "/ belongs to no layer (add it to the table)"};
  int line_number = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    const std::string at = std::to_string(line_number) + ": ";
    start = end + 1;
    ++line_number;
    line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    if (line.substr(0, 8) != "#include") continue;
    line.remove_prefix(std::min(line.find_first_of("\"<"), line.size()));
    for (const std::string_view banned : kIoOnly) {
      if (line.substr(0, banned.size()) == banned && from->name != "io") {
        problems.push_back(at + std::string(banned) + " outside sim/io");
      }
    }
    if (line.empty() || line.front() != '"') continue;
    const std::string_view header = line.substr(1, line.find('"', 1) - 1);
    if (folder_of(header).empty()) {
      problems.push_back(at + "\"" + std::string(header) + "\" is not a path from the source root (sim/...)");
    } else if (!may_include(*from, header)) {
      problems.push_back(at + std::string(from->name) + " may not include " + std::string(header));
    }
  }
  return problems;
}

std::vector<fs::path> files_under(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("Tidy: sim/ uses no wall clock and no nondeterministic randomness") {
  const fs::path root = fs::path(CMKSIM_SOURCE_DIR) / "sim";
  REQUIRE(fs::is_directory(root));
  const std::vector<fs::path> files = files_under(root);
  REQUIRE(files.size() > 10);  // the scan really found the tree

  std::ostringstream report;
  int hit_count = 0;
  for (const fs::path& file : files) {
    for (const Hit& hit : find_banned(read_file(file))) {
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

TEST_CASE("Tidy: every include under sim/ respects the layers, and yaml-cpp and SQLite stay in sim/io") {
  const fs::path root = fs::path(CMKSIM_SOURCE_DIR) / "sim";
  REQUIRE(fs::is_directory(root));
  std::ostringstream report;
  int problem_count = 0;
  int files_checked = 0;
  for (const fs::path& file : files_under(root)) {
    const fs::path relative = fs::relative(file, root);
    const std::string folder = relative.begin()->string();
    if (folder == relative.string()) continue;  // a file directly in sim/ (none today)
    if (file.extension() == ".yaml") continue;    // shipped data (profiles, templates)
    ++files_checked;
    for (const std::string& problem : include_problems(folder, read_file(file))) {
      report << "sim/" << relative.string() << ":" << problem << "\n";
      ++problem_count;
    }
  }
  REQUIRE(files_checked > 50);  // the scan really found the tree
  INFO("includes across the layers:\n" << report.str());
  CHECK(problem_count == 0);
}

TEST_CASE("Tidy: the layer check finds planted breaches, with their lines") {
  const std::string sweep =
      "#include \"sim/sweep/sweep.h\"\n"
      "#include <yaml-cpp/yaml.h>\n"
      "#include \"sim/io/results_db.h\"\n"
      "  #include \"sim/model/model.h\"\n"
      "#include \"sim/graph/resource_graph.h\"\n"
      "#include \"overrides.h\"\n"
      "#include <sqlite3.h>";
  const std::vector<std::string> expected = {
      "2: <yaml-cpp/ outside sim/io",
      "4: analysis may not include sim/model/model.h",
      "5: analysis may not include sim/graph/resource_graph.h",
      "6: \"overrides.h\" is not a path from the source root (sim/...)",
      "7: <sqlite3.h> outside sim/io",
  };
  CHECK(include_problems("sweep", sweep) == expected);

  CHECK(include_problems("io", "#include <sqlite3.h>\n#include \"sim/record/run_record.h\"").empty());
  CHECK(include_problems("io", "#include \"sim/check/expectations.h\"") ==
        std::vector<std::string>{"1: io may not include sim/check/expectations.h"});
  CHECK(include_problems("graph", "#include \"sim/model/ingestion.h\"").size() == 1);  // the graph is below the model
  CHECK(include_problems("graph", "#include \"sim/model/model.h\"").size() == 1);
  CHECK(include_problems("cli", "#include \"sim/model/model.h\"\n#include \"sim/sweep/sweep.h\"").empty());
  CHECK(include_problems("base", "#include \"sim/scenario/scenario.h\"").size() == 1);
  CHECK(include_problems("nowhere", "").size() == 1);  // a new folder must join a layer
}
