// Always-on invariant checks. A failed check is a bug in cmksim, never bad
// input: bad input is reported through the loader's error values instead.
#pragma once
#include <cstdio>
#include <cstdlib>

#define CMKSIM_CHECK(cond, msg)                                               \
  do {                                                                        \
    if (!(cond)) {                                                            \
      std::fprintf(stderr, "cmksim: internal error at %s:%d: %s (%s)\n",     \
                   __FILE__, __LINE__, msg, #cond);                           \
      std::abort();                                                           \
    }                                                                         \
  } while (0)
