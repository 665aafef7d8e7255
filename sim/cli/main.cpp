#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/commands.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return cmksim::run_cli(args, std::cout, std::cerr);
}
