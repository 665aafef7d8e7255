// Scenario loader (sim/io/scenario_loader.h): the entry points. The raw text
// is screened (size, control bytes, UTF-8) before yaml-cpp sees it, so hostile
// input fails fast with a position; then the one document is parsed with its
// limits checked, and its sections are read. Every refusal below the entry
// points is a ReadFailure carrying a YAML mark, or one of yaml-cpp's
// exceptions; they are caught here, once, and become the load's one Error.
#include "sim/io/scenario_loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>

#include "sim/core/sha256.h"
#include "sim/io/message_text.h"
#include "sim/io/section_loader.h"
#include "sim/io/utf8_screen.h"
#include "sim/io/yaml_document.h"
#include "sim/io/yaml_reader.h"

namespace cmksim {
namespace {

// The one Error of a failed load, its message on one line.
Error failure(const std::string& file, SourcePos pos, const std::string& message) {
  return Error{file, pos.line, pos.column, load::one_line_message(message)};
}

Error failure_at(const std::string& file, const YAML::Mark& mark, const std::string& message) {
  return failure(file, load::pos_or_start(mark), message);
}

// The size limit as messages give it: "16 MiB" or "1000 bytes".
std::string bytes_text(std::size_t n) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  return n % kMiB == 0 && n > 0 ? std::to_string(n / kMiB) + " MiB" : std::to_string(n) + " bytes";
}

Scenario parse_and_load(std::string_view text, const std::string& label, const LoadLimits& limits) {
  const YAML::Node root = load::read_scenario_document(text, limits);
  load::SectionLoader sections;
  Scenario scenario = sections.load(load::Reader("scenario", root, root.Mark()));
  scenario.file = label;
  scenario.source_sha256 = sha256_hex(text);
  return scenario;
}

}  // namespace

Expected<Scenario> load_scenario_text(std::string_view text, const std::string& file_label) {
  return load_scenario_text(text, file_label, LoadLimits{});
}

Expected<Scenario> load_scenario_text(std::string_view text, const std::string& file_label,
                                      const LoadLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return failure(file_label, {}, "the scenario file is too large (" + std::to_string(text.size()) +
                                       " bytes; the limit is " + bytes_text(limits.max_bytes) + ")");
  }
  if (const Status screened = load::screen_utf8(text, file_label); !screened) {
    const Error& e = screened.error();
    return failure(file_label, {e.line, e.column}, e.message);
  }
  try {
    return parse_and_load(text, file_label, limits);
  } catch (const load::ReadFailure& f) {
    return failure_at(file_label, f.mark, f.message);
  } catch (const YAML::DeepRecursion& e) {
    return failure_at(file_label, e.mark,
                      "the YAML is nested too deeply (depth limit " + std::to_string(e.depth()) + " reached)");
  } catch (const YAML::Exception& e) {  // ParserException and the rest: e.msg has no position
    return failure_at(file_label, e.mark, "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    return failure(file_label, {}, std::string("cannot read the scenario: ") + e.what());
  }
}

Expected<Scenario> load_scenario_file(const std::string& path) { return load_scenario_file(path, LoadLimits{}); }

Expected<Scenario> load_scenario_file(const std::string& path, const LoadLimits& limits) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return failure(path, {}, "cannot read the scenario file: it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return failure(path, {}, std::string("cannot read the scenario file: ") +
                                 (err != 0 ? std::strerror(err) : "unknown error"));
  }
  // Read at most one byte past the limit, whatever the file claims to be.
  std::string bytes;
  char buffer[65536];
  while (bytes.size() <= limits.max_bytes && in) {
    in.read(buffer, sizeof buffer);
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return failure(path, {}, "cannot read the scenario file: read error");
  if (bytes.size() > limits.max_bytes) {
    return failure(path, {}, "the scenario file is too large (over " + bytes_text(limits.max_bytes) + ")");
  }
  return load_scenario_text(bytes, path, limits);
}

}  // namespace cmksim
