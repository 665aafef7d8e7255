// The `cmksim` command as users call it: exit statuses, messages, the results
// database on disk, determinism of its dump, and the shipped scenarios.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "process_support.h"

namespace fs = std::filesystem;

namespace {

using Result = cmksim::test::CommandResult;  // stdout and stderr together

Result run_cmksim(const std::string& args) {
  return cmksim::test::run_command(std::string(CMKSIM_BINARY) + " " + args + " 2>&1");
}

std::string scenario(const std::string& name) { return std::string(CMKSIM_SOURCE_DIR) + "/scenarios/" + name; }

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "cmksim-cli-test";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove(p);
  return p;
}

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(std::string(CMKSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string dump(const fs::path& db) { return cmksim::test::sqlite_dump(db.string()); }

double query_double(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const double value = sqlite3_column_double(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return value;
}

bool no_temp_files_beside(const fs::path& p) {
  for (const auto& entry : fs::directory_iterator(p.parent_path())) {
    if (entry.path().filename().string().rfind(p.filename().string() + ".tmp", 0) == 0) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("CLI: run writes the results database and names each incident in the summary") {
  const fs::path db = scratch("six-hours.db");
  const Result r = run_cmksim("run " + scenario("key-disabled-6h.yaml") + " -o " + db.string());
  INFO(r.output);
  REQUIRE(r.status == 0);
  REQUIRE(fs::exists(db));
  CHECK(r.output.find("key disabled") != std::string::npos);
  CHECK(r.output.find("exposure window") != std::string::npos);
  CHECK(r.output.find("recovery time") != std::string::npos);
  CHECK(r.output.find("GB lost") != std::string::npos);
  CHECK(r.output.find("ws-app") != std::string::npos);
  CHECK(r.output.find("--seed 7") != std::string::npos);
  CHECK(query_double(db, "SELECT COUNT(*) FROM incidents") == 1);
  CHECK(query_double(db, "SELECT seed FROM runs") == 7);
  CHECK(no_temp_files_beside(db));
}

TEST_CASE("CLI: the same scenario and seed give an identical database dump") {
  const fs::path a = scratch("det-a.db");
  const fs::path b = scratch("det-b.db");
  const fs::path c = scratch("det-c.db");
  REQUIRE(run_cmksim("run " + scenario("key-disabled-6h.yaml") + " -o " + a.string()).status == 0);
  REQUIRE(run_cmksim("run " + scenario("key-disabled-6h.yaml") + " -o " + b.string()).status == 0);
  REQUIRE(run_cmksim("run " + scenario("key-disabled-6h.yaml") + " --seed 8 -o " + c.string()).status == 0);
  const std::string dump_a = dump(a);
  CHECK(dump_a.size() > 1000);
  CHECK(dump_a == dump(b));
  CHECK(dump_a != dump(c));
}

TEST_CASE("CLI: --seed, --timing and --set override the scenario") {
  const fs::path db = scratch("worst.db");
  const Result r = run_cmksim("run " + scenario("key-disabled-6h.yaml") + " --timing worst --seed 3 --set recovery_bound=20m -o " +
                          db.string());
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(query_double(db, "SELECT exposure_window_ms FROM incidents") == 3600000);
  CHECK(query_double(db, "SELECT recovery_time_ms <= 1200000 FROM incidents") == 1);
  CHECK(query_double(db, "SELECT seed FROM runs") == 3);
  CHECK(query_double(db, "SELECT instr(params, '\"recovery_bound\":\"20m\"') > 0 FROM runs") == 1);
}

TEST_CASE("CLI: bad options and bad scenarios exit 2 with one message and leave no file") {
  const fs::path db = scratch("never.db");
  struct Case { std::string args; std::string message; };
  const std::vector<Case> cases = {
      {"run " + scenario("key-disabled-6h.yaml") + " --timing wrost -o " + db.string(), "(did you mean 'worst'?)"},
      {"run " + scenario("key-disabled-6h.yaml") + " --sed 3 -o " + db.string(), "unknown option '--sed' (did you mean '--seed'?)"},
      {"run " + scenario("key-disabled-6h.yaml") + " --seed -9223372036854775809 -o " + db.string(), "--seed expects a non-negative integer"},
      {"run " + scenario("key-disabled-6h.yaml") + " --set aek_cach_ttl=5m -o " + db.string(), "(did you mean 'aek_cache_ttl'?)"},
      {"run " + scenario("key-disabled-6h.yaml") + " --set aek_cache_ttl=5 -o " + db.string(), "aek_cache_ttl"},
      {"run /nonexistent/x.yaml -o " + db.string(), "/nonexistent/x.yaml"},
      {"run " + scenario("key-disabled-6h.yaml") + " --profile azure-monitor-curent -o " + db.string(), "azure-monitor-current"},
      {"rnu", "unknown command 'rnu' (did you mean 'run'?)"},
  };
  for (const Case& c : cases) {
    const Result r = run_cmksim(c.args);
    INFO(c.args << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(c.message) != std::string::npos);
    CHECK_FALSE(fs::exists(db));
  }
}

TEST_CASE("CLI: a malformed scenario gives file:line:col and exit 2 from run and validate") {
  const fs::path bad = scratch("typo.yaml");
  std::ofstream(bad) << "version: 1\nname: t\nduration: 1d\nevents:\n  - {at: 1h, action: disable-kye, vault: kv, key: k}\n";
  const fs::path db = scratch("typo.db");
  for (const std::string command : {"run ", "validate "}) {
    const Result r = run_cmksim(command + bad.string() + (command == "run " ? " -o " + db.string() : ""));
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(bad.string() + ":5:") != std::string::npos);
    CHECK(r.output.find("unknown action 'disable-kye' (did you mean 'disable_key'?)") != std::string::npos);
    CHECK_FALSE(fs::exists(db));
  }
}

TEST_CASE("CLI: a failed run keeps the previous database") {
  const fs::path db = scratch("keep.db");
  REQUIRE(run_cmksim("run " + scenario("steady-state.yaml") + " -o " + db.string()).status == 0);
  const auto before = dump(db);
  REQUIRE(run_cmksim("run " + scenario("steady-state.yaml") + " --set nope=1 -o " + db.string()).status == 2);
  CHECK(dump(db) == before);
}

TEST_CASE("CLI: every shipped scenario validates, runs, and keeps conservation on every data row") {
  const auto files = shipped_scenarios();
  REQUIRE(files.size() >= 6);
  for (const auto& file : files) {
    INFO(file);
    const Result v = run_cmksim("validate " + file);
    INFO(v.output);
    CHECK(v.status == 0);
    const fs::path db = scratch(fs::path(file).stem().string() + ".db");
    const Result r = run_cmksim("run " + file + " -o " + db.string());
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(query_double(db, "SELECT COUNT(*) FROM data") > 0);
    CHECK(query_double(db, "SELECT COUNT(*) FROM data WHERE abs(gb_ingested - gb_lost - gb_purged - gb_at_end) > 1e-6") == 0);
    // the shipped expect: blocks name subjects that exist in the results
    CHECK(query_double(db, "SELECT COUNT(*) FROM metrics") > 0);
  }
}

TEST_CASE("CLI: profiles lists every parameter with its behaviour ID") {
  const Result r = run_cmksim("profiles azure-monitor-current");
  REQUIRE(r.status == 0);
  for (const char* name : {"kv_call_interval_min", "aek_cache_ttl", "revocation_bound", "recovery_bound"}) {
    CHECK(r.output.find(name) != std::string::npos);
  }
  CHECK(r.output.find("D7") != std::string::npos);
  CHECK(run_cmksim("profiles azure-monitor-1999").status == 2);
}

TEST_CASE("CLI: each malformed scenario gets one message naming the file, exit 2, and no database") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(std::string(CMKSIM_SOURCE_DIR) + "/tests/malformed")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());  // not the EXPECTED manifest
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 8);
  // generated: binary garbage, a 20,000-deep nested list, an alias bomb
  const fs::path binary = scratch("binary.yaml");
  {
    std::ofstream out(binary, std::ios::binary);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 7919 + 13) % 256));
  }
  const fs::path deep = scratch("deep.yaml");
  std::ofstream(deep) << "version: 1\nname: deep\nduration: 1d\nevents: " << std::string(20000, '[')
                      << std::string(20000, ']') << "\n";
  const fs::path bomb = scratch("bomb.yaml");
  {
    std::ofstream out(bomb);
    out << "version: 1\nname: bomb\nduration: 1d\na0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 24; ++i) {
      out << "a" << i << ": &a" << i << " [";
      for (int j = 0; j < 9; ++j) out << (j ? ", " : "") << "*a" << i - 1;
      out << "]\n";
    }
  }
  files.insert(files.end(), {binary, deep, bomb});
  const fs::path db = scratch("malformed.db");
  for (const auto& file : files) {
    for (const std::string command : {"validate ", "run "}) {
      const Result r = run_cmksim(command + file.string() + (command == "run " ? " -o " + db.string() : ""));
      INFO(command << file << "\n" << r.output);
      CHECK(r.status == 2);
      CHECK(r.output.rfind(file.string() + ":", 0) == 0);  // starts with the file's name
      CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);  // one message
      CHECK_FALSE(fs::exists(db));
    }
  }
}

TEST_CASE("CLI: validate lints the plan: warnings with file:line:col and behaviour ID, exit 1 only with --strict") {
  const std::string file = scenario("rotation-explicit-forgotten.yaml");
  const Result plain = run_cmksim("validate " + file);
  INFO(plain.output);
  CHECK(plain.status == 0);
  // the warning points at the event's line in the file
  std::ifstream in(file);
  std::string line;
  int number = 0, event_line = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find("id: disable-old") != std::string::npos) event_line = number;
  }
  REQUIRE(event_line > 0);
  CHECK(plain.output.find(file + ":" + std::to_string(event_line) +
                          ":5: warning: disable_key_version at 1d4h disables the version cluster 'lacluster01' uses") !=
        std::string::npos);
  CHECK(plain.output.find("[R3]") != std::string::npos);
  CHECK(run_cmksim("validate --strict " + file).status == 1);
  CHECK(run_cmksim("validate --strict " + scenario("key-disabled-6h.yaml")).status == 0);
  CHECK(run_cmksim("validate --strcit " + file).output.find("(did you mean '--strict'?)") != std::string::npos);
}

TEST_CASE("CLI: a bad option value names the option on one line, exit 2, on every command that takes it") {
  const std::string file = scenario("key-disabled-6h.yaml");
  struct Case { std::string args; std::string output; };
  const std::vector<Case> cases = {
      {"run " + file + " --seed", "cmksim run: option --seed needs a value\n"},
      {"check " + file + " --seed x", "cmksim check: --seed expects a non-negative integer, got 'x'\n"},
      {"graph " + file + " --timing wrost",
       "cmksim graph: --timing expects sampled, latest, earliest or bounds (worst and best are old names of latest "
       "and earliest), got 'wrost' (did you mean 'worst'?)\n"},
      {"sweep " + file + " --runs 2 --set nothing", "cmksim sweep: --set expects PATH=a,b,c, got 'nothing'\n"},
      {"run " + file + " --set nothing", "cmksim run: --set expects name=value, got 'nothing'\n"},
      {"sweep " + file + " --runs 2 --shard 3", "cmksim sweep: --shard expects I/K with 0 <= I < K, got '3'\n"},
      {"diff a.db b.db --max-runs -1", "cmksim diff: --max-runs expects a non-negative integer, got '-1'\n"},
      {"run " + file + " " + file, "cmksim run: one scenario at a time (got '" + file + "' and '" + file + "')\n"},
      {"schema extra", "cmksim schema: takes no arguments (got 'extra')\nusage: cmksim schema\n"},
  };
  for (const Case& c : cases) {
    const Result r = run_cmksim(c.args);
    INFO(c.args);
    CHECK(r.status == 2);
    CHECK(r.output == c.output);
  }
  const Result missing = run_cmksim("merge x.db");
  CHECK(missing.status == 2);
  CHECK(missing.output.rfind("cmksim merge: missing -o sweep.db\nusage: cmksim merge SHARD.db... -o sweep.db", 0) == 0);
}

TEST_CASE("CLI: --name=value, `cmksim help CMD` and --version") {
  const fs::path db = scratch("equals.db");
  const Result r = run_cmksim("run " + scenario("key-disabled-6h.yaml") + " --seed=3 --output=" + db.string());
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(query_double(db, "SELECT seed FROM runs") == 3);
  const Result help = run_cmksim("help graph");
  CHECK(help.status == 0);
  CHECK(help.output == run_cmksim("graph --help").output);
  CHECK(help.output.rfind("usage: cmksim graph SCENARIO.yaml [--format text|dot]", 0) == 0);
  CHECK(run_cmksim("help nope").status == 2);
  CHECK(run_cmksim("--version").output.rfind("cmksim ", 0) == 0);
}

TEST_CASE("Issue 18: an output that is an input, a FIFO or a device is refused before any work, and the input is kept") {
  const cmksim::test::TempDir dir("cli-outputs");
  const fs::path s = dir.path() / "s.yaml";
  fs::copy_file(scenario("access-policy-removed.yaml"), s);
  const std::string original = cmksim::test::read_file(s);
  const fs::path db = dir.path() / "r.db";
  REQUIRE(run_cmksim("run " + s.string() + " -o " + db.string()).status == 0);
  const std::string before = dump(db);
  const fs::path fifo = dir.path() / "pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  struct Case {
    std::string args, message;
  };
  const std::string other_spelling = (dir.path() / "." / "s.yaml").string();
  const std::vector<Case> cases = {
      {"run " + s.string() + " -o " + other_spelling, "cmksim run: -o " + other_spelling + " is the input"},
      {"sweep " + s.string() + " --runs 2 -o " + s.string(), "cmksim sweep: -o " + s.string() + " is the input"},
      {"check " + s.string() + " --junit " + s.string(), "cmksim check: --junit " + s.string() + " is the input"},
      {"report " + db.string() + " -o " + db.string(), "cmksim report: -o " + db.string() + " is the input"},
      {"merge " + db.string() + " -o " + db.string(), "cmksim merge: -o " + db.string() + " is the input"},
      {"check " + s.string() + " --junit " + fifo.string(), "not a regular file"},
      {"run " + s.string() + " -o " + fifo.string(), "not a regular file"},
      {"run " + s.string() + " -o /dev/null", "-o /dev/null: not a regular file"},
      {"run " + s.string() + " -o -", "-o -: this output cannot go to standard output"},
      {"run " + s.string() + " -o ''", "cmksim run: -o: the output path is empty"},
      {"report " + db.string() + " -o ''", "cmksim report: -o: the output path is empty"},
      {"check " + s.string() + " --junit ''", "cmksim check: --junit: the output path is empty"},
  };
  for (const Case& c : cases) {
    INFO(c.args);
    const Result r = run_cmksim(c.args);
    CHECK(r.status == 2);
    CHECK(r.output.find(c.message) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  }
  CHECK(cmksim::test::read_file(s) == original);
  CHECK(dump(db) == before);
  CHECK(fs::is_fifo(fifo));
  struct stat null_device {};
  REQUIRE(stat("/dev/null", &null_device) == 0);
  CHECK(S_ISCHR(null_device.st_mode));
  // Standard output where the format allows it.
  const Result md = run_cmksim("report " + db.string() + " -o - --format md");
  CHECK(md.status == 0);
  CHECK(md.output.rfind("# Security review", 0) == 0);
}
