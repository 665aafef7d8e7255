// cmksim diff: placeholder until its issue lands.
#include <string>

#include "sim/cli/cli_support.h"

namespace cmksim {

int command_diff(const Args&, std::ostream&, std::ostream& err) {
  return bad_input(err, std::string("cmksim diff: not available in cmksim ") + CMKSIM_VERSION + " yet");
}

}  // namespace cmksim
