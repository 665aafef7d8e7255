#include "sim/check/junit.h"

#include "sim/io/atomic_file.h"

namespace cmksim {
namespace {

int count(const JunitSuite& suite, JunitCase::Result result) {
  int n = 0;
  for (const JunitCase& c : suite.cases) n += c.result == result ? 1 : 0;
  return n;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default: out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
  }
  return out;
}

std::string junit_xml(const std::vector<JunitSuite>& suites) {
  int tests = 0, failures = 0, errors = 0;
  for (const JunitSuite& s : suites) {
    tests += static_cast<int>(s.cases.size());
    failures += count(s, JunitCase::Result::kFailure);
    errors += count(s, JunitCase::Result::kError);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"cmksim check\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" time=\"0\">\n";
  for (const JunitSuite& s : suites) {
    out += "  <testsuite name=\"" + xml_escape(s.name) + "\" tests=\"" + std::to_string(s.cases.size()) +
           "\" failures=\"" + std::to_string(count(s, JunitCase::Result::kFailure)) + "\" errors=\"" +
           std::to_string(count(s, JunitCase::Result::kError)) + "\" skipped=\"0\" time=\"0\" file=\"" +
           xml_escape(s.file) + "\">\n";
    for (const JunitCase& c : s.cases) {
      out += "    <testcase classname=\"" + xml_escape(s.name) + "\" name=\"" + xml_escape(c.name) + "\" time=\"0\"";
      if (c.result == JunitCase::Result::kPassed) {
        out += "/>\n";
        continue;
      }
      const char* element = c.result == JunitCase::Result::kFailure ? "failure" : "error";
      out += ">\n      <" + std::string(element) + " message=\"" + xml_escape(c.message) + "\">" +
             xml_escape(c.detail) + "</" + element + ">\n    </testcase>\n";
    }
    if (!s.warnings.empty()) {  // what validate warns about, visible in CI (issue 15, item 8)
      out += "    <system-out>";
      for (const std::string& w : s.warnings) out += xml_escape(w) + "&#10;";
      out += "</system-out>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

Status write_junit(const std::string& path, const std::vector<JunitSuite>& suites) {
  return write_file_atomically(path, junit_xml(suites));
}

}  // namespace cmksim
