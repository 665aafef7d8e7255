#include "sim/sweep/shards.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "sim/io/sqlite_db.h"

namespace cmksim {
namespace {

std::string pid_suffix() { return std::to_string(static_cast<long long>(getpid())); }

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

struct SchemaEntry {
  std::string type, name, sql;
  bool operator==(const SchemaEntry& o) const { return type == o.type && name == o.name && sql == o.sql; }
};

struct ShardFile {
  std::string path;
  std::uint64_t index = 0, count = 0, first_run_id = 0, runs = 0, total_runs = 0;
  std::string fingerprint;
  std::vector<SchemaEntry> schema;  // without sweep_shard, in creation order
};

std::string shard_name(std::uint64_t index, std::uint64_t count) {
  return std::to_string(index) + "/" + std::to_string(count);
}

std::string read_shard(const std::string& path, ShardFile& out) {
  out.path = path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return path + ": no such file";
  SqliteDb db(path, SqliteDb::Mode::kReadOnly);
  if (!db.ok()) return path + ": cannot open: " + db.error();
  {
    SqliteStatement s(db.get(), "SELECT shard, shards, first_run_id, runs, total_runs, sweep FROM sweep_shard");
    if (!s.ok() || s.step() != SQLITE_ROW) {
      return path + ": not a sweep shard (shards are written by cmksim sweep --shard I/K)";
    }
    out.index = static_cast<std::uint64_t>(s.integer(0));
    out.count = static_cast<std::uint64_t>(s.integer(1));
    out.first_run_id = static_cast<std::uint64_t>(s.integer(2));
    out.runs = static_cast<std::uint64_t>(s.integer(3));
    out.total_runs = static_cast<std::uint64_t>(s.integer(4));
    out.fingerprint = s.text(5);
  }
  {
    SqliteStatement s(db.get(), "SELECT type, name, sql FROM sqlite_master WHERE name <> 'sweep_shard' AND sql IS NOT NULL "
                          "ORDER BY rowid");
    int rc = SQLITE_ROW;
    while ((rc = s.step()) == SQLITE_ROW) out.schema.push_back({s.text(0), s.text(1), s.text(2)});
    if (rc != SQLITE_DONE) return path + ": cannot read the schema: " + db.error();
  }
  const bool stopped = std::any_of(out.schema.begin(), out.schema.end(),
                                   [](const SchemaEntry& e) { return e.name == "sweep_stopped"; });
  if (stopped) {  // issue 8: a shard cut short by SIGINT cannot complete the sweep
    SqliteStatement why(db.get(), "SELECT reason FROM sweep_stopped");
    const std::string reason = why.ok() && why.step() == SQLITE_ROW ? why.text(0) : "stopped";
    return path + ": shard " + shard_name(out.index, out.count) + " was stopped (" + reason + ") after " +
           std::to_string(out.runs) + " of its runs: run it again (cmksim sweep ... --shard " +
           shard_name(out.index, out.count) + ")";
  }
  SqliteStatement s(db.get(), "SELECT count(*), min(run_id), max(run_id) FROM runs");
  if (!s.ok() || s.step() != SQLITE_ROW) return path + ": not a cmksim results database (" + db.error() + ")";
  const auto runs = static_cast<std::uint64_t>(s.integer(0));
  if (runs != out.runs || (runs > 0 && (static_cast<std::uint64_t>(s.integer(1)) != out.first_run_id ||
                                        static_cast<std::uint64_t>(s.integer(2)) != out.first_run_id + runs - 1))) {
    return path + ": the shard is damaged (its runs do not match its sweep_shard row)";
  }
  return "";
}

// A non-negative decimal integer (no sign, no spaces).
std::optional<std::uint64_t> parse_count(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

// Adds the `sweep_shard` row to the shard written at `part` and renames it
// to `path`; on failure removes `part`.
std::string add_shard_row(const SweepPlan& plan, const ShardSpec& shard, std::uint64_t first, std::uint64_t runs,
                          const std::string& part, const std::string& path) {
  std::string error;
  {
    SqliteDb db(part, SqliteDb::Mode::kReadWrite);
    if (!db.ok() || !db.exec("BEGIN") ||
        !db.exec("CREATE TABLE sweep_shard(shard INTEGER, shards INTEGER, first_run_id INTEGER, runs INTEGER, "
                 "total_runs INTEGER, sweep TEXT)")) {
      error = db.error();
    } else {
      SqliteStatement insert(db.get(), "INSERT INTO sweep_shard VALUES(?1,?2,?3,?4,?5,?6)");
      const std::int64_t values[] = {static_cast<std::int64_t>(shard.index), static_cast<std::int64_t>(shard.count),
                                     static_cast<std::int64_t>(first + 1), static_cast<std::int64_t>(runs),
                                     static_cast<std::int64_t>(plan.total_runs())};
      bool ok = insert.ok();
      for (int i = 0; ok && i < 5; ++i) ok = sqlite3_bind_int64(insert.get(), i + 1, values[i]) == SQLITE_OK;
      ok = ok && sqlite3_bind_text(insert.get(), 6, plan.fingerprint.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK;
      ok = ok && insert.step() == SQLITE_DONE;
      if (!ok) error = db.error();
    }
    if (error.empty() && !db.exec("COMMIT")) error = db.error();
  }
  if (error.empty() && std::rename(part.c_str(), path.c_str()) != 0) {
    error = "cannot rename " + part + " into place: " + std::strerror(errno);
  }
  if (!error.empty()) {
    std::remove(part.c_str());
    std::remove((part + "-journal").c_str());
    return "results database " + path + ": " + error;
  }
  return "";
}

}  // namespace

std::optional<ShardSpec> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto index = parse_count(text.substr(0, slash));
  const auto count = parse_count(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count || *count > (1ULL << 20)) return std::nullopt;
  return ShardSpec{*index, *count};
}

void shard_range(std::uint64_t total, const ShardSpec& shard, std::uint64_t& first, std::uint64_t& count) {
  // total < 2^40 and shard.count <= 2^20: the products fit in 64 bits.
  first = total * shard.index / shard.count;
  count = total * (shard.index + 1) / shard.count - first;
}

SweepWrite write_sweep_shard(const SweepPlan& plan, const ShardSpec& shard, const std::string& path, unsigned jobs,
                             const RunObserver& on_run, const StopRequest* stop) {
  std::uint64_t first = 0, count = 0;
  shard_range(plan.total_runs(), shard, first, count);
  const std::string part = shard_part_path(path);
  SweepWrite written = write_sweep(plan, part, first, count, jobs, on_run, stop);
  if (!written.error.empty() || (written.stopped && written.runs == 0)) return written;
  written.error = add_shard_row(plan, shard, first, written.runs, part, path);
  if (!written.error.empty()) written.runs = 0;
  return written;
}

std::string shard_part_path(const std::string& path) { return path + ".part-" + pid_suffix(); }

std::string merge_shards(const std::vector<std::string>& inputs, const std::string& output, std::uint64_t& runs) {
  runs = 0;
  if (inputs.empty()) return "no shards to merge";
  std::vector<ShardFile> shards(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (std::string error = read_shard(inputs[i], shards[i]); !error.empty()) return error;
    std::error_code ec;
    if (std::filesystem::exists(output, ec) && std::filesystem::equivalent(output, inputs[i], ec)) {
      return "the output " + output + " is one of the shards";
    }
  }
  const ShardFile& first = shards.front();
  for (const ShardFile& s : shards) {
    if (s.fingerprint != first.fingerprint || s.count != first.count || s.total_runs != first.total_runs) {
      return s.path + " and " + first.path + " are shards of different sweeps";
    }
    if (!(s.schema == first.schema)) {
      return s.path + " and " + first.path + " have different tables (written by different cmksim versions?)";
    }
  }
  std::sort(shards.begin(), shards.end(), [](const ShardFile& a, const ShardFile& b) { return a.index < b.index; });
  std::string missing;
  std::uint64_t expected = 0;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    if (i > 0 && shards[i].index == shards[i - 1].index) {
      return "shard " + shard_name(shards[i].index, first.count) + " is given twice (" + shards[i - 1].path +
             " and " + shards[i].path + ")";
    }
    for (; expected < shards[i].index; ++expected) missing += (missing.empty() ? "" : ", ") + shard_name(expected, first.count);
    expected = shards[i].index + 1;
  }
  for (; expected < first.count; ++expected) missing += (missing.empty() ? "" : ", ") + shard_name(expected, first.count);
  if (!missing.empty()) return "missing shard" + std::string(missing.find(',') == std::string::npos ? " " : "s ") + missing;

  const std::string tmp = output + ".tmp-" + pid_suffix();
  const auto discard = [&tmp] {
    std::remove(tmp.c_str());
    std::remove((tmp + "-journal").c_str());
  };
  discard();
  std::string error;
  {
    SqliteDb db(tmp, SqliteDb::Mode::kReadWrite);
    bool ok = db.ok() && db.exec("PRAGMA journal_mode=OFF") && db.exec("PRAGMA synchronous=OFF") && db.exec("BEGIN");
    for (const SchemaEntry& e : first.schema) ok = ok && db.exec(e.sql);
    ok = ok && db.exec("COMMIT");
    for (const ShardFile& s : shards) {
      if (!ok) break;
      {
        SqliteStatement attach(db.get(), "ATTACH DATABASE ?1 AS shard");
        ok = attach.ok() && sqlite3_bind_text(attach.get(), 1, s.path.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
             attach.step() == SQLITE_DONE;
      }
      ok = ok && db.exec("BEGIN");
      for (const SchemaEntry& e : first.schema) {
        if (!ok) break;
        if (e.type != "table") continue;
        const std::string table = quote_identifier(e.name);
        ok = db.exec("INSERT INTO main." + table + " SELECT * FROM shard." + table + " ORDER BY rowid");
      }
      ok = ok && db.exec("COMMIT") && db.exec("DETACH DATABASE shard");
      runs += s.runs;
    }
    if (!ok) error = db.error();
  }
  if (error.empty() && std::rename(tmp.c_str(), output.c_str()) != 0) {
    error = std::string("cannot rename ") + tmp + " into place: " + std::strerror(errno);
  }
  if (!error.empty()) {
    discard();
    return "results database " + output + ": " + error;
  }
  return "";
}

}  // namespace cmksim
