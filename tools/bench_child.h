// A benchmark's measurement of one piece of work, run in a child process so
// that its peak resident memory is its own (bench_sweep, bench_risk).
#pragma once
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

namespace cmksim::bench {

struct Measure {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system: cpu_seconds / seconds = the cores it really had
  long peak_kb = 0;
  bool ok = false;
};

// Runs `work` (returning true on success) in a child process: its wall time,
// CPU time and peak resident memory.
template <class Work>
Measure in_child(Work work) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const auto t0 = std::chrono::steady_clock::now();
    const bool ok = work();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!ok || write(fds[1], &seconds, sizeof seconds) != static_cast<ssize_t>(sizeof seconds)) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Measure m;
  const bool read_ok = read(fds[0], &m.seconds, sizeof m.seconds) == static_cast<ssize_t>(sizeof m.seconds);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  m.peak_kb = usage.ru_maxrss;
  m.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  m.ok = read_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return m;
}

}  // namespace cmksim::bench
