// Helpers for the tests that start processes and touch files: a shell
// command's exit status and output, scratch folders removed with their files,
// whole-file reads and a database's `sqlite3 .dump`.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace cmksim::test {

struct CommandResult {
  int status = -1;     // the exit status; -1 when a signal ended the command
  std::string output;  // its standard output (and standard error, when redirected there)
};

// Runs `command` through /bin/sh and collects its standard output; append
// " 2>&1" to collect standard error too.
inline CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// `cmksim ARGS` (the binary under test), its standard output and standard
// error together.
inline CommandResult run_cmksim_merged(const std::string& args) {
  return run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>&1");
}

// The whole file, byte for byte ("" if it cannot be read).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `sqlite3 DB .dump`, which must succeed.
inline std::string sqlite_dump(const std::string& db) {
  const CommandResult r = run_command("sqlite3 '" + db + "' .dump");
  REQUIRE(r.status == 0);
  return r.output;
}

// A fresh folder for one test case, "cmksim-<name>-<pid>" in the system's
// temporary folder (ctest runs test processes in parallel), removed with
// everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / ("cmksim-" + name + "-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // The names of the entries in the folder, sorted.
  std::vector<std::string> entries() const {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) names.insert(entry.path().filename().string());
    return {names.begin(), names.end()};
  }

 private:
  std::filesystem::path path_;
};

}  // namespace cmksim::test
