// Distributed sweeps: the runs of one sweep split across processes (MPI ranks
// under `mpirun -np K cmksim sweep ...`) and gathered into one database on
// rank 0, identical to the single-process sweep's.
//
// The runs go out in chunks of kChunkRuns consecutive runs, chunk c to rank
// c % K. Each rank simulates its chunks on its own threads (RunPipeline);
// ranks other than 0 write each finished chunk as a small results database
// and send its bytes to rank 0, which writes every run into the one database
// in run order, its own chunks and the received ones alike. Sending databases
// rather than an encoding of RunRecord keeps the wire format the results
// schema itself: whoever extends the schema extends the writer and the reader,
// and the gather follows.
//
// The transport is an interface so the protocol knows nothing of MPI
// (sim/sweep/mpi_transport.cpp, built only when CMake finds MPI, implements
// it; the tests use an in-process one).
#pragma once
#include <memory>
#include <string>

#include "sim/sweep/sweep.h"

namespace cmksim {

constexpr std::uint64_t kChunkRuns = 32;

// How the ranks of one distributed sweep talk. Calls come from one thread.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Processes of this sweep on this machine (to share its cores).
  virtual int local_size() const = 0;
  // Blocking point-to-point transfer of bytes; messages between two ranks
  // arrive in the order sent. Throw std::runtime_error on failure.
  virtual void send(int to, const std::string& bytes) = 0;
  virtual std::string receive(int from) = 0;
  // True on every rank when `ok` is true on every rank (a collective).
  virtual bool all_ok(bool ok) = 0;
  // Ends every rank at once after a failure that leaves others waiting.
  [[noreturn]] virtual void abort(int status) = 0;
};

// This rank's part of the sweep (every rank calls it with the same plan).
// Rank 0 writes `path`; the others write only temporary chunk files. Returns
// "" or the error; `on_run` is called on rank 0 only, for every run in order.
std::string run_distributed_sweep(const SweepPlan& plan, Transport& transport, const std::string& path,
                                  unsigned jobs, const RunObserver& on_run);

// The MPI transport, when this binary has one. Opening initializes MPI (the
// transport's destructor finalizes it).
using TransportOpener = std::unique_ptr<Transport> (*)(std::string& error);
void register_mpi_transport(TransportOpener opener);
TransportOpener mpi_transport_opener();  // nullptr without MPI support

// Whether this process was started by an MPI launcher (mpirun, mpiexec, srun
// with PMI) as one of several ranks.
bool launched_by_mpi();

}  // namespace cmksim
