#include "sim/io/shard_db.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sim/io/atomic_file.h"
#include "sim/io/results_db.h"
#include "sim/io/sqlite_db.h"

namespace cmksim {
namespace {

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// cmksim's own CREATE TABLE statement for `table`, or "" for a table it never writes.
std::string our_statement(const std::string& table) {
  for (const std::string& statement : results_db_schema()) {
    const std::string prefix = "CREATE TABLE " + table + "(";
    if (statement.compare(0, prefix.size(), prefix) == 0) return statement;
  }
  return "";
}

// The shard's row, its schema and the runs it holds; "" or why it is no shard.
std::string read_shard(const std::string& path, ShardFile& out) {
  out.path = path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return path + ": no such file";
  SqliteDb db(path, SqliteDb::Mode::kReadOnly);
  if (!db.ok()) return path + ": cannot open: " + db.error();
  ShardRow& row = out.row;
  {
    SqliteStatement s(db.get(), "SELECT shard, shards, first_run_id, runs, total_runs, sweep FROM sweep_shard");
    if (!s.ok() || s.step() != SQLITE_ROW) {
      return path + ": not a sweep shard (shards are written by cmksim sweep --shard I/K)";
    }
    row.index = static_cast<std::uint64_t>(s.integer(0));
    row.count = static_cast<std::uint64_t>(s.integer(1));
    row.first_run_id = static_cast<std::uint64_t>(s.integer(2));
    row.runs = static_cast<std::uint64_t>(s.integer(3));
    row.total_runs = static_cast<std::uint64_t>(s.integer(4));
    row.fingerprint = s.text(5);
  }
  {
    SqliteStatement s(db.get(), "SELECT type, name, sql FROM sqlite_master WHERE name <> 'sweep_shard' AND sql IS NOT NULL "
                          "ORDER BY rowid");
    int rc = SQLITE_ROW;
    while ((rc = s.step()) == SQLITE_ROW) out.schema.push_back({s.text(0), s.text(1), s.text(2)});
    if (rc != SQLITE_DONE) return path + ": cannot read the schema: " + db.error();
  }
  // Issue 18: the output's tables are made from cmksim's own statements,
  // never from a shard's text, and a shard holds exactly those tables.
  for (const SchemaEntry& e : out.schema) {
    if (e.type != "table" || e.sql != our_statement(e.name)) {
      return path + ": its " + (e.type == "table" ? "table " : e.type + " ") + "'" + e.name +
             "' is not one of cmksim's results tables as cmksim writes them: refused";
    }
  }
  const bool stopped = std::any_of(out.schema.begin(), out.schema.end(),
                                   [](const SchemaEntry& e) { return e.name == "sweep_stopped"; });
  if (stopped) {  // issue 8: a shard cut short by SIGINT cannot complete the sweep
    SqliteStatement why(db.get(), "SELECT reason FROM sweep_stopped");
    const std::string reason = why.ok() && why.step() == SQLITE_ROW ? why.text(0) : "stopped";
    return path + ": shard " + shard_name(row.index, row.count) + " was stopped (" + reason + ") after " +
           std::to_string(row.runs) + " of its runs: run it again (cmksim sweep ... --shard " +
           shard_name(row.index, row.count) + ")";
  }
  SqliteStatement s(db.get(), "SELECT count(*), min(run_id), max(run_id) FROM runs");
  if (!s.ok() || s.step() != SQLITE_ROW) return path + ": not a cmksim results database (" + db.error() + ")";
  const auto runs = static_cast<std::uint64_t>(s.integer(0));
  if (runs != row.runs || (runs > 0 && (static_cast<std::uint64_t>(s.integer(1)) != row.first_run_id ||
                                        static_cast<std::uint64_t>(s.integer(2)) != row.first_run_id + runs - 1))) {
    return path + ": the shard is damaged (its runs do not match its sweep_shard row)";
  }
  return "";
}

// The `sweep_shard` table with its row, in one transaction; "" or SQLite's error.
std::string insert_shard_row(const std::string& part, const ShardRow& row) {
  SqliteDb db(part, SqliteDb::Mode::kReadWrite);
  if (!db.ok() || !db.exec("BEGIN") ||
      !db.exec("CREATE TABLE sweep_shard(shard INTEGER, shards INTEGER, first_run_id INTEGER, runs INTEGER, "
               "total_runs INTEGER, sweep TEXT)")) {
    return db.error();
  }
  {
    SqliteStatement insert(db.get(), "INSERT INTO sweep_shard VALUES(?1,?2,?3,?4,?5,?6)");
    const std::int64_t values[] = {static_cast<std::int64_t>(row.index), static_cast<std::int64_t>(row.count),
                                   static_cast<std::int64_t>(row.first_run_id), static_cast<std::int64_t>(row.runs),
                                   static_cast<std::int64_t>(row.total_runs)};
    bool ok = insert.ok();
    for (int i = 0; ok && i < 5; ++i) ok = insert.bind(i + 1, values[i]);
    ok = ok && insert.bind(6, row.fingerprint);
    ok = ok && insert.step() == SQLITE_DONE;
    if (!ok) return db.error();
  }
  return db.exec("COMMIT") ? std::string() : db.error();
}

// Copies the rows of one table of `shard` (opened read-only) into `db`'s
// table of the same name, in rowid order, value by value through bound
// parameters: nothing of the shard is ever run as SQL.
bool copy_table(SqliteDb& db, SqliteDb& shard, const std::string& table) {
  SqliteStatement select(shard.get(), "SELECT * FROM " + quote_identifier(table) + " ORDER BY rowid");
  if (!select.ok()) return false;
  const int columns = sqlite3_column_count(select.get());
  std::string sql = "INSERT INTO main." + quote_identifier(table) + " VALUES(";
  for (int i = 1; i <= columns; ++i) sql += (i > 1 ? ",?" : "?") + std::to_string(i);
  SqliteStatement insert(db.get(), sql + ")");
  if (!insert.ok()) return false;
  int rc = SQLITE_ROW;
  while ((rc = select.step()) == SQLITE_ROW) {
    for (int i = 0; i < columns; ++i) {
      if (sqlite3_bind_value(insert.get(), i + 1, sqlite3_column_value(select.get(), i)) != SQLITE_OK) return false;
    }
    if (insert.step() != SQLITE_DONE) return false;
    sqlite3_reset(insert.get());
  }
  return rc == SQLITE_DONE;
}

// Creates the tables of the shards' schema from cmksim's own statements and
// copies every shard's rows into them, in the order given. "" or the error.
std::string copy_shards(SqliteDb& db, const std::vector<ShardFile>& shards) {
  const std::vector<SchemaEntry>& schema = shards.front().schema;
  bool ok = db.ok() && db.exec("PRAGMA journal_mode=OFF") && db.exec("PRAGMA synchronous=OFF") && db.exec("BEGIN");
  for (const SchemaEntry& e : schema) ok = ok && db.exec(our_statement(e.name));
  if (!ok) return db.error();
  for (const ShardFile& s : shards) {
    SqliteDb shard(s.path, SqliteDb::Mode::kReadOnly);
    if (!shard.ok()) return s.path + ": cannot open: " + shard.error();
    for (const SchemaEntry& e : schema) {
      if (!copy_table(db, shard, e.name)) {
        return s.path + ": table " + e.name + ": " + (shard.error() != "not an error" ? shard.error() : db.error());
      }
    }
  }
  return db.exec("COMMIT") ? std::string() : db.error();
}

}  // namespace

std::string shard_name(std::uint64_t index, std::uint64_t count) {
  return std::to_string(index) + "/" + std::to_string(count);
}

Expected<ShardFile> read_shard_file(const std::string& path) {
  ShardFile shard;
  if (std::string error = read_shard(path, shard); !error.empty()) return Error(std::move(error));
  return shard;
}

Status finish_shard_file(const std::string& part, const std::string& path, const ShardRow& row) {
  std::string error = insert_shard_row(part, row);
  if (error.empty() && std::rename(part.c_str(), path.c_str()) != 0) {
    error = "cannot rename " + part + " into place: " + std::strerror(errno);
  }
  if (!error.empty()) {
    std::remove(part.c_str());
    std::remove((part + "-journal").c_str());
    return Error("results database " + path + ": " + error);
  }
  return Status();
}

Status merge_shard_files(const std::vector<ShardFile>& shards, const std::string& output) {
  remove_stale_temporaries(output);
  const std::string tmp = temporary_path_for(output);
  const auto discard = [&tmp] {
    std::remove(tmp.c_str());
    std::remove((tmp + "-journal").c_str());
  };
  discard();
  std::string error;
  {
    SqliteDb db(tmp, SqliteDb::Mode::kReadWrite);
    error = copy_shards(db, shards);
  }
  if (error.empty() && std::rename(tmp.c_str(), output.c_str()) != 0) {
    error = std::string("cannot rename ") + tmp + " into place: " + std::strerror(errno);
  }
  if (!error.empty()) {
    discard();
    return Error("results database " + output + ": " + error);
  }
  return Status();
}

}  // namespace cmksim
