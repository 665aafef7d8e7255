// SIGINT and SIGTERM while a command writes a results database (issue 8).
//
// Without a StopRequest (`run`, an MPI sweep) the first signal removes the
// command's temporary files and kills the process with that same signal, so
// an interrupted command leaves no output and its caller sees the signal.
// With one (`sweep`) the first signal asks the sweep to stop: it writes the
// runs finished so far, says so, and the command exits 128 + the signal; a
// second signal is handled as if there were no StopRequest.
//
// Signals are process-wide, so this is the one place with process-wide
// state: a handler can reach nothing else. One InterruptHandling at a time.
#pragma once
#include <string>
#include <vector>

#include "sim/sweep/sweep.h"

namespace cmksim {

class InterruptHandling {
 public:
  // Installs the handlers until destroyed (the previous ones come back).
  // `temp_files`: removed by a signal that kills (at most 4, each shorter
  // than 4 KiB; a longer one is not removed). `stop` may be nullptr.
  InterruptHandling(const std::vector<std::string>& temp_files, StopRequest* stop);
  InterruptHandling(const InterruptHandling&) = delete;
  InterruptHandling& operator=(const InterruptHandling&) = delete;
  ~InterruptHandling();

  // The signal that asked the sweep to stop, or 0.
  static int stop_signal();
};

}  // namespace cmksim
