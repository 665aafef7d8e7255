#include "sim/io/results_db.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iterator>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/io/run_params.h"
#include "sim/io/atomic_file.h"
#include "sim/io/sqlite_db.h"

namespace cmksim {
namespace {

// The schema of INTERFACE.md §3. Columns the spec leaves untyped get the type
// their values have, so every column has INTEGER, TEXT or REAL affinity.
constexpr const char* kSchema[] = {
    "CREATE TABLE runs(run_id INTEGER PRIMARY KEY, scenario TEXT, scenario_sha256 TEXT, seed INTEGER, "
    "profile TEXT, timing TEXT, params TEXT, duration_ms INTEGER, events_processed INTEGER, "
    "cmksim_version TEXT, scenario_file TEXT, description TEXT, start TEXT)",
    "CREATE TABLE events(run_id INTEGER, seq INTEGER, t_ms INTEGER, kind TEXT, subject TEXT, detail TEXT)",
    "CREATE TABLE states(run_id INTEGER, subject_kind TEXT, subject TEXT, state TEXT, t_start_ms INTEGER, "
    "t_end_ms INTEGER)",
    "CREATE TABLE operations(run_id INTEGER, event_id TEXT, t_ms INTEGER, action TEXT, target TEXT, "
    "status INTEGER, message TEXT, completed_ms INTEGER)",
    "CREATE TABLE incidents(run_id INTEGER, cluster TEXT, cause TEXT, change_ms INTEGER, "
    "first_denied_ms INTEGER, unavailable_ms INTEGER, restored_ms INTEGER, first_success_ms INTEGER, "
    "resumed_ms INTEGER, exposure_window_ms INTEGER, recovery_time_ms INTEGER, gb_lost REAL, "
    "queries_failed INTEGER, idx INTEGER)",
    // added to INTERFACE.md §3: GB lost per incident and workspace (incidents.idx)
    "CREATE TABLE incident_workspaces(run_id INTEGER, incident_idx INTEGER, workspace TEXT, gb_lost REAL)",
    "CREATE TABLE metrics(run_id INTEGER, subject_kind TEXT, subject TEXT, name TEXT, value REAL, unit TEXT)",
    "CREATE TABLE data(run_id INTEGER, workspace TEXT, protection TEXT, location TEXT, gb_ingested REAL, "
    "gb_lost REAL, gb_purged REAL, gb_at_end REAL)",
    "CREATE TABLE kv_calls(run_id INTEGER, vault TEXT, cluster TEXT, hour INTEGER, wraps INTEGER, "
    "unwraps INTEGER, failed INTEGER)",
    "CREATE TABLE expectations(run_id INTEGER, idx INTEGER, text TEXT, passed INTEGER, observed TEXT, "
    "expected TEXT)",
    // added to INTERFACE.md §3: the blast radius of each declared key revoked at the start (RunRecord
    // BlastRadiusRow: kind cluster | identity | workspace | data_inaccessible | data_not_affected |
    // cluster_not_affected | workspace_not_affected)
    "CREATE TABLE blast_radius(run_id INTEGER, key TEXT, kind TEXT, subject TEXT, protection TEXT, "
    "location TEXT, gb REAL, gb_per_day REAL)",
};

// INTERFACE.md §3: a sweep's grid values, one row per run and parameter.
constexpr const char* kSweepSchema = "CREATE TABLE sweep(run_id INTEGER, name TEXT, value TEXT)";

// Added to INTERFACE.md §3 (issue 8): one row, in a sweep stopped before its
// last run only (sim/record/sweep_stopped.h).
constexpr const char* kSweepStoppedSchema =
    "CREATE TABLE sweep_stopped(planned_runs INTEGER, written_runs INTEGER, reason TEXT)";

// Added to INTERFACE.md §3 (issue 17, item 4): a row per run whose timelines
// (events, states, kv_calls) were not kept: a sweep with --keep outcomes. Made
// at the first such run, so a database without one is as before.
constexpr const char* kOutcomesOnlySchema = "CREATE TABLE outcomes_only(run_id INTEGER)";

// One prepared INSERT of `rows` rows of `columns` values, reused.
class Insert {
 public:
  Insert(sqlite3* db, const char* table, int columns, int rows = 1) : columns_(columns) {
    std::string sql = std::string("INSERT INTO ") + table + " VALUES";
    for (int r = 0; r < rows; ++r) {
      sql += r == 0 ? "(" : ",(";
      for (int c = 1; c <= columns; ++c) sql += (c == 1 ? "?" : ",?") + std::to_string(r * columns + c);
      sql += ")";
    }
    ok_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) == SQLITE_OK;
  }
  Insert(const Insert&) = delete;
  Insert& operator=(const Insert&) = delete;
  ~Insert() { sqlite3_finalize(stmt_); }

  // Binds the values of row `row` (from 0) in order.
  template <class... Values>
  void bind_row(int row, const Values&... values) {
    int index = row * columns_;
    (bind(++index, values), ...);
  }
  // Runs the statement with what is bound, then resets it. Returns false
  // (and stays false) on the first failure.
  bool step() {
    if (!ok_) return false;
    ok_ = sqlite3_step(stmt_) == SQLITE_DONE;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);  // the text was bound SQLITE_STATIC: drop it
    return ok_;
  }
  template <class... Values>
  bool row(const Values&... values) {
    bind_row(0, values...);
    return step();
  }

 private:
  template <class T>
  std::enable_if_t<std::is_integral_v<T>> bind(int index, T value) {
    ok_ = ok_ && sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value)) == SQLITE_OK;
  }
  void bind(int index, double value) { ok_ = ok_ && sqlite3_bind_double(stmt_, index, value) == SQLITE_OK; }
  void bind(int index, const std::string& value) {
    ok_ = ok_ && sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8) ==
                     SQLITE_OK;
  }
  void bind(int index, const std::optional<std::int64_t>& value) {
    if (value) {
      bind(index, *value);
    } else {
      ok_ = ok_ && sqlite3_bind_null(stmt_, index) == SQLITE_OK;
    }
  }

  const int columns_;
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

// A table's rows of one run: kBatch rows a statement while there are that
// many, then one a statement. SQLite runs a multi-row VALUES as one program,
// without a step, reset and halt per row: a cluster-year of a sweep keeping
// every table (12,000 rows) took 9.7 ms CPU this way, 14.5 ms one row a
// statement (8, 32, 64 and 128 rows a statement: within 5%). The
// rows go in in order, so the rowids, the dump and the file's bytes are as
// with one row a statement.
// The text is bound SQLITE_STATIC: every statement runs before the run's
// record goes away.
class TableInsert {
 public:
  static constexpr int kBatch = 32;
  TableInsert(sqlite3* db, const char* table, int columns)
      : one_(db, table, columns), many_(db, table, columns, kBatch) {}

  // values(row) gives the row's values as a tuple, run_id first.
  template <class Row, class Values>
  bool rows(const std::vector<Row>& rows, Values values) {
    bool ok = true;
    std::size_t i = 0;
    for (; ok && i + kBatch <= rows.size(); i += kBatch) {
      for (int k = 0; k < kBatch; ++k) {
        std::apply([&](const auto&... v) { many_.bind_row(k, v...); }, values(rows[i + static_cast<std::size_t>(k)]));
      }
      ok = many_.step();
    }
    for (; ok && i < rows.size(); ++i) {
      std::apply([&](const auto&... v) { one_.bind_row(0, v...); }, values(rows[i]));
      ok = one_.step();
    }
    return ok;
  }

 private:
  Insert one_, many_;
};

// Creates the tables and inserts every row of every record, in one
// transaction, then the `sweep_stopped` row if `stopped` says so. Returns ""
// or the error; `keep` is false for a stopped write with no run in it.
std::string fill(SqliteDb& db, const RunSource& next, bool sweep_table, const StopSource& stopped,
                 bool outcomes_only_table, bool& keep) {
  keep = true;
  if (!db.exec("PRAGMA journal_mode=OFF") || !db.exec("PRAGMA synchronous=OFF")) return db.error();
  if (!db.exec("BEGIN")) return db.error();
  for (const char* sql : kSchema) {
    if (!db.exec(sql)) return db.error();
  }
  if (sweep_table && !db.exec(kSweepSchema)) return db.error();
  Insert runs(db.get(), "runs", 13);
  TableInsert events(db.get(), "events", 6);
  TableInsert states(db.get(), "states", 6);
  Insert operations(db.get(), "operations", 8);
  Insert incidents(db.get(), "incidents", 14);
  Insert incident_workspaces(db.get(), "incident_workspaces", 4);
  TableInsert metrics(db.get(), "metrics", 6);
  TableInsert data(db.get(), "data", 8);
  TableInsert kv_calls(db.get(), "kv_calls", 7);
  Insert expectations(db.get(), "expectations", 6);
  TableInsert blast_radius(db.get(), "blast_radius", 8);
  std::optional<Insert> sweep;
  if (sweep_table) sweep.emplace(db.get(), "sweep", 3);
  std::optional<Insert> outcomes_only;
  const auto make_outcomes_only = [&] {
    if (!db.exec(kOutcomesOnlySchema)) return false;
    outcomes_only.emplace(db.get(), "outcomes_only", 1);
    return true;
  };
  if (outcomes_only_table && !make_outcomes_only()) return db.error();

  bool ok = true;
  std::int64_t run_id = 0;
  std::uint64_t written = 0;
  while (const RunRecord* record = next(run_id)) {
    ++written;
    const RunInfo& r = record->run;
    ok = ok && runs.row(run_id, r.scenario, r.scenario_sha256, r.seed, r.profile, r.timing, params_to_json(r.params),
                        r.duration_ms, r.events_processed, r.cmksim_version, r.scenario_file, r.description,
                        r.start);
    ok = ok && events.rows(record->events, [&](const EventRow& e) {
      return std::tie(run_id, e.seq, e.t_ms, e.kind, e.subject, e.detail_json);
    });
    ok = ok && states.rows(record->states, [&](const StateRow& s) {
      return std::tie(run_id, s.subject_kind, s.subject, s.state, s.t_start_ms, s.t_end_ms);
    });
    for (const OperationRow& o : record->operations) {
      if (!ok) break;
      ok = operations.row(run_id, o.event_id, o.t_ms, o.action, o.target, o.status, o.message, o.completed_ms);
    }
    std::int64_t incident_idx = 0;
    for (const IncidentRow& i : record->incidents) {
      if (!ok) break;
      ++incident_idx;
      ok = incidents.row(run_id, i.cluster, i.cause, i.change_ms, i.first_denied_ms, i.unavailable_ms,
                         i.restored_ms, i.first_success_ms, i.resumed_ms, i.exposure_window_ms,
                         i.recovery_time_ms, i.gb_lost, i.queries_failed, incident_idx);
      for (const auto& [workspace, gb] : i.gb_lost_by_workspace) {
        ok = ok && incident_workspaces.row(run_id, incident_idx, workspace, gb);
      }
    }
    ok = ok && metrics.rows(record->metrics, [&](const MetricRow& m) {
      return std::tie(run_id, m.subject_kind, m.subject, m.name, m.value, m.unit);
    });
    ok = ok && data.rows(record->data, [&](const DataRow& d) {
      return std::tie(run_id, d.workspace, d.protection, d.location, d.gb_ingested, d.gb_lost, d.gb_purged,
                      d.gb_at_end);
    });
    ok = ok && kv_calls.rows(record->kv_calls, [&](const KvCallRow& k) {
      return std::tie(run_id, k.vault, k.cluster, k.hour, k.wraps, k.unwraps, k.failed);
    });
    for (const ExpectationRow& x : record->expectations) {
      if (!ok) break;
      ok = expectations.row(run_id, x.idx, x.text, x.passed ? 1 : 0, x.observed, x.expected);
    }
    ok = ok && blast_radius.rows(record->blast_radius, [&](const BlastRadiusRow& b) {
      return std::tie(run_id, b.key, b.kind, b.subject, b.protection, b.location, b.gb, b.gb_per_day);
    });
    if (ok && !record->timelines_recorded) {
      if (!outcomes_only && !make_outcomes_only()) return db.error();
      ok = outcomes_only->row(run_id);
    }
    for (const auto& [name, value] : record->sweep_params) {
      if (!ok) break;
      if (!sweep) return "run " + std::to_string(run_id) + " has sweep parameters but no sweep table";
      ok = sweep->row(run_id, name, value);
    }
    if (!ok) break;
  }
  if (!ok) return db.error();
  if (std::optional<SweepStopped> stop = stopped ? stopped() : std::nullopt) {
    if (written == 0) {  // nothing finished: the previous file, if any, is worth more
      keep = false;
      return "";
    }
    stop->written_runs = written;
    if (!db.exec(kSweepStoppedSchema)) return db.error();
    Insert row(db.get(), "sweep_stopped", 3);
    if (!row.row(stop->planned_runs, stop->written_runs, stop->reason)) return db.error();
  }
  if (!db.exec("COMMIT")) return db.error();
  return "";
}

}  // namespace

Status write_results_db(const std::string& path, const RunRecord& record) {
  return write_results_db(path, std::vector<const RunRecord*>{&record});
}

Status write_results_db(const std::string& path, const std::vector<const RunRecord*>& records) {
  bool sweep_table = false;
  for (const RunRecord* record : records) {
    if (record == nullptr) return Error("results database " + path + ": null run record");
    sweep_table = sweep_table || !record->sweep_params.empty();
  }
  std::size_t position = 0;
  const RunSource next = [&](std::int64_t& run_id) -> const RunRecord* {
    if (position == records.size()) return nullptr;
    run_id = static_cast<std::int64_t>(++position);
    return records[position - 1];
  };
  return write_results_db(path, next, sweep_table);
}

Status write_results_db(const std::string& path, const RunSource& next, bool sweep_table,
                             const StopSource& stopped, bool outcomes_only_table) {
  remove_stale_temporaries(path);  // of writers killed before they could clean up (issue 18)
  const std::string tmp = results_db_temp_path(path);
  const auto discard = [&tmp] {
    std::remove(tmp.c_str());
    std::remove((tmp + "-journal").c_str());
  };
  discard();  // a stale file from a crashed writer would otherwise be appended to

  std::string error;
  bool keep = true;
  {
    SqliteDb db(tmp, SqliteDb::Mode::kReadWrite);
    if (!db.ok()) {
      error = db.error();
    } else {
      try {
        error = fill(db, next, sweep_table, stopped, outcomes_only_table, keep);
      } catch (const std::exception& e) {  // thrown by `next`: the database stays incomplete
        error = e.what();
      }
      // The statements are finalized by now (fill's scope ended), so close succeeds.
      if (error.empty() && !db.close()) error = db.error();
    }
  }
  if (error.empty() && keep && std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = std::string("cannot rename ") + tmp + " into place: " + std::strerror(errno);
  }
  if (!error.empty() || !keep) discard();
  if (!error.empty()) return Error("results database " + path + ": " + error);
  return Status();
}

std::string results_db_temp_path(const std::string& path) { return temporary_path_for(path); }

std::vector<std::string> results_db_schema() {
  std::vector<std::string> statements(std::begin(kSchema), std::end(kSchema));
  statements.emplace_back(kSweepSchema);
  statements.emplace_back(kSweepStoppedSchema);
  statements.emplace_back(kOutcomesOnlySchema);
  return statements;
}

}  // namespace cmksim
