// The report as GitHub-flavoured Markdown: the same document as the HTML
// report, figures left out (each is followed by a table of its data).
#include <algorithm>
#include <sstream>

#include "sim/report/report.h"
#include "sim/report/report_text.h"

namespace cmksim::report {
namespace {

// `line_start`: the spans start a line (a paragraph, list item or heading).
std::string inline_md(const Inline& spans, bool line_start = false) {
  std::string out;
  for (const Span& s : spans) {
    switch (s.kind) {
      case Span::Kind::kText:
      case Span::Kind::kScreenOnly:
      case Span::Kind::kGood: out += md_text(s.text, line_start && out.empty()); break;
      case Span::Kind::kCode: out += md_code(s.text); break;
      case Span::Kind::kStrong:
      case Span::Kind::kBad: out += s.text.empty() ? std::string() : "**" + md_text(s.text) + "**"; break;
    }
  }
  return out;
}

void table_md(std::ostringstream& out, const Table& t) {
  out << "|";
  for (const auto& h : t.header) out << " " << md_text(h) << " |";
  out << "\n|";
  for (std::size_t c = 0; c < t.header.size(); ++c) out << (t.numeric[c] ? " ---: |" : " --- |");
  out << "\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    out << "|";
    for (const Inline& cell : t.rows[r]) {
      std::string text = inline_md(cell);
      if (t.emphasised[r] && !text.empty() && text.rfind("**", 0) != 0) text = "**" + text + "**";
      out << " " << text << " |";
    }
    out << "\n";
  }
  out << "\n";
}

}  // namespace

std::string render_markdown(const Document& doc) {
  std::ostringstream out;
  for (const Block& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::kHeading:
        out << std::string(static_cast<std::size_t>(std::clamp(b.level, 1, 6)), '#') << " " << inline_md(b.text, true)
            << "\n\n";
        break;
      case Block::Kind::kParagraph: out << inline_md(b.text, true) << "\n\n"; break;
      case Block::Kind::kList:
        for (const Inline& item : b.items) out << "- " << inline_md(item, true) << "\n";
        out << "\n";
        break;
      case Block::Kind::kCode: {
        std::size_t run = 0, longest = 0;
        for (const char c : b.code) {
          run = c == '`' ? run + 1 : 0;
          longest = std::max(longest, run);
        }
        const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
        out << fence << "sh\n" << b.code << "\n" << fence << "\n\n";
        break;
      }
      case Block::Kind::kFigure: break;  // HTML only; the table that follows has the same data
      case Block::Kind::kTable:
        if (b.collapsed) out << "**" << inline_md(b.text) << "**\n\n";
        table_md(out, b.table);
        break;
    }
  }
  out << "---\n\n" << md_text(doc.footer) << "\n";
  return out.str();
}

std::string markdown_report(const std::vector<RunRecord>& runs, const std::optional<SweepStopped>& stopped,
                            const Representative& choice) {
  return render_markdown(build_document(build_report_data(runs, stopped, choice)));
}

}  // namespace cmksim::report
