// A SQLite connection and a prepared statement that clean up after
// themselves: the one wrapper the results writer, the results reader and the
// shard merge share. Every value goes in through bound parameters.
// SQLite's handles are opaque here: <sqlite3.h> is included only by the
// sim/io sources that call SQLite, and nothing outside sim/io sees it.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

struct sqlite3;       // SQLite's connection, opaque outside sim/io/*.cpp
struct sqlite3_stmt;  // a prepared statement, likewise

namespace cmksim {

class SqliteDb {
 public:
  enum class Mode { kReadOnly, kReadWrite };  // kReadWrite creates the file

  SqliteDb(const std::string& path, Mode mode);
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  bool ok() const { return ok_; }
  std::string error() const;
  bool exec(const std::string& sql);
  // Runs `sql` and calls `row` for each result row. Returns "" or the error.
  std::string each(const std::string& sql, const std::function<void(sqlite3_stmt*)>& row);
  // Closes now; false if SQLite could not (a written file may be incomplete).
  // REQUIRES: every statement on it finalized.
  bool close();
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  bool ok_ = false;
};

// One prepared statement; finalizes itself.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql);
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  bool ok() const { return ok_; }
  sqlite3_stmt* get() const { return stmt_; }
  // SQLite's result code (SQLITE_ROW, SQLITE_DONE, ...); SQLITE_ERROR when not ok().
  int step();
  bool bind(int index, std::int64_t value);
  bool bind(int index, const std::string& value);  // copied (SQLITE_TRANSIENT)
  std::int64_t integer(int i) const;
  std::string text(int i) const { return column_text(stmt_, i); }

  // Column i of the current row as bytes ("" for NULL).
  static std::string column_text(sqlite3_stmt* stmt, int i);

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

}  // namespace cmksim
