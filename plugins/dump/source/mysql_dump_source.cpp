#include "source/mysql_dump_source.hpp"

#include "chunk/key_queries.hpp"
#include "read/cell_value.hpp"

#include <ferry/sdk/handover.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace ferry::dump {
namespace {

using mysql::UpstreamConnection;

sdk::Status upstream_error(const std::string& what, const mysql::UpstreamError& e) {
  if (e.connection_lost()) return sdk::Status::retryable(FERRY_E_UPSTREAM_CONNECT, what + ": " + e.message);
  return sdk::Status::error(FERRY_E_UPSTREAM_QUERY, what + ": " + e.message);
}

// Chunk tokens the load sink handed back: a JSON array of them.
std::optional<std::vector<Chunk>> parse_done(std::string_view token, std::string& error) {
  std::vector<Chunk> out;
  if (token.empty()) return out;
  const nlohmann::json j = nlohmann::json::parse(token, nullptr, false);
  if (!j.is_array()) {
    error = "the start position's token is not a list of loaded chunks; was the checkpoint written by a load sink?";
    return std::nullopt;
  }
  for (const auto& item : j) {
    std::optional<Chunk> c = item.is_string() ? parse_chunk_token(item.get<std::string>()) : std::nullopt;
    if (!c) {
      error = "a loaded chunk's token does not read back: " + item.dump().substr(0, 200);
      return std::nullopt;
    }
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace

MysqlDumpSource::MysqlDumpSource(const sdk::Host& host, const sdk::Config& config)
    : host_(host), options_(read_dump_options(config)) {}

MysqlDumpSource::~MysqlDumpSource() {
  current_.reset();
  readers_.reset();  // cancels and joins the readers
}

sdk::Status MysqlDumpSource::open(const ferry_position* start) {
  std::string error;
  auto done_list = parse_done(start ? sdk::view(start->token) : std::string_view(), error);
  if (!done_list) return sdk::Status::error(FERRY_E_TASK_INTERNAL, error + " (run with --remove-meta to dump again from scratch)");
  std::map<std::string, std::vector<Chunk>> done;
  for (auto& c : *done_list) done[c.schema + "." + c.table].push_back(std::move(c));

  // What to dump, and each table's shape, before the snapshot: a DDL in between shows up as a
  // read error on that table, never as rows under the wrong shape.
  UpstreamConnection conn;
  if (auto e = conn.connect(options_.upstream)) return upstream_error("cannot connect to the upstream", *e);
  if (auto e = prepare_dump_session(conn)) return upstream_error("cannot set up the session", *e);
  std::vector<std::pair<std::string, std::string>> names;
  if (auto e = list_tables(conn, options_.databases, options_.tables, names)) return upstream_error("cannot list tables", *e);
  for (const auto& t : options_.tables) {
    const bool found = std::any_of(names.begin(), names.end(), [&](const auto& n) { return n.first + "." + n.second == t; });
    if (!found) return sdk::Status::error(FERRY_E_UPSTREAM_QUERY, "table " + t + " (listed in tables) is not in the upstream");
  }
  std::string last_schema;
  for (const auto& [schema, table] : names) {
    if (schema != last_schema) {
      std::string statement;
      if (auto e = read_create_database(conn, schema, statement)) return upstream_error("cannot read schema " + schema, *e);
      ddl_.push(std::move(statement), schema, "");
      last_schema = schema;
    }
    DumpTable& t = tables_.emplace_back();
    if (auto e = read_table(conn, schema, table, t)) return upstream_error("cannot read table " + schema + "." + table, *e);
    ddl_.push(t.create_statement, schema, table);
  }
  conn.close();

  Snapshot snapshot;
  if (auto e = take_snapshot(options_, names, snapshot)) {
    return e->retryable ? sdk::Status::retryable(FERRY_E_UPSTREAM_CONNECT, e->message)
                        : sdk::Status::error(FERRY_E_UPSTREAM_SNAPSHOT, e->message);
  }
  at_ = snapshot.at;
  until_ = snapshot.until;
  gtid_flavor_ = snapshot.flavor == mysql::Flavor::MySQL ? FERRY_GTID_MYSQL : FERRY_GTID_MARIADB;
  if (at_.file.empty()) {
    host_.warn("the upstream writes no binlog (SHOW MASTER STATUS is empty): a full dump works, but no sync can follow it");
  }
  host_.info("snapshot taken method=" + snapshot.method + " binlog=" + at_.file + ":" + std::to_string(at_.pos) +
             " gtid=" + at_.gtid + " tables=" + std::to_string(tables_.size()) +
             " resumed_chunks=" + std::to_string(done_list->size()));

  // The hand-over spans this snapshot and every loaded chunk's.
  start_ = at_;
  safe_until_ = until_;
  for (const auto& [name, chunks] : done) {
    for (const auto& c : chunks) {
      if (before(c.read_at, start_)) start_ = c.read_at;
      if (before(safe_until_, c.read_until)) safe_until_ = c.read_until;
      if (c.range.whole()) table_read_at_[{c.schema, c.table}] = c.read_at;
    }
  }

  std::deque<ChunkWork> work;
  started_ = std::chrono::steady_clock::now();
  if (auto s = plan(snapshot, done, work); !s.is_ok()) return s;
  chunks_total_ = work.size();
  host_.gauge_set("progress_rows_total", static_cast<double>(std::max<uint64_t>(planned_rows_, 1)));
  host_.gauge_set("progress_bytes_total", planned_bytes_);
  host_.gauge_set("progress_bytes_done", 0);
  host_.info("dump planned chunks=" + std::to_string(chunks_total_) + " threads=" + std::to_string(options_.threads) +
             " rows_per_chunk=" + std::to_string(options_.rows));
  readers_ = std::make_unique<ChunkReaders>(std::move(snapshot.readers), std::move(work), options_.reader_buffer_bytes);
  readers_->start();
  return sdk::Status::ok();
}

sdk::Status MysqlDumpSource::plan(Snapshot& snapshot, const std::map<std::string, std::vector<Chunk>>& done,
                                  std::deque<ChunkWork>& work) {
  // Range bounds come from the snapshot itself (reader 0, inside its transaction).
  UpstreamConnection& conn = *snapshot.readers.front();
  for (const DumpTable& t : tables_) {
    auto it = done.find(t.schema + "." + t.table);
    static const std::vector<Chunk> none;
    if (auto s = plan_table(conn, t, it == done.end() ? none : it->second, work); !s.is_ok()) return s;
  }
  return sdk::Status::ok();
}

sdk::Status MysqlDumpSource::plan_table(UpstreamConnection& conn, const DumpTable& t, const std::vector<Chunk>& done,
                                        std::deque<ChunkWork>& work) {
  uint64_t made = 0;
  auto make = [&](const KeyRange& r, uint64_t estimate) {
    planned_rows_ += estimate;
    if (t.estimated_rows > 0) {
      planned_bytes_ += static_cast<double>(estimate) * static_cast<double>(t.estimated_bytes) / static_cast<double>(t.estimated_rows);
    }
    ++tables_left_[&t].chunks;
    ++made;
    Chunk c;
    c.schema = t.schema;
    c.table = t.table;
    c.key_column = t.chunk_key;
    c.key_type = t.chunk_key_type;
    c.range = r;
    c.read_at = at_;
    c.read_until = until_;
    if (r.whole()) table_read_at_[{t.schema, t.table}] = at_;
    work.push_back(ChunkWork{std::move(c), &t});
  };
  auto key_error = [&](const KeyQueryError& e) {
    const std::string what = "planning the chunks of " + t.schema + "." + t.table + ": " + e.message;
    return e.retryable ? sdk::Status::retryable(FERRY_E_UPSTREAM_CONNECT, what) : sdk::Status::error(FERRY_E_UPSTREAM_QUERY, what);
  };
  std::vector<KeyRange> done_ranges;
  for (const auto& c : done) {
    // A chunk of the whole table covers it, whatever key (or none) the table had then.
    if (c.range.whole()) return sdk::Status::ok();
    if (c.key_column != t.chunk_key || c.key_type != t.chunk_key_type) {
      return sdk::Status::error(FERRY_E_TASK_INTERNAL,
                                "table " + t.schema + "." + t.table + " was chunked on `" + c.key_column + "` (" +
                                    c.key_type.name() + ") when its load began and would be on `" + t.chunk_key + "` (" +
                                    t.chunk_key_type.name() +
                                    ") now (its keys changed); run with --remove-meta and an empty downstream to start over");
    }
    done_ranges.push_back(c.range);
  }
  const KeyColumn key{t.qualified(), t.chunk_key, t.chunk_key_type};
  // Bounds of a non-integer key are ordered by the server, under the column's comparison.
  BoundLess less = integer_less;
  if (!t.chunk_key_type.integer() && !done_ranges.empty()) {
    std::vector<KeyBound> bounds;
    for (const auto& r : done_ranges) {
      for (const auto* b : {&r.lo, &r.hi}) {
        if (*b && std::find(bounds.begin(), bounds.end(), **b) == bounds.end()) bounds.push_back(**b);
      }
    }
    if (auto e = order_bounds(conn, t.chunk_key_type, bounds, less)) return key_error(*e);
  }
  const std::vector<KeyRange> todo = remaining_ranges(done_ranges, less);
  const uint64_t rows_per_chunk = chunk_rows(t);
  if (t.chunk_key.empty() || rows_per_chunk == 0) {
    for (const auto& r : todo) make(r, r.whole() ? t.estimated_rows : 0);
    return sdk::Status::ok();
  }
  if (auto e = check_key_not_null(conn, key)) return key_error(*e);
  if (t.chunk_key_type.integer()) {
    if (auto s = plan_integer_ranges(conn, t, todo, make); !s.is_ok()) return s;
  } else {
    // Each range left is stepped through in the snapshot, `rows` rows a piece.
    for (const auto& r : todo) {
      std::vector<KeyPiece> pieces;
      if (auto e = cut_key_range(conn, key, r, rows_per_chunk, pieces)) return key_error(*e);
      for (const auto& piece : pieces) make(piece.range, piece.rows);
    }
  }
  if (made > 1) {
    host_.info("table cut into chunks table=" + t.schema + "." + t.table + " key=" + t.chunk_key +
               " bound=" + (t.chunk_key_type.integer() ? "integer" : "text") + " chunks=" + std::to_string(made) +
               " loaded_before=" + std::to_string(done_ranges.size()));
  }
  return sdk::Status::ok();
}

uint64_t MysqlDumpSource::chunk_rows(const DumpTable& t) const {
  // DM's chunk-filesize: a size, turned into rows by the table's average row on disk (the
  // catalog's estimate; a table without one falls back to `rows`).
  if (options_.chunk_bytes == 0 || t.estimated_rows == 0 || t.estimated_bytes == 0) return options_.rows;
  const uint64_t average = std::max<uint64_t>(1, t.estimated_bytes / t.estimated_rows);
  return std::max<uint64_t>(1, options_.chunk_bytes / average);
}

sdk::Status MysqlDumpSource::plan_integer_ranges(UpstreamConnection& conn, const DumpTable& t, const std::vector<KeyRange>& todo,
                                                 const std::function<void(const KeyRange&, uint64_t)>& make) {
  // Each range left is cut by the key's spread in it, in proportion to the table's estimate.
  std::vector<std::vector<std::optional<std::string>>> rows;
  const std::string key = UpstreamConnection::identifier(t.chunk_key);
  auto min_max = [&](const std::string& where, std::optional<KeyValue>& lo, std::optional<KeyValue>& hi) -> sdk::Status {
    if (auto e = conn.query("SELECT MIN(" + key + "), MAX(" + key + ") FROM " + t.qualified() + where, rows)) {
      return upstream_error("cannot read the key range of " + t.schema + "." + t.table, *e);
    }
    lo = rows.empty() || !rows[0][0] ? std::nullopt : parse_key(*rows[0][0]);
    hi = rows.empty() || !rows[0][1] ? std::nullopt : parse_key(*rows[0][1]);
    return sdk::Status::ok();
  };
  std::optional<KeyValue> table_min, table_max;
  if (auto s = min_max("", table_min, table_max); !s.is_ok()) return s;
  if (!table_min || !table_max) {
    for (const auto& r : todo) make(r, 0);  // empty table: one chunk each, nothing in them
    return sdk::Status::ok();
  }
  const long double table_span = static_cast<long double>(*table_max - *table_min) + 1;
  for (const auto& r : todo) {
    Chunk probe;
    probe.key_column = t.chunk_key;
    probe.range = r;
    std::optional<KeyValue> lo, hi;
    if (auto s = min_max(probe.where_clause().value_or(""), lo, hi); !s.is_ok()) return s;
    if (!lo || !hi) {
      make(r, 0);
      continue;
    }
    const long double share = (static_cast<long double>(*hi - *lo) + 1) / table_span;
    const auto estimate = static_cast<uint64_t>(share * static_cast<long double>(t.estimated_rows));
    const uint64_t count = estimate / chunk_rows(t) + 1;
    const auto pieces = split_range(r, *lo, *hi, count);
    for (const auto& piece : pieces) make(piece, estimate / pieces.size());
  }
  return sdk::Status::ok();
}

void MysqlDumpSource::set_position(ferry_event& e, sdk::BatchWriter& out) {
  // One copy per poll's batch: every event of a chunk stands at the chunk's snapshot.
  const SnapshotPoint& p = current_ ? current_->chunk().read_at : at_;
  if (pos_batch_ != out.raw() || pos_point_ != &p) {
    pos_ = ferry_position{};
    pos_.binlog_file = out.copy(p.file);
    pos_.binlog_pos = p.pos;
    pos_.gtid_set = out.copy(p.gtid);
    pos_.gtid_flavor = gtid_flavor_;
    pos_batch_ = out.raw();
    pos_point_ = &p;
  }
  e.pos = pos_;
}

ferry_position MysqlDumpSource::position_in(sdk::BatchWriter& out) {
  ferry_event probe{};
  set_position(probe, out);
  return probe.pos;
}

void MysqlDumpSource::table_read(const DumpTable& t) {
  auto it = tables_left_.find(&t);
  if (it == tables_left_.end() || --it->second.chunks > 0) return;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  host_.info("table read table=" + t.schema + "." + t.table + " rows=" + std::to_string(it->second.rows) +
             " bytes=" + std::to_string(it->second.bytes) + " tables_left=" + std::to_string(tables_left_.size() - 1) + " seconds=" + std::to_string(static_cast<int>(seconds)));
  tables_left_.erase(it);
}

void MysqlDumpSource::emit_final(sdk::BatchWriter& out) {
  ferry_event& cp = out.append(FERRY_EVENT_CHECKPOINT);
  cp.flags = FERRY_EVENT_FINAL;
  cp.pos.binlog_file = out.copy(start_.file);
  cp.pos.binlog_pos = start_.pos;
  cp.pos.gtid_set = out.copy(start_.gtid);
  cp.pos.gtid_flavor = gtid_flavor_;
  if (before(start_, safe_until_)) {
    sdk::SafeUntil note{safe_until_.file, safe_until_.pos, safe_until_.gtid, {}};
    // Tables read whole after the start: their changes up to that read are in their rows.
    for (const auto& [name, at] : table_read_at_) {
      if (before(start_, at)) note.tables.push_back({name.first, name.second, at.file, at.pos});
    }
    cp.pos.token = out.copy(sdk::format_safe_until(note));
  }
  host_.gauge_set("progress_rows_total", 0);
  host_.gauge_set("progress_bytes_total", 0);
  host_.info("dump finished chunks=" + std::to_string(chunks_done_) + " rows=" + std::to_string(rows_done_) +
             " bytes=" + std::to_string(bytes_done_) +
             " start=" + start_.file + ":" + std::to_string(start_.pos) +
             (before(start_, safe_until_) ? " safe_until=" + safe_until_.file + ":" + std::to_string(safe_until_.pos) : ""));
}

sdk::Status MysqlDumpSource::poll(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) {
  // The position copied into an earlier poll's batch is gone with it, even when the host hands
  // the same batch (same address) back recycled.
  pos_batch_ = nullptr;
  if (finished_) return sdk::Status::end();
  if (!ddl_.empty() && !ddl_.emit(out, position_in(out))) return sdk::Status::ok();
  // A stop leaves the chunk being sent open: the sink never commits it, and a rerun reads it again.
  if (stopping) return sdk::Status::ok();

  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  while (out.room() >= 2) {
    if (!current_) {
      if (readers_->exhausted()) {
        emit_final(out);
        finished_ = true;
        return sdk::Status::end();
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      current_ = readers_->next(std::max(left, std::chrono::milliseconds(0)));
      if (!current_) return sdk::Status::ok();
      began_ = false;
    }
    if (!began_) {
      ferry_event& b = out.append(FERRY_EVENT_TXN_BEGIN);
      set_position(b, out);
      b.pos.token = out.copy(current_->chunk().token());
      began_ = true;
    }
    bool chunk_done = false;
    if (auto s = emit_rows(out, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()),
                           chunk_done);
        !s.is_ok()) {
      return s;
    }
    if (!chunk_done) return sdk::Status::ok();
    if (out.room() == 0) return sdk::Status::ok();
    ferry_event& c = out.append(FERRY_EVENT_TXN_COMMIT);
    set_position(c, out);
    c.pos.token = out.copy(current_->chunk().token());
    ++chunks_done_;
    host_.counter_add("dump_chunks", 1);
    table_read(current_->table());
    current_.reset();
  }
  return sdk::Status::ok();
}

sdk::Status MysqlDumpSource::emit_rows(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool& chunk_done) {
  chunk_done = false;
  const DumpTable& t = current_->table();
  const auto& read = t.read_columns();
  const uint32_t n = static_cast<uint32_t>(t.columns.size());
  const bool partial = read.size() != n;  // generated columns are not in the image
  uint64_t rows = 0;
  uint64_t bytes = 0;  // of the values as the upstream sent them (text)
  const ferry_str target_schema = out.copy(t.schema);
  const ferry_str target_table = out.copy(t.table);
  while (out.room() >= 2) {  // keep a slot for the COMMIT
    if (!cursor_ || cursor_->done()) {
      cursor_.reset();
      block_.reset();
      bool retryable = false;
      if (auto e = current_->error(retryable)) {
        // The snapshot of that connection is gone: the phase starts again, from the chunks loaded.
        return retryable ? sdk::Status::error(FERRY_E_TASK_RESTART_PHASE, *e) : sdk::Status::error(FERRY_E_UPSTREAM_QUERY, *e);
      }
      if (current_->finished()) {
        chunk_done = true;
        break;
      }
      block_ = current_->take(rows > 0 ? std::chrono::milliseconds(0) : std::max(max_wait, std::chrono::milliseconds(1)));
      if (!block_) {
        if (current_->finished()) continue;
        break;
      }
      cursor_.emplace(*block_);
    }
    ferry_event& e = out.append(FERRY_EVENT_ROW);
    set_position(e, out);
    ferry_row_event& r = e.u.row;
    r.op = FERRY_ROW_INSERT;
    r.table = &t.abi();
    r.target_schema = target_schema;
    r.target_table = target_table;
    ferry_value* values = out.values(n);
    for (uint32_t i = 0; i < n; ++i) values[i] = ferry_value{};
    for (uint32_t col : read) {
      std::optional<std::string_view> cell = cursor_->next();
      if (!cell) continue;  // NULL
      bytes += cell->size();
      const ferry_str text = out.copy(*cell);
      std::string error;
      if (!cell_value(t.columns[col], std::string_view(text.data ? text.data : "", text.len), values[col], error)) {
        return sdk::Status::error(FERRY_E_UPSTREAM_QUERY, "in " + current_->chunk().id() + ": " + error);
      }
    }
    r.after = values;
    if (partial) {
      uint8_t* present = out.bitmap(n);
      for (uint32_t col : read) present[col / 8] |= static_cast<uint8_t>(1u << (col % 8));
      r.after_present = present;
    }
    ++rows;
  }
  rows_done_ += rows;
  bytes_done_ += bytes;
  tables_left_[&t].rows += rows;
  tables_left_[&t].bytes += bytes;
  if (rows) {
    host_.counter_add("dump_rows", static_cast<double>(rows));
    host_.counter_add("dump_bytes", static_cast<double>(bytes));
    host_.gauge_set("progress_bytes_done", static_cast<double>(bytes_done_));
  }
  return sdk::Status::ok();
}

}  // namespace ferry::dump
