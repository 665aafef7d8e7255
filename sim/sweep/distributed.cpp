#include "sim/sweep/distributed.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <vector>

#include "sim/io/results_db.h"
#include "sim/io/results_reader.h"

namespace cmksim {
namespace {

// Set once, before main, by the MPI transport's translation unit (linked
// into the cmksim binary only when MPI was found).
TransportOpener& opener_slot() {
  static TransportOpener opener = nullptr;
  return opener;
}

std::uint64_t chunk_size(std::uint64_t total, std::uint64_t chunk) {
  return std::min(kChunkRuns, total - chunk * kChunkRuns);
}

std::string chunk_path(int rank) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = ".";
  return (dir / ("cmksim-chunk-" + std::to_string(static_cast<long long>(getpid())) + "-" + std::to_string(rank) +
                 ".db"))
      .string();
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.good() && !in.eof()) throw std::runtime_error("cannot read " + path);
  return bytes;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

// Ranks other than 0: simulate the chunks, send each as a database.
std::string send_chunks(const SweepPlan& plan, Transport& transport, RunPipeline& pipeline,
                        const std::vector<std::uint64_t>& chunks) {
  const std::string path = chunk_path(transport.rank());
  for (const std::uint64_t chunk : chunks) {
    const std::uint64_t n = chunk_size(plan.total_runs(), chunk);
    std::uint64_t written = 0;
    const RunSource next = [&](std::int64_t& run_id) -> const RunRecord* {
      if (written == n) return nullptr;
      run_id = static_cast<std::int64_t>(++written);
      RunRecord* record = pipeline.next();
      if (record == nullptr) throw std::runtime_error("internal error: a chunk ran out of runs");
      return record;
    };
    const Status db = write_results_db(path, next, plan.has_axes, nullptr, plan.outcomes_only);
    if (!db.ok()) return db.error().str();
    std::string bytes;
    try {
      bytes = read_bytes(path);
    } catch (const std::exception& e) {
      std::remove(path.c_str());
      return e.what();
    }
    std::remove(path.c_str());
    transport.send(0, bytes);
  }
  return "";
}

}  // namespace

void register_mpi_transport(TransportOpener opener) { opener_slot() = opener; }
TransportOpener mpi_transport_opener() { return opener_slot(); }

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && std::atol(value) > 1) return true;
  }
  return false;
}

std::string run_distributed_sweep(const SweepPlan& plan, Transport& transport, const std::string& path,
                                  unsigned jobs, const RunObserver& on_run) {
  const std::uint64_t total = plan.total_runs();
  const std::uint64_t chunks = (total + kChunkRuns - 1) / kChunkRuns;
  const auto ranks = static_cast<std::uint64_t>(transport.size());
  const auto rank = static_cast<std::uint64_t>(transport.rank());
  std::vector<std::uint64_t> mine;
  std::vector<IndexRange> ranges;
  for (std::uint64_t c = rank; c < chunks; c += ranks) {
    mine.push_back(c);
    ranges.push_back(IndexRange{c * kChunkRuns, chunk_size(total, c)});
  }
  // Look a whole chunk ahead: a rank keeps simulating while it waits to send.
  RunPipeline pipeline(plan, std::move(ranges), jobs, kChunkRuns);
  if (rank != 0) return send_chunks(plan, transport, pipeline, mine);

  const std::string scratch = chunk_path(0);
  std::uint64_t chunk = 0, position = 0;
  std::vector<RunRecord> received;
  const RunSource next = [&](std::int64_t& run_id) -> const RunRecord* {
    while (chunk < chunks && position == chunk_size(total, chunk)) {
      ++chunk;
      position = 0;
      received.clear();
    }
    if (chunk == chunks) return nullptr;
    const int owner = static_cast<int>(chunk % ranks);
    RunRecord* record = nullptr;
    if (owner == 0) {
      record = pipeline.next();
      if (record == nullptr) throw std::runtime_error("internal error: rank 0 ran out of runs");
    } else {
      if (position == 0) {
        write_bytes(scratch, transport.receive(owner));
        Expected<ResultsRead> loaded = read_results_db(scratch);
        std::remove(scratch.c_str());
        if (!loaded) throw std::runtime_error("a chunk from rank " + std::to_string(owner) + ": " + loaded.error().str());
        ResultsRead& read = *loaded;
        if (read.runs.size() != chunk_size(total, chunk)) {
          throw std::runtime_error("a chunk from rank " + std::to_string(owner) + " has the wrong number of runs");
        }
        received = std::move(read.runs);
      }
      record = &received[position];
    }
    const std::uint64_t index = chunk * kChunkRuns + position;
    ++position;
    run_id = static_cast<std::int64_t>(index + 1);
    if (on_run) on_run(index, *record);
    return record;
  };
  const Status written = write_results_db(path, next, plan.has_axes, nullptr, plan.outcomes_only);
  return written.ok() ? std::string() : written.error().str();
}

}  // namespace cmksim
