// The report's blast radius section (document_builder.h): for each declared
// key revoked at the start, the clusters, identities and workspaces it
// reaches and the data it makes inaccessible or leaves alone (D6, D8, K2).
#include <algorithm>
#include <cmath>

#include "sim/report/document_builder.h"
#include "sim/report/report_text.h"

namespace cmksim::report::document {
namespace {

// ---- blast radius -------------------------------------------------------------------

// What the data and kv_calls tables say per key: all a database without the
// blast_radius table (written by an older cmksim) can show.
void blast_radius_fallback(Builder& b, const ReportData& d) {
  b.paragraph({strong("Blast radius: not recorded in this database."),
               text(" It was written by a cmksim version without the "), code("blast_radius"),
               text(" table; run the scenario again with this version, or ask the resource graph with "),
               code("cmksim graph SCENARIO.yaml --impact VAULT/KEY"),
               text(". What the database does record, per key: the data ingested under it and the clusters calling "
                    "its vault.")});
  if (d.keys.empty()) {
    b.paragraph({text("No key in this run.")});
    return;
  }
  Table& t = b.table({"key", "versions with data", "clusters calling its vault", "workspaces (GB remaining under the key)",
                      "GB remaining", "GB lost"},
                     {false, false, false, false, true, true});
  for (const auto& k : d.keys) {
    std::string versions, clusters, workspaces;
    for (const auto& v : k.versions) versions += (versions.empty() ? "" : ", ") + v;
    for (const auto& c : k.clusters) clusters += (clusters.empty() ? "" : ", ") + c;
    for (const auto& [w, g] : k.workspaces) workspaces += (workspaces.empty() ? "" : ", ") + w + " " + gb(g);
    Builder::row(t, {code_cell(k.key), versions.empty() ? cell("-") : code_cell(versions),
                     clusters.empty() ? cell("-") : code_cell(clusters), cell(workspaces.empty() ? "-" : workspaces),
                     cell(gb(k.gb_at_end)), cell(gb(k.gb_lost))});
  }
}

// A blast_radius location as words: "cluster:A, cluster:B" -> cluster `A`,
// cluster `B`; "shared" -> shared storage; anything else as it is.
Inline location_words(const std::string& location) {
  Inline out;
  std::size_t from = 0;
  while (from <= location.size()) {
    const std::size_t comma = std::min(location.find(", ", from), location.size());
    const std::string part = location.substr(from, comma - from);
    if (!out.empty()) out.push_back(text(", "));
    if (part.rfind("cluster:", 0) == 0) {
      out.push_back(text("cluster "));
      out.push_back(code(part.substr(8)));
    } else {
      out.push_back(text(part == "shared" ? "shared storage" : part));
    }
    from = comma + 2;
  }
  return out;
}

// Rows as "a (note), b (note)", names in code; "none" when empty. The note is
// the protection (clusters) or the location (workspaces).
Inline named_list(const std::vector<BlastRadiusRow>& rows, bool protection_note) {
  if (rows.empty()) return {text("none")};
  Inline out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out.push_back(text(", "));
    out.push_back(code(rows[i].subject));
    const std::string& note = protection_note ? rows[i].protection : rows[i].location;
    if (note.empty()) continue;
    out.push_back(text(" ("));
    if (protection_note) {
      out.push_back(code(note));
    } else {
      for (Span& s : location_words(note)) out.push_back(std::move(s));
    }
    out.push_back(text(")"));
  }
  return out;
}

Inline joined(Inline head, Inline tail) {
  for (Span& s : tail) head.push_back(std::move(s));
  return head;
}

void key_blast(Builder& b, const KeyBlast& k, const ReportData& d) {
  b.heading(3, "", "Key " + k.key);
  Inline summary = {text("Revoking "), code(k.key), text(" at the start makes ")};
  if (k.clusters.empty()) {
    summary.push_back(good("no data inaccessible"));
    summary.push_back(text(": no cluster's AEK is wrapped by it at the start."));
  } else {
    summary.push_back(bad(gb(k.gb_inaccessible + k.gb_mmk_in_affected_storage) + " GB inaccessible"));
    summary.push_back(text(" (CMK " + gb(k.gb_inaccessible) + " GB + MMK " + gb(k.gb_mmk_in_affected_storage) +
                           " GB, D8: unqueryable with its workspaces)"));
    summary.push_back(text(" once the storage of its " + std::to_string(k.clusters.size()) +
                           " cluster(s) becomes unavailable (D6, within D7's " + format_duration(d.revocation_bound_ms) +
                           "), and " + gb(k.gb_per_day_dropped) + " GB/day of arrivals are dropped while it is (D8)."));
  }
  if (k.gb_not_affected > 0) {
    summary.push_back(text(" " + gb(k.gb_not_affected) + " GB is not under this key"));
    if (k.gb_mmk_in_affected_storage > 0) {
      summary.push_back(text(", " + gb(k.gb_mmk_in_affected_storage) +
                             " GB of it MMK data in an affected cluster's storage (K2: the key does not encrypt it, "
                             "but its workspaces cannot be queried while that storage is unavailable)"));
    }
    summary.push_back(text("."));
  } else if (k.gb_inaccessible > 0) {
    summary.push_back(text(" Every GB stored at the start is under this key."));
  }
  b.paragraph(std::move(summary));

  if (!k.clusters.empty() || !k.workspaces.empty()) {
    Table& t = b.table({"affected", "name", "detail", "GB inaccessible", "GB/day dropped while unavailable"},
                       {false, false, false, true, true});
    for (const auto& c : k.clusters) {
      Builder::row(t, {cell("cluster"), code_cell(c.subject),
                       c.protection.empty() ? cell("-") : Inline{text("AEK wrapped by "), code(c.protection)},
                       cell("-"), cell("-")});
    }
    for (const auto& i : k.identities) {
      Builder::row(t, {cell("identity"), code_cell(i.subject), joined({text("identity of ")}, location_words(i.location)),
                       cell("-"), cell("-")});
    }
    for (const auto& w : k.workspaces) {
      Builder::row(t, {cell("workspace"), code_cell(w.subject),
                       w.location.empty() ? cell("-") : joined({text("data in ")}, location_words(w.location)), cell(gb(w.gb)),
                       cell(gb(w.gb_per_day))});
    }
  }

  if (!k.inaccessible.empty() || !k.not_affected.empty()) {
    Table& t = b.table({"data", "protection", "location", "GB"}, {false, false, false, true});
    for (const auto& x : k.inaccessible) {
      Builder::row(t, {cell("inaccessible"), code_cell(x.protection), cell("an affected cluster's storage"), cell(gb(x.gb))});
    }
    if (k.gb_mmk_in_affected_storage > 0) {  // D8: not under the key, but unqueryable with its workspaces
      Builder::row(t, {cell("inaccessible (D8: unqueryable)"), code_cell("mmk"), cell("an affected cluster's storage"),
                       cell(gb(k.gb_mmk_in_affected_storage))});
    }
    Builder::row(t, {cell("inaccessible, total"), cell(""), cell(""),
                     cell(gb(k.gb_inaccessible + k.gb_mmk_in_affected_storage))}, true);
    for (const auto& x : k.not_affected) {
      Builder::row(t, {cell("not affected"), code_cell(x.protection), location_words(x.location), cell(gb(x.gb))});
    }
    Builder::row(t, {cell("not affected, total"), cell(""), cell(""), cell(gb(k.gb_not_affected))}, true);
  }

  b.list({joined(joined({strong("Clusters not affected:"), text(" ")}, named_list(k.clusters_not_affected, true)),
                 {text(".")}),
          joined(joined({strong("Workspaces not affected:"), text(" ")}, named_list(k.workspaces_not_affected, false)),
                 {text(".")}),
          {strong("Never under the CMK (K5):"),
           text(" tables on the Auxiliary plan, saved queries in query packs, dashboards, Logic Apps, Notebooks and "
                "Automation runbooks, whatever the key (see the coverage section).")}});
}

}  // namespace

void blast_radius(Builder& b, const ReportData& d) {
  b.heading(2, "blast-radius", "Blast radius of each key");
  if (!d.blast_radius_recorded) {
    blast_radius_fallback(b, d);
    return;
  }
  b.paragraph({text("What revoking each declared key at the start of the run (disabling or deleting it, or removing "
                    "its clusters' access, D6) takes down, as the resource graph answers it from the scenario: the "
                    "clusters whose AEK the key wraps, their identities and workspaces, and the GB stored at the start "
                    "by protection class (K2) that becomes inaccessible or stays readable. "),
               code("cmksim graph SCENARIO.yaml --impact VAULT/KEY --at TIME"),
               text(d.sweep ? " asks the same at any time. Figures of the representative run."
                            : " asks the same at any time.")});
  if (d.blast.empty()) {
    b.paragraph({text("No key is declared in this scenario.")});
    return;
  }
  for (const KeyBlast& k : d.blast) key_blast(b, k, d);
}

}  // namespace cmksim::report::document
