// JUnit XML: the `cmksim check --junit` report that CI systems (GitHub
// Actions, GitLab, Jenkins) display. One <testsuite> per scenario (name =
// the scenario's name, file = its path), one <testcase> per expectation;
// a <failure> when it is not met, an <error> when the scenario could not be
// loaded or run. Everything is XML-escaped; the output holds no timestamps
// (time="0"), so the same check gives the same file.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace cmksim {

struct JunitCase {
  enum class Result { kPassed, kFailure, kError } result = Result::kPassed;
  std::string name;     // the expectation's text
  std::string message;  // kFailure/kError: one line, the message attribute
  std::string detail;   // kFailure/kError: the element's text
};

struct JunitSuite {
  std::string name;  // the scenario's name (its path when it could not be loaded)
  std::string file;  // the scenario's path
  std::vector<JunitCase> cases;
  std::vector<std::string> warnings;  // the plan lint's, "file:line:col: warning: ..." (<system-out>)
};

// Escapes & < > " ' and writes tab, newline and carriage return as character
// references (kept in attributes); other control characters, which XML 1.0
// cannot hold, become '?'.
std::string xml_escape(std::string_view text);

std::string junit_xml(const std::vector<JunitSuite>& suites);

// Writes junit_xml to a temporary file beside `path`, then renames it into
// place. Returns "" or why it could not.
Status write_junit(const std::string& path, const std::vector<JunitSuite>& suites);

}  // namespace cmksim
