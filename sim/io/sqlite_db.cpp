#include "sim/io/sqlite_db.h"

#include <sqlite3.h>

namespace cmksim {

SqliteDb::SqliteDb(const std::string& path, Mode mode) {
  // NOMUTEX: a connection is used by one thread at a time (a sweep writes from
  // its consumer thread only), so SQLite's per-call locking is pure cost.
  const int flags = (mode == Mode::kReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
                    SQLITE_OPEN_NOMUTEX;
  ok_ = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) == SQLITE_OK;
  if (ok_ && mode == Mode::kReadOnly) {
    // A database to read comes from elsewhere (a shard from another machine,
    // a results file handed over): nothing in it may run (issue 18). No
    // ATTACH, no triggers or views, no functions called from its schema, and
    // defensive mode (no writable_schema tricks).
    sqlite3_limit(db_, SQLITE_LIMIT_ATTACHED, 0);
    ok_ = sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr) == SQLITE_OK &&
          sqlite3_db_config(db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr) == SQLITE_OK &&
          sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr) == SQLITE_OK &&
          sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr) == SQLITE_OK;
  }
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

std::string SqliteDb::error() const { return db_ ? sqlite3_errmsg(db_) : "out of memory"; }

bool SqliteDb::exec(const std::string& sql) {
  return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

std::string SqliteDb::each(const std::string& sql, const std::function<void(sqlite3_stmt*)>& row) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return error();
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? std::string() : error();
}

bool SqliteDb::close() {
  const int rc = sqlite3_close(db_);
  if (rc == SQLITE_OK) db_ = nullptr;
  return rc == SQLITE_OK;
}

SqliteStatement::SqliteStatement(sqlite3* db, const std::string& sql) {
  ok_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) == SQLITE_OK;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

int SqliteStatement::step() { return ok_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }

bool SqliteStatement::bind(int index, std::int64_t value) {
  return ok_ && sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK;
}

bool SqliteStatement::bind(int index, const std::string& value) {
  return ok_ && sqlite3_bind_text(stmt_, index, value.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

std::int64_t SqliteStatement::integer(int i) const { return sqlite3_column_int64(stmt_, i); }

std::string SqliteStatement::column_text(sqlite3_stmt* stmt, int i) {
  const auto* p = sqlite3_column_text(stmt, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)))
           : std::string();
}

}  // namespace cmksim
