// The behaviour IDs of the catalogue (sim/spec/BEHAVIORS.md), each with
// the one sentence a report prints beside it. The sentences are summaries of
// that document, kept here as data; BEHAVIORS.md stays the reference.
#pragma once
#include <string>
#include <vector>

namespace cmksim::report {

struct Behaviour {
  const char* id;        // "D7"
  const char* sentence;  // one sentence, plain text
};

// Every behaviour of BEHAVIORS.md, in its order (K, D, R, C, W, Q, L, P).
const std::vector<Behaviour>& behaviours();

// The sentence of `id`, or "" when BEHAVIORS.md has no such ID.
std::string behaviour_sentence(const std::string& id);

}  // namespace cmksim::report
