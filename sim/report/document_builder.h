// What the report's sections are written with (report_document.h): spans,
// cells, verdicts and the Builder that appends blocks to the document. The
// sections are in report_document.cpp, document_findings.cpp and
// document_blast_radius.cpp. Internal to sim/report.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/civil_time.h"
#include "sim/core/text.h"
#include "sim/report/report_data.h"
#include "sim/report/report_document.h"

namespace cmksim::report::document {

inline Span text(std::string s) { return {Span::Kind::kText, std::move(s)}; }
inline Span code(std::string s) { return {Span::Kind::kCode, std::move(s)}; }
inline Span strong(std::string s) { return {Span::Kind::kStrong, std::move(s)}; }
inline Span good(std::string s) { return {Span::Kind::kGood, std::move(s)}; }
inline Span bad(std::string s) { return {Span::Kind::kBad, std::move(s)}; }

inline Inline cell(std::string s) { return {text(std::move(s))}; }
inline Inline code_cell(std::string s) { return {code(std::move(s))}; }

inline std::string gb(double v) { return format_gb(v); }
inline std::string at(std::optional<TimeMs> t) { return t ? format_instant(*t) : std::string("-"); }
// With the run's `start`: "0d 06:00:00 (Mon 2026-01-05 06:00 UTC)".
inline std::string at(const ReportData& d, std::optional<TimeMs> t) {
  if (!t || !d.start_epoch_ms) return at(t);
  return format_instant(*t) + " (" + format_utc(*d.start_epoch_ms + *t) + ")";
}
inline std::string span(std::optional<DurationMs> d) { return d ? format_duration_rounded(*d) : std::string("-"); }

inline Span verdict(Verdict v) {
  switch (v) {
    case Verdict::kWithin: return good("within");
    case Verdict::kAverted: return good("averted");
    case Verdict::kBeyond: return bad("BEYOND");
    case Verdict::kOpen: return bad("still open at the end");
    case Verdict::kNotApplicable: return text("-");
  }
  return text("-");
}

class Builder {
 public:
  void heading(int level, std::string id, std::string title) {
    Block b;
    b.kind = Block::Kind::kHeading;
    b.level = level;
    b.id = std::move(id);
    b.text = {text(std::move(title))};
    doc.blocks.push_back(std::move(b));
  }
  void paragraph(Inline content) {
    Block b;
    b.kind = Block::Kind::kParagraph;
    b.text = std::move(content);
    doc.blocks.push_back(std::move(b));
  }
  void list(std::vector<Inline> items) {
    Block b;
    b.kind = Block::Kind::kList;
    b.items = std::move(items);
    doc.blocks.push_back(std::move(b));
  }
  void code_block(std::string c) {
    Block b;
    b.kind = Block::Kind::kCode;
    b.code = std::move(c);
    doc.blocks.push_back(std::move(b));
  }
  void figure(std::string svg, std::string caption, std::string screen_note = "") {
    Block b;
    b.kind = Block::Kind::kFigure;
    b.svg = std::move(svg);
    b.text = {text(std::move(caption))};
    if (!screen_note.empty()) b.text.push_back({Span::Kind::kScreenOnly, std::move(screen_note)});
    doc.blocks.push_back(std::move(b));
  }
  // A table; `numeric` marks right-aligned columns by header index.
  Table& table(std::vector<std::string> header, std::vector<bool> numeric, std::string collapsed_summary = "") {
    Block b;
    b.kind = Block::Kind::kTable;
    numeric.resize(header.size(), false);
    b.table.header = std::move(header);
    b.table.numeric = std::move(numeric);
    if (!collapsed_summary.empty()) {
      b.collapsed = true;
      b.text = {text(std::move(collapsed_summary))};
    }
    doc.blocks.push_back(std::move(b));
    return doc.blocks.back().table;
  }
  static void row(Table& t, std::vector<Inline> cells, bool emphasised = false) {
    cells.resize(t.header.size());
    t.rows.push_back(std::move(cells));
    t.emphasised.push_back(emphasised);
  }
  Document doc;
};

// The findings: incidents, workspaces, expectations and, for a sweep, the
// distributions and the runs (document_findings.cpp).
void findings(Builder& b, const ReportData& d);

// A sweep's grid points side by side (issue 15 item 5) and its risk section
// (issue 17 item 2), in document_risk.cpp.
void grid_comparison(Builder& b, const ReportData& d);
void risk(Builder& b, const ReportData& d);

// The blast radius of each declared key (document_blast_radius.cpp).
void blast_radius(Builder& b, const ReportData& d);

}  // namespace cmksim::report::document
