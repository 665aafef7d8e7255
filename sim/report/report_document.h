// The report as a format-neutral document: headings, paragraphs, lists,
// tables and figures. build_document() decides what the report says, once;
// html_report and markdown_report only decide how it looks, so the two
// formats carry the same content (figures are HTML-only, and every figure is
// followed by a table with the same data).
#pragma once
#include <string>
#include <vector>

#include "sim/report/report_data.h"

namespace cmksim::report {

struct Span {
  enum class Kind { kText, kCode, kStrong, kGood, kBad, kScreenOnly };  // kScreenOnly: not printed (HTML)
  Kind kind = Kind::kText;
  std::string text;  // raw, unescaped: the renderer escapes
};
using Inline = std::vector<Span>;

struct Table {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // right-aligned columns
  std::vector<std::vector<Inline>> rows;
  std::vector<bool> emphasised;  // per row: a total or subtotal
};

struct Block {
  enum class Kind { kHeading, kParagraph, kList, kTable, kCode, kFigure };
  Kind kind = Kind::kParagraph;
  int level = 2;            // headings
  std::string id;           // headings: the anchor
  Inline text;              // heading, paragraph, figure caption / table summary
  std::vector<Inline> items;  // list
  Table table;
  std::string code;         // code block
  std::string svg;          // figure: inline SVG, already escaped (HTML only)
  bool collapsed = false;   // table: folded away in HTML behind `text`
  bool screen_only = false; // table: not printed (HTML): the figure before it shows the same data
};

struct Document {
  std::string title;
  std::string version;
  std::string footer;  // plain text
  std::vector<Block> blocks;
};

Document build_document(const ReportData& data);

}  // namespace cmksim::report
