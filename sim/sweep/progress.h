// Progress of a long sweep on stderr: runs done, runs per second and the time
// left. On a terminal a bar is redrawn in place; otherwise (a log, CI) a plain
// line is printed every 10 seconds, and one at the end.
//
// Elapsed time is counted by a thread that sleeps in 100 ms steps, not read
// from a clock: sim/ reads no clock at all (the tidy test), and a progress
// display can live with a step's worth of drift. Nothing of it reaches the
// results database or stdout.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace cmksim {

class Progress {
 public:
  // Starts displaying at once. `terminal`: redraw one line in place.
  Progress(std::ostream& err, std::uint64_t total, bool terminal);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();  // calls finish()

  void advance() { done_.fetch_add(1, std::memory_order_relaxed); }  // any thread
  // Stops the display and prints the last line (once).
  void finish();

  // The line shown for `done` of `total` runs after `elapsed_ms` (for tests).
  static std::string line(std::uint64_t done, std::uint64_t total, std::int64_t elapsed_ms, bool bar);

 private:
  void tick_loop();

  std::ostream& err_;
  const std::uint64_t total_;
  const bool terminal_;
  std::atomic<std::uint64_t> done_{0};
  std::int64_t elapsed_ms_ = 0;  // written by the ticker thread only
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool finished_ = false;
  std::thread ticker_;
};

// Whether file descriptor 2 is a terminal.
bool stderr_is_terminal();

}  // namespace cmksim
