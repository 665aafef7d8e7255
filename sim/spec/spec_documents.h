// The project's own documents, compiled into the binary at build time (CMake
// embeds their text): the behaviour catalogue (sim/spec/BEHAVIORS.md, every
// behaviour by ID with the resolution of each ambiguity) and the user-facing
// contract (sim/spec/INTERFACE.md: the command, scenario format v1, the
// results database). The Markdown files are the source; the report and
// `cmksim reference` read the catalogue through behaviour_catalogue().
#pragma once
#include <string_view>

namespace cmksim {

std::string_view behaviours_markdown();  // sim/spec/BEHAVIORS.md
std::string_view interface_markdown();   // sim/spec/INTERFACE.md

}  // namespace cmksim
