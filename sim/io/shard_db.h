// The SQLite side of sweep shards (the rules are in sim/sweep/shards.h): a
// shard's `sweep_shard` row and tables read back, the row added to a freshly
// written shard, and the shards' tables copied into one database. A shard
// comes from elsewhere (issue 18): it is opened read-only and defensively, its
// tables must be exactly cmksim's own (as results_db_schema() writes them),
// the output's tables are made from cmksim's statements, and rows are copied
// through bound values: nothing of a shard ever runs as SQL.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/status.h"

namespace cmksim {

// The one row of a shard's `sweep_shard` table.
struct ShardRow {
  std::uint64_t index = 0, count = 0, first_run_id = 0, runs = 0, total_runs = 0;
  std::string fingerprint;  // the sweep's (SweepPlan::fingerprint)
};

// One entry of sqlite_master: a table or an index.
struct SchemaEntry {
  std::string type, name, sql;
  bool operator==(const SchemaEntry& o) const { return type == o.type && name == o.name && sql == o.sql; }
};

struct ShardFile {
  std::string path;
  ShardRow row;
  std::vector<SchemaEntry> schema;  // without sweep_shard, in creation order
};

// "I/K", as shards are named in messages.
std::string shard_name(std::uint64_t index, std::uint64_t count);

// Reads the shard at `path`. Refuses (naming `path`) a file that is not a
// shard, a shard stopped before its last run (issue 8), or one whose runs do
// not match its row.
Expected<ShardFile> read_shard_file(const std::string& path);

// Adds `row` as the `sweep_shard` table of the database written at `part`,
// then renames it to `path`. On failure `part` is removed.
Status finish_shard_file(const std::string& part, const std::string& path, const ShardRow& row);

// Writes `output` (through a temporary file renamed into place): the tables
// of `shards.front()`'s schema holding the rows of every shard, in the order
// given. REQUIRES: every shard has the same schema.
Status merge_shard_files(const std::vector<ShardFile>& shards, const std::string& output);

}  // namespace cmksim
