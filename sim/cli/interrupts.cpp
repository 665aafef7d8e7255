#include "sim/cli/interrupts.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>

#include "sim/core/check.h"

namespace cmksim {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM};
constexpr std::size_t kMaxFiles = 4;

// What the handler may touch: fixed arrays and lock-free atomics only.
struct HandlerState {
  char temp_files[kMaxFiles][4096] = {};
  std::atomic<StopRequest*> stop{nullptr};
  std::atomic<int> stop_signal{0};
  std::atomic<bool> installed{false};
  struct sigaction previous[2] = {};
};
HandlerState g_state;  // process-wide because signals are
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<StopRequest*>::is_always_lock_free);

const char* signal_name(int sig) { return sig == SIGINT ? "SIGINT" : "SIGTERM"; }

void on_signal(int sig) {
  StopRequest* stop = g_state.stop.load();
  int none = 0;
  if (stop != nullptr && g_state.stop_signal.compare_exchange_strong(none, sig)) {
    stop->request(signal_name(sig));  // the sweep ends at the next run it hands out
    return;
  }
  for (const auto& file : g_state.temp_files) {
    if (file[0] != '\0') ::unlink(file);  // async-signal-safe
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);  // delivered as this handler returns: the process dies of `sig`
}

}  // namespace

InterruptHandling::InterruptHandling(const std::vector<std::string>& temp_files, StopRequest* stop) {
  CMKSIM_CHECK(!g_state.installed.exchange(true), "one InterruptHandling at a time");
  std::size_t n = 0;
  for (const std::string& file : temp_files) {
    if (n == kMaxFiles || file.size() >= sizeof g_state.temp_files[0]) continue;
    std::memcpy(g_state.temp_files[n++], file.c_str(), file.size() + 1);
  }
  g_state.stop_signal.store(0);
  g_state.stop.store(stop);
  struct sigaction action = {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (const int sig : kSignals) sigaddset(&action.sa_mask, sig);  // one handler at a time
  action.sa_flags = SA_RESTART;  // SQLite's writes go on across a stop request
  for (std::size_t i = 0; i < 2; ++i) sigaction(kSignals[i], &action, &g_state.previous[i]);
}

InterruptHandling::~InterruptHandling() {
  for (std::size_t i = 0; i < 2; ++i) sigaction(kSignals[i], &g_state.previous[i], nullptr);
  g_state.stop.store(nullptr);
  for (auto& file : g_state.temp_files) file[0] = '\0';
  g_state.installed.store(false);
}

int InterruptHandling::stop_signal() { return g_state.stop_signal.load(); }

}  // namespace cmksim
