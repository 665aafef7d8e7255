// The behaviour catalogue as data: BEHAVIORS.md (embedded, see
// spec_documents.h) split into one entry per behaviour ID, in the document's
// order (K, D, R, C, W, Q, L, P). The report prints IDs with their text and
// `cmksim reference` renders the whole catalogue, so both say what the
// repository's BEHAVIORS.md says, never a copy kept by hand.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace cmksim {

struct BehaviourEntry {
  std::string id;          // "D7"
  std::string priority;    // "P1", "P2" or "P3" (the entry's own, else its section's)
  std::string section;     // the section's heading: "D — data plane over time"
  std::string text;        // the paragraph before any resolution, on one line, Markdown as written
  std::string resolution;  // the text after "**Resolved:**" on one line, or ""
};

// Parses a catalogue written like BEHAVIORS.md: "## X — title (Pn)"
// sections, entries "- **ID (Pn)** text" continued by indented lines.
std::vector<BehaviourEntry> parse_behaviour_catalogue(std::string_view markdown);

// The catalogue of this build (parsed once from the embedded BEHAVIORS.md).
const std::vector<BehaviourEntry>& behaviour_catalogue();

// The entry of `id`, or nullptr when the catalogue has no such ID.
const BehaviourEntry* find_behaviour(std::string_view id);

}  // namespace cmksim
