#include "sim/io/results_reader.h"

#include <sqlite3.h>

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "sim/io/run_params.h"
#include "sim/io/sqlite_db.h"
#include "sim/scenario/scenario.h"

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

// Values from a database are untrusted (issue 18, item 2): shards come from
// other machines and `check` is a gate. Each rule is an SQL condition on one
// column of one table (t), with its run (r) for the run's duration; a row
// breaking it makes the whole file refused, naming table, column and rowid.
struct ValueRule {
  const char* table;
  const char* column;
  const char* what;  // the value it must be, for the message
  bool nullable;     // NULL means "did not happen" (INTERFACE.md §3)
  enum class Kind { kTime, kDuration, kCount, kGb, kFinite, kHour } kind;
};

// The longest run a database may hold: --max-years' ceiling, 1000 years of
// 365.25 days. Below it times, sums and differences of times fit in int64.
constexpr std::int64_t kMaxRunDurationMs = 1000LL * 36525 * 86400000 / 100;

std::string rule_condition(const ValueRule& rule) {
  const std::string c = std::string("t.") + rule.column;
  const std::string finite = c + " >= 0 AND " + c + " <= 1.7976931348623157e308";
  std::string ok;
  switch (rule.kind) {
    case ValueRule::Kind::kTime:
    case ValueRule::Kind::kDuration:
      ok = "typeof(" + c + ") = 'integer' AND " + c + " BETWEEN 0 AND r.duration_ms";
      break;
    case ValueRule::Kind::kHour:
      ok = "typeof(" + c + ") = 'integer' AND " + c + " BETWEEN 0 AND r.duration_ms / 3600000";
      break;
    case ValueRule::Kind::kCount: ok = "typeof(" + c + ") = 'integer' AND " + c + " >= 0"; break;
    case ValueRule::Kind::kGb: ok = "typeof(" + c + ") IN ('integer', 'real') AND " + finite; break;
    case ValueRule::Kind::kFinite:
      ok = "typeof(" + c + ") IN ('integer', 'real') AND abs(" + c + ") <= 1.7976931348623157e308";
      break;
  }
  return rule.nullable ? "(" + c + " IS NULL OR (" + ok + "))" : "(" + ok + ")";
}

const std::vector<ValueRule>& value_rules() {
  using K = ValueRule::Kind;
  static const std::vector<ValueRule> rules = {
      {"events", "seq", "a count >= 0", false, K::kCount},
      {"events", "t_ms", "a time within the run", false, K::kTime},
      {"states", "t_start_ms", "a time within the run", false, K::kTime},
      {"states", "t_end_ms", "a time within the run", false, K::kTime},
      {"operations", "t_ms", "a time within the run", false, K::kTime},
      {"operations", "completed_ms", "a time within the run or NULL", true, K::kTime},
      {"incidents", "change_ms", "a time within the run", false, K::kTime},
      {"incidents", "first_denied_ms", "a time within the run or NULL", true, K::kTime},
      {"incidents", "unavailable_ms", "a time within the run or NULL", true, K::kTime},
      {"incidents", "restored_ms", "a time within the run or NULL", true, K::kTime},
      {"incidents", "first_success_ms", "a time within the run or NULL", true, K::kTime},
      {"incidents", "resumed_ms", "a time within the run or NULL", true, K::kTime},
      {"incidents", "exposure_window_ms", "a duration within the run or NULL", true, K::kDuration},
      {"incidents", "recovery_time_ms", "a duration within the run or NULL", true, K::kDuration},
      {"incidents", "gb_lost", "a finite number of GB >= 0", false, K::kGb},
      {"incidents", "queries_failed", "a count >= 0", false, K::kCount},
      {"incident_workspaces", "gb_lost", "a finite number of GB >= 0", false, K::kGb},
      {"metrics", "value", "a finite number", false, K::kFinite},
      {"data", "gb_ingested", "a finite number of GB >= 0", false, K::kGb},
      {"data", "gb_lost", "a finite number of GB >= 0", false, K::kGb},
      {"data", "gb_purged", "a finite number of GB >= 0", false, K::kGb},
      {"data", "gb_at_end", "a finite number of GB >= 0", false, K::kGb},
      {"kv_calls", "hour", "an hour within the run", false, K::kHour},
      {"kv_calls", "wraps", "a count >= 0", false, K::kCount},
      {"kv_calls", "unwraps", "a count >= 0", false, K::kCount},
      {"kv_calls", "failed", "a count >= 0", false, K::kCount},
      {"blast_radius", "gb", "a finite number of GB >= 0", false, K::kGb},
      {"blast_radius", "gb_per_day", "a finite number of GB >= 0", false, K::kGb},
  };
  return rules;
}

// The first untrusted value out of its range, or nothing; run once every
// table has been read (so each exists, with its columns). A table that is
// not a plain one (a view has no rowid) is refused too.
std::optional<Error> check_values(SqliteDb& db, const std::string& path, bool has_blast_radius) {
  std::optional<Error> bad;
  const auto refuse = [&](const std::string& where, sqlite3_stmt* s, const std::string& what) {
    bad = read_error(path, "untrusted value in " + where + " (rowid " + std::to_string(integer(s, 0)) +
                               "): " + text(s, 1) + " is not " + what);
  };
  const std::string runs_sql =
      "SELECT rowid, quote(duration_ms), quote(events_processed), "
      "typeof(duration_ms) = 'integer' AND duration_ms BETWEEN 0 AND " +
      std::to_string(kMaxRunDurationMs) + " FROM runs WHERE NOT (typeof(duration_ms) = 'integer' AND duration_ms "
      "BETWEEN 0 AND " + std::to_string(kMaxRunDurationMs) +
      ") OR NOT (typeof(events_processed) = 'integer' AND events_processed >= 0) ORDER BY rowid LIMIT 1";
  std::string error = db.each(runs_sql, [&](sqlite3_stmt* s) {
    if (integer(s, 3) == 0) {
      bad = read_error(path, "untrusted value in runs.duration_ms (rowid " + std::to_string(integer(s, 0)) + "): " +
                                 text(s, 1) + " is not a duration from 0 to 1000 years");
    } else {
      bad = read_error(path, "untrusted value in runs.events_processed (rowid " + std::to_string(integer(s, 0)) +
                                 "): " + text(s, 2) + " is not a count >= 0");
    }
  });
  if (!error.empty()) return not_results(path, error);
  for (const ValueRule& rule : value_rules()) {
    if (bad) return bad;
    if (!has_blast_radius && std::string(rule.table) == "blast_radius") continue;
    const std::string sql = std::string("SELECT t.rowid, quote(t.") + rule.column + ") FROM " + rule.table +
                            " AS t JOIN runs AS r ON r.run_id = t.run_id WHERE NOT " + rule_condition(rule) +
                            " ORDER BY t.rowid LIMIT 1";
    error = db.each(sql, [&](sqlite3_stmt* s) { refuse(std::string(rule.table) + "." + rule.column, s, rule.what); });
    if (!error.empty()) return not_results(path, error);
  }
  return bad;
}

}  // namespace

Expected<ResultsRead> read_results_db(const std::string& path) {
  ResultsRead out;
  SqliteDb db(path, SqliteDb::Mode::kReadOnly);
  if (!db.ok()) return read_error(path, "cannot open: " + db.error());
  std::map<std::int64_t, std::size_t> index;  // run_id -> position in out.runs
  auto record = [&](sqlite3_stmt* s) -> RunRecord& { return out.runs[index.at(integer(s, 0))]; };
  auto known = [&](sqlite3_stmt* s) { return index.count(integer(s, 0)) == 1; };

  // runs.description came after scenario_file in a later version, runs.start
  // after it: a database written before them reads with them empty.
  std::optional<Error> bad_params;  // the first run whose runs.params cannot be read
  const auto read_runs = [&](int later_columns) {  // 2: description and start; 1: description
    index.clear();
    out.runs.clear();
    bad_params.reset();
    const std::string sql = std::string(
                                "SELECT run_id, scenario, scenario_sha256, seed, profile, timing, params, duration_ms, "
                                "events_processed, cmksim_version, scenario_file") +
                            (later_columns >= 1 ? ", description" : "") +
                            (later_columns >= 2 ? ", start" : "") + " FROM runs ORDER BY run_id";
    return db.each(sql.c_str(), [&](sqlite3_stmt* s) {
      index[integer(s, 0)] = out.runs.size();
      RunRecord r;
      // an empty (or NULL) params column reads as no parameters, as the report always took it
      const std::string params_text = text(s, 6);
      Expected<ParamValues> params = params_text.empty() ? ParamValues{} : params_from_json(params_text);
      if (!params.ok() && !bad_params) {
        bad_params = not_results(path, "run " + std::to_string(integer(s, 0)) + ": " + params.error().message);
      }
      // runs.timing of an older database may be worst or best: read as latest and earliest (D7)
      r.run = RunInfo{text(s, 1), text(s, 10), text(s, 2), static_cast<std::uint64_t>(integer(s, 3)),
                      text(s, 4), preferred_timing_name(text(s, 5)), params.ok() ? std::move(params).value() : ParamValues{},
                      integer(s, 7), static_cast<std::uint64_t>(integer(s, 8)), text(s, 9),
                      later_columns >= 1 ? text(s, 11) : std::string(),
                      later_columns >= 2 ? text(s, 12) : std::string()};
      out.runs.push_back(std::move(r));
    });
  };
  std::string error = read_runs(2);
  if (!error.empty()) error = read_runs(1);
  if (!error.empty()) error = read_runs(0);
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
  const auto has_table = [&](const char* name, bool& has) {
    has = false;
    SqliteStatement q(db.get(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
    if (!q.ok() || !q.bind(1, std::string(name))) return db.error();
    const int rc = q.step();
    has = rc == SQLITE_ROW;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? std::string() : db.error();
  };
  // A sweep's grid values: the `sweep` table exists only in sweeps.
  bool has_sweep = false;
  error = has_table("sweep", has_sweep);
  if (error.empty() && has_sweep) {
    error = db.each("SELECT run_id, name, value FROM sweep ORDER BY run_id, rowid", [&](sqlite3_stmt* s) {
      if (known(s)) record(s).sweep_params.emplace_back(text(s, 1), text(s, 2));
    });
  }
  if (!error.empty()) return not_results(path, error);
  // The blast radius of each key: absent from databases written before it was added.
  bool has_blast_radius = false;
  if (error.empty()) error = has_table("blast_radius", has_blast_radius);
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
  // Runs whose timelines were not kept (sweep --keep outcomes): absent before it was added.
  bool has_outcomes_only = false;
  error = has_table("outcomes_only", has_outcomes_only);
  if (error.empty() && has_outcomes_only) {
    error = db.each("SELECT run_id FROM outcomes_only ORDER BY rowid", [&](sqlite3_stmt* s) {
      if (known(s)) record(s).timelines_recorded = false;
    });
  }
  if (!error.empty()) return not_results(path, error);
  // A sweep stopped before its last run says so in its one `sweep_stopped` row.
  bool has_stopped = false;
  error = has_table("sweep_stopped", has_stopped);
  if (has_stopped) out.stopped = SweepStopped{};
  if (error.empty() && out.stopped) {
    error = db.each("SELECT planned_runs, written_runs, reason FROM sweep_stopped", [&](sqlite3_stmt* s) {
      out.stopped = SweepStopped{static_cast<std::uint64_t>(integer(s, 0)), static_cast<std::uint64_t>(integer(s, 1)),
                                 text(s, 2)};
    });
  }
  if (!error.empty()) return not_results(path, error);
  if (std::optional<Error> bad = check_values(db, path, has_blast_radius)) return *bad;
  return out;
}

}  // namespace cmksim
