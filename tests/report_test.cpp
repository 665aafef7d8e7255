// `cmksim report`: the security-review report of a results database, as
// self-contained HTML5 and as Markdown (checked against a golden file),
// escaping of every name, distributions for sweeps, and a check in a real
// browser (headless Chromium; skipped with a message when it is absent).
//
// To refresh the golden report after an intended change of the model or the
// report: CMKSIM_UPDATE_GOLDEN=1 ctest -R "golden" (then review the diff).
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "process_support.h"
#include "sim/core/text.h"
#include "sim/graph/impact.h"
#include "sim/io/results_db.h"
#include "sim/io/results_reader.h"
#include "sim/report/behaviours.h"
#include "sim/report/chromium.h"
#include "sim/report/report.h"
#include "sim/report/report_data.h"
#include "sim/report/report_text.h"
#include "sim/report/svg_timeline.h"
#include "sim/spec/behaviour_catalogue.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace cmksim;

namespace {

using Result = cmksim::test::CommandResult;  // stdout and stderr together

// Runs the cmksim binary from the source folder (so scenario paths, and the
// reproduce command in the report, are the relative paths users type).
Result run_cmksim(const std::string& args, const std::string& env = "") {
  return cmksim::test::run_command("cd '" + std::string(CMKSIM_SOURCE_DIR) + "' && " + env + (env.empty() ? "" : " ") +
                                   std::string(CMKSIM_BINARY) + " " + args + " 2>&1");
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "cmksim-report-test";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove_all(p);
  return p;
}

std::string slurp(const fs::path& p) { return cmksim::test::read_file(p); }

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

// The database of a shipped scenario, run the way a user runs it.
fs::path shipped_db(const std::string& scenario_stem, const std::string& name) {
  const fs::path db = scratch(name);
  const Result r = run_cmksim("run scenarios/" + scenario_stem + ".yaml -o '" + db.string() + "'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  return db;
}

// Well-formedness of the generated HTML: every '<' opens a tag, comment or
// doctype; elements nest and close (void elements and SVG's "/>" aside);
// ids are unique. Returns "" or the first problem.
std::string check_html_structure(const std::string& html) {
  static const std::set<std::string> kVoid = {"area", "base", "br", "col", "embed", "hr", "img", "input",
                                              "link", "meta", "source", "track", "wbr"};
  std::vector<std::string> stack;
  std::set<std::string> ids;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    const std::size_t close = html.find('>', i);
    if (close == std::string::npos) return "unterminated tag at " + std::to_string(i);
    const std::string tag = html.substr(i + 1, close - i - 1);
    i = close + 1;
    if (tag.rfind("!DOCTYPE", 0) == 0 || tag.rfind("!--", 0) == 0) continue;
    if (tag.empty() || !(std::isalpha(static_cast<unsigned char>(tag[0])) || tag[0] == '/')) {
      return "a '<' that opens no tag: <" + tag.substr(0, 20);
    }
    if (tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) {
        return "</" + name + "> closes " + (stack.empty() ? std::string("nothing") : "<" + stack.back() + ">");
      }
      stack.pop_back();
      continue;
    }
    const std::string name = tag.substr(0, tag.find_first_of(" \n/"));
    const std::size_t id_at = tag.find(" id=\"");
    if (id_at != std::string::npos) {
      const std::string id = tag.substr(id_at + 5, tag.find('"', id_at + 5) - id_at - 5);
      if (!ids.insert(id).second) return "duplicate id " + id;
    }
    if (tag.back() == '/' || kVoid.count(name) != 0) continue;
    stack.push_back(name);
    if (name == "style") {  // raw text up to </style>
      const std::size_t end = html.find("</style>", i);
      if (end == std::string::npos) return "unterminated <style>";
      i = end;
    }
  }
  if (!stack.empty()) return "<" + stack.back() + "> never closed";
  return "";
}

// A report run through the record -> database -> reader path, like the command.
std::vector<RunRecord> through_database(const std::vector<const RunRecord*>& records, const std::string& name) {
  const fs::path db = scratch(name);
  REQUIRE(write_results_db(db.string(), records).ok());
  const Expected<ResultsRead> loaded = read_results_db(db.string());
  INFO((loaded.ok() ? std::string() : loaded.error().str()));
  REQUIRE(loaded.ok());
  const ResultsRead& read = *loaded;
  return read.runs;
}

// Replaces every occurrence of `from` in every string of the record.
void rename_everywhere(RunRecord& r, const std::string& from, const std::string& to) {
  const auto fix = [&](std::string& s) {
    std::size_t at = 0;
    while ((at = s.find(from, at)) != std::string::npos) {
      s.replace(at, from.size(), to);
      at += to.size();
    }
  };
  for (auto& x : r.events) fix(x.subject);
  for (auto& x : r.states) fix(x.subject);
  for (auto& x : r.operations) fix(x.target);
  for (auto& x : r.incidents) {
    for (auto& [w, gb] : x.gb_lost_by_workspace) fix(w);
  }
  for (auto& x : r.metrics) fix(x.subject);
  for (auto& x : r.data) fix(x.workspace);
  for (auto& x : r.blast_radius) fix(x.subject);
}

const char* const kEvil = "<script>alert(1)</script>";

RunRecord evil_record() {
  RunRecord r = test::run_yaml(test::small_scenario(
      "  - {id: off, at: 6h, action: disable_key, vault: kv, key: k}\n"
      "  - {id: on, at: 9h, action: enable_key, vault: kv, key: k}\n"));
  rename_everywhere(r, "ws-a", kEvil);
  r.run.scenario = "evil & \"quoted\" 'name'";
  r.run.description = "Tries <b>markup</b> & \"quotes\" 'too' | pipes `ticks` *stars* _under_ [link](x)";
  r.run.scenario_file = "scenarios/<evil>.yaml";
  return r;
}

struct BrowserRun {
  std::string dom;
  std::vector<std::string> console;  // console messages Chromium logged
};

// Loads `html_path` in headless Chromium, returning the DOM after load and
// every console message.
BrowserRun load_in_chromium(const std::string& chromium, const fs::path& html_path) {
  const std::string profile = report::make_temp_dir("cmksim-report-test-chromium-");
  REQUIRE_FALSE(profile.empty());
  std::vector<std::string> args = report::headless_flags(profile);
  for (const char* a : {"--enable-logging=stderr", "--v=0", "--dump-dom"}) args.emplace_back(a);
  args.push_back(report::file_url(html_path.string()));
  const std::string out = profile + "/dom.html", err = profile + "/stderr.txt";
  const report::ChromiumRun run = report::run_chromium(chromium, args, out, err, 60);
  BrowserRun b;
  b.dom = slurp(out);
  const std::string log = slurp(err);
  INFO("chromium: " << run.error << "\n" << log.substr(0, 4000));
  REQUIRE(run.error.empty());
  std::size_t from = 0;
  while (from < log.size()) {
    const std::size_t to = std::min(log.find('\n', from), log.size());
    const std::string line = log.substr(from, to - from);
    if (contains(line, ":CONSOLE") || contains(line, "Uncaught") || contains(line, "Content Security Policy")) {
      b.console.push_back(line);
    }
    from = to + 1;
  }
  std::error_code ec;
  fs::remove_all(profile, ec);
  return b;
}

}  // namespace

TEST_CASE("Report: the HTML report is one self-contained HTML5 file with the sections in the issue's order") {
  const fs::path db = shipped_db("key-disabled-6h", "order.db");
  const fs::path html = scratch("order.html");
  const Result r = run_cmksim("report '" + db.string() + "' -o '" + html.string() + "'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const std::string page = slurp(html);
  REQUIRE(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(contains(page, "<meta charset=\"utf-8\">"));
  CHECK(contains(page, "<title>cmksim security review: key-disabled-6h</title>"));
  CHECK(check_html_structure(page).empty());
  INFO(check_html_structure(page));
  // self-contained: no script, nothing fetched, and a policy that forbids fetching
  CHECK_FALSE(contains(page, "<script"));
  CHECK_FALSE(contains(page, " src="));
  CHECK_FALSE(contains(page, "<link"));
  CHECK_FALSE(contains(page, "href=\"http"));
  CHECK_FALSE(contains(page, "url("));
  CHECK_FALSE(contains(page, "@import"));
  CHECK(contains(page, "Content-Security-Policy\" content=\"default-src 'none'"));
  // the order of the issue
  const std::vector<std::string> order = {
      "key-disabled-6h",           "Disable the cluster&#39;s key for six hours", "--seed 7",
      "id=\"findings\"",           "id=\"exposure\"",        "id=\"recovery\"",      "id=\"gb-lost\"",
      "id=\"expectations\"",       "id=\"timeline-section\"",        "<svg id=\"timeline\"", "id=\"key-vault\"",
      "class=\"figure kv-chart\"", "id=\"data\"",            "id=\"blast-radius\"",  "id=\"coverage\"",
      "id=\"behaviours\""};
  std::size_t at = 0;
  for (const auto& marker : order) {
    INFO(marker);
    const std::size_t found = page.find(marker, at);
    REQUIRE(found != std::string::npos);
    at = found;
  }
  // the content the issue asks for
  CHECK(contains(page, "azure-monitor-current"));
  CHECK(contains(page, "cmksim run scenarios/key-disabled-6h.yaml --profile azure-monitor-current --timing sampled --seed 7"));
  CHECK(contains(page, "32m32s"));       // exposure window
  CHECK(contains(page, "12m4s"));        // recovery time
  CHECK(contains(page, "D10 promise 30m"));
  CHECK(contains(page, "70.737"));       // GB lost by ws-app
  CHECK(contains(page, "cmk:kv-prod/logs-cmk/v1"));
  CHECK(contains(page, "Revoking <code>kv-prod/logs-cmk</code> at the start makes"));
  CHECK_FALSE(contains(page, "Blast radius: not recorded in this database."));
  for (const char* id : {"K2", "K3", "K5"}) CHECK(contains(page, std::string(">") + id + "<"));
  for (const char* id : {"D3", "D6", "D7", "D8", "D10"}) CHECK(contains(page, std::string("<strong>") + id + "</strong>"));
  CHECK(contains(page, report::html_escape(report::behaviour_sentence("D7"))));
  CHECK(contains(r.output, "report of the run in"));  // nothing else on stdout but the line
  CHECK(r.output.find('\n') == r.output.size() - 1);
}

// The text of `md` from the line starting with `from` up to the next line
// starting with `to` (or the end).
std::string md_section(const std::string& md, const std::string& from, const std::string& to) {
  const std::size_t start = md.find("\n" + from);
  if (start == std::string::npos) return "";
  const std::size_t end = md.find("\n" + to, start + 1);
  return md.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
}

// The rows of the "affected" table of one key's blast radius: "kind name".
std::vector<std::string> affected_rows(const std::string& key_section) {
  std::vector<std::string> rows;
  const std::regex row(R"(\| (cluster|identity|workspace) \| `([^`]*)` \|)");
  for (auto it = std::sregex_iterator(key_section.begin(), key_section.end(), row); it != std::sregex_iterator(); ++it) {
    rows.push_back((*it)[1].str() + " " + (*it)[2].str());
  }
  return rows;
}

TEST_CASE("Report: the blast radius of key-disabled-6h shows its cluster, identity, workspaces and the graph's GB (D6, D8, K2)") {
  const fs::path db = shipped_db("key-disabled-6h", "blast.db");
  const Expected<ResultsRead> database = read_results_db(db.string());
  INFO((database.ok() ? std::string() : database.error().str()));
  REQUIRE(database.ok());
  const ResultsRead& read = *database;
  REQUIRE(read.runs.size() == 1);
  CHECK(read.runs[0].blast_radius_recorded);
  const std::string md = report::markdown_report(read.runs);
  const std::string section = md_section(md, "## Blast radius", "## CMK coverage");
  INFO(section);
  REQUIRE_FALSE(section.empty());
  CHECK_FALSE(contains(section, "not recorded"));
  const std::string key = md_section(section, "### Key kv-prod/logs-cmk", "### ");
  CHECK(affected_rows(key) == std::vector<std::string>{"cluster lacluster01", "identity cluster:lacluster01",
                                                        "workspace ws-app", "workspace ws-security"});
  // the figures are the resource graph's, revoking the key at the start
  const Expected<Scenario> loaded = load_scenario_file(std::string(CMKSIM_SOURCE_DIR) + "/scenarios/key-disabled-6h.yaml");
  REQUIRE(loaded.ok());
  const std::vector<KeyImpact> impacts = impact_of_every_key(*loaded);
  REQUIRE(impacts.size() == 1);
  const KeyImpact& impact = impacts[0];
  REQUIRE(impact.gb_inaccessible > 0);
  CHECK(contains(key, "**" + format_gb(impact.gb_inaccessible) + " GB inaccessible**"));
  CHECK(contains(key, "| **inaccessible, total** |  |  | **" + format_gb(impact.gb_inaccessible) + "** |"));
  CHECK(contains(key, "| **not affected, total** |  |  | **" + format_gb(impact.gb_not_affected) + "** |"));
  for (const WorkspaceImpact& w : impact.workspaces) {
    INFO(w.workspace);
    CHECK(contains(key, "| workspace | `" + w.workspace + "` | data in cluster `lacluster01` | " +
                            format_gb(w.gb_inaccessible) + " | " + format_gb(w.gb_per_day_dropped) + " |"));
  }
  CHECK(contains(key, "| not affected | `mmk` | cluster `lacluster01` | "));  // K2: MMK data in the affected storage
  CHECK(contains(key, "**Workspaces not affected:** `ws-sandbox` (unlinked)."));
  CHECK(contains(key, "**Clusters not affected:** none."));
  CHECK(contains(key, "Never under the CMK (K5)"));

  const std::string html = report::html_report(read.runs);
  for (const char* name : {"lacluster01", "ws-app", "ws-security"}) {
    CHECK(contains(html, std::string("<td><code>") + name + "</code></td>"));
  }
  CHECK(check_html_structure(html).empty());
}

TEST_CASE("Report: with two clusters sharing a vault, each key's blast radius shows only the cluster it wraps (D6)") {
  const fs::path db = shipped_db("two-clusters-one-vault", "blast-shared.db");
  const Expected<ResultsRead> loaded = read_results_db(db.string());
  INFO((loaded.ok() ? std::string() : loaded.error().str()));
  REQUIRE(loaded.ok());
  const ResultsRead& read = *loaded;
  const std::string md = report::markdown_report(read.runs);
  const std::string section = md_section(md, "## Blast radius", "## CMK coverage");
  INFO(section);
  const std::string a = md_section(section, "### Key kv-shared/key-a", "### ");
  const std::string b = md_section(section, "### Key kv-shared/key-b", "### ");
  REQUIRE_FALSE(a.empty());
  REQUIRE_FALSE(b.empty());
  CHECK(affected_rows(a) == std::vector<std::string>{"cluster clustera", "identity cluster:clustera", "workspace ws-a"});
  CHECK(affected_rows(b) == std::vector<std::string>{"cluster clusterb", "identity cluster:clusterb", "workspace ws-b"});
  CHECK(contains(a, "**Clusters not affected:** `clusterb` (`cmk:kv-shared/key-b/v1`)."));
  CHECK(contains(a, "**Workspaces not affected:** `ws-b` (cluster `clusterb`)."));
  CHECK(contains(b, "**Clusters not affected:** `clustera` (`cmk:kv-shared/key-a/v1`)."));
  // the other cluster's CMK data stays readable
  CHECK(contains(a, "| not affected | `cmk:kv-shared/key-b/v1` | cluster `clusterb` | "));
}

TEST_CASE("Report: a database without the blast_radius table shows the per-key fallback and says why") {
  const fs::path db = shipped_db("key-disabled-6h", "old-blast.db");
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  CHECK(sqlite3_exec(handle, "DROP TABLE blast_radius", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
  const Expected<ResultsRead> loaded = read_results_db(db.string());
  INFO((loaded.ok() ? std::string() : loaded.error().str()));
  REQUIRE(loaded.ok());
  const ResultsRead& read = *loaded;
  const std::string md = report::markdown_report(read.runs);
  const std::string section = md_section(md, "## Blast radius", "## CMK coverage");
  INFO(section);
  CHECK(contains(section, "**Blast radius: not recorded in this database.**"));
  CHECK(contains(section, "written by a cmksim version without the `blast_radius` table"));
  CHECK(contains(section, "| `kv-prod/logs-cmk` | `v1` | `lacluster01` |"));
  CHECK_FALSE(contains(section, "### Key"));

  // merged into a newer database (cmksim merge): the table exists, the run has no rows
  std::vector<RunRecord> merged = through_database({&read.runs.front()}, "merged-blast.db");
  REQUIRE(merged.front().blast_radius_recorded);
  REQUIRE(merged.front().blast_radius.empty());
  CHECK(contains(report::markdown_report(merged), "**Blast radius: not recorded in this database.**"));
}

TEST_CASE("Report: the timeline has a lane per vault, key, cluster and workspace, event markers and a legend") {
  const fs::path db = shipped_db("key-disabled-6h", "lanes.db");
  const Expected<ResultsRead> loaded = read_results_db(db.string());
  INFO((loaded.ok() ? std::string() : loaded.error().str()));
  REQUIRE(loaded.ok());
  const ResultsRead& read = *loaded;
  const report::ReportData d = report::build_report_data(read.runs);
  std::vector<std::string> lanes;
  for (const auto& lane : d.timeline.lanes) {
    // the lanes of the issue, in order (the model may add lanes of its own beside them)
    if (lane.kind == "vault" || lane.kind == "key" || lane.kind == "cluster" || lane.kind == "aek" ||
        lane.kind == "workspace") {
      lanes.push_back(lane.kind + " " + lane.name);
    }
  }
  const std::vector<std::string> expected = {"vault kv-prod",          "key kv-prod/logs-cmk",  "cluster lacluster01",
                                             "aek lacluster01",        "workspace ws-app",      "workspace ws-security",
                                             "workspace ws-sandbox"};
  CHECK(lanes == expected);
  CHECK(d.timeline.lanes.front().kind == "vault");
  CHECK(d.timeline.lanes.back().kind == "workspace");
  CHECK(d.timeline.markers.size() == 4);
  const std::string svg = report::svg_timeline(d.timeline);
  CHECK(check_html_structure(svg).empty());
  for (const char* state : {"reachable / enabled / available", "revoke_pending", "unavailable", "recovering",
                            "disabled", "unlinked"}) {
    INFO(state);
    CHECK(contains(svg, std::string("<text x=\"20\" y=\"11\">") + state + "</text>"));  // in the legend
  }
  CHECK(contains(svg, "scenario event (2xx)"));
  CHECK(contains(svg, "event refused (4xx/5xx)"));  // q-during answered 503
  CHECK(contains(svg, "</tspan> ws-security</text>"));
}

TEST_CASE("Report: the Markdown report of key-disabled-6h matches the golden file byte for byte") {
  const fs::path db = shipped_db("key-disabled-6h", "golden.db");
  const fs::path md = scratch("golden.md");
  const Result r = run_cmksim("report '" + db.string() + "' --format md -o '" + md.string() + "'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const std::string actual = slurp(md);
  const fs::path golden = fs::path(CMKSIM_SOURCE_DIR) / "tests" / "golden" / "key-disabled-6h.report.md";
  if (std::getenv("CMKSIM_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << actual;
    WARN("golden report rewritten: " << golden.string());
  }
  REQUIRE(fs::exists(golden));
  const std::string expected = slurp(golden);
  if (actual != expected) {
    std::size_t i = 0;
    while (i < actual.size() && i < expected.size() && actual[i] == expected[i]) ++i;
    const std::size_t line = static_cast<std::size_t>(std::count(actual.begin(), actual.begin() + static_cast<long>(i), '\n')) + 1;
    FAIL("the Markdown report differs from " << golden.string() << " from line " << line << ":\n  expected: "
                                             << expected.substr(i >= 40 ? i - 40 : 0, 160) << "\n  actual:   "
                                             << actual.substr(i >= 40 ? i - 40 : 0, 160)
                                             << "\n(intended? CMKSIM_UPDATE_GOLDEN=1 rewrites it)");
  }
}

TEST_CASE("Report: the same database gives byte-identical HTML and Markdown, and -o picks the format") {
  const fs::path db = shipped_db("security-review-worst-case", "twice.db");
  const fs::path a = scratch("twice-a.html"), b = scratch("twice-b.html"), m = scratch("twice.md");
  REQUIRE(run_cmksim("report '" + db.string() + "' -o '" + a.string() + "'").status == 0);
  REQUIRE(run_cmksim("report '" + db.string() + "' --format html -o '" + b.string() + "'").status == 0);
  REQUIRE(run_cmksim("report '" + db.string() + "' -o '" + m.string() + "'").status == 0);
  CHECK(slurp(a) == slurp(b));
  CHECK(slurp(a).rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(slurp(m).rfind("# Security review: security-review-worst-case", 0) == 0);
  const Result stdout_md = run_cmksim("report '" + db.string() + "' --format md -o -");
  REQUIRE(stdout_md.status == 0);
  CHECK(stdout_md.output == slurp(m));
  // no temporary files left beside the outputs
  for (const auto& entry : fs::directory_iterator(a.parent_path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("twice", 0) == 0) CHECK(name.find(".tmp-") == std::string::npos);  // other tests run beside
  }
}

TEST_CASE("Report: every name from the scenario is escaped in HTML and in Markdown") {
  const RunRecord record = evil_record();
  const std::vector<RunRecord> runs = through_database({&record}, "evil.db");
  REQUIRE(runs.front().run.description == record.run.description);
  const std::string html = report::html_report(runs);
  CHECK_FALSE(contains(html, kEvil));
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, "<b>markup"));
  CHECK(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(contains(html, "evil &amp; &quot;quoted&quot; &#39;name&#39;"));
  CHECK(contains(html, "Tries &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot; &#39;too&#39;"));
  CHECK(contains(html, "scenarios/&lt;evil&gt;.yaml"));
  CHECK(check_html_structure(html).empty());
  INFO(check_html_structure(html));

  const std::string md = report::markdown_report(runs);
  CHECK_FALSE(contains(md, "<script"));
  CHECK_FALSE(contains(md, "<b>"));
  CHECK(contains(md, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(contains(md, "Tries &lt;b&gt;markup&lt;/b&gt; &amp; \"quotes\" 'too' \\| pipes \\`ticks\\` \\*stars\\* "
                     "\\_under\\_ \\[link\\](x)"));
  // every table row keeps its column count despite the pipes
  std::size_t from = 0;
  std::size_t columns = 0;
  while (from < md.size()) {
    const std::size_t to = std::min(md.find('\n', from), md.size());
    const std::string line = md.substr(from, to - from);
    from = to + 1;
    if (line.empty() || line[0] != '|') {
      columns = 0;
      continue;
    }
    std::size_t cells = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++cells;
    }
    if (columns == 0) columns = cells;
    INFO(line);
    CHECK(cells == columns);
  }
}

TEST_CASE("Report: escaping helpers cover markup, quotes, control bytes and invalid UTF-8") {
  CHECK(report::html_escape("<a href='x'>\"&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
  CHECK(report::html_escape(std::string("a\x01" "b\xff" "c", 5)) == "a b\xEF\xBF\xBD" "c");
  CHECK(report::html_escape("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(report::md_code("ws-app") == "`ws-app`");
  CHECK(report::md_code("x|y") == "`x\\|y`");
  CHECK(report::md_code("a`b") == "a\\`b");
  CHECK(report::md_code("<b>") == "&lt;b&gt;");
  CHECK(report::md_text("a_b*c#d _e_") == "a_b\\*c#d \\_e\\_");
  CHECK(report::md_text("# not a heading", true) == "\\# not a heading");
  CHECK(report::md_text("1. not a list", true) == "1\\. not a list");
  CHECK(report::md_text("- x") == "- x");
  CHECK(report::truncate_utf8("abcdef", 4) == "abc\xE2\x80\xA6");
  CHECK(report::truncate_utf8("\xC3\xA9\xC3\xA9\xC3\xA9", 3) == "\xC3\xA9\xC3\xA9\xC3\xA9");
  CHECK(format_count(1234567) == "1,234,567");
  CHECK(report::format_clock(kMsPerDay + 6 * kMsPerHour) == "1d 06:00");
}

TEST_CASE("Report: a sweep database shows p50, p95, p99 and max of exposure, recovery and GB lost as histograms") {
  const Scenario scenario = test::load(test::small_scenario(
      "  - {id: off, at: 6h, action: disable_key, vault: kv, key: k}\n"
      "  - {id: on, at: 9h, action: enable_key, vault: kv, key: k}\n"));
  std::vector<RunRecord> records;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    records.push_back(test::run(scenario, seed));
    // as cmksim sweep records its grid (the `sweep` table)
    records.back().sweep_params = {{"workspaces.ws-a.retention", seed <= 6 ? "1d" : "7d"}};
  }
  std::vector<const RunRecord*> pointers;
  for (const auto& r : records) pointers.push_back(&r);
  const std::vector<RunRecord> runs = through_database(pointers, "sweep.db");
  REQUIRE(runs.size() == 12);

  const report::ReportData d = report::build_report_data(runs);
  REQUIRE(d.sweep);
  REQUIRE(d.distributions.size() == 3);
  const auto& exposure = d.distributions[0];
  CHECK(exposure.name == "exposure window");
  CHECK(exposure.values.size() == 12);
  CHECK(exposure.p50 <= exposure.p95);
  CHECK(exposure.p95 <= exposure.p99);
  CHECK(exposure.p99 <= exposure.max);
  CHECK(exposure.max <= static_cast<double>(kMsPerHour));  // D7
  std::size_t counted = 0;
  for (const auto& bin : exposure.bins) counted += bin.count;
  CHECK(counted == 12);
  // the representative run has the longest exposure
  double longest = 0;
  for (const auto& r : runs) longest = std::max(longest, static_cast<double>(*r.incidents.front().exposure_window_ms));
  CHECK(static_cast<double>(*runs[d.representative].incidents.front().exposure_window_ms) == longest);

  const std::string html = report::html_report(runs);
  CHECK(check_html_structure(html).empty());
  for (const char* word : {"p50", "p95", "p99", "max", "Distributions over the runs", "Representative run"}) {
    INFO(word);
    CHECK(contains(html, word));
  }
  CHECK(std::count(html.begin(), html.end(), '\n') > 0);
  std::size_t histograms = 0;
  for (std::size_t at = 0; (at = html.find("<svg class=\"histogram\"", at)) != std::string::npos; ++at) ++histograms;
  CHECK(histograms == 3);
  const std::string md = report::markdown_report(runs);
  CHECK(contains(md, "| measure | values | p50 | p95 | p99 | max |"));
  CHECK(contains(md, "| run | seed | timing | workspaces.ws-a.retention | incidents |"));
  CHECK(contains(md, "With the scenario file edited to the sweep's values: workspaces.ws-a.retention = "));
  CHECK(contains(md, "**Histogram of the exposure window as a table**"));
  CHECK(contains(md, "12 runs"));
}

TEST_CASE("Report: percentiles are by nearest rank") {
  const std::vector<double> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(report::percentile(v, 50) == 5);
  CHECK(report::percentile(v, 95) == 10);
  CHECK(report::percentile(v, 99) == 10);
  CHECK(report::percentile(v, 10) == 1);
  CHECK(report::percentile({42}, 50) == 42);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  CHECK(report::percentile(hundred, 95) == 95);
  CHECK(report::percentile(hundred, 99) == 99);
}

TEST_CASE("Report: every behaviour ID of the catalogue (sim/spec/BEHAVIORS.md) has one sentence, in its order") {
  std::vector<std::string> documented;
  for (const BehaviourEntry& b : behaviour_catalogue()) documented.push_back(b.id);
  REQUIRE(documented.size() >= 38);
  std::vector<std::string> listed;
  for (const auto& b : report::behaviours()) {
    listed.emplace_back(b.id);
    INFO(b.id);
    CHECK(std::string(b.sentence).size() > 20);
    CHECK(std::string(b.sentence).back() == '.');
  }
  CHECK(listed == documented);
}

TEST_CASE("Report: a database written before runs.description reads with an empty description") {
  const RunRecord record = test::run_yaml(test::small_scenario(""));
  const fs::path db = scratch("old.db");
  REQUIRE(write_results_db(db.string(), record).ok());
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  CHECK(sqlite3_exec(handle, "ALTER TABLE runs DROP COLUMN description", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
  const Expected<ResultsRead> loaded = read_results_db(db.string());
  INFO((loaded.ok() ? std::string() : loaded.error().str()));
  REQUIRE(loaded.ok());
  const ResultsRead& read = *loaded;
  REQUIRE(read.runs.size() == 1);
  CHECK(read.runs.front().run.description.empty());
  CHECK(contains(report::markdown_report(read.runs), "holds no description"));
}

TEST_CASE("Report: bad input to cmksim report gives one message and exit status 2") {
  const fs::path db = shipped_db("access-policy-removed", "bad-input.db");
  const fs::path not_db = scratch("not-a-db.db");
  std::ofstream(not_db) << "hello\n";
  const fs::path out = scratch("never.html");
  struct Case {
    std::string args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"report", "missing RESULTS.db"},
      {"report /nonexistent/x.db -o '" + out.string() + "'", "/nonexistent/x.db: no such results database"},
      {"report '" + not_db.string() + "' -o '" + out.string() + "'", "not-a-db.db"},
      {"report '" + db.string() + "' --fromat md -o '" + out.string() + "'", "(did you mean '--format'?)"},
      {"report '" + db.string() + "' --format mdd -o '" + out.string() + "'", "(did you mean 'md'?)"},
      {"report '" + db.string() + "' --format pdf -o -", "cannot go to standard output"},
      {"report '" + db.string() + "' '" + db.string() + "'", "one results database at a time"},
      {"report '" + db.string() + "' -o /nonexistent/dir/r.html", "cannot write /nonexistent/dir/r.html"},
  };
  for (const Case& c : cases) {
    const Result r = run_cmksim(c.args);
    INFO(c.args << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(contains(r.output, c.message));
    CHECK_FALSE(fs::exists(out));
  }
  const Result help = run_cmksim("report --help");
  CHECK(help.status == 0);
  CHECK(contains(help.output, "usage: cmksim report"));
}

TEST_CASE("Report: --format pdf without Chromium says so and how to get it") {
  const fs::path db = shipped_db("kv-outage-3h", "no-chromium.db");
  const fs::path pdf = scratch("no-chromium.pdf");
  const Result r = run_cmksim("report '" + db.string() + "' --format pdf -o '" + pdf.string() + "'",
                          "CMKSIM_CHROMIUM=/nonexistent/chromium");
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(contains(r.output, "--format pdf needs Chromium"));
  CHECK(contains(r.output, "apt-get install chromium"));
  CHECK_FALSE(fs::exists(pdf));
}

TEST_CASE("Report: the HTML report renders in headless Chromium without console errors, timeline drawn") {
  const std::string chromium = report::find_chromium();
  if (chromium.empty()) {
    WARN("SKIPPED: Chromium is not installed (apt-get install chromium; .ci/run installs it): "
         "the report was not checked in a browser");
    SUCCEED();
    return;
  }
  const fs::path db = shipped_db("key-disabled-6h", "browser.db");
  const fs::path html = scratch("browser.html");
  REQUIRE(run_cmksim("report '" + db.string() + "' -o '" + html.string() + "'").status == 0);
  const BrowserRun b = load_in_chromium(chromium, html);
  for (const auto& line : b.console) FAIL_CHECK("console: " << line);
  CHECK(b.console.empty());
  REQUIRE(contains(b.dom, "</html>"));
  const std::size_t svg = b.dom.find("<svg id=\"timeline\"");
  REQUIRE(svg != std::string::npos);
  const std::size_t svg_end = b.dom.find("</svg>", svg);
  REQUIRE(svg_end != std::string::npos);
  const std::string timeline = b.dom.substr(svg, svg_end - svg);
  CHECK(std::count(timeline.begin(), timeline.end(), '<') > 50);
  CHECK(contains(timeline, "<rect class=\"bar\""));
  CHECK(contains(timeline, "<g class=\"marker\">"));
  CHECK(contains(timeline, "<g class=\"legend\">"));

  // the escaped report: the browser sees text, never an element
  const RunRecord record = evil_record();
  const std::vector<RunRecord> runs = through_database({&record}, "browser-evil.db");
  const fs::path evil = scratch("browser-evil.html");
  std::ofstream(evil, std::ios::binary) << report::html_report(runs);
  const BrowserRun e = load_in_chromium(chromium, evil);
  for (const auto& line : e.console) FAIL_CHECK("console: " << line);
  CHECK_FALSE(contains(e.dom, "<script"));
  CHECK(contains(e.dom, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST_CASE("Report: --format pdf prints the report through headless Chromium") {
  const std::string chromium = report::find_chromium();
  if (chromium.empty()) {
    WARN("SKIPPED: Chromium is not installed (apt-get install chromium): no PDF made");
    SUCCEED();
    return;
  }
  const fs::path db = shipped_db("access-policy-removed", "pdf.db");
  const fs::path pdf = scratch("report.pdf");
  const Result r = run_cmksim("report '" + db.string() + "' -o '" + pdf.string() + "'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const std::string bytes = slurp(pdf);
  CHECK(bytes.rfind("%PDF-", 0) == 0);
  CHECK(bytes.size() > 10000);
}

std::string regions_of(const RunRecord& r) {
  const ParamValue* p = find_param_value(r.run.params, "lockbox_unavailable_regions");
  return p != nullptr ? p->text : "";
}

TEST_CASE("Report: the parameters in force come from the typed list, decoded, and the varying one is reproduced") {
  RunRecord a = test::run_yaml(test::small_scenario(""));
  RunRecord b = a;
  b.run.seed = a.run.seed + 1;
  ParamValue* regions = nullptr;
  for (ParamValue& p : b.run.params) {
    if (p.name == "lockbox_unavailable_regions") regions = &p;
  }
  REQUIRE(regions != nullptr);
  regions->text = "it's \"x\"\\y";  // escaped in runs.params, shown as is
  const std::vector<RunRecord> runs = through_database({&a, &b}, "typed-params.db");
  CHECK(runs[1].run.params == b.run.params);
  const report::ReportData d = report::build_report_data(runs);
  CHECK(d.params == runs[d.representative].run.params);
  CHECK(d.varying_params == std::vector<std::string>{"lockbox_unavailable_regions"});
  CHECK(d.revocation_bound_ms == kMsPerHour);  // D7, from the typed revocation_bound
  CHECK(d.recovery_bound_ms == 30 * kMsPerMinute);  // D10
  const std::string md = report::markdown_report(runs);
  CHECK(contains(md, "| `revocation_bound` | 1h |"));
  const std::string shown = d.representative == 1 ? "'lockbox_unavailable_regions=it'\\''s \"x\"\\y'"
                                                   : "lockbox_unavailable_regions=" + regions_of(a);
  CHECK(contains(d.reproduce, "--set " + shown));
}
