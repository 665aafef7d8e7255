// The results database writer (sim/io/results_db.h): schema, round trip,
// NULLs, untrusted text, byte-for-byte determinism and the all-or-nothing
// file replacement. Records are built by hand; the database is read back
// through the sqlite3 C API.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "process_support.h"
#include "sim/core/sha256.h"
#include "sim/io/results_db.h"
#include "sim/io/results_reader.h"
#include "sim/record/run_record.h"

namespace fs = std::filesystem;
using cmksim::RunRecord;
using cmksim::write_results_db;
using cmksim::Expected;
using cmksim::ResultsRead;
using cmksim::read_results_db;

namespace {

using cmksim::test::TempDir;

// One value read back: its SQLite type and its exact bytes / number.
struct Cell {
  int type = SQLITE_NULL;
  std::string text;  // the exact bytes for TEXT
  std::int64_t integer = 0;
  double real = 0;
  bool is_null() const { return type == SQLITE_NULL; }
};
using Rows = std::vector<std::vector<Cell>>;

class ReadDb {
 public:
  explicit ReadDb(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
    REQUIRE(rc == SQLITE_OK);
  }
  ~ReadDb() { sqlite3_close(db_); }

  Rows query(const std::string& sql) const {
    sqlite3_stmt* stmt = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    Rows rows;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Cell> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        Cell cell;
        cell.type = sqlite3_column_type(stmt, i);
        if (cell.type == SQLITE_TEXT) {
          const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, i));
          cell.text.assign(bytes ? bytes : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
        } else if (cell.type == SQLITE_INTEGER) {
          cell.integer = sqlite3_column_int64(stmt, i);
        } else if (cell.type == SQLITE_FLOAT) {
          cell.real = sqlite3_column_double(stmt, i);
        }
        row.push_back(cell);
      }
      rows.push_back(row);
    }
    sqlite3_finalize(stmt);
    REQUIRE(rc == SQLITE_DONE);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A record with at least one row in every table, some optional values set
// and some empty.
RunRecord sample_record() {
  RunRecord r;
  r.run.scenario = "revoke-and-restore";
  r.run.scenario_file = "scenarios/revoke.yaml";
  r.run.scenario_sha256 = cmksim::sha256_hex("scenario bytes");
  r.run.seed = 42;
  r.run.profile = "default";
  r.run.timing = "typical";
  r.run.params = {{"kv_timeout_ms", "5000", cmksim::ParamValue::Kind::kNumber}};
  r.run.duration_ms = 7 * 24 * 3600 * 1000LL;
  r.run.events_processed = 123456;
  r.run.cmksim_version = "0.1.0";
  r.events.push_back({0, 0, "scenario_start", "", "{}"});
  r.events.push_back({1, 3600000, "key_disabled", "kv1/key1", R"({"by":"events[0]"})"});
  r.states.push_back({"cluster", "c1", "available", 0, 3600000});
  r.states.push_back({"cluster", "c1", "revoke_pending", 3600000, 7200000});
  r.operations.push_back({"disable-key", 3600000, "disable_key", "kv1/key1", 200, "ok", 3600500});
  r.operations.push_back({"events[1]", 7200000, "purge_key", "kv1/key1", 409, "conflict", std::nullopt});
  cmksim::IncidentRow incident;
  incident.cluster = "c1";
  incident.cause = "key_disabled";
  incident.change_ms = 3600000;
  incident.first_denied_ms = 3660000;
  incident.unavailable_ms = 7200000;
  incident.exposure_window_ms = 3600000;
  incident.gb_lost = 12.5;
  incident.queries_failed = 17;
  r.incidents.push_back(incident);
  r.metrics.push_back({"run", "", "gb_ingested", 1234.25, "GB"});
  r.metrics.push_back({"cluster", "c1", "unavailable_s", 3600, "s"});
  r.data.push_back({"ws1", "cmk:kv1/key1/v1", "cluster", 100.5, 12.5, 0, 88});
  r.data.push_back({"ws2", "mmk", "shared", 10, 0, 0, 10});
  r.kv_calls.push_back({"kv1", "c1", 0, 60, 120, 0});
  r.kv_calls.push_back({"kv1", "c1", 1, 60, 118, 3});
  r.expectations.push_back({0, "c1 becomes unavailable", true, "7200000", "<= 7200000"});
  r.expectations.push_back({1, "no data lost", false, "12.5", "0"});
  r.blast_radius.push_back({"kv1/key1", "cluster", "c1", "cmk:kv1/key1/v1", "", 0, 0});
  r.blast_radius.push_back({"kv1/key1", "workspace", "ws1", "", "cluster:c1", 88, 24.5});
  r.blast_radius.push_back({"kv1/key1", "data_not_affected", "", "mmk", "shared", 10, 0});
  return r;
}

const std::vector<std::pair<std::string, std::vector<std::string>>>& interface_tables() {
  // INTERFACE.md §3, "name type" per column in the order written there.
  static const std::vector<std::pair<std::string, std::vector<std::string>>> tables = {
      {"runs",
       {"run_id INTEGER", "scenario TEXT", "scenario_sha256 TEXT", "seed INTEGER", "profile TEXT", "timing TEXT",
        "params TEXT", "duration_ms INTEGER", "events_processed INTEGER", "cmksim_version TEXT"}},
      {"events", {"run_id INTEGER", "seq INTEGER", "t_ms INTEGER", "kind TEXT", "subject TEXT", "detail TEXT"}},
      {"states",
       {"run_id INTEGER", "subject_kind TEXT", "subject TEXT", "state TEXT", "t_start_ms INTEGER",
        "t_end_ms INTEGER"}},
      {"operations",
       {"run_id INTEGER", "event_id TEXT", "t_ms INTEGER", "action TEXT", "target TEXT", "status INTEGER",
        "message TEXT", "completed_ms INTEGER"}},
      {"incidents",
       {"run_id INTEGER", "cluster TEXT", "cause TEXT", "change_ms INTEGER", "first_denied_ms INTEGER",
        "unavailable_ms INTEGER", "restored_ms INTEGER", "first_success_ms INTEGER", "resumed_ms INTEGER",
        "exposure_window_ms INTEGER", "recovery_time_ms INTEGER", "gb_lost REAL", "queries_failed INTEGER"}},
      {"metrics",
       {"run_id INTEGER", "subject_kind TEXT", "subject TEXT", "name TEXT", "value REAL", "unit TEXT"}},
      {"data",
       {"run_id INTEGER", "workspace TEXT", "protection TEXT", "location TEXT", "gb_ingested REAL",
        "gb_lost REAL", "gb_purged REAL", "gb_at_end REAL"}},
      {"kv_calls",
       {"run_id INTEGER", "vault TEXT", "cluster TEXT", "hour INTEGER", "wraps INTEGER", "unwraps INTEGER",
        "failed INTEGER"}},
      {"expectations",
       {"run_id INTEGER", "idx INTEGER", "text TEXT", "passed INTEGER", "observed TEXT", "expected TEXT"}},
  };
  return tables;
}

}  // namespace

TEST_CASE("Results DB: every table of INTERFACE.md section 3 exists with its columns in order") {
  TempDir dir("results-db-test-schema");
  const std::string path = dir.file("out.db");
  REQUIRE(write_results_db(path, sample_record()).ok());
  ReadDb db(path);

  std::set<std::string> expected_tables;
  for (const auto& [table, columns] : interface_tables()) {
    expected_tables.insert(table);
    std::vector<std::string> actual;
    for (const auto& row : db.query("PRAGMA table_info(" + table + ")")) {
      actual.push_back(row[1].text + " " + row[2].text);  // name, declared type
    }
    INFO("table " << table);
    // INTERFACE.md's columns first, in order; columns may be added after them
    REQUIRE(actual.size() >= columns.size());
    CHECK(std::vector<std::string>(actual.begin(), actual.begin() + static_cast<long>(columns.size())) == columns);
  }
  std::set<std::string> actual_tables;
  for (const auto& row : db.query("SELECT name FROM sqlite_master WHERE type = 'table'")) {
    actual_tables.insert(row[0].text);
  }
  for (const auto& table : expected_tables) CHECK(actual_tables.count(table) == 1);
  CHECK(db.query("SELECT count(*) FROM sqlite_master WHERE type = 'index'")[0][0].integer == 0);
  CHECK(db.query("PRAGMA integrity_check")[0][0].text == "ok");
}

TEST_CASE("Results DB: the added columns and tables are there (scenario_file, incidents.idx, incident_workspaces)") {
  TempDir dir("results-db-test-additions");
  const std::string path = dir.file("out.db");
  RunRecord r = sample_record();
  r.run.scenario_file = "scenarios/x.yaml";
  r.incidents[0].gb_lost_by_workspace = {{"ws1", 2.5}, {"ws2", 1.0}};
  REQUIRE(write_results_db(path, r).ok());
  ReadDb db(path);
  CHECK(db.query("SELECT scenario_file FROM runs")[0][0].text == "scenarios/x.yaml");
  CHECK(db.query("SELECT idx FROM incidents")[0][0].integer == 1);
  const Rows losses = db.query("SELECT incident_idx, workspace, gb_lost FROM incident_workspaces");
  REQUIRE(losses.size() == 2);
  CHECK(losses[1][1].text == "ws2");
  CHECK(losses[0][2].real == 2.5);
}

TEST_CASE("Results DB: the blast radius of each key (D6, K2) is a table of its own and reads back as written") {
  TempDir dir("results-db-test-blast");
  const std::string path = dir.file("out.db");
  RunRecord r = sample_record();
  r.blast_radius.push_back({"kv1/key2", "cluster_not_affected", "c2", "mmk", "", 0, 0});
  r.blast_radius.push_back({"kv1/key2", "workspace_not_affected", "ws'; DROP TABLE runs; --", "", "unlinked", 0, 0});
  RunRecord other = sample_record();
  other.run.seed = 43;
  other.blast_radius.clear();
  REQUIRE(write_results_db(path, std::vector<const RunRecord*>{&r, &other}).ok());
  {
    ReadDb db(path);
    std::vector<std::string> columns;
    for (const auto& row : db.query("PRAGMA table_info(blast_radius)")) columns.push_back(row[1].text + " " + row[2].text);
    CHECK(columns == std::vector<std::string>{"run_id INTEGER", "key TEXT", "kind TEXT", "subject TEXT",
                                              "protection TEXT", "location TEXT", "gb REAL", "gb_per_day REAL"});
    const Rows rows = db.query("SELECT * FROM blast_radius ORDER BY rowid");
    REQUIRE(rows.size() == 5);
    CHECK(rows[1][0].integer == 1);
    CHECK(rows[1][1].text == "kv1/key1");
    CHECK(rows[1][2].text == "workspace");
    CHECK(rows[1][3].text == "ws1");
    CHECK(rows[1][4].type == SQLITE_TEXT);  // '' , not NULL
    CHECK(rows[1][5].text == "cluster:c1");
    CHECK(rows[1][6].real == 88);
    CHECK(rows[1][7].real == 24.5);
    CHECK(rows[4][3].text == "ws'; DROP TABLE runs; --");
  }
  const cmksim::Expected<cmksim::ResultsRead> read = cmksim::read_results_db(path);
  REQUIRE(read.ok());
  const cmksim::ResultsRead& back = *read;
  REQUIRE(back.runs.size() == 2);
  CHECK(back.runs[0].blast_radius_recorded);
  CHECK(back.runs[1].blast_radius_recorded);  // the table exists: this run's key reaches nothing recorded
  CHECK(back.runs[1].blast_radius.empty());
  const auto& rows = back.runs[0].blast_radius;
  REQUIRE(rows.size() == r.blast_radius.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const cmksim::BlastRadiusRow& a = rows[i];
    const cmksim::BlastRadiusRow& b = r.blast_radius[i];
    INFO("row " << i);
    CHECK(a.key == b.key);
    CHECK(a.kind == b.kind);
    CHECK(a.subject == b.subject);
    CHECK(a.protection == b.protection);
    CHECK(a.location == b.location);
    CHECK(a.gb == b.gb);
    CHECK(a.gb_per_day == b.gb_per_day);
  }
}

TEST_CASE("Results DB: a database written before the blast_radius table reads back with the blast radius not recorded") {
  TempDir dir("results-db-test-noblast");
  const std::string path = dir.file("old.db");
  REQUIRE(write_results_db(path, sample_record()).ok());
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &handle) == SQLITE_OK);
  CHECK(sqlite3_exec(handle, "DROP TABLE blast_radius", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
  const cmksim::Expected<cmksim::ResultsRead> read = cmksim::read_results_db(path);
  INFO((read.ok() ? "" : read.error().str()));
  REQUIRE(read.ok());
  const cmksim::ResultsRead& back = *read;
  REQUIRE(back.runs.size() == 1);
  CHECK_FALSE(back.runs[0].blast_radius_recorded);
  CHECK(back.runs[0].blast_radius.empty());
  CHECK(back.runs[0].data.size() == 2);  // everything else reads as before
}

TEST_CASE("Results DB: every row reads back as written, in order") {
  TempDir dir("results-db-test-roundtrip");
  const std::string path = dir.file("out.db");
  const RunRecord r = sample_record();
  REQUIRE(write_results_db(path, r).ok());
  ReadDb db(path);

  const Rows runs = db.query("SELECT * FROM runs");
  REQUIRE(runs.size() == 1);
  CHECK(runs[0][0].integer == 1);
  CHECK(runs[0][1].text == r.run.scenario);
  CHECK(runs[0][2].text == r.run.scenario_sha256);
  CHECK(runs[0][3].integer == 42);
  CHECK(runs[0][4].text == "default");
  CHECK(runs[0][5].text == "typical");
  CHECK(runs[0][6].text == R"({"kv_timeout_ms":5000})");
  CHECK(runs[0][7].integer == r.run.duration_ms);
  CHECK(runs[0][8].integer == 123456);
  CHECK(runs[0][9].text == "0.1.0");

  const Rows events = db.query("SELECT * FROM events ORDER BY rowid");
  REQUIRE(events.size() == 2);
  CHECK(events[1][0].integer == 1);
  CHECK(events[1][1].integer == 1);
  CHECK(events[1][2].integer == 3600000);
  CHECK(events[1][3].text == "key_disabled");
  CHECK(events[1][4].text == "kv1/key1");
  CHECK(events[1][5].text == R"({"by":"events[0]"})");
  CHECK(events[0][4].type == SQLITE_TEXT);  // an empty subject is '' , not NULL
  CHECK(events[0][4].text.empty());

  const Rows states = db.query("SELECT * FROM states ORDER BY rowid");
  REQUIRE(states.size() == 2);
  CHECK(states[1][1].text == "cluster");
  CHECK(states[1][2].text == "c1");
  CHECK(states[1][3].text == "revoke_pending");
  CHECK(states[1][4].integer == 3600000);
  CHECK(states[1][5].integer == 7200000);

  const Rows operations = db.query("SELECT * FROM operations ORDER BY rowid");
  REQUIRE(operations.size() == 2);
  CHECK(operations[0][1].text == "disable-key");
  CHECK(operations[0][2].integer == 3600000);
  CHECK(operations[0][3].text == "disable_key");
  CHECK(operations[0][4].text == "kv1/key1");
  CHECK(operations[0][5].integer == 200);
  CHECK(operations[0][6].text == "ok");
  CHECK(operations[0][7].integer == 3600500);
  CHECK(operations[1][1].text == "events[1]");
  CHECK(operations[1][5].integer == 409);

  const Rows incidents = db.query("SELECT * FROM incidents");
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0][1].text == "c1");
  CHECK(incidents[0][2].text == "key_disabled");
  CHECK(incidents[0][3].integer == 3600000);
  CHECK(incidents[0][4].integer == 3660000);
  CHECK(incidents[0][5].integer == 7200000);
  CHECK(incidents[0][9].integer == 3600000);
  CHECK(incidents[0][11].type == SQLITE_FLOAT);
  CHECK(incidents[0][11].real == 12.5);
  CHECK(incidents[0][12].integer == 17);

  const Rows metrics = db.query("SELECT * FROM metrics ORDER BY rowid");
  REQUIRE(metrics.size() == 2);
  CHECK(metrics[0][1].text == "run");
  CHECK(metrics[0][3].text == "gb_ingested");
  CHECK(metrics[0][4].type == SQLITE_FLOAT);
  CHECK(metrics[0][4].real == 1234.25);
  CHECK(metrics[0][5].text == "GB");
  CHECK(metrics[1][4].real == 3600);

  const Rows data = db.query("SELECT * FROM data ORDER BY rowid");
  REQUIRE(data.size() == 2);
  CHECK(data[0][1].text == "ws1");
  CHECK(data[0][2].text == "cmk:kv1/key1/v1");
  CHECK(data[0][3].text == "cluster");
  CHECK(data[0][4].real == 100.5);
  CHECK(data[0][5].real == 12.5);
  CHECK(data[0][6].real == 0);
  CHECK(data[0][7].real == 88);

  const Rows kv = db.query("SELECT * FROM kv_calls ORDER BY rowid");
  REQUIRE(kv.size() == 2);
  CHECK(kv[1][1].text == "kv1");
  CHECK(kv[1][2].text == "c1");
  CHECK(kv[1][3].integer == 1);
  CHECK(kv[1][4].integer == 60);
  CHECK(kv[1][5].integer == 118);
  CHECK(kv[1][6].integer == 3);

  const Rows expectations = db.query("SELECT * FROM expectations ORDER BY rowid");
  REQUIRE(expectations.size() == 2);
  CHECK(expectations[0][1].integer == 0);
  CHECK(expectations[0][2].text == "c1 becomes unavailable");
  CHECK(expectations[0][3].integer == 1);
  CHECK(expectations[0][4].text == "7200000");
  CHECK(expectations[0][5].text == "<= 7200000");
  CHECK(expectations[1][3].integer == 0);
}

TEST_CASE("Results DB: rows written 32 a statement go in whole and in order, whatever their number") {
  // Runs with 0 to 97 rows of each batched table (events, states, metrics,
  // data, kv_calls, blast_radius), on both sides of each multiple of 32, read
  // back row for row in order, and run after run.
  TempDir dir("results-db-test-batches");
  const std::string path = dir.file("out.db");
  const std::vector<std::size_t> counts = {0, 1, 31, 32, 33, 63, 64, 65, 97};
  std::vector<RunRecord> records;
  for (const std::size_t n : counts) {
    RunRecord r = sample_record();
    r.events.clear();
    r.states.clear();
    r.metrics.clear();
    r.data.clear();
    r.kv_calls.clear();
    r.blast_radius.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = static_cast<std::int64_t>(i);
      const auto x = static_cast<double>(i);
      const std::string name = "s" + std::to_string(n) + "-" + std::to_string(i);
      r.events.push_back({i + 1, k * 1000, "kind", name, "{}"});
      r.states.push_back({"workspace", name, "available", k, k + 1});
      r.metrics.push_back({"workspace", name, "gb_lost", x / 4, "GB"});
      r.data.push_back({name, "mmk", "shared", x, 0, 0, x});
      r.kv_calls.push_back({"kv", name, k, i, 2 * i, 3 * i});
      r.blast_radius.push_back({"kv/k", "workspace", name, "", "", 0.5 * x, 0});
    }
    records.push_back(std::move(r));
  }
  std::vector<const RunRecord*> pointers;
  for (const RunRecord& r : records) pointers.push_back(&r);
  REQUIRE(write_results_db(path, pointers).ok());
  const Expected<ResultsRead> read = read_results_db(path);
  REQUIRE(read.ok());
  REQUIRE(read->runs.size() == counts.size());
  for (std::size_t run = 0; run < counts.size(); ++run) {
    INFO("run " << run + 1 << ": " << counts[run] << " rows a table");
    const RunRecord& got = read->runs[run];
    const RunRecord& want = records[run];
    REQUIRE(got.kv_calls.size() == counts[run]);
    REQUIRE(got.events.size() == counts[run]);
    REQUIRE(got.states.size() == counts[run]);
    REQUIRE(got.metrics.size() == counts[run]);
    REQUIRE(got.data.size() == counts[run]);
    REQUIRE(got.blast_radius.size() == counts[run]);
    for (std::size_t i = 0; i < counts[run]; ++i) {
      CHECK(got.events[i].subject == want.events[i].subject);
      CHECK(got.events[i].t_ms == want.events[i].t_ms);
      CHECK(got.states[i].subject == want.states[i].subject);
      CHECK(got.states[i].t_end_ms == want.states[i].t_end_ms);
      CHECK(got.metrics[i].subject == want.metrics[i].subject);
      CHECK(got.metrics[i].value == want.metrics[i].value);
      CHECK(got.data[i].workspace == want.data[i].workspace);
      CHECK(got.data[i].gb_at_end == want.data[i].gb_at_end);
      CHECK(got.kv_calls[i].cluster == want.kv_calls[i].cluster);
      CHECK(got.kv_calls[i].hour == want.kv_calls[i].hour);
      CHECK(got.kv_calls[i].unwraps == want.kv_calls[i].unwraps);
      CHECK(got.kv_calls[i].failed == want.kv_calls[i].failed);
      CHECK(got.blast_radius[i].subject == want.blast_radius[i].subject);
      CHECK(got.blast_radius[i].gb == want.blast_radius[i].gb);
    }
  }
}

TEST_CASE("Results DB: empty optional values are stored as NULL") {
  TempDir dir("results-db-test-nulls");
  const std::string path = dir.file("out.db");
  REQUIRE(write_results_db(path, sample_record()).ok());
  ReadDb db(path);

  const Rows operations = db.query("SELECT completed_ms FROM operations ORDER BY rowid");
  CHECK(operations[0][0].type == SQLITE_INTEGER);
  CHECK(operations[1][0].is_null());

  const Rows incident = db.query(
      "SELECT first_denied_ms, unavailable_ms, restored_ms, first_success_ms, resumed_ms, exposure_window_ms, "
      "recovery_time_ms FROM incidents");
  CHECK_FALSE(incident[0][0].is_null());
  CHECK_FALSE(incident[0][1].is_null());
  CHECK(incident[0][2].is_null());
  CHECK(incident[0][3].is_null());
  CHECK(incident[0][4].is_null());
  CHECK_FALSE(incident[0][5].is_null());
  CHECK(incident[0][6].is_null());
  // Nothing else is NULL.
  CHECK(db.query("SELECT count(*) FROM runs WHERE scenario IS NULL OR seed IS NULL OR params IS NULL")[0][0]
            .integer == 0);
}

TEST_CASE("Results DB: untrusted names are stored verbatim through bound parameters") {
  const std::vector<std::string> nasty = {
      "it's \"quoted\"",
      "<script>&amp;</script>",
      "line one\nline two\r\n\ttabbed",
      "'; DROP TABLE runs; --",
      "\"); DELETE FROM events; --",
      "Zürich – 東京 – 🔑",
      std::string("embedded\0nul", 12),
      "?1 ?2 :name @x $y",
  };
  TempDir dir("results-db-test-untrusted");
  const std::string path = dir.file("out.db");
  RunRecord r = sample_record();
  r.run.scenario = nasty[3];
  r.run.params = {{"regions", nasty[4], cmksim::ParamValue::Kind::kText}};
  r.events.clear();
  r.metrics.clear();
  for (std::size_t i = 0; i < nasty.size(); ++i) {
    r.events.push_back({i, static_cast<cmksim::TimeMs>(i), nasty[i], nasty[(i + 1) % nasty.size()], nasty[i]});
    r.metrics.push_back({"workspace", nasty[i], nasty[i], static_cast<double>(i), nasty[i]});
  }
  REQUIRE(write_results_db(path, r).ok());
  ReadDb db(path);

  const Rows runs = db.query("SELECT scenario, params FROM runs");  // the table is still there
  REQUIRE(runs.size() == 1);
  CHECK(runs[0][0].text == nasty[3]);
  CHECK(runs[0][1].text == R"({"regions":"\"); DELETE FROM events; --"})");  // as JSON
  const Rows events = db.query("SELECT kind, subject, detail FROM events ORDER BY rowid");
  REQUIRE(events.size() == nasty.size());
  const Rows metrics = db.query("SELECT subject, name, unit FROM metrics ORDER BY rowid");
  REQUIRE(metrics.size() == nasty.size());
  for (std::size_t i = 0; i < nasty.size(); ++i) {
    INFO("name " << i);
    CHECK(events[i][0].type == SQLITE_TEXT);
    CHECK(events[i][0].text == nasty[i]);
    CHECK(events[i][1].text == nasty[(i + 1) % nasty.size()]);
    CHECK(events[i][2].text == nasty[i]);
    CHECK(metrics[i][0].text == nasty[i]);
    CHECK(metrics[i][1].text == nasty[i]);
    CHECK(metrics[i][2].text == nasty[i]);
  }
}

TEST_CASE("Results DB: writing the same record twice gives byte-identical files") {
  TempDir dir("results-db-test-determinism");
  RunRecord r = sample_record();
  for (int i = 0; i < 5000; ++i) {  // enough rows to span many pages
    r.events.push_back({static_cast<std::uint64_t>(i + 2), i * 1000LL, "tick", "c" + std::to_string(i % 7),
                        "{\"i\":" + std::to_string(i) + "}"});
  }
  const std::string a = dir.file("a.db");
  const std::string b = dir.file("b.db");
  REQUIRE(write_results_db(a, r).ok());
  REQUIRE(write_results_db(b, r).ok());
  const std::string bytes_a = file_bytes(a);
  CHECK(bytes_a.size() > 4096);
  CHECK(bytes_a == file_bytes(b));
  // Rewriting over an existing file gives the same bytes again.
  REQUIRE(write_results_db(a, r).ok());
  CHECK(file_bytes(a) == bytes_a);
}

TEST_CASE("Results DB: a failed write leaves no file and no temporary file") {
  TempDir dir("results-db-test-failure");

  SECTION("the directory does not exist") {
    const std::string path = dir.file("missing/out.db");
    const cmksim::Status error = write_results_db(path, sample_record());
    CHECK_FALSE(error.ok());
    CHECK_FALSE(fs::exists(dir.file("missing")));
    CHECK(dir.entries().empty());
  }
  SECTION("the write fails after the temporary file was created") {
    const std::string path = dir.file("out.db");
    const RunRecord r = sample_record();
    const cmksim::Status error = write_results_db(path, std::vector<const RunRecord*>{&r, nullptr});
    CHECK_FALSE(error.ok());
    CHECK(dir.entries().empty());
  }
  SECTION("the rename fails (the path is a directory)") {
    const std::string path = dir.file("out.db");
    fs::create_directory(path);
    const cmksim::Status error = write_results_db(path, sample_record());
    CHECK_FALSE(error.ok());
    CHECK(dir.entries() == std::vector<std::string>{"out.db"});
    CHECK(fs::is_directory(path));
  }
}

TEST_CASE("Results DB: an existing file at the path is replaced only on success") {
  TempDir dir("results-db-test-replace");
  const std::string path = dir.file("out.db");
  {
    std::ofstream(path, std::ios::binary) << "previous contents";
  }
  const RunRecord r = sample_record();

  const cmksim::Status error = write_results_db(path, std::vector<const RunRecord*>{&r, nullptr});
  CHECK_FALSE(error.ok());
  CHECK(file_bytes(path) == "previous contents");
  CHECK(dir.entries() == std::vector<std::string>{"out.db"});

  REQUIRE(write_results_db(path, r).ok());
  CHECK(file_bytes(path).rfind("SQLite format 3", 0) == 0);
  CHECK(dir.entries() == std::vector<std::string>{"out.db"});
  ReadDb db(path);
  CHECK(db.query("SELECT scenario FROM runs")[0][0].text == r.run.scenario);
}

TEST_CASE("Results DB: several runs go into one file as run_id 1..N") {
  TempDir dir("results-db-test-sweep");
  const std::string path = dir.file("sweep.db");
  RunRecord first = sample_record();
  RunRecord second = sample_record();
  second.run.seed = 43;
  second.events.pop_back();
  RunRecord third = sample_record();
  third.run.seed = 44;
  REQUIRE(write_results_db(path, std::vector<const RunRecord*>{&first, &second, &third}).ok());
  ReadDb db(path);

  const Rows runs = db.query("SELECT run_id, seed FROM runs ORDER BY rowid");
  REQUIRE(runs.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(runs[i][0].integer == static_cast<std::int64_t>(i + 1));
    CHECK(runs[i][1].integer == static_cast<std::int64_t>(42 + i));
  }
  const Rows per_run = db.query("SELECT run_id, count(*) FROM events GROUP BY run_id ORDER BY run_id");
  REQUIRE(per_run.size() == 3);
  CHECK(per_run[0][1].integer == 2);
  CHECK(per_run[1][1].integer == 1);
  CHECK(per_run[2][1].integer == 2);
  CHECK(db.query("SELECT DISTINCT run_id FROM expectations ORDER BY run_id").size() == 3);
}

TEST_CASE("Results DB: an empty record still creates every table") {
  TempDir dir("results-db-test-empty");
  const std::string path = dir.file("out.db");
  REQUIRE(write_results_db(path, RunRecord{}).ok());
  ReadDb db(path);
  CHECK(db.query("SELECT count(*) FROM runs")[0][0].integer == 1);
  CHECK(db.query("SELECT count(*) FROM blast_radius")[0][0].integer == 0);
  for (const auto& table : interface_tables()) {
    if (table.first == "runs") continue;
    CHECK(db.query("SELECT count(*) FROM " + table.first)[0][0].integer == 0);
  }
}

TEST_CASE("Results DB: 100,000 events are written in one transaction") {
  TempDir dir("results-db-test-large");
  const std::string path = dir.file("out.db");
  RunRecord r = sample_record();
  r.events.clear();
  for (int i = 0; i < 100000; ++i) {
    r.events.push_back({static_cast<std::uint64_t>(i), i * 10LL, "kv_call", "kv1", "{}"});
  }
  REQUIRE(write_results_db(path, r).ok());
  ReadDb db(path);
  const Rows summary = db.query("SELECT count(*), min(seq), max(seq), sum(t_ms) FROM events");
  CHECK(summary[0][0].integer == 100000);
  CHECK(summary[0][1].integer == 0);
  CHECK(summary[0][2].integer == 99999);
  CHECK(summary[0][3].integer == 10LL * 99999 * 100000 / 2);
}

TEST_CASE("SHA-256: known answers (FIPS 180-4 examples and block edges)") {
  using cmksim::sha256_hex;
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // 55, 56 and 64 bytes: the padding fits, just spills, and starts a block.
  CHECK(sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("Results DB: a database read back and written again is byte-identical") {
  TempDir dir("results-db-test-reread");
  const std::string first = dir.file("first.db");
  const std::string second = dir.file("second.db");
  cmksim::RunRecord r = sample_record();
  r.run.scenario_file = "scenarios/x.yaml";
  r.incidents[0].gb_lost_by_workspace = {{"ws1", 2.5}};
  cmksim::RunRecord other = r;
  other.run.seed = 43;
  REQUIRE(cmksim::write_results_db(first, std::vector<const cmksim::RunRecord*>{&r, &other}).ok());
  const cmksim::Expected<cmksim::ResultsRead> read = cmksim::read_results_db(first);
  REQUIRE(read.ok());
  const cmksim::ResultsRead& back = *read;
  REQUIRE(back.runs.size() == 2);
  CHECK(back.runs[1].run.seed == 43);
  CHECK(back.runs[0].incidents[0].gb_lost_by_workspace.size() == 1);
  REQUIRE(cmksim::write_results_db(second, std::vector<const cmksim::RunRecord*>{&back.runs[0], &back.runs[1]}).ok());
  std::ifstream a(first, std::ios::binary), b(second, std::ios::binary);
  const std::string bytes_a((std::istreambuf_iterator<char>(a)), std::istreambuf_iterator<char>());
  const std::string bytes_b((std::istreambuf_iterator<char>(b)), std::istreambuf_iterator<char>());
  CHECK(bytes_a == bytes_b);
}

TEST_CASE("Results DB: reading a file that is not a results database is an error, not a crash") {
  TempDir dir("results-db-test-notdb");
  const std::string path = dir.file("x.db");
  std::ofstream(path) << "this is not sqlite";
  const cmksim::Expected<cmksim::ResultsRead> garbage = cmksim::read_results_db(path);
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().file == path);
  CHECK(garbage.error().str().rfind(path + ": ", 0) == 0);
  CHECK_FALSE(cmksim::read_results_db(dir.file("missing.db")).ok());
}

TEST_CASE("Results DB: runs.params holds the parameters as JSON and reads back as the same typed list") {
  TempDir dir("results-db-test-params");
  const std::string path = dir.file("p.db");
  RunRecord r = sample_record();
  r.run.params = {{"revocation_bound", "1h", cmksim::ParamValue::Kind::kDuration},
                  {"capacity_max_gb_per_day", "1.23456789e+10", cmksim::ParamValue::Kind::kNumber},
                  {"lockbox_unavailable_regions", "a,b", cmksim::ParamValue::Kind::kText},
                  {"stale_version_revokes", "true", cmksim::ParamValue::Kind::kBool}};
  REQUIRE(write_results_db(path, r).ok());
  CHECK(ReadDb(path).query("SELECT params FROM runs")[0][0].text ==
        R"({"revocation_bound":"1h","capacity_max_gb_per_day":1.23456789e+10,"lockbox_unavailable_regions":"a,b",)"
        R"("stale_version_revokes":true})");
  const cmksim::Expected<cmksim::ResultsRead> back = cmksim::read_results_db(path);
  REQUIRE(back.ok());
  CHECK(back->runs[0].run.params == r.run.params);

  // a params column that is not one flat JSON object: an error naming the file and the run
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &handle) == SQLITE_OK);
  CHECK(sqlite3_exec(handle, "UPDATE runs SET params = '[1]'", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
  const cmksim::Expected<cmksim::ResultsRead> bad = cmksim::read_results_db(path);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().file == path);
  CHECK(bad.error().message.rfind("not a cmksim results database (run 1: runs.params: ", 0) == 0);
}
