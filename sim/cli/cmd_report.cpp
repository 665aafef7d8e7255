// cmksim report: the security-review report of a run or a sweep, as one
// self-contained HTML file, Markdown, or (with Chromium) PDF (INTERFACE.md §1).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "sim/cli/command.h"
#include "sim/core/text.h"
#include "sim/io/atomic_file.h"
#include "sim/io/results_reader.h"
#include "sim/report/chromium.h"
#include "sim/report/report.h"

namespace cmksim {
namespace {

enum class Format { kHtml, kMarkdown, kPdf };

struct ReportOptions {
  std::string database;
  std::string output;
  std::optional<Format> format;
  std::optional<std::uint64_t> run;  // --run N
  std::string worst;                 // --worst METRIC
};

std::optional<Format> parse_format(const std::string& text) {
  if (text == "html") return Format::kHtml;
  if (text == "md" || text == "markdown") return Format::kMarkdown;
  if (text == "pdf") return Format::kPdf;
  return std::nullopt;
}

const char* extension(Format f) {
  switch (f) {
    case Format::kHtml: return ".html";
    case Format::kMarkdown: return ".md";
    case Format::kPdf: return ".pdf";
  }
  return ".html";
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Status read_format(const std::string& value, std::optional<Format>& format) {
  format = parse_format(value);
  if (!format) {
    return Error("--format expects html, md or pdf, got '" + value + "'" + did_you_mean(value, {"html", "md", "pdf"}));
  }
  return {};
}

// The format from -o's extension and the output from the database's name,
// when not given.
Status complete_options(ReportOptions& o) {
  if (!o.format) {
    o.format = ends_with(o.output, ".md") || ends_with(o.output, ".markdown") ? Format::kMarkdown
               : ends_with(o.output, ".pdf")                                  ? Format::kPdf
                                                                              : Format::kHtml;
  }
  if (o.output == "-" && *o.format == Format::kPdf) return Error("a PDF cannot go to standard output; give -o FILE.pdf");
  if (o.output.empty()) {
    std::string base = o.database.substr(o.database.find_last_of('/') + 1);
    const std::size_t dot = base.find_last_of('.');
    if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
    o.output = base + extension(*o.format);
  }
  return {};
}

int write_pdf(const std::vector<RunRecord>& runs, const std::optional<SweepStopped>& stopped,
              const report::Representative& choice, const std::string& path, std::ostream& err) {
  const std::string chromium = report::find_chromium();
  if (chromium.empty()) {
    return bad_input(err,
                     "cmksim report: --format pdf needs Chromium, which was not found (looked for chromium, "
                     "chromium-browser, google-chrome on PATH, or $CMKSIM_CHROMIUM).\n"
                     "Install it (Debian: apt-get install chromium), or write HTML (--format html) and print it "
                     "from any browser.");
  }
  const std::string dir = report::make_temp_dir("cmksim-report-");
  if (dir.empty()) return bad_input(err, "cmksim report: cannot create a temporary folder");
  const std::string html = dir + "/report.html";
  const Status html_written = write_file_atomically(
      html, report::render_html_for_print(report::build_document(report::build_report_data(runs, stopped, choice))));
  std::string problem = html_written.ok() ? std::string() : html_written.error().str();
  remove_stale_temporaries(path);
  const std::string tmp_pdf = temporary_path_for(path) + ".pdf";
  if (problem.empty()) problem = report::print_to_pdf(chromium, html, tmp_pdf);
  if (problem.empty() && std::rename(tmp_pdf.c_str(), path.c_str()) != 0) {
    problem = "cannot rename " + tmp_pdf + " into place: " + std::strerror(errno);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!problem.empty()) {
    std::remove(tmp_pdf.c_str());
    return bad_input(err, "cmksim report: cannot write " + path + ": " + problem);
  }
  return kExitOk;
}

int write_report(ReportOptions options, std::ostream& out, std::ostream& err) {
  if (const Status completed = complete_options(options); !completed.ok()) {
    return bad_input(err, "cmksim report: " + completed.error().str());
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.database, ec)) {
    return bad_input(err, "cmksim report: " + options.database + ": no such results database");
  }
  if (const Status writable = check_output("-o", options.output, {options.database}, true); !writable.ok()) {
    return bad_input(err, "cmksim report: " + writable.error().str());
  }
  const Expected<ResultsRead> loaded = read_results_db(options.database);
  if (!loaded) return bad_input(err, "cmksim report: " + loaded.error().str());
  const ResultsRead& read = *loaded;
  if (read.runs.empty()) return bad_input(err, "cmksim report: " + options.database + ": the database holds no run");

  Expected<report::Representative> choice = report::pick_run(read.runs, options.run, options.worst);
  if (!choice) return bad_input(err, "cmksim report: " + options.database + ": " + choice.error().str());
  choice->database = options.database;
  std::string what = read.runs.size() > 1 ? "sweep of " + std::to_string(read.runs.size()) + " runs" : "run";
  if (choice->index && read.runs.size() > 1) what += " (showing run " + std::to_string(*choice->index + 1) + ")";
  if (*options.format == Format::kPdf) {
    if (const int status = write_pdf(read.runs, read.stopped, *choice, options.output, err); status != kExitOk) {
      return status;
    }
  } else {
    const std::string text = *options.format == Format::kHtml
                                 ? report::html_report(read.runs, read.stopped, *choice)
                                 : report::markdown_report(read.runs, read.stopped, *choice);
    if (options.output == "-") {
      out << text;
      return kExitOk;
    }
    if (const Status written = write_file_atomically(options.output, text); !written.ok()) {
      return bad_input(err, "cmksim report: cannot write " + options.output + ": " + written.error().str());
    }
  }
  out << "report of the " << what << " in " << options.database << ": " << options.output << "\n";
  return kExitOk;
}

}  // namespace

CommandAction define_report(CLI::App& app) {
  app.description(
      "Writes the security-review report of a run (or the distributions of a sweep) from its results\n"
      "database: one self-contained HTML file (inline CSS and SVG, works offline), Markdown with the same\n"
      "content in tables, or PDF through headless Chromium when it is installed.\n"
      "The format defaults to the extension of -o (.md, .pdf), else html; the output defaults to\n"
      "RESULTS.html (.md, .pdf) in the current folder; -o - writes HTML or Markdown to standard output.\n"
      "A sweep's report shows its grid points side by side, its risk figures and loss-exceedance curve, and\n"
      "one representative run in full: the longest exposure window, or --run N, or --worst METRIC.\n"
      "Exit status 0, or 2 on bad input.\n");
  app.footer("example: cmksim report key-disabled-6h.db -o report.html\n"
             "         cmksim report sweep.db --worst gb_lost -o worst.html\n");
  const auto o = std::make_shared<ReportOptions>();
  add_operand(app, "RESULTS.db", "results database", o->database)->required();
  add_output_option(app, "-o,--output", "report.html",
                    "the report (default: RESULTS.html, .md or .pdf; - for standard output)", o->output);
  add_read_option(app, "--format", "html|md|pdf", "the format (default: from -o's extension, else html)",
                  [o](const std::string& v) { return read_format(v, o->format); });
  add_read_option(app, "--run", "N",
                  "a sweep: the run whose timeline, load and data the report shows (1-based, the database's order)",
                  [o](const std::string& v) -> Status {
                    const auto n = parse_uint64(v);
                    if (!n || *n == 0) return Error("--run expects a run number from 1, got '" + v + "'");
                    o->run = *n;
                    return {};
                  });
  add_read_option(app, "--worst", "METRIC",
                  "a sweep: show the run with the most of METRIC (exposure_window, recovery_time, "
                  "time_unavailable, gb_lost, queries_failed, or any metrics name)",
                  [o](const std::string& v) -> Status {
                    o->worst = v;
                    return {};
                  });
  return [o](std::ostream& out, std::ostream& err) { return write_report(*o, out, err); };
}

}  // namespace cmksim
