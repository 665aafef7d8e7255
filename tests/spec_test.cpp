// The project owns its documents (issue 13): the behaviour catalogue and the
// interface contract live in sim/spec/, are embedded in the binary, and
// nothing in the repository points outside it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "sim/spec/behaviour_catalogue.h"
#include "sim/spec/spec_documents.h"

namespace fs = std::filesystem;
using namespace cmksim;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const fs::path kRoot = fs::path(CMKSIM_SOURCE_DIR);

}  // namespace

TEST_CASE("Spec: the embedded catalogue and contract are the files in sim/spec") {
  CHECK(behaviours_markdown() == slurp(kRoot / "sim/spec/BEHAVIORS.md"));
  CHECK(interface_markdown() == slurp(kRoot / "sim/spec/INTERFACE.md"));
}

TEST_CASE("Spec: every behaviour ID appears once, section by section (K D R C W Q L P), each with a priority and text") {
  const auto& catalogue = behaviour_catalogue();
  REQUIRE(catalogue.size() >= 38);  // K1-5 D1-13 R1-4 C1-8 W1-3 Q1-3 L1 P1
  const std::string order = "KDRCWQLP";
  std::set<std::string> seen;
  std::size_t section = 0;
  for (const BehaviourEntry& b : catalogue) {
    INFO(b.id);
    CHECK(seen.insert(b.id).second);
    const std::size_t at = order.find(b.id[0]);
    REQUIRE(at != std::string::npos);
    CHECK(at >= section);  // sections never go back
    section = at;
    CHECK(std::regex_match(b.priority, std::regex("P[123]")));
    CHECK(b.text.size() > 20);
    CHECK(b.text.find('\n') == std::string::npos);
    CHECK(b.section.substr(0, 1) == b.id.substr(0, 1));
  }
  for (const char* id : {"K1", "D7", "D13", "R1", "C2", "C7", "W2", "Q3", "L1", "P1"}) {
    CHECK(find_behaviour(id) != nullptr);
  }
  CHECK(find_behaviour("Z9") == nullptr);
}

TEST_CASE("Spec: D7's resolution and the Q section's priority are carried from the document") {
  const BehaviourEntry* d7 = find_behaviour("D7");
  REQUIRE(d7 != nullptr);
  CHECK(d7->priority == "P1");
  CHECK(d7->text.find("within one hour") != std::string::npos);
  CHECK(d7->text.find("Resolved") == std::string::npos);
  CHECK(d7->resolution.find("first denied call") != std::string::npos);
  const BehaviourEntry* q1 = find_behaviour("Q1");  // "## Q — ... (P3)", the entry has none of its own
  REQUIRE(q1 != nullptr);
  CHECK(q1->priority == "P3");
}

TEST_CASE("Spec: the catalogue parser joins continuation lines and splits the resolution") {
  const auto entries = parse_behaviour_catalogue(
      "# title\n\nintro **Resolved:** not an entry\n\n"
      "## A — first (P2)\n"
      "- **A1** one\n  two\n"
      "- **A2 (P1)** three **Resolved:** four\n  five\n\n"
      "## B — second\n"
      "- **B1 (P3)** six");
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].id == "A1");
  CHECK(entries[0].priority == "P2");
  CHECK(entries[0].text == "one two");
  CHECK(entries[0].resolution.empty());
  CHECK(entries[1].priority == "P1");
  CHECK(entries[1].text == "three");
  CHECK(entries[1].resolution == "four five");
  CHECK(entries[2].section == "B — second");
  CHECK(entries[2].text == "six");
}

TEST_CASE("Spec: the README, the reference and the tests point at nothing outside the repository") {
  const std::string outside = std::string("../") + "shared";
  for (const fs::path& p : {kRoot / "README.md", kRoot / "reports/README.md", kRoot / "scenarios/REFERENCE.md"}) {
    INFO(p.string());
    CHECK(slurp(p).find(outside) == std::string::npos);
  }
  for (const auto& entry : fs::directory_iterator(kRoot / "tests")) {
    if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
    INFO(entry.path().string());
    CHECK(slurp(entry.path()).find(outside) == std::string::npos);
  }
  // Every relative Markdown link of the README names a file of the repository.
  const std::string readme = slurp(kRoot / "README.md");
  const std::regex link(R"(\]\(([^)#:]+)(#[^)]*)?\))");
  int links = 0;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), link); it != std::sregex_iterator(); ++it) {
    const std::string target = (*it)[1];
    INFO(target);
    CHECK(fs::exists(kRoot / target));
    ++links;
  }
  CHECK(links >= 3);
}
