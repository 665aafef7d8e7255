// cmksim merge: join the shard databases of a sweep (`cmksim sweep --shard
// I/K`) into the database the whole sweep would have written.
#include <string>
#include <vector>

#include "sim/cli/command.h"
#include "sim/cli/interrupts.h"
#include "sim/core/text.h"
#include "sim/io/atomic_file.h"
#include "sim/sweep/shards.h"

namespace cmksim {
namespace {

struct MergeOptions {
  std::string output;
  std::vector<std::string> inputs;
};

int merge(const MergeOptions& options, std::ostream& out, std::ostream& err) {
  if (const Status writable = check_output("-o", options.output, options.inputs, false); !writable.ok()) {
    return bad_input(err, "cmksim merge: " + writable.error().str());
  }
  std::uint64_t runs = 0;
  {
    // SIGINT/SIGTERM while merging: the temporary database goes, the previous
    // output stays (issue 18); the signal then ends the process.
    const std::string tmp = temporary_path_for(options.output);
    const InterruptHandling interrupts({tmp, tmp + "-journal"}, nullptr);
    const Expected<std::uint64_t> merged = merge_shards(options.inputs, options.output);
    if (!merged) return bad_input(err, "cmksim merge: " + merged.error().str());
    runs = *merged;
  }
  out << "merged " << options.inputs.size() << (options.inputs.size() == 1 ? " shard" : " shards") << " (" << runs
      << (runs == 1 ? " run" : " runs") << ") into " << one_line(options.output) << "\n";
  return kExitOk;
}

}  // namespace

CommandAction define_merge(CLI::App& app) {
  app.description(
      "Joins the K shards of one sweep (written by cmksim sweep --shard I/K, in any order) into one results\n"
      "database, the same as the sweep run in one process. Every shard must be given exactly once.\n"
      "Exit status 0, or 2 on bad input (a missing, repeated or foreign shard).\n");
  app.footer("example: cmksim merge -o sweep.db shard-*.db\n");
  const auto o = std::make_shared<MergeOptions>();
  add_operands(app, "SHARD.db", "shard", o->inputs)->required();
  add_output_option(app, "-o,--output", "sweep.db", "the database of the whole sweep", o->output)->required();
  return [o](std::ostream& out, std::ostream& err) { return merge(*o, out, err); };
}

}  // namespace cmksim
