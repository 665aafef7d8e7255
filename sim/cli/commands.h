// The `cmksim` command line (INTERFACE.md §1): parses arguments, calls the
// loader, the model and the results writer, and prints to the given streams.
// Returns the process exit status: 0 ok, 2 bad input (one message on `err`).
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace cmksim {

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace cmksim
