// Outputs never destroy inputs or special files, and temporaries never
// accumulate (issue 18, items 3 and 5): sim/io/atomic_file.h.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "process_support.h"
#include "sim/io/atomic_file.h"

namespace fs = std::filesystem;
using namespace cmksim;

namespace {

// A pid that no process has now: a child that has exited and been reaped.
pid_t dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

void touch(const fs::path& p) { std::ofstream(p) << "x"; }

}  // namespace

TEST_CASE("Issue 18: an output that is one of the inputs is refused, by device and inode, not by name") {
  const test::TempDir dir("atomic-input");
  const fs::path input = dir.path() / "scenario.yaml";
  touch(input);
  fs::create_directory(dir.path() / "sub");
  const std::string other_spelling = (dir.path() / "sub" / ".." / "scenario.yaml").string();
  const Status same = check_output_path(other_spelling, {input.string()});
  REQUIRE_FALSE(same.ok());
  CHECK(same.error().message.find("is the input") != std::string::npos);
  fs::create_hard_link(input, dir.path() / "linked.db");  // another name, the same file
  CHECK_FALSE(check_output_path((dir.path() / "linked.db").string(), {input.string()}).ok());
  CHECK(check_output_path((dir.path() / "new.db").string(), {input.string()}).ok());  // not there yet
  touch(dir.path() / "old.db");
  CHECK(check_output_path((dir.path() / "old.db").string(), {input.string()}).ok());  // an old output: replaced
}

TEST_CASE("Issue 18: an output that is a device, FIFO or folder, or an empty path, is refused") {
  const test::TempDir dir("atomic-special");
  const fs::path fifo = dir.path() / "pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const Status on_fifo = check_output_path(fifo.string(), {}, "--junit");
  REQUIRE_FALSE(on_fifo.ok());
  CHECK(on_fifo.error().message.rfind("--junit ", 0) == 0);
  CHECK(on_fifo.error().message.find("not a regular file") != std::string::npos);
  CHECK_FALSE(check_output_path("/dev/null", {}).ok());
  CHECK_FALSE(check_output_path(dir.path().string(), {}).ok());
  const Status empty = check_output_path("", {});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message == "-o: the output path is empty");
}

TEST_CASE("Issue 18: temporaries left by dead processes are removed, a live process's and other files stay") {
  const test::TempDir dir("atomic-stale");
  const fs::path target = dir.path() / "out.db";
  const std::string dead = std::to_string(dead_pid());
  const std::string live = std::to_string(getppid());  // the test runner's parent: alive
  for (const std::string& name : std::vector<std::string>{"out.db.tmp-" + dead, "out.db.tmp-" + dead + ".pdf", "out.db.tmp-" + live,
                                  "out.db.tmp-abc", "other.db.tmp-" + dead, "out.db.tmp-" + dead + "x",
                                  "out.db.part-" + dead, "out.db.part-" + dead + ".tmp-" + dead,
                                  "out.db.part-" + live}) {
    touch(dir.path() / name);
  }
  CHECK(remove_stale_temporaries(target.string()) == 4);  // a sweep shard's partial files too
  CHECK_FALSE(fs::exists(dir.path() / ("out.db.part-" + dead)));
  CHECK(fs::exists(dir.path() / ("out.db.part-" + live)));
  CHECK_FALSE(fs::exists(dir.path() / ("out.db.tmp-" + dead)));
  CHECK_FALSE(fs::exists(dir.path() / ("out.db.tmp-" + dead + ".pdf")));
  CHECK(fs::exists(dir.path() / ("out.db.tmp-" + live)));
  CHECK(fs::exists(dir.path() / "out.db.tmp-abc"));
  CHECK(fs::exists(dir.path() / ("other.db.tmp-" + dead)));
  CHECK(fs::exists(dir.path() / ("out.db.tmp-" + dead + "x")));
  // write_file_atomically cleans up before it writes.
  touch(dir.path() / ("out.db.tmp-" + dead));
  REQUIRE(write_file_atomically(target.string(), "hello").ok());
  CHECK_FALSE(fs::exists(dir.path() / ("out.db.tmp-" + dead)));
  CHECK(test::read_file(target) == "hello");
}

TEST_CASE("Issue 18: temporary names fit within NAME_MAX for any valid output name, and stay distinct") {
  const test::TempDir dir("atomic-long");
  const std::string a(NAME_MAX, 'a');
  std::string b = a;
  b[NAME_MAX - 1] = 'b';
  const fs::path ta = temporary_path_for((dir.path() / a).string());
  const fs::path tb = temporary_path_for((dir.path() / b).string());
  CHECK(ta.filename().string().size() <= NAME_MAX - 16);  // room for a suffix such as ".pdf"
  CHECK(ta != tb);
  CHECK(ta.parent_path() == dir.path());
  REQUIRE(write_file_atomically((dir.path() / a).string(), "long").ok());
  CHECK(test::read_file(dir.path() / a) == "long");
  CHECK(temporary_path_for("out.db") == "out.db.tmp-" + std::to_string(getpid()));  // short names as before
}
