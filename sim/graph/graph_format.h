// Text renderings of a ResourceGraph and of a blast radius, for
// `cmksim graph` (INTERFACE.md §1).
//
// format_dot: Graphviz DOT, one statement per line, vertices then edges in
// creation order. Node ids are "kind:name"; shapes and colours follow the
// kind, fill and line style the state (disabled, deleted, fault, unlinked);
// every node also carries kind, state, region, tenant and subscription as
// attributes, so tools can read them back. Edges point from the dependent to
// what it depends on and are labelled wrap/unwrap, grant, link, ...
// format_text: an indented tree from what depends on nothing (vaults,
// unlinked workspaces) down to what depends on it; a resource met again is
// printed once more as "(above)". Output is deterministic.
#pragma once
#include <string>
#include <vector>

#include "sim/graph/impact.h"
#include "sim/graph/resource_graph.h"

namespace cmksim {

// `highlight` (sorted, e.g. impact_vertices()) is drawn with a thick red outline.
std::string format_dot(const ResourceGraph& graph, const std::string& title, const std::vector<Vertex>& highlight = {});
std::string format_text(const ResourceGraph& graph, const std::string& title);
std::string format_impact(const KeyImpact& impact);

// The vertices of a blast radius (affected clusters with their storage and
// AEK, workspaces, identities, and the key or version itself), for highlight.
std::vector<Vertex> impact_vertices(const ResourceGraph& graph, const KeyImpact& impact);

}  // namespace cmksim
