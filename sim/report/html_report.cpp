// The report as one self-contained HTML5 file: inline CSS, inline SVG, no
// script, and a Content-Security-Policy that forbids fetching anything, so
// it opens the same offline, from a mail attachment or an archive.
#include <sstream>

#include "sim/report/report.h"
#include "sim/report/report_text.h"

namespace cmksim::report {
namespace {

const char* const kStyle = R"(
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1c2329; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.7em; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.3em; margin: 1.8em 0 0.5em; padding-bottom: 0.2em; border-bottom: 2px solid #dde3e8; }
h3 { font-size: 1.05em; margin: 1.4em 0 0.4em; }
p, ul { margin: 0.5em 0; }
li { margin: 0.2em 0; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; }
code { background: #f1f4f6; padding: 0 0.25em; border-radius: 3px; overflow-wrap: break-word; }
pre { background: #f1f4f6; padding: 10px 12px; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
.table-wrap { overflow-x: auto; margin: 0.6em 0; }
table { border-collapse: collapse; font-size: 0.92em; }
th, td { border: 1px solid #d5dce2; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; background: #f7f9fa; }
.ok { color: #1b5e20; font-weight: 600; }
.bad { color: #b71c1c; font-weight: 700; }
figure { margin: 0.8em 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #546e7a; font-size: 0.88em; margin-top: 0.2em; }
details { margin: 0.5em 0; }
summary { cursor: pointer; color: #37474f; }
footer { color: #607d8b; font-size: 0.88em; max-width: 1080px; margin: 0 auto; padding: 0 28px 32px; }
@page { size: A4; margin: 14mm 12mm 16mm;
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 9pt; color: #546e7a; } }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h1, h2, h3, h4, summary { break-after: avoid; page-break-after: avoid; }
  figure, tr, pre { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  .table-wrap.wide table { font-size: 7.5pt; }  /* wrapped, not cut: every column on the page */
  table { width: 100%; font-size: 8.5pt; }
  thead { display: table-header-group; }
  th, td { padding: 2px 4px; }
  td { overflow-wrap: anywhere; }
  code { overflow-wrap: anywhere; }
  pre { overflow: visible; white-space: pre-wrap; overflow-wrap: anywhere; }
  summary { list-style: none; cursor: auto; font-weight: 600; }
  .screen-only { display: none; }
  figure svg { max-width: 100%; }
}
)";

std::string inline_html(const Inline& spans) {
  std::string out;
  for (const Span& s : spans) {
    switch (s.kind) {
      case Span::Kind::kText: out += html_escape(s.text); break;
      case Span::Kind::kCode: out += "<code>" + html_escape(s.text) + "</code>"; break;
      case Span::Kind::kStrong: out += "<strong>" + html_escape(s.text) + "</strong>"; break;
      case Span::Kind::kGood: out += "<span class=\"ok\">" + html_escape(s.text) + "</span>"; break;
      case Span::Kind::kBad: out += "<span class=\"bad\">" + html_escape(s.text) + "</span>"; break;
      case Span::Kind::kScreenOnly: out += "<span class=\"screen-only\">" + html_escape(s.text) + "</span>"; break;
    }
  }
  return out;
}

// Tables of this many columns or more print on landscape pages.
constexpr std::size_t kWideColumns = 8;

void table_html(std::ostringstream& out, const Table& t) {
  out << (t.header.size() >= kWideColumns ? "<div class=\"table-wrap wide\"><table>\n<thead><tr>"
                                          : "<div class=\"table-wrap\"><table>\n<thead><tr>");
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    out << (t.numeric[c] ? "<th class=\"num\">" : "<th>") << html_escape(t.header[c]) << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    out << (t.emphasised[r] ? "<tr class=\"total\">" : "<tr>");
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      out << (t.numeric[c] ? "<td class=\"num\">" : "<td>") << inline_html(t.rows[r][c]) << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody></table></div>\n";
}

std::string render(const Document& doc, bool open_details) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
         "<meta name=\"generator\" content=\"cmksim "
      << html_escape(doc.version) << "\">\n<title>" << html_escape(doc.title) << "</title>\n<style>" << kStyle
      << "</style>\n</head>\n<body>\n<main>\n";
  for (const Block& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::kHeading:
        out << "<h" << b.level;
        if (!b.id.empty()) out << " id=\"" << html_escape(b.id) << "\"";
        out << ">" << inline_html(b.text) << "</h" << b.level << ">\n";
        break;
      case Block::Kind::kParagraph:
        out << "<p>" << inline_html(b.text) << "</p>\n";
        break;
      case Block::Kind::kList:
        out << "<ul>\n";
        for (const Inline& item : b.items) out << "<li>" << inline_html(item) << "</li>\n";
        out << "</ul>\n";
        break;
      case Block::Kind::kCode:
        out << "<pre><code>" << html_escape(b.code) << "</code></pre>\n";
        break;
      case Block::Kind::kFigure:
        out << "<figure>" << b.svg << "<figcaption>" << inline_html(b.text) << "</figcaption></figure>\n";
        break;
      case Block::Kind::kTable:
        if (b.screen_only) out << "<div class=\"screen-only\">";
        if (b.collapsed) {
          out << (open_details ? "<details open>" : "<details>") << "<summary>" << inline_html(b.text)
              << "</summary>\n";
        }
        table_html(out, b.table);
        if (b.collapsed) out << "</details>\n";
        if (b.screen_only) out << "</div>\n";
        break;
    }
  }
  out << "</main>\n<footer><p>" << html_escape(doc.footer) << "</p></footer>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace

std::string render_html(const Document& doc) { return render(doc, false); }

std::string render_html_for_print(const Document& doc) { return render(doc, true); }

std::string html_report(const std::vector<RunRecord>& runs, const std::optional<SweepStopped>& stopped,
                        const Representative& choice) {
  return render_html(build_document(build_report_data(runs, stopped, choice)));
}

}  // namespace cmksim::report
