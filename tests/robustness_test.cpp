// Robustness (the fuzzing/sanitizers/limits issue): the fuzz regressions of
// tests/fuzz-regressions replayed through the fuzz targets' own properties,
// the loader's limits (LoadLimits, --max-events, --max-years), crash-safe
// output (SIGKILL and SIGINT at any moment leave the previous database or a
// complete new one, never a partial one), and untrusted text in every output.
// No assertion depends on wall-clock time: kills land at a spread of moments
// and every outcome is checked; how long things take is measured by hand
// (README) and by tools/fuzz.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "process_support.h"
#include "sim/io/scenario_loader.h"
#include "tools/fuzzers/fuzz_checks.h"

extern char** environ;

namespace fs = std::filesystem;
using cmksim::load_scenario_text;
using cmksim::LoadLimits;

namespace {

// ---------------------------------------------------------------------------
// Helpers: the binary, scratch files, SQLite

using Result = cmksim::test::CommandResult;
using cmksim::test::read_file;

Result run_shell(const std::string& command) { return cmksim::test::run_command(command); }

// cmksim with stdout only, or stdout and stderr together.
Result run_cmksim(const std::string& args, bool with_stderr = true) {
  return run_shell(std::string(CMKSIM_BINARY) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null"));
}

fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "cmksim-robustness-test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

std::string error_of(const std::string& yaml, const LoadLimits& limits = LoadLimits{}) {
  const cmksim::Expected<cmksim::Scenario> r = load_scenario_text(yaml, "t.yaml", limits);
  return r ? std::string("(loaded)") : r.error().str();
}

const std::string kHead = "version: 1\nname: t\nduration: 3d\n";

// "ok" when SQLite opens `db` read-only and PRAGMA integrity_check passes.
std::string integrity(const fs::path& db) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    return "cannot open";
  }
  sqlite3_stmt* stmt = nullptr;
  std::string verdict = "cannot check";
  if (sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    verdict = text ? reinterpret_cast<const char*>(text) : "null";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return verdict;
}

std::string dump(const fs::path& db) { return cmksim::test::sqlite_dump(db.string()); }

// Rows of a one-column query, with `param` bound to ?1 when given.
std::vector<std::string> column(const fs::path& db, const std::string& sql, const std::string* param = nullptr) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  if (param != nullptr) {
    REQUIRE(sqlite3_bind_text64(stmt, 1, param->data(), param->size(), SQLITE_TRANSIENT, SQLITE_UTF8) == SQLITE_OK);
  }
  std::vector<std::string> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* text = static_cast<const char*>(sqlite3_column_blob(stmt, 0));
    const int size = sqlite3_column_bytes(stmt, 0);
    rows.emplace_back(text ? std::string(text, static_cast<std::size_t>(size)) : std::string());
  }
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return rows;
}

// Starts cmksim with `args`, its output thrown away (or its stderr written to
// `stderr_file`); returns its pid.
pid_t spawn_cmksim(const std::vector<std::string>& args, const fs::path& stderr_file = "/dev/null") {
  std::vector<std::string> argv_text = {CMKSIM_BINARY};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

void sleep_ms(int ms) { usleep(static_cast<useconds_t>(ms) * 1000); }

// Waits for `pid` (at most `bound_s` seconds, then kills it and fails: a
// bound against a hang, not a timing assertion). Returns the raw status.
int wait_bounded(pid_t pid, int bound_s = 300) {
  int status = 0;
  for (long waited_ms = 0;; waited_ms += 5) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    REQUIRE(done == 0);
    if (waited_ms > bound_s * 1000L) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      FAIL("cmksim did not exit within " << bound_s << " s");
    }
    sleep_ms(5);
  }
}

// The files beside `target` whose name starts with "<target name>.tmp".
std::vector<fs::path> temp_files_beside(const fs::path& target) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(target.parent_path())) {
    if (entry.path().filename().string().rfind(target.filename().string() + ".tmp", 0) == 0) {
      out.push_back(entry.path());
    }
  }
  return out;
}

// Sleeps until `file` exists or `pid` has exited.
void wait_for_file(const fs::path& file, pid_t pid) {
  for (int i = 0; i < 600000; ++i) {  // a bound against a hang (at most ~2 min)
    if (fs::exists(file)) return;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != 0) return;
    usleep(200);
  }
}

// Sleeps until the temporary file of `pid`'s database exists (the writer's
// "<target>.tmp-<pid>", sim/io/results_db.cpp) or `pid` has exited.
void wait_for_temp_file(const fs::path& target, pid_t pid) {
  const fs::path temp = target.string() + ".tmp-" + std::to_string(pid);
  wait_for_file(temp, pid);
}

// A long run: `days` simulated, `workspaces` CMK workspaces with background
// queries, and `events` set_ingestion events spread over the time (each one
// a row in events and operations, so the database takes a while to write).
std::string long_scenario(int days, int workspaces, int events) {
  std::ostringstream y;
  y << "version: 1\nname: long-run\nduration: " << days << "d\n"
    << "key_vaults:\n  - {name: kv, region: westeurope, soft_delete: true, purge_protection: true, keys: [{name: k}]}\n"
    << "clusters:\n  - {name: c, region: westeurope, capacity_gb_per_day: 500, key: {vault: kv, key: k, version: \"\"}}\n"
    << "grants:\n  - {identity: \"cluster:c\", vault: kv}\n"
    << "workspaces:\n";
  for (int w = 0; w < workspaces; ++w) {
    y << "  - {name: ws-" << w << ", region: westeurope, cluster: c, ingest_gb_per_day: 10, queries_per_hour: 2}\n";
  }
  y << "events:\n";
  const std::int64_t step_s = static_cast<std::int64_t>(days) * 86400 / events;
  for (int e = 0; e < events; ++e) {
    y << "  - {at: " << e * step_s << "s, action: set_ingestion, workspace: ws-" << e % workspaces
      << ", gb_per_day: " << e % 50 << "}\n";
  }
  return y.str();
}

// ---------------------------------------------------------------------------
// A small JSON checker for events.detail: one value, strictly as RFC 8259
// writes it; collects the decoded strings.

class Json {
 public:
  explicit Json(std::string_view text) : s_(text) {}

  bool valid() {
    skip();
    if (!value(0)) return false;
    skip();
    return i_ == s_.size();
  }
  const std::vector<std::string>& strings() const { return strings_; }

 private:
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  bool value(int depth) {
    if (depth > 100 || i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') return string();
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return number();
  }
  bool object(int depth) {
    ++i_;
    skip();
    if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
    for (;;) {
      skip();
      if (i_ >= s_.size() || s_[i_] != '"' || !string()) return false;
      skip();
      if (i_ >= s_.size() || s_[i_++] != ':') return false;
      skip();
      if (!value(depth + 1)) return false;
      skip();
      if (i_ >= s_.size()) return false;
      if (s_[i_] == '}') return ++i_, true;
      if (s_[i_++] != ',') return false;
    }
  }
  bool array(int depth) {
    ++i_;
    skip();
    if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
    for (;;) {
      skip();
      if (!value(depth + 1)) return false;
      skip();
      if (i_ >= s_.size()) return false;
      if (s_[i_] == ']') return ++i_, true;
      if (s_[i_++] != ',') return false;
    }
  }
  static void utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  bool hex4(std::uint32_t& out) {
    if (i_ + 4 > s_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      const int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (digit < 0) return false;
      out = out * 16 + static_cast<std::uint32_t>(digit);
    }
    return true;
  }
  bool string() {
    ++i_;
    std::string out;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') {
        strings_.push_back(out);
        return true;
      }
      if (c < 0x20) return false;  // raw control characters are not JSON
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xd800 && cp <= 0xdbff) {
            std::uint32_t low = 0;
            if (!literal("\\u") || !hex4(low) || low < 0xdc00 || low > 0xdfff) return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            return false;
          }
          utf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  bool number() {
    const std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return false;
    if (s_[i_] == '0') {
      ++i_;
    } else {
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return false;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= s_.size() || !std::isdigit(static_cast<unsigned char>(s_[i_]))) return false;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    return i_ > start;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::vector<std::string> strings_;
};

// The fuzz regressions: (file, is it still open, i.e. its fix is pending).
std::vector<fs::path> fuzz_regressions(bool open) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(CMKSIM_SOURCE_DIR) / "tests" / "fuzz-regressions")) {
    const std::string name = entry.path().filename().string();
    if (name == "README.md") continue;
    if ((name.find(".open") != std::string::npos) == open) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}


void replay(const fs::path& file) {
  const std::string name = file.filename().string();
  const std::string input = read_file(file);
  INFO(name);
  if (name.rfind("fuzz_scenario-", 0) == 0) {
    CHECK(cmksim::fuzz::check_scenario_input(input).empty());
  } else if (name.rfind("fuzz_params-", 0) == 0) {
    CHECK(cmksim::fuzz::check_param_input(input).empty());
  } else {
    FAIL("a fuzz regression is named fuzz_scenario-* or fuzz_params-*");
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Fuzz regressions

TEST_CASE("Robustness: every fuzz regression input keeps the properties its fuzz target checks") {
  const auto files = fuzz_regressions(false);
  REQUIRE_FALSE(files.empty());
  for (const fs::path& f : files) replay(f);
}

// Inputs whose fix is in another owner's file, named *.open*: enable by
// removing the [.] tag once fixed (and drop ".open" from the names).
TEST_CASE("Robustness: fuzz regressions whose fix is pending", "[.][fuzz-open]") {
  for (const fs::path& f : fuzz_regressions(true)) replay(f);
}

// ---------------------------------------------------------------------------
// Limits

TEST_CASE("Robustness: the default limits are 16 MiB, depth 64, a million aliased nodes and events, 100 years") {
  const LoadLimits limits;
  CHECK(limits.max_bytes == std::size_t{16} << 20);
  CHECK(limits.max_depth == 64);
  CHECK(limits.max_alias_nodes == 1000000);
  CHECK(limits.max_events == 1000000);
  CHECK(limits.max_duration == 100 * 36525 * cmksim::kMsPerDay / 100);
}

TEST_CASE("Robustness: a file over the configured size is refused before parsing") {
  LoadLimits limits;
  limits.max_bytes = 100;
  const std::string text = kHead + "description: " + std::string(100, 'x') + "\n";
  CHECK(error_of(text, limits) == "t.yaml: the scenario file is too large (" + std::to_string(text.size()) +
                                      " bytes; the limit is 100 bytes)");
  limits.max_bytes = text.size();
  CHECK(error_of(text, limits) == "(loaded)");
}

TEST_CASE("Robustness: YAML nesting is refused past 64 levels, the top-level mapping being level 1") {
  const std::string ok = kHead + "description: " + std::string(63, '[') + std::string(63, ']') + "\n";
  CHECK(error_of(ok) == "t.yaml:4:14: description must be a string, got a list");
  const std::string deep = kHead + "description: " + std::string(64, '[') + std::string(64, ']') + "\n";
  CHECK(error_of(deep) == "t.yaml:4:77: the YAML is nested too deeply (depth limit 64 reached)");
  std::string block = kHead + "description:\n";
  for (int i = 0; i < 70; ++i) block += std::string(static_cast<std::size_t>(i) * 2, ' ') + "- \n";
  CHECK(error_of(block).find("t.yaml:68:127: the YAML is nested too deeply (depth limit 64 reached)") == 0);
  LoadLimits limits;
  limits.max_depth = 3;
  CHECK(error_of(kHead + "workspaces: [{name: w, daily_profile: [1]}]\n", limits) ==
        "t.yaml:4:39: the YAML is nested too deeply (depth limit 3 reached)");
}

TEST_CASE("Robustness: an alias counts the depth of what it brings in") {
  std::string deep = "a: &deep " + std::string(40, '[') + std::string(40, ']') + "\n";
  std::string placed = "b: " + std::string(30, '[') + "*deep" + std::string(30, ']') + "\n";
  CHECK(error_of(kHead + deep + placed) == "t.yaml:5:34: the YAML is nested too deeply (depth limit 64 reached)");
}

TEST_CASE("Robustness: aliases may add a million nodes, and an alias bomb is refused at the alias that crosses it") {
  // Legitimate reuse: one daily profile for many workspaces.
  std::string reuse = kHead + "workspaces:\n  - name: w0\n    daily_profile: &office [" + std::string("1, ") +
                      "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  for (int i = 1; i < 200; ++i) reuse += "  - {name: w" + std::to_string(i) + ", daily_profile: *office}\n";
  CHECK(error_of(reuse) == "(loaded)");
  LoadLimits limits;
  limits.max_alias_nodes = 1000;
  CHECK(error_of(reuse, limits).find(": YAML aliases expand the scenario by more than 1000 nodes (an alias bomb?)") !=
        std::string::npos);
  // A bomb: each level holds ten aliases of the one before (10^12 leaves).
  std::string bomb = kHead + "description: x\nlol:\n  - &l0 [a, a, a, a, a, a, a, a, a, a]\n";
  for (int i = 1; i < 12; ++i) {
    bomb += "  - &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *l" : "*l") + std::to_string(i - 1);
    bomb += "]\n";
  }
  CHECK(error_of(bomb) == "t.yaml:11:45: YAML aliases expand the scenario by more than 1000000 nodes (an alias bomb?)");
}

TEST_CASE("Robustness: an alias inside the collection it names is refused") {
  CHECK(error_of(kHead + "description: &a [x, *a]\n") == "t.yaml:4:21: a YAML alias refers to the collection that contains it");
  CHECK(error_of(kHead + "workspaces: &w [{name: w, cluster: *w}]\n") ==
        "t.yaml:4:36: a YAML alias refers to the collection that contains it");
}

TEST_CASE("Robustness: a comma outside a flow collection is an error, not yaml-cpp's endless loop") {
  CHECK(error_of(",\n") == "t.yaml:1:1: invalid YAML: unexpected ','");
  CHECK(error_of("# a comment\n, version: 1\n") == "t.yaml:2:1: invalid YAML: unexpected ','");
  CHECK(error_of(kHead + "---\n,\n") ==
        "t.yaml:4:1: the scenario file holds more than one YAML document (one scenario per file)");
}

TEST_CASE("Robustness: more events than the limit are refused at the first one past it") {
  std::string text = kHead + "events:\n";
  for (int i = 0; i < 4; ++i) text += "  - {at: " + std::to_string(i) + "h, action: query, workspace: w, range: 1h}\n";
  LoadLimits limits;
  limits.max_events = 4;
  CHECK(error_of(text, limits) == "(loaded)");
  limits.max_events = 3;
  CHECK(error_of(text, limits) == "t.yaml:8:5: more than 3 events (the limit; --max-events raises it)");
  limits.max_events = 1;
  CHECK(error_of(text, limits) == "t.yaml:6:5: more than 1 event (the limit; --max-events raises it)");
  limits.max_events = 0;
  CHECK(error_of(text, limits) == "t.yaml:5:5: more than 0 events (the limit; --max-events raises it)");
  CHECK(error_of(kHead + "events: []\n", limits) == "(loaded)");
}

TEST_CASE("Robustness: a duration over the limit (100 years by default) is refused at its node") {
  CHECK(error_of("version: 1\nname: t\nduration: 36525d\n") == "(loaded)");  // 100 years of 365.25 days
  CHECK(error_of("version: 1\nname: t\nduration: 36525d1ms\n") ==
        "t.yaml:3:11: duration 36525d1ms is longer than the limit of 100 years (--max-years raises it)");
  LoadLimits limits;
  limits.max_duration = cmksim::kMsPerLimitYear;
  CHECK(error_of("version: 1\nname: t\nduration: 53w\n", limits) ==
        "t.yaml:3:11: duration 53w is longer than the limit of 1 year (--max-years raises it)");
  limits.max_duration = 30 * cmksim::kMsPerDay;
  CHECK(error_of("version: 1\nname: t\nduration: 31d\n", limits) ==
        "t.yaml:3:11: duration 31d is longer than the limit of 30d (--max-years raises it)");
}

TEST_CASE("Robustness: --max-events and --max-years set the limits of run, validate and check") {
  const fs::path dir = scratch_dir("limit-options");
  const fs::path file = dir / "two-years.yaml";
  write_file(file, "version: 1\nname: two-years\nduration: 104w\nevents:\n"
                   "  - {at: 1d, action: query, workspace: w, range: 1h}\n"
                   "  - {at: 2d, action: query, workspace: w, range: 1h}\n");
  const fs::path db = dir / "out.db";
  for (const std::string command : {"run", "validate", "check"}) {
    INFO(command);
    const std::string out = command == "run" ? " -o " + db.string() : "";
    Result r = run_cmksim(command + " " + file.string() + out + " --max-years 1");
    CHECK(r.status == 2);
    CHECK(r.output.find(file.string() + ":3:11: duration 104w is longer than the limit of 1 year") != std::string::npos);
    r = run_cmksim(command + " --max-events 1 " + file.string() + out);
    CHECK(r.status == 2);
    CHECK(r.output.find(file.string() + ":6:5: more than 1 event (the limit; --max-events raises it)") !=
          std::string::npos);
    r = run_cmksim(command + " " + file.string() + out + " --max-years 0");
    CHECK(r.status == 2);
    CHECK(r.output == "cmksim " + command + ": --max-years expects a whole number of years from 1 to 1000, got '0'\n");
    r = run_cmksim(command + " " + file.string() + out + " --max-events lots");
    CHECK(r.status == 2);
    CHECK(r.output == "cmksim " + command + ": --max-events expects a whole number of events, got 'lots'\n");
    r = run_cmksim(command + " " + file.string() + out + " --max-event 3");
    CHECK(r.status == 2);
    CHECK(r.output.find("(did you mean '--max-events'?)") != std::string::npos);
    CHECK_FALSE(fs::exists(db));
  }
  CHECK(run_cmksim("validate --max-years 2 --max-events 2 " + file.string()).status == 0);
  CHECK(run_cmksim("run " + file.string() + " --max-years 2 -o " + db.string()).status == 0);
  CHECK(fs::exists(db));
}

TEST_CASE("Robustness: load errors stay on one line and valid UTF-8 whatever the user's text") {
  const cmksim::Expected<cmksim::Scenario> r =
      load_scenario_text(kHead + "events: [{at: 1h, action: \"disable\\nkey\\r\\x1b[31m\"}]\n", "t.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().str() == "t.yaml:4:27: unknown action 'disable\\nkey\\r\\x1b[31m'");
  // A clipped echo never ends inside a UTF-8 sequence.
  std::string long_name;
  for (int i = 0; i < 40; ++i) long_name += "\xc3\xa9";  // é
  const std::string message = error_of(kHead + "timing: " + long_name + "\n");
  CHECK(message.find("unknown timing '") != std::string::npos);
  CHECK(message.find("...'") != std::string::npos);
  CHECK(cmksim::fuzz::valid_utf8(message));
  // yaml-cpp 0.7 decodes \N and \_ to lone bytes: refused, not passed on.
  for (const std::string escape : {"\\N", "\\_"}) {
    CHECK(error_of(kHead + "description: \"a" + escape + "b\"\n") ==
          "t.yaml:4:14: this string is not valid UTF-8 once its escapes are decoded (write \\N as \\u0085 and "
          "\\_ as \\u00a0)");
  }
  CHECK(error_of(kHead + "description: \"a\\u0085\\u00a0\\L b\"\n") == "(loaded)");
}

// ---------------------------------------------------------------------------
// Crash-safe output

TEST_CASE("Robustness: SIGKILL at any moment of cmksim run leaves the previous database or a complete new one") {
  const fs::path dir = scratch_dir("kill-run");
  const fs::path scenario = dir / "long.yaml";
  write_file(scenario, long_scenario(365, 40, 20000));
  const fs::path target = dir / "out.db";
  // The new database, complete, for comparison; then the previous one in place.
  REQUIRE(run_cmksim("run " + scenario.string() + " -o " + target.string(), false).status == 0);
  const std::string new_dump = dump(target);
  REQUIRE(run_cmksim("run " + std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml -o " + target.string(),
                 false).status == 0);
  const std::string old_dump = dump(target);
  REQUIRE(old_dump != new_dump);

  int kept_old = 0;
  int got_new = 0;
  // Kills at delays after the start (loading, simulating), then at delays
  // after the temporary file appears (while the database is written).
  const std::vector<int> after_start = {0, 1, 3, 10, 30, 100, 300};
  const std::vector<int> after_temp = {0, 0, 1, 2, 5, 10, 20, 40, 80, 160};
  for (std::size_t i = 0; i < after_start.size() + after_temp.size(); ++i) {
    const bool writing = i >= after_start.size();
    const int delay = writing ? after_temp[i - after_start.size()] : after_start[i];
    INFO((writing ? "after the temporary file: " : "after the start: ") << delay << " ms");
    const pid_t pid = spawn_cmksim({"run", scenario.string(), "-o", target.string()});
    if (writing) wait_for_temp_file(target, pid);
    sleep_ms(delay);
    kill(pid, SIGKILL);
    wait_bounded(pid);
    REQUIRE(fs::exists(target));
    CHECK(integrity(target) == "ok");
    const std::string now = dump(target);
    const bool is_old = now == old_dump;
    const bool is_new = now == new_dump;
    CHECK((is_old || is_new));
    kept_old += is_old ? 1 : 0;
    got_new += is_new ? 1 : 0;
    // Nothing but the target and its stale temporary files ("out.db.tmp-PID").
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name == "out.db" || name == "long.yaml") continue;
      INFO(name);
      CHECK(name.rfind("out.db.tmp-", 0) == 0);
    }
    if (is_new) {  // start again from the previous database
      REQUIRE(run_cmksim("run " + std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml -o " +
                         target.string(), false).status == 0);
    }
  }
  INFO("kept the previous database " << kept_old << " times, got the new one " << got_new << " times");
  CHECK(kept_old + got_new == static_cast<int>(after_start.size() + after_temp.size()));
  // A later run, with stale temporary files around, writes its database whole.
  const std::size_t stale = temp_files_beside(target).size();
  REQUIRE(run_cmksim("run " + scenario.string() + " -o " + target.string(), false).status == 0);
  CHECK(integrity(target) == "ok");
  CHECK(dump(target) == new_dump);
  INFO(stale << " stale temporary files before the later run");
  CHECK(temp_files_beside(target).empty());  // issue 18: those of the killed writers are removed
  for (const fs::path& p : temp_files_beside(target)) fs::remove(p);
}

TEST_CASE("Robustness: SIGINT stops cmksim run with no partial output and no temporary file") {
  const fs::path dir = scratch_dir("interrupt-run");
  const fs::path scenario = dir / "long.yaml";
  write_file(scenario, long_scenario(365, 40, 20000));
  const fs::path target = dir / "out.db";
  REQUIRE(run_cmksim("run " + std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml -o " + target.string(),
                 false).status == 0);
  const std::string old_dump = dump(target);
  const fs::path complete = dir / "complete.db";  // what an uninterrupted run writes
  REQUIRE(run_cmksim("run " + scenario.string() + " -o " + complete.string(), false).status == 0);
  const std::string new_dump = dump(complete);
  for (const int delay : {-1, 0, 2, 10, 40}) {  // -1: during the simulation; else after the temporary file appears
    INFO("delay " << delay);
    const pid_t pid = spawn_cmksim({"run", scenario.string(), "-o", target.string()});
    if (delay < 0) {
      sleep_ms(50);
    } else {
      wait_for_temp_file(target, pid);
      sleep_ms(delay);
    }
    kill(pid, SIGINT);
    const int status = wait_bounded(pid);
    const bool interrupted = WIFSIGNALED(status) && WTERMSIG(status) == SIGINT;
    const bool finished = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    CHECK((interrupted || finished));
    CHECK(integrity(target) == "ok");
    // a signal that lands after the rename finds the new database complete
    const std::string now_dump = dump(target);
    CHECK((now_dump == old_dump || now_dump == new_dump));
    if (finished) CHECK(now_dump == new_dump);
    CHECK(temp_files_beside(target).empty());
    if (now_dump != old_dump) {
      REQUIRE(run_cmksim("run " + std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml -o " +
                         target.string(), false).status == 0);
    }
  }
}

TEST_CASE("Robustness: SIGKILL at any moment of cmksim sweep leaves the previous database or a complete new one") {
  const fs::path dir = scratch_dir("kill-sweep");
  const fs::path scenario = dir / "medium.yaml";
  write_file(scenario, long_scenario(60, 20, 3000));
  const fs::path target = dir / "sweep.db";
  const std::vector<std::string> sweep = {"sweep", scenario.string(), "--runs", "4", "--jobs", "1", "--no-progress",
                                          "-o", target.string()};
  std::string args;
  for (std::size_t i = 1; i < sweep.size(); ++i) args += " " + sweep[i];
  REQUIRE(run_cmksim("sweep" + args, false).status == 0);
  const std::string new_dump = dump(target);
  REQUIRE(run_cmksim("run " + std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml -o " + target.string(),
                 false).status == 0);
  const std::string old_dump = dump(target);
  for (const int delay : {0, 5, 20, 60, 150, 300, 600, 1000}) {
    INFO("delay " << delay << " ms");
    const pid_t pid = spawn_cmksim(sweep);
    sleep_ms(delay);
    kill(pid, SIGKILL);
    wait_bounded(pid);
    CHECK(integrity(target) == "ok");
    const std::string now = dump(target);
    CHECK((now == old_dump || now == new_dump));
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name == "sweep.db" || name == "medium.yaml") continue;
      INFO(name);
      CHECK(name.rfind("sweep.db.tmp-", 0) == 0);
    }
    if (now == new_dump) {
      REQUIRE(run_cmksim("run " + std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml -o " +
                         target.string(), false).status == 0);
    }
  }
  for (const fs::path& p : temp_files_beside(target)) fs::remove(p);
}

namespace {

// The files in `dir` but `keep`, sorted.
std::vector<std::string> other_files(const fs::path& dir, const std::vector<std::string>& keep) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The dump of `db` without its sweep_stopped table (on a copy at `scratch`).
std::string dump_without_stopped(const fs::path& db, const fs::path& scratch) {
  fs::copy_file(db, scratch, fs::copy_options::overwrite_existing);
  REQUIRE(run_shell("sqlite3 '" + scratch.string() + "' 'DROP TABLE sweep_stopped' 2>&1").status == 0);
  const std::string text = dump(scratch);
  fs::remove(scratch);
  return text;
}

}  // namespace

TEST_CASE("Robustness: SIGINT or SIGTERM stops cmksim sweep cleanly, keeping the finished runs in a valid database "
          "and saying so") {
  const fs::path dir = scratch_dir("interrupt-sweep");
  const fs::path scenario = dir / "medium.yaml";
  write_file(scenario, long_scenario(60, 20, 3000));
  const fs::path target = dir / "sweep.db";
  const fs::path errors = dir / "stderr.txt";
  const std::string previous = "run " + std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml -o " +
                               target.string();
  int kept_runs = 0;
  struct Case {
    int signal;
    const char* name;
    int delay_ms;  // after the temporary file appears
  };
  for (const Case c : {Case{SIGINT, "SIGINT", 0}, Case{SIGINT, "SIGINT", 150}, Case{SIGTERM, "SIGTERM", 100},
                       Case{SIGINT, "SIGINT", 400}}) {
    INFO(c.name << " " << c.delay_ms << " ms after the temporary file appears");
    REQUIRE(run_cmksim(previous, false).status == 0);
    const std::string old_dump = dump(target);
    // 500 runs take seconds: the signal always lands before the end.
    const pid_t pid = spawn_cmksim({"sweep", scenario.string(), "--runs", "500", "--jobs", "2", "--no-progress", "-o",
                                    target.string()},
                                   errors);
    wait_for_temp_file(target, pid);
    sleep_ms(c.delay_ms);
    kill(pid, c.signal);
    const int status = wait_bounded(pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + c.signal);  // 130 for SIGINT, 143 for SIGTERM
    const std::string said = read_file(errors);
    INFO("stderr: " << said);
    CHECK(said.find(std::string("cmksim sweep: stopped by ") + c.name) == 0);
    CHECK(std::count(said.begin(), said.end(), '\n') == 1);  // one message
    CHECK(integrity(target) == "ok");
    CHECK(other_files(dir, {"sweep.db", "medium.yaml", "stderr.txt"}).empty());  // no temporary file
    if (said.find("before any run finished: nothing written") != std::string::npos) {
      CHECK(dump(target) == old_dump);
      continue;
    }
    const std::vector<std::string> count = column(target, "SELECT count(*) FROM runs");
    REQUIRE(count.size() == 1);
    const int n = std::stoi(count[0]);
    CHECK(n >= 1);
    CHECK(n < 500);
    ++kept_runs;
    CHECK(said.find("holds the " + count[0] + " finished run" + (n == 1 ? "" : "s") + " of 500 (runs 1 to " +
                    count[0] + "), a valid results database whose sweep_stopped table says so") !=
          std::string::npos);
    CHECK(column(target, "SELECT planned_runs || ' ' || written_runs || ' ' || reason FROM sweep_stopped") ==
          std::vector<std::string>{"500 " + count[0] + " " + c.name});
    CHECK(column(target, "SELECT max(run_id) FROM runs") == count);
    // The runs kept are runs 1..n of the sweep: what `--runs n` writes, row for row.
    const fs::path reference = dir / "reference.db";
    REQUIRE(run_cmksim("sweep " + scenario.string() + " --runs " + count[0] + " --jobs 2 --no-progress -o " +
                       reference.string(), false).status == 0);
    CHECK(dump_without_stopped(target, dir / "copy.db") == dump(reference));
    fs::remove(reference);
    // and the report says so
    const Result report = run_cmksim("report " + target.string() + " --format md -o -", false);
    REQUIRE(report.status == 0);
    CHECK(report.output.find("| stopped | by " + std::string(c.name) + " after ") != std::string::npos);
  }
  // 400 ms in, runs have finished (150 ms may not be enough under the
  // sanitizers on a loaded 2-core machine: seen in CI's sanitized stage).
  CHECK(kept_runs >= 1);
}

TEST_CASE("Robustness: a second SIGINT stops cmksim sweep at once, leaving the previous database and no temporary "
          "file") {
  const fs::path dir = scratch_dir("interrupt-sweep-twice");
  const fs::path scenario = dir / "long.yaml";
  // A run is 864 million Key Vault calls, one every 2 ms for 20 days: about two seconds however fast the rest
  // (a year of 40 workspaces had become 0.15 s, and the first SIGINT's run sometimes ended before the second).
  write_file(scenario,
             "version: 1\nname: busy-calls\nduration: 20d\n"
             "params: {kv_call_interval_min: 2ms, kv_call_interval_max: 2ms}\n"
             "key_vaults:\n  - {name: kv, region: westeurope, soft_delete: true, purge_protection: true, keys: [{name: k}]}\n"
             "clusters:\n  - {name: c, region: westeurope, capacity_gb_per_day: 500, key: {vault: kv, key: k, version: \"\"}}\n"
             "grants:\n  - {identity: \"cluster:c\", vault: kv}\n"
             "workspaces:\n  - {name: ws, region: westeurope, cluster: c, ingest_gb_per_day: 10}\n");
  const fs::path target = dir / "sweep.db";
  REQUIRE(run_cmksim("run " + std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml -o " + target.string(),
                 false).status == 0);
  const std::string old_dump = dump(target);
  const pid_t pid = spawn_cmksim({"sweep", scenario.string(), "--runs", "3", "--jobs", "1", "--no-progress",
                                  "--max-work", "2000000000", "-o", target.string()});
  wait_for_temp_file(target, pid);
  sleep_ms(20);
  kill(pid, SIGINT);  // asks the sweep to stop after the run it is simulating
  sleep_ms(100);
  kill(pid, SIGINT);  // stops it now
  const int status = wait_bounded(pid);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGINT);
  CHECK(dump(target) == old_dump);
  CHECK(other_files(dir, {"sweep.db", "long.yaml"}).empty());
}

TEST_CASE("Robustness: SIGINT on a sweep shard keeps its finished runs, and merge refuses the stopped shard") {
  const fs::path dir = scratch_dir("interrupt-shard");
  const fs::path scenario = dir / "medium.yaml";
  write_file(scenario, long_scenario(60, 20, 3000));
  const fs::path target = dir / "shard-1.db";
  const fs::path errors = dir / "stderr.txt";
  const pid_t pid = spawn_cmksim({"sweep", scenario.string(), "--runs", "1000", "--shard", "1/2", "--jobs", "2",
                                  "--no-progress", "-o", target.string()},
                                 errors);
  const std::string part = target.string() + ".part-" + std::to_string(pid);
  wait_for_file(part + ".tmp-" + std::to_string(pid), pid);
  sleep_ms(300);
  kill(pid, SIGINT);
  const int status = wait_bounded(pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  const std::string said = read_file(errors);
  INFO("stderr: " << said);
  CHECK(said.find("merge refuses a stopped shard: run it again") != std::string::npos);
  CHECK(other_files(dir, {"shard-1.db", "medium.yaml", "stderr.txt"}).empty());
  REQUIRE(fs::exists(target));
  CHECK(integrity(target) == "ok");
  CHECK(column(target, "SELECT min(run_id) FROM runs") == std::vector<std::string>{"501"});
  CHECK(column(target, "SELECT count(*) = runs FROM runs, sweep_shard") == std::vector<std::string>{"1"});
  const Result merged = run_cmksim("merge -o " + (dir / "merged.db").string() + " " + target.string());
  CHECK(merged.status == 2);
  CHECK(merged.output.find("shard 1/2 was stopped (SIGINT) after ") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "merged.db"));
}

TEST_CASE("Issue 18: SIGINT on cmksim merge leaves no temporary file and the previous output as it was") {
  const fs::path dir = scratch_dir("interrupt-merge");
  const fs::path scenario = dir / "medium.yaml";
  write_file(scenario, long_scenario(20, 10, 600));
  for (int i = 0; i < 2; ++i) {
    REQUIRE(run_cmksim("sweep " + scenario.string() + " --runs 400 --shard " + std::to_string(i) + "/2 --no-progress -o " +
                           (dir / ("s" + std::to_string(i) + ".db")).string(),
                       false)
                .status == 0);
  }
  const fs::path target = dir / "merged.db";
  write_file(target, "previous");
  const pid_t pid = spawn_cmksim({"merge", "-o", target.string(), (dir / "s0.db").string(), (dir / "s1.db").string()});
  wait_for_file(target.string() + ".tmp-" + std::to_string(pid), pid);
  kill(pid, SIGINT);
  const int status = wait_bounded(pid);
  INFO("status " << status);
  // Killed by the signal while merging, or finished just before it came.
  const bool finished = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  CHECK((finished || (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) ||
         (WIFEXITED(status) && WEXITSTATUS(status) == 130)));
  if (!finished) CHECK(read_file(target) == "previous");
  CHECK(other_files(dir, {"merged.db", "medium.yaml", "s0.db", "s1.db"}).empty());
}

// ---------------------------------------------------------------------------
// Untrusted text

namespace {

struct Names {
  std::string scenario, description, vault, key, cluster, workspace, event_id;
};

// YAML double-quoted form of `s` (escapes for quotes, backslashes and controls).
std::string yq(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string named_scenario(const Names& n) {
  return "version: 1\nname: " + yq(n.scenario) + "\ndescription: " + yq(n.description) + "\nduration: 2d\n" +
         "key_vaults:\n  - name: " + yq(n.vault) + "\n    region: westeurope\n    soft_delete: true\n" +
         "    purge_protection: true\n    keys:\n      - name: " + yq(n.key) + "\n" +
         "clusters:\n  - name: " + yq(n.cluster) + "\n    region: westeurope\n    capacity_gb_per_day: 500\n" +
         "    key: {vault: " + yq(n.vault) + ", key: " + yq(n.key) + ", version: \"\"}\n" +
         "grants:\n  - {identity: " + yq("cluster:" + n.cluster) + ", vault: " + yq(n.vault) + "}\n" +
         "workspaces:\n  - name: " + yq(n.workspace) + "\n    region: westeurope\n    cluster: " + yq(n.cluster) +
         "\n    ingest_gb_per_day: 100\n    queries_per_hour: 2\n" +
         "events:\n  - {id: " + yq(n.event_id) + ", at: 12h, action: disable_key, vault: " + yq(n.vault) +
         ", key: " + yq(n.key) + "}\n" +
         "  - {at: 18h, action: enable_key, vault: " + yq(n.vault) + ", key: " + yq(n.key) + "}\n" +
         "  - {at: 20h, action: query, workspace: " + yq(n.workspace) + ", range: 1h}\n";
}

const Names kHostile = {
    "odd \"names\" <&> 'é'\nsecond line",
    "a <b>review</b> & \"quotes\"\nand a second line; DROP TABLE runs; --",
    "kv <&> \"q\" 'x'",
    "key\tnew\nline",
    "cl&<b>\"日本\"",
    "ws\nline ü \\ back",
    "off \"now\"\n'); DELETE FROM events; --",
};

const Names kTame = {"tame", "plain", "kv", "key", "cluster", "ws", "off"};

}  // namespace

TEST_CASE("Robustness: names with quotes, <, &, newlines and non-ASCII are stored verbatim in the results database") {
  const fs::path dir = scratch_dir("untrusted");
  const fs::path file = dir / "hostile.yaml";
  write_file(file, named_scenario(kHostile));
  const fs::path db = dir / "hostile.db";
  const Result r = run_cmksim("run " + file.string() + " -o " + db.string(), false);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(integrity(db) == "ok");
  CHECK(column(db, "SELECT scenario FROM runs") == std::vector<std::string>{kHostile.scenario});
  CHECK(column(db, "SELECT description FROM runs") == std::vector<std::string>{kHostile.description});
  CHECK(column(db, "SELECT cluster FROM incidents") == std::vector<std::string>{kHostile.cluster});
  CHECK(column(db, "SELECT DISTINCT vault FROM kv_calls") == std::vector<std::string>{kHostile.vault});
  CHECK(column(db, "SELECT COUNT(*) FROM operations WHERE event_id = ?1", &kHostile.event_id) ==
        std::vector<std::string>{"1"});
  CHECK(column(db, "SELECT COUNT(*) FROM metrics WHERE subject_kind = 'workspace' AND subject = ?1 AND name = 'gb_lost'",
               &kHostile.workspace) == std::vector<std::string>{"1"});
  CHECK(column(db, "SELECT COUNT(*) FROM data WHERE workspace = ?1 AND gb_ingested > 0", &kHostile.workspace) !=
        std::vector<std::string>{"0"});
  CHECK(column(db, "SELECT COUNT(*) FROM events") != std::vector<std::string>{"0"});  // nothing was dropped

  // events.detail: valid JSON whose strings decode to the names as written.
  const std::vector<std::string> details = column(db, "SELECT detail FROM events");
  REQUIRE_FALSE(details.empty());
  bool id_seen = false;
  for (const std::string& detail : details) {
    INFO(detail);
    Json json(detail);
    CHECK(json.valid());
    for (const std::string& s : json.strings()) id_seen = id_seen || s == kHostile.event_id;
  }
  CHECK(id_seen);
  CHECK(cmksim::fuzz::valid_utf8(dump(db)));
}

// The summary prints every name on the line it belongs to: as many lines as
// the same run with plain names. Pending: sim/check/summary.cpp prints names raw
// (see the robustness report); enable by removing the [.] tag.
TEST_CASE("Robustness: the summary prints hostile names without breaking lines", "[summary-escaping]") {
  const fs::path dir = scratch_dir("untrusted-summary");
  const auto lines_of = [&](const Names& names, const std::string& stem) {
    const fs::path file = dir / (stem + ".yaml");
    write_file(file, named_scenario(names));
    const Result r = run_cmksim("run " + file.string() + " -o " + (dir / (stem + ".db")).string(), false);
    REQUIRE(r.status == 0);
    CHECK(cmksim::fuzz::valid_utf8(r.output));
    CHECK(r.output.find('\r') == std::string::npos);
    return std::count(r.output.begin(), r.output.end(), '\n');
  };
  CHECK(lines_of(kHostile, "hostile") == lines_of(kTame, "tame"));
}

TEST_CASE("Issue 18: no name drives the terminal: run, check, validate and graph escape ESC, CR, C1 and U+2028, DOT stays valid") {
  const fs::path dir = scratch_dir("terminal-escapes");
  // YAML escapes: ESC [2K (erase line), CR, C1 CSI (U+009B), the line separator.
  const std::string evil_cluster = "\"cl\\e[2K\\r  met\\u009b31m\\u2028x\"";
  const std::string evil_ws = "\"ws\\e]0;title\\a\"";
  const fs::path file = dir / "x; touch pwned #.yaml";
  write_file(file, "version: 1\nname: \"evil\\e[1A\"\nduration: 2d\n"
                   "key_vaults:\n  - name: kv\n    region: westeurope\n    keys:\n      - name: k\n"
                   "clusters:\n  - name: " + evil_cluster + "\n    region: westeurope\n    capacity_gb_per_day: 500\n"
                   "    key: {vault: kv, key: k, version: \"\"}\n"
                   "grants:\n  - {identity: " + std::string("\"cluster:cl\\e[2K\\r  met\\u009b31m\\u2028x\"") + ", vault: kv}\n"
                   "workspaces:\n  - name: " + evil_ws + "\n    region: westeurope\n    cluster: " + evil_cluster +
                   "\n    ingest_gb_per_day: 100\n"
                   "events:\n  - {at: 12h, action: disable_key, vault: kv, key: k}\n"
                   "expect:\n  - {metric: gb_lost, subject: " + evil_ws + ", max: 0}\n");
  const auto harmless = [](const std::string& out) {
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find('\r') == std::string::npos);
    CHECK(out.find('\a') == std::string::npos);
    CHECK(out.find("\xc2\x9b") == std::string::npos);
    CHECK(out.find("\xe2\x80\xa8") == std::string::npos);
  };
  const std::string quoted = "'" + file.string() + "'";
  const Result run = run_cmksim("run " + quoted + " -o " + (dir / "r.db").string(), false);
  INFO(run.output);
  REQUIRE(run.status == 0);
  harmless(run.output);
  CHECK(run.output.find("\\x1b[2K\\r  met\\u009b31m\\u2028x") != std::string::npos);  // shown, escaped
  // The reproduce line is one shell word for the file, not a command separator.
  CHECK(run.output.find("reproduce: cmksim run " + quoted + " --profile ") != std::string::npos);
  const Result check = run_cmksim("check " + quoted, false);
  INFO(check.output);
  CHECK(check.status == 1);  // the expectation is not met
  harmless(check.output);
  CHECK(check.output.find("NOT MET") != std::string::npos);
  CHECK(check.output.find("reproduce: cmksim run " + quoted) != std::string::npos);
  const Result validate = run_cmksim("validate --strict " + quoted, false);
  harmless(validate.output);
  const Result text = run_cmksim("graph " + quoted + " --format text", false);
  CHECK(text.status == 0);
  harmless(text.output);
  const Result dot = run_cmksim("graph " + quoted + " --format dot", false);
  REQUIRE(dot.status == 0);
  harmless(dot.output);
  write_file(dir / "g.dot", dot.output);
  if (std::system("command -v dot >/dev/null 2>&1") == 0) {
    CHECK(std::system(("dot -Tsvg " + (dir / "g.dot").string() + " -o " + (dir / "g.svg").string() + " 2>/dev/null").c_str()) == 0);
  }
  const Result markdown = run_cmksim("report " + (dir / "r.db").string() + " -o - --format md", false);
  CHECK(markdown.status == 0);
  harmless(markdown.output);
  REQUIRE(run_cmksim("report " + (dir / "r.db").string() + " -o " + (dir / "r.html").string(), false).status == 0);
  harmless(read_file(dir / "r.html"));
  const Result sweep = run_cmksim("sweep " + quoted + " --runs 2 --no-progress -o " + (dir / "s.db").string(), false);
  CHECK(sweep.status == 0);
  harmless(sweep.output);
  REQUIRE(run_cmksim("run " + quoted + " --seed 9 -o " + (dir / "r9.db").string(), false).status == 0);
  const Result diff = run_cmksim("diff " + (dir / "r.db").string() + " " + (dir / "r9.db").string(), false);
  CHECK(diff.status == 1);  // other seed, other figures: the lines name the hostile workspace
  harmless(diff.output);
  CHECK_FALSE(fs::exists(dir / "pwned"));
  CHECK_FALSE(fs::exists("pwned"));
}
