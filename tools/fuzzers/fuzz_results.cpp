// libFuzzer target: the inputs of `report`, `diff` and `merge` (issue 18).
// The input is the bytes of a results database: written to a file of this
// process, read back by the results reader (as report and diff read it) and
// by the shard reader (as merge reads it). When the reader accepts it, the
// Markdown report and a diff of the database with itself are made from it,
// as the commands would. Property: none of that crashes, leaks, hangs or
// trips a sanitizer, and a diff of a database with itself finds nothing.
// Built and seeded (with databases of shipped scenarios) by tools/fuzz.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/io/results_reader.h"
#include "sim/io/shard_db.h"
#include "sim/report/report.h"
#include "sim/sweep/diff.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = "/tmp/cmksim-fuzz-results-" + std::to_string(static_cast<long long>(getpid())) + ".db";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const cmksim::Expected<cmksim::ResultsRead> read = cmksim::read_results_db(path);
  if (read.ok() && !read->runs.empty()) {
    const std::string report = cmksim::report::markdown_report(read->runs, read->stopped);
    // As `cmksim diff a.db a.db` does: the file read twice, compared.
    const cmksim::Expected<cmksim::ResultsRead> again = cmksim::read_results_db(path);
    if (!again.ok()) std::abort();  // the same bytes must read the same way
    const cmksim::DiffResult same = cmksim::diff_runs(read->runs, again->runs, "a.db", "a.db");
    if (report.empty() || same.differ) {
      std::fprintf(stderr, "fuzz_results: %s\n%s", report.empty() ? "an empty report" : "a database differs from itself",
                   same.text.c_str());
      std::abort();
    }
  }
  (void)cmksim::read_shard_file(path);
  std::remove(path.c_str());
  return 0;
}
