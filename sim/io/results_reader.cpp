#include "sim/io/results_reader.h"

#include <sqlite3.h>

#include <functional>
#include <map>
#include <optional>

#include "sim/io/run_params.h"
#include "sim/io/sqlite_db.h"

namespace cmksim {
namespace {

std::string text(sqlite3_stmt* s, int i) { return SqliteStatement::column_text(s, i); }
std::int64_t integer(sqlite3_stmt* s, int i) { return sqlite3_column_int64(s, i); }
double real(sqlite3_stmt* s, int i) { return sqlite3_column_double(s, i); }
std::optional<std::int64_t> maybe(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  return integer(s, i);
}

Error read_error(const std::string& path, std::string message) { return Error(path, 0, 0, std::move(message)); }

Error not_results(const std::string& path, const std::string& why) {
  return read_error(path, "not a cmksim results database (" + why + ")");
}

}  // namespace

Expected<ResultsRead> read_results_db(const std::string& path) {
  ResultsRead out;
  SqliteDb db(path, SqliteDb::Mode::kReadOnly);
  if (!db.ok()) return read_error(path, "cannot open: " + db.error());
  std::map<std::int64_t, std::size_t> index;  // run_id -> position in out.runs
  auto record = [&](sqlite3_stmt* s) -> RunRecord& { return out.runs[index.at(integer(s, 0))]; };
  auto known = [&](sqlite3_stmt* s) { return index.count(integer(s, 0)) == 1; };

  // runs.description came after scenario_file in a later version: a database
  // written before it reads with an empty description.
  std::optional<Error> bad_params;  // the first run whose runs.params cannot be read
  const auto read_runs = [&](bool with_description) {
    index.clear();
    out.runs.clear();
    bad_params.reset();
    const std::string sql = std::string(
                                "SELECT run_id, scenario, scenario_sha256, seed, profile, timing, params, duration_ms, "
                                "events_processed, cmksim_version, scenario_file") +
                            (with_description ? ", description" : "") + " FROM runs ORDER BY run_id";
    return db.each(sql.c_str(), [&](sqlite3_stmt* s) {
      index[integer(s, 0)] = out.runs.size();
      RunRecord r;
      // an empty (or NULL) params column reads as no parameters, as the report always took it
      const std::string params_text = text(s, 6);
      Expected<ParamValues> params = params_text.empty() ? ParamValues{} : params_from_json(params_text);
      if (!params.ok() && !bad_params) {
        bad_params = not_results(path, "run " + std::to_string(integer(s, 0)) + ": " + params.error().message);
      }
      r.run = RunInfo{text(s, 1), text(s, 10), text(s, 2), static_cast<std::uint64_t>(integer(s, 3)),
                      text(s, 4), text(s, 5), params.ok() ? std::move(params).value() : ParamValues{},
                      integer(s, 7), static_cast<std::uint64_t>(integer(s, 8)), text(s, 9),
                      with_description ? text(s, 11) : std::string()};
      out.runs.push_back(std::move(r));
    });
  };
  std::string error = read_runs(true);
  if (!error.empty()) error = read_runs(false);
  if (!error.empty()) return not_results(path, error);
  if (bad_params) return *bad_params;

  struct Table {
    const char* sql;
    std::function<void(sqlite3_stmt*)> row;
  };
  const Table tables[] = {
      {"SELECT run_id, seq, t_ms, kind, subject, detail FROM events ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (known(s)) record(s).events.push_back({static_cast<std::uint64_t>(integer(s, 1)), integer(s, 2), text(s, 3), text(s, 4), text(s, 5)});
       }},
      {"SELECT run_id, subject_kind, subject, state, t_start_ms, t_end_ms FROM states ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (known(s)) record(s).states.push_back({text(s, 1), text(s, 2), text(s, 3), integer(s, 4), integer(s, 5)});
       }},
      {"SELECT run_id, event_id, t_ms, action, target, status, message, completed_ms FROM operations "
       "ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (known(s)) {
           record(s).operations.push_back({text(s, 1), integer(s, 2), text(s, 3), text(s, 4),
                                           static_cast<int>(integer(s, 5)), text(s, 6), maybe(s, 7)});
         }
       }},
      {"SELECT run_id, cluster, cause, change_ms, first_denied_ms, unavailable_ms, restored_ms, first_success_ms, "
       "resumed_ms, exposure_window_ms, recovery_time_ms, gb_lost, queries_failed FROM incidents "
       "ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (!known(s)) return;
         IncidentRow i;
         i.cluster = text(s, 1);
         i.cause = text(s, 2);
         i.change_ms = integer(s, 3);
         i.first_denied_ms = maybe(s, 4);
         i.unavailable_ms = maybe(s, 5);
         i.restored_ms = maybe(s, 6);
         i.first_success_ms = maybe(s, 7);
         i.resumed_ms = maybe(s, 8);
         i.exposure_window_ms = maybe(s, 9);
         i.recovery_time_ms = maybe(s, 10);
         i.gb_lost = real(s, 11);
         i.queries_failed = static_cast<std::uint64_t>(integer(s, 12));
         record(s).incidents.push_back(std::move(i));
       }},
      {"SELECT run_id, incident_idx, workspace, gb_lost FROM incident_workspaces ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (!known(s)) return;
         auto& incidents = record(s).incidents;
         const auto idx = static_cast<std::size_t>(integer(s, 1));
         if (idx >= 1 && idx <= incidents.size()) incidents[idx - 1].gb_lost_by_workspace.emplace_back(text(s, 2), real(s, 3));
       }},
      {"SELECT run_id, subject_kind, subject, name, value, unit FROM metrics ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (known(s)) record(s).metrics.push_back({text(s, 1), text(s, 2), text(s, 3), real(s, 4), text(s, 5)});
       }},
      {"SELECT run_id, workspace, protection, location, gb_ingested, gb_lost, gb_purged, gb_at_end FROM data "
       "ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (known(s)) {
           record(s).data.push_back({text(s, 1), text(s, 2), text(s, 3), real(s, 4), real(s, 5), real(s, 6), real(s, 7)});
         }
       }},
      {"SELECT run_id, vault, cluster, hour, wraps, unwraps, failed FROM kv_calls ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (known(s)) {
           record(s).kv_calls.push_back({text(s, 1), text(s, 2), integer(s, 3), static_cast<std::uint64_t>(integer(s, 4)),
                                         static_cast<std::uint64_t>(integer(s, 5)),
                                         static_cast<std::uint64_t>(integer(s, 6))});
         }
       }},
      {"SELECT run_id, idx, text, passed, observed, expected FROM expectations ORDER BY run_id, rowid",
       [&](sqlite3_stmt* s) {
         if (known(s)) {
           record(s).expectations.push_back({static_cast<int>(integer(s, 1)), text(s, 2), integer(s, 3) != 0,
                                             text(s, 4), text(s, 5)});
         }
       }},
  };
  for (const Table& table : tables) {
    error = db.each(table.sql, table.row);
    if (!error.empty()) return not_results(path, error);
  }
  // A sweep's grid values: the `sweep` table exists only in sweeps.
  bool has_sweep = false;
  error = db.each("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sweep'",
                  [&](sqlite3_stmt*) { has_sweep = true; });
  if (error.empty() && has_sweep) {
    error = db.each("SELECT run_id, name, value FROM sweep ORDER BY run_id, rowid", [&](sqlite3_stmt* s) {
      if (known(s)) record(s).sweep_params.emplace_back(text(s, 1), text(s, 2));
    });
  }
  if (!error.empty()) return not_results(path, error);
  // The blast radius of each key: absent from databases written before it was added.
  bool has_blast_radius = false;
  error = db.each("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blast_radius'",
                  [&](sqlite3_stmt*) { has_blast_radius = true; });
  for (RunRecord& r : out.runs) r.blast_radius_recorded = has_blast_radius;
  if (error.empty() && has_blast_radius) {
    error = db.each(
        "SELECT run_id, key, kind, subject, protection, location, gb, gb_per_day FROM blast_radius "
        "ORDER BY run_id, rowid",
        [&](sqlite3_stmt* s) {
          if (known(s)) {
            record(s).blast_radius.push_back({text(s, 1), text(s, 2), text(s, 3), text(s, 4), text(s, 5), real(s, 6),
                                              real(s, 7)});
          }
        });
  }
  if (!error.empty()) return not_results(path, error);
  // A sweep stopped before its last run says so in its one `sweep_stopped` row.
  error = db.each("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sweep_stopped'",
                  [&](sqlite3_stmt*) { out.stopped = SweepStopped{}; });
  if (error.empty() && out.stopped) {
    error = db.each("SELECT planned_runs, written_runs, reason FROM sweep_stopped", [&](sqlite3_stmt* s) {
      out.stopped = SweepStopped{static_cast<std::uint64_t>(integer(s, 0)), static_cast<std::uint64_t>(integer(s, 1)),
                                 text(s, 2)};
    });
  }
  if (!error.empty()) return not_results(path, error);
  return out;
}

}  // namespace cmksim
