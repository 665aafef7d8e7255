// The MPI transport of distributed sweeps (distributed.h). Built into the
// cmksim binary only when CMake finds MPI; it registers itself before main.
// MPI is initialized only when `cmksim sweep` runs under an MPI launcher, and
// every MPI call comes from the main thread (MPI_THREAD_FUNNELED): the worker
// threads only simulate.
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "sim/sweep/distributed.h"

namespace cmksim {
namespace {

constexpr int kTagLength = 1;
constexpr int kTagBytes = 2;
constexpr std::size_t kPieceBytes = std::size_t{1} << 30;  // MPI counts are int

class MpiTransport final : public Transport {
 public:
  static std::unique_ptr<Transport> open(std::string& error) {
    int provided = 0;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
      error = "MPI_Init_thread failed";
      return nullptr;
    }
    if (provided < MPI_THREAD_FUNNELED) {
      MPI_Finalize();
      error = "this MPI library does not allow threads (MPI_THREAD_FUNNELED)";
      return nullptr;
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    auto t = std::unique_ptr<MpiTransport>(new MpiTransport());
    MPI_Comm_rank(MPI_COMM_WORLD, &t->rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &t->size_);
    MPI_Comm local = MPI_COMM_NULL;
    t->local_size_ = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local) == MPI_SUCCESS) {
      MPI_Comm_size(local, &t->local_size_);
      MPI_Comm_free(&local);
    }
    return t;
  }

  ~MpiTransport() override { MPI_Finalize(); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_size() const override { return local_size_; }

  void send(int to, const std::string& bytes) override {
    std::uint64_t length = bytes.size();
    check(MPI_Send(&length, 1, MPI_UINT64_T, to, kTagLength, MPI_COMM_WORLD), "send");
    for (std::size_t at = 0; at < bytes.size(); at += kPieceBytes) {
      const int n = static_cast<int>(std::min(kPieceBytes, bytes.size() - at));
      check(MPI_Send(bytes.data() + at, n, MPI_BYTE, to, kTagBytes, MPI_COMM_WORLD), "send");
    }
  }

  std::string receive(int from) override {
    std::uint64_t length = 0;
    check(MPI_Recv(&length, 1, MPI_UINT64_T, from, kTagLength, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "receive");
    std::string bytes(length, '\0');
    for (std::size_t at = 0; at < bytes.size(); at += kPieceBytes) {
      const int n = static_cast<int>(std::min(kPieceBytes, bytes.size() - at));
      check(MPI_Recv(&bytes[at], n, MPI_BYTE, from, kTagBytes, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "receive");
    }
    return bytes;
  }

  bool all_ok(bool ok) override {
    int mine = ok ? 1 : 0, all = 0;
    check(MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD), "allreduce");
    return all == 1;
  }

  [[noreturn]] void abort(int status) override {
    MPI_Abort(MPI_COMM_WORLD, status);
    std::exit(status);
  }

 private:
  MpiTransport() = default;

  static void check(int rc, const char* what) {
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(rc, text, &length);
    throw std::runtime_error(std::string("MPI ") + what + " failed: " + std::string(text, static_cast<std::size_t>(length)));
  }

  int rank_ = 0, size_ = 1, local_size_ = 1;
};

[[maybe_unused]] const bool kRegistered = [] {
  register_mpi_transport(&MpiTransport::open);
  return true;
}();

}  // namespace
}  // namespace cmksim
