// cmksim sweep: placeholder until its issue lands.
#include <string>

#include "sim/cli/cli_support.h"

namespace cmksim {

int command_sweep(const Args&, std::ostream&, std::ostream& err) {
  return bad_input(err, std::string("cmksim sweep: not available in cmksim ") + CMKSIM_VERSION + " yet");
}

}  // namespace cmksim
