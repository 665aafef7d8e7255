// The malformed corpus (tests/malformed/): one scenario per distinct failure
// (syntax, types, units, ranges, references, duplicates, unknown fields,
// sizes and limits), each with the exact message `cmksim validate` must give,
// listed in tests/malformed/EXPECTED ("NAME.yaml<TAB>message", the path as
// this test passes it: tests/malformed/NAME.yaml from the source folder).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "process_support.h"

namespace fs = std::filesystem;

namespace {

const fs::path kFolder = fs::path(CMKSIM_SOURCE_DIR) / "tests" / "malformed";

using Result = cmksim::test::CommandResult;  // stdout and stderr together

// Runs cmksim from the source folder, so paths in messages are relative.
Result cmksim_in_source(const std::string& args) {
  return cmksim::test::run_command("cd '" + std::string(CMKSIM_SOURCE_DIR) + "' && " + std::string(CMKSIM_BINARY) +
                                   " " + args + " 2>&1");
}

// file name -> expected message; '#' lines are comments.
std::map<std::string, std::string> manifest(std::vector<std::string>* duplicates = nullptr) {
  std::ifstream in(kFolder / "EXPECTED");
  REQUIRE(in);
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const bool inserted = out.emplace(line.substr(0, tab), line.substr(tab + 1)).second;
    if (!inserted && duplicates != nullptr) duplicates->push_back(line.substr(0, tab));
  }
  return out;
}

}  // namespace

TEST_CASE("Malformed: each scenario of the corpus gets exactly its expected message and exit 2 from validate") {
  const auto expected = manifest();
  REQUIRE(expected.size() >= 60);
  for (const auto& [name, message] : expected) {
    const Result r = cmksim_in_source("validate tests/malformed/" + name);
    INFO(name);
    CHECK(r.status == 2);
    CHECK(r.output == message + "\n");
  }
}

TEST_CASE("Malformed: every file of the corpus is in the manifest and every manifest line names a file") {
  std::vector<std::string> duplicates;
  const auto expected = manifest(&duplicates);
  CHECK(duplicates.empty());
  std::set<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(kFolder)) {
    const std::string name = entry.path().filename().string();
    if (name == "EXPECTED") continue;
    INFO(name);
    CHECK(entry.path().extension() == ".yaml");  // the CLI test runs every .yaml here
    CHECK(expected.count(name) == 1);
    on_disk.insert(name);
  }
  for (const auto& [name, message] : expected) {
    INFO(name);
    CHECK(on_disk.count(name) == 1);
    CHECK(message.rfind("tests/malformed/" + name + ":", 0) == 0);  // names its file
  }
}

TEST_CASE("Malformed: the corpus holds at least 60 distinct failures, each message once") {
  const auto expected = manifest();
  std::set<std::string> messages;  // without the file name
  for (const auto& [name, message] : expected) {
    const std::string without_file = message.substr(std::min(message.size(), ("tests/malformed/" + name).size()));
    INFO(name << ": " << message);
    CHECK(messages.insert(without_file).second);
  }
  CHECK(messages.size() >= 60);
}
