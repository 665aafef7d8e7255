// cmksim merge: join the shard databases of a sweep (`cmksim sweep --shard
// I/K`) into the database the whole sweep would have written.
#include <string>
#include <vector>

#include "sim/cli/cli_support.h"
#include "sim/core/text.h"
#include "sim/sweep/shards.h"

namespace cmksim {
namespace {

const char* const kMergeUsage =
    "usage: cmksim merge -o sweep.db SHARD.db...\n"
    "Joins the K shards of one sweep (written by cmksim sweep --shard I/K, in any order) into one results\n"
    "database, the same as the sweep run in one process. Every shard must be given exactly once.\n"
    "Exit status 0, or 2 on bad input (a missing, repeated or foreign shard).\n"
    "example: cmksim merge -o sweep.db shard-*.db\n";

}  // namespace

int command_merge(const Args& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kMergeUsage;
    return kExitOk;
  }
  std::string output;
  std::vector<std::string> inputs;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) return bad_input(err, "cmksim merge: option " + a + " needs a value");
      output = args[++i];
    } else if (a.size() > 1 && a[0] == '-') {
      return bad_input(err, "cmksim merge: unknown option '" + a + "'" + did_you_mean(a, {"-o", "--output", "--help"}));
    } else {
      inputs.push_back(a);
    }
  }
  if (output.empty()) return bad_input(err, "cmksim merge: missing -o sweep.db\n" + std::string(kMergeUsage));
  if (inputs.empty()) return bad_input(err, "cmksim merge: no shards given\n" + std::string(kMergeUsage));
  std::uint64_t runs = 0;
  if (const std::string error = merge_shards(inputs, output, runs); !error.empty()) {
    return bad_input(err, "cmksim merge: " + error);
  }
  out << "merged " << inputs.size() << (inputs.size() == 1 ? " shard" : " shards") << " (" << runs
      << (runs == 1 ? " run" : " runs") << ") into " << output << "\n";
  return kExitOk;
}

}  // namespace cmksim
