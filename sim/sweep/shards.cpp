#include "sim/sweep/shards.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "sim/io/atomic_file.h"
#include "sim/io/shard_db.h"

namespace cmksim {
namespace {

// A non-negative decimal integer (no sign, no spaces).
std::optional<std::uint64_t> parse_count(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

std::optional<ShardSpec> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto index = parse_count(text.substr(0, slash));
  const auto count = parse_count(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count || *count > (1ULL << 20)) return std::nullopt;
  return ShardSpec{*index, *count};
}

void shard_range(std::uint64_t total, const ShardSpec& shard, std::uint64_t& first, std::uint64_t& count) {
  // total < 2^40 and shard.count <= 2^20: the products fit in 64 bits.
  first = total * shard.index / shard.count;
  count = total * (shard.index + 1) / shard.count - first;
}

SweepWrite write_sweep_shard(const SweepPlan& plan, const ShardSpec& shard, const std::string& path, unsigned jobs,
                             const RunObserver& on_run, const StopRequest* stop) {
  std::uint64_t first = 0, count = 0;
  shard_range(plan.total_runs(), shard, first, count);
  remove_stale_temporaries(path);  // parts of shard writers that were killed (issue 18)
  const std::string part = shard_part_path(path);
  SweepWrite written = write_sweep(plan, part, first, count, jobs, on_run, stop);
  if (!written.error.empty() || (written.stopped && written.runs == 0)) return written;
  const ShardRow row{shard.index, shard.count, first + 1, written.runs, plan.total_runs(), plan.fingerprint};
  if (const Status finished = finish_shard_file(part, path, row); !finished.ok()) {
    written.error = finished.error().str();
    written.runs = 0;
  }
  return written;
}

std::string shard_part_path(const std::string& path) { return partial_path_for(path); }

Expected<std::uint64_t> merge_shards(const std::vector<std::string>& inputs, const std::string& output) {
  if (inputs.empty()) return Error("no shards to merge");
  std::vector<ShardFile> shards;
  for (const std::string& input : inputs) {
    Expected<ShardFile> shard = read_shard_file(input);
    if (!shard.ok()) return shard.error();
    shards.push_back(std::move(shard).value());
    std::error_code ec;
    if (std::filesystem::exists(output, ec) && std::filesystem::equivalent(output, input, ec)) {
      return Error("the output " + output + " is one of the shards");
    }
  }
  const ShardFile& first = shards.front();
  for (const ShardFile& s : shards) {
    if (s.row.fingerprint != first.row.fingerprint || s.row.count != first.row.count ||
        s.row.total_runs != first.row.total_runs) {
      return Error(s.path + " and " + first.path + " are shards of different sweeps");
    }
    if (!(s.schema == first.schema)) {
      return Error(s.path + " and " + first.path + " have different tables (written by different cmksim versions?)");
    }
  }
  std::sort(shards.begin(), shards.end(),
            [](const ShardFile& a, const ShardFile& b) { return a.row.index < b.row.index; });
  std::string missing;
  std::uint64_t expected = 0;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    if (i > 0 && shards[i].row.index == shards[i - 1].row.index) {
      return Error("shard " + shard_name(shards[i].row.index, first.row.count) + " is given twice (" +
                   shards[i - 1].path + " and " + shards[i].path + ")");
    }
    for (; expected < shards[i].row.index; ++expected) {
      missing += (missing.empty() ? "" : ", ") + shard_name(expected, first.row.count);
    }
    expected = shards[i].row.index + 1;
  }
  for (; expected < first.row.count; ++expected) {
    missing += (missing.empty() ? "" : ", ") + shard_name(expected, first.row.count);
  }
  if (!missing.empty()) {
    return Error("missing shard" + std::string(missing.find(',') == std::string::npos ? " " : "s ") + missing);
  }

  if (const Status merged = merge_shard_files(shards, output); !merged.ok()) return merged.error();
  std::uint64_t runs = 0;
  for (const ShardFile& s : shards) runs += s.row.runs;
  return runs;
}

}  // namespace cmksim
