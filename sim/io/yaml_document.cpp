#include "sim/io/yaml_document.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <string>
#include <vector>

#include "sim/io/limit_scan.h"
#include "sim/io/yaml_reader.h"

namespace cmksim::load {
namespace {

constexpr const char* kEmpty = "the scenario file is empty";
constexpr const char* kTwoDocuments = "the scenario file holds more than one YAML document (one scenario per file)";

// True when the text holds nothing but blank lines, comments and document markers.
bool only_comments(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t\r\xef\xbb\xbf");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::string rest = line.substr(first, 3);
    const bool marker = rest == "---" || rest == "...";
    if (marker && line.find_first_not_of(" \t\r", first + 3) == std::string::npos) continue;
    return false;
  }
  return true;
}

// Records where each document starts, to point at a second one.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

YAML::Mark second_document_start(std::string_view text) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  DocumentStarts starts;
  while (starts.starts.size() < 2 && parser.HandleNextDocument(starts)) {
  }
  return starts.starts.size() >= 2 ? starts.starts[1] : YAML::Mark::null_mark();
}

}  // namespace

// Failures without a position (a null mark) are reported at 1:1 by the
// entry point (pos_or_start).
YAML::Node read_scenario_document(std::string_view text, const LoadLimits& limits) {
  const DocumentCount scan = scan_limits(text, limits);
  if (scan.documents == 0 || only_comments(text)) fail_at(YAML::Mark::null_mark(), kEmpty);
  if (scan.documents > 1) fail_at(scan.second_start, kTwoDocuments);
  std::istringstream in{std::string(text)};
  const std::vector<YAML::Node> documents = YAML::LoadAll(in);
  if (documents.empty() || (documents[0].IsNull() && only_comments(text))) fail_at(YAML::Mark::null_mark(), kEmpty);
  if (documents.size() > 1) fail_at(second_document_start(text), kTwoDocuments);
  const YAML::Node& root = documents[0];
  if (!root.IsMap()) {
    fail_at(root.Mark(), std::string("the scenario must be a YAML mapping (version: 1, name: ..., duration: ...), ") +
                             "got " + kind_of(root));
  }
  check_node_limits(root, limits);
  return root;
}

}  // namespace cmksim::load
