#include "sink/tidb_load_sink.hpp"

#include <ferry/sdk/events.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

namespace ferry::load {
namespace {

uint8_t flavor_of(const std::string& gtid) {
  if (gtid.empty()) return FERRY_GTID_NONE;
  return gtid.find(':') != std::string::npos ? FERRY_GTID_MYSQL : FERRY_GTID_MARIADB;
}

const char* verb(OnDuplicate d) {
  switch (d) {
    case OnDuplicate::Replace: return "REPLACE";
    case OnDuplicate::Ignore: return "INSERT IGNORE";
    case OnDuplicate::Error: return "INSERT";
  }
  return "INSERT";
}

// The name the source gave the chunk in its token ("db.t[lo,hi)", a data file's name), for the
// checkpoint row; older tokens without one are named from their table and range.
std::string chunk_name(const std::string& token) {
  const nlohmann::json j = nlohmann::json::parse(token, nullptr, false);
  if (!j.is_object()) return token.substr(0, 200);
  if (j.contains("name") && j["name"].is_string()) return j["name"].get<std::string>();
  std::string name = j.value("schema", "") + "." + j.value("table", "");
  if (!j.value("key", "").empty()) {
    auto bound = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
    name += "[" + bound("lo") + "," + bound("hi") + ")";
  }
  return name;
}

}  // namespace

TidbLoadSink::TidbLoadSink(const sdk::Host& host, const sdk::Config& config)
    : host_(host),
      task_(host.task_info("task")),
      options_(read_load_options(config, host.task_info("task"))),
      locks_(options_.meta_schema, task_, options_.source_id, "load") {}

TidbLoadSink::~TidbLoadSink() { pool_.reset(); }

sdk::Status TidbLoadSink::prepare() {
  if (prepared_) return sdk::Status::ok();
  if (auto e = coordinator_.connect(options_.downstream)) {
    return e->transient() ? sdk::Status::retryable(FERRY_E_DOWNSTREAM_CONNECT, e->message)
                          : sdk::Status::error(FERRY_E_DOWNSTREAM_CONNECT, e->message);
  }
  tidb::ResultRows rows;
  if (auto e = coordinator_.query("SELECT @@max_allowed_packet", rows)) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "reading max_allowed_packet: " + e->text());
  }
  uint64_t packet = rows.empty() || !rows[0][0] ? 0 : std::stoull(*rows[0][0]);
  if (options_.max_allowed_packet > 0) packet = options_.max_allowed_packet;
  if (packet == 0) packet = 16u << 20;
  // A statement may end one row past the limit: leave room for the largest row there can be.
  statement_bytes_ = std::min<size_t>(options_.statement_bytes, packet / 2);
  if (auto e = coordinator_.query("SELECT ID, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS", rows)) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "reading the downstream's collations: " + e->text());
  }
  for (const auto& r : rows) {
    if (r[0] && r[1]) charsets_.add(static_cast<uint16_t>(std::stoul(*r[0])), *r[1], r[2].value_or(""));
  }
  style_.no_backslash_escapes = coordinator_.no_backslash_escapes();
  checkpoint_ = std::make_unique<LoaderCheckpoint>(options_.meta_schema, task_, options_.source_id, style_);
  auto ensure = [&] {
    auto e = checkpoint_->ensure(coordinator_);
    return e ? sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "creating " + checkpoint_->table() + ": " + e->text())
             : sdk::Status::ok();
  };
  if (auto s = ensure(); !s.is_ok()) return s;
  // A chunk transaction of a run that just died may still be committing: wait until every
  // session of an earlier run (any pool-size the option allows) has ended before anything is
  // removed or read (session_lock.hpp).
  std::vector<std::string> roles{"c"};
  for (uint32_t i = 0; i < kMaxPoolSize; ++i) roles.push_back("l" + std::to_string(i));
  bool supported = true;
  std::vector<std::string> waited_for;
  if (auto e = locks_.wait_free(coordinator_, roles, tidb::kSessionLockWait, supported, waited_for)) {
    return e->transient() ? sdk::Status::retryable(FERRY_E_DOWNSTREAM_EXECUTE, e->message)
                          : sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "taking ferry's session locks: " + e->text());
  }
  if (!waited_for.empty()) host_.info("waited for the downstream sessions of an earlier load to end sessions=" + std::to_string(waited_for.size()));
  if (!supported) {
    host_.warn("the downstream has no GET_LOCK: a chunk still committing from a run that died may be loaded twice");
  } else if (auto e = locks_.hold(coordinator_, "c", 0, tidb::kSessionLockWait, supported)) {
    return e->transient() ? sdk::Status::retryable(FERRY_E_DOWNSTREAM_EXECUTE, e->message)
                          : sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "taking ferry's session lock: " + e->text());
  }
  if (host_.task_info("remove-meta") == "true") {
    if (auto e = checkpoint_->remove(coordinator_)) {
      return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "removing the loader checkpoint: " + e->text());
    }
    host_.info("removed the loader checkpoint of task " + task_ + " (--remove-meta)");
    if (auto s = ensure(); !s.is_ok()) return s;
  }
  if (auto e = checkpoint_->load(coordinator_, state_)) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "reading " + checkpoint_->table() + ": " + e->text());
  }
  prepared_ = true;
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::load_checkpoint(std::optional<Checkpoint>& out) {
  out.reset();
  if (auto s = prepare(); !s.is_ok()) return s;
  if (state_.finished) {
    Checkpoint cp;
    cp.position.binlog_file = state_.file;
    cp.position.binlog_pos = state_.pos;
    cp.position.gtid_set = state_.gtid;
    cp.position.gtid_flavor = flavor_of(state_.gtid);
    cp.position.token = state_.token;
    cp.final = true;
    out = std::move(cp);
    return sdk::Status::ok();
  }
  if (state_.chunks.empty()) return sdk::Status::ok();
  nlohmann::json tokens = nlohmann::json::array();
  for (const auto& c : state_.chunks) tokens.push_back(c.token);
  Checkpoint cp;
  cp.position.token = tokens.dump();
  out = std::move(cp);
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::open() {
  if (auto s = prepare(); !s.is_ok()) return s;
  bulk_ = options_.method == LoadMethod::Bulk || (options_.method == LoadMethod::Auto && coordinator_.offers_bulk_execution());
  if (bulk_ && !coordinator_.offers_bulk_execution()) {
    return sdk::Status::error(FERRY_E_CONFIG_INVALID_VALUE, "load-method: bulk needs a downstream that offers bulk execution (MariaDB 10.2 or later); " +
                                                          coordinator_.server_version() + " does not: use load-data or insert");
  }
  load_data_ = !bulk_ && (options_.method == LoadMethod::LoadData ||
                          (options_.method == LoadMethod::Auto && !coordinator_.is_tidb() && options_.on_duplicate != OnDuplicate::Error));
  if (load_data_ && options_.method == LoadMethod::Auto) {
    // MySQL 8 ships with local_infile off: then INSERTs, rather than a refused LOAD DATA.
    tidb::ResultRows rows;
    if (coordinator_.query("SELECT @@GLOBAL.local_infile", rows) || rows.empty() || rows[0][0].value_or("0") == "0") {
      load_data_ = false;
      host_.info("the downstream does not take LOAD DATA LOCAL (local_infile is off): loading with INSERTs");
    }
  }
  tidb::DownstreamOptions loaders = options_.downstream;
  if (load_data_) {
    loaders.local_infile = true;
    // The server waits for the next rows while the chunk is still being read upstream.
    loaders.init_statements.push_back("SET SESSION net_read_timeout = 3600");
  }
  // The loaders share buffer-size of queued rows (at least two statements, so one can be sent
  // while the next is built): what lets the sink hand out the next chunk while earlier ones load.
  const size_t buffer_bytes = std::max(options_.buffer_bytes, 2 * statement_bytes_);
  pool_ = std::make_unique<LoaderPool>(host_, buffer_bytes);
  if (auto e = pool_->start(loaders, options_.pool_size, locks_)) {
    return e->transient() ? sdk::Status::retryable(FERRY_E_DOWNSTREAM_CONNECT, e->message)
                          : sdk::Status::error(FERRY_E_DOWNSTREAM_CONNECT, e->message);
  }
  host_.info("tidb-load open method=" + std::string(bulk_ ? "bulk" : load_data_ ? "load-data" : "insert") + " pool_size=" +
             std::to_string(options_.pool_size) + " statement_bytes=" +
             std::to_string(statement_bytes_) + " buffer_bytes=" + std::to_string(buffer_bytes) + " chunks_loaded_before=" + std::to_string(state_.chunks.size()));
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::pool_failed() {
  auto f = pool_->failure();
  if (f && f->transient) return sdk::Status::error(FERRY_E_TASK_RESTART_PHASE, f->message);
  return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, f ? f->message : "the load stopped");
}

sdk::Status TidbLoadSink::on_ddl(const ferry_event& e) {
  if (!pool_->drain()) return pool_failed();
  const ferry_ddl_event& d = e.u.ddl;
  std::string sql;
  if (d.default_schema.len > 0 && d.table.len > 0) {
    sql = "USE ";
    tidb::append_identifier(sql, sdk::view(d.default_schema));
    sql += ";";
  }
  std::string statement(sdk::view(d.statement));
  if (options_.defer_indexes && d.table.len > 0) {
    DeferredIndexes deferred = defer_secondary_indexes(statement);
    if (!deferred.names.empty()) {
      statement = deferred.create_statement;
      deferred_[{std::string(sdk::view(d.schema)), std::string(sdk::view(d.table))}] = std::move(deferred);
    }
  }
  sql += statement;
  if (auto err = coordinator_.execute(sql)) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_DDL, "running `" + std::string(sdk::view(d.statement)).substr(0, 300) +
                                                          "`: " + err->text());
  }
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::on_begin(const ferry_event& e) {
  if (loader_ >= 0) {
    return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "a chunk began before the previous one was committed");
  }
  loader_ = pool_->acquire();
  if (loader_ < 0) return pool_failed();
  chunk_token_ = std::string(sdk::view(e.pos.token));
  builder_.reset();
  tsv_.reset();
  tsv_block_.clear();
  bulk_rows_.reset();
  bulk_batch_.reset();
  error_values_.reset();
  builder_table_ = nullptr;
  chunk_rows_ = 0;
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::on_row(const ferry_event& e) {
  const ferry_row_event& r = e.u.row;
  if (loader_ < 0) return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "tidb-load takes rows only inside a chunk (TXN_BEGIN ... TXN_COMMIT)");
  if (r.op != FERRY_ROW_INSERT) {
    return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "tidb-load loads inserted rows only; a sync phase's changes go to the tidb sink");
  }
  if (builder_table_ != r.table) {
    if (auto s = flush_rows(); !s.is_ok()) return s;
    builder_.reset();
    error_values_ = std::make_unique<ErrorValueRows>(verb(options_.on_duplicate), *r.table, sdk::view(r.target_schema),
                                                     sdk::view(r.target_table), charsets_, style_, statement_bytes_);
    builder_table_ = r.table;
  }
  std::string error;
  bool added = true;
  sdk::Status s = sdk::Status::ok();
  if (error_values_->holds_error_value(r)) {
    added = error_values_->add(r, error);
    if (added && error_values_->full()) s = flush_rows();
  } else {
    s = add_plain_row(r, added, error);
  }
  if (!added) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "a row of " + std::string(sdk::view(r.target_schema)) + "." +
                                                              std::string(sdk::view(r.target_table)) + ": " + error);
  }
  if (!s.is_ok()) return s;
  ++chunk_rows_;
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::add_plain_row(const ferry_row_event& r, bool& added, std::string& error) {
  if (bulk_) {
    if (!bulk_rows_) {
      bulk_rows_ = std::make_unique<BulkRows>(verb(options_.on_duplicate), *r.table, sdk::view(r.target_schema), sdk::view(r.target_table));
      bulk_batch_ = bulk_rows_->new_batch();
    }
    added = bulk_rows_->append(*bulk_batch_, r, error);
    if (!added && error.empty()) {
      // A value of another kind than the batch binds its column as: the row starts the next batch.
      if (!pool_->bulk(loader_, bulk_rows_->statement(), std::exchange(*bulk_batch_, bulk_rows_->new_batch()))) return pool_failed();
      added = bulk_rows_->append(*bulk_batch_, r, error);
      if (!added && error.empty()) error = "the row does not fit an empty batch";
    }
    if (added && bulk_batch_->wire_bytes() >= statement_bytes_ &&
        !pool_->bulk(loader_, bulk_rows_->statement(), std::exchange(*bulk_batch_, bulk_rows_->new_batch()))) {
      return pool_failed();
    }
    return sdk::Status::ok();
  }
  if (load_data_ && !tsv_) {
    tsv_ = std::make_unique<TsvRows>(*r.table, sdk::view(r.target_schema), sdk::view(r.target_table));
    if (!pool_->load_data(loader_, tsv_->statement(options_.on_duplicate == OnDuplicate::Ignore ? "IGNORE" : "REPLACE"))) {
      return pool_failed();
    }
  } else if (!load_data_ && !builder_) {
    builder_ = std::make_unique<InsertBuilder>(verb(options_.on_duplicate), *r.table, sdk::view(r.target_schema),
                                               sdk::view(r.target_table), charsets_, style_, statement_bytes_);
  }
  added = load_data_ ? tsv_->append(tsv_block_, r, error) : builder_->add(r, error);
  if (!added) return sdk::Status::ok();
  if (load_data_) {
    if (tsv_block_.size() >= statement_bytes_) {
      if (!pool_->data(loader_, std::exchange(tsv_block_, {}))) return pool_failed();
      tsv_block_.reserve(statement_bytes_ + statement_bytes_ / 8);  // no regrowth copies while it fills
    }
  } else if (builder_->full() && !pool_->statement(loader_, builder_->take())) {
    return pool_failed();
  }
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::flush_rows() {
  if (bulk_rows_) {
    if (!bulk_batch_->empty() && !pool_->bulk(loader_, bulk_rows_->statement(), std::move(*bulk_batch_))) return pool_failed();
    bulk_rows_.reset();
    bulk_batch_.reset();
  }
  if (tsv_) {
    if (!tsv_block_.empty() && !pool_->data(loader_, std::exchange(tsv_block_, {}))) return pool_failed();
    if (!pool_->data_end(loader_)) return pool_failed();
    tsv_.reset();
  }
  if (builder_ && !builder_->empty() && !pool_->statement(loader_, builder_->take())) return pool_failed();
  if (error_values_ && !error_values_->empty() && !pool_->lenient_statement(loader_, error_values_->take())) {
    return pool_failed();
  }
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::on_commit(const ferry_event& e) {
  if (loader_ < 0) return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "a chunk ended that never began");
  if (auto s = flush_rows(); !s.is_ok()) return s;
  const std::string token(sdk::view(e.pos.token));
  const nlohmann::json j = nlohmann::json::parse(token, nullptr, false);
  const std::string schema = j.is_object() ? j.value("schema", "") : "";
  const std::string table = j.is_object() ? j.value("table", "") : "";
  const std::string name = chunk_name(token);
  std::string sql = checkpoint_->chunk_done(schema, table, name, token, chunk_rows_, std::string(sdk::view(e.pos.binlog_file)),
                                            e.pos.binlog_pos, std::string(sdk::view(e.pos.gtid_set)));
  if (!pool_->commit(loader_, std::move(sql), name)) return pool_failed();
  rows_total_ += chunk_rows_;
  host_.counter_add("load_rows", static_cast<double>(chunk_rows_));
  loader_ = -1;
  builder_.reset();
  tsv_.reset();
  error_values_.reset();
  builder_table_ = nullptr;
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::on_checkpoint(const ferry_event& e) {
  if (loader_ >= 0) return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "a checkpoint arrived inside a chunk");
  if (!pool_->drain()) return pool_failed();
  if (!(e.flags & FERRY_EVENT_FINAL)) return sdk::Status::ok();  // every chunk so far is committed
  if (auto s = build_deferred_indexes(); !s.is_ok()) return s;
  const std::string sql = "START TRANSACTION;" +
                          checkpoint_->load_done(std::string(sdk::view(e.pos.binlog_file)), e.pos.binlog_pos,
                                                 std::string(sdk::view(e.pos.gtid_set)), std::string(sdk::view(e.pos.token))) +
                          ";COMMIT";
  if (auto err = coordinator_.execute(sql)) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "recording the end of the load: " + err->text());
  }
  host_.info("load finished chunks=" + std::to_string(pool_->chunks_committed()) + " rows=" + std::to_string(rows_total_) +
             " next_start=" + std::string(sdk::view(e.pos.binlog_file)) + ":" + std::to_string(e.pos.binlog_pos));
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::build_deferred_indexes() {
  struct Job {
    std::string table, sql;
  };
  std::vector<Job> jobs;
  for (const auto& [name, d] : deferred_) {
    tidb::ResultRows rows;
    std::string probe = "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ";
    tidb::append_quoted(probe, name.first, style_);
    probe += " AND TABLE_NAME = ";
    tidb::append_quoted(probe, name.second, style_);
    if (auto e = coordinator_.query(probe, rows)) {
      return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "reading the indexes of " + name.first + "." + name.second + ": " + e->text());
    }
    std::string clauses;
    for (size_t i = 0; i < d.names.size(); ++i) {
      const bool present = std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r[0] && *r[0] == d.names[i]; });
      if (present) continue;
      if (!clauses.empty()) clauses += ", ";
      clauses += d.clauses[i];
    }
    if (clauses.empty()) continue;
    std::string sql = "ALTER TABLE ";
    tidb::append_identifier(sql, name.first);
    sql.push_back('.');
    tidb::append_identifier(sql, name.second);
    jobs.push_back(Job{name.first + "." + name.second, sql + " " + clauses});
  }
  if (jobs.empty()) return sdk::Status::ok();
  const auto started = std::chrono::steady_clock::now();
  // Tables in parallel, each ALTER on a connection of its own.
  std::mutex mu;
  size_t next = 0;
  std::optional<std::string> failure;
  auto work = [&] {
    tidb::DownstreamConnection conn;
    if (auto e = conn.connect(options_.downstream)) {
      std::lock_guard lock(mu);
      if (!failure) failure = "connecting to build indexes: " + e->message;
      return;
    }
    for (;;) {
      Job job;
      {
        std::lock_guard lock(mu);
        if (failure || next >= jobs.size()) return;
        job = jobs[next++];
      }
      if (auto e = conn.execute(job.sql)) {
        // 1061: the index is there already: the ALTER of a run that died finished meanwhile.
        if (e->code == 1061) continue;
        std::lock_guard lock(mu);
        if (!failure) failure = "building the deferred indexes of " + job.table + " (`" + job.sql + "`): " + e->text();
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  const size_t n = std::min<size_t>(options_.pool_size, jobs.size());
  for (size_t i = 0; i < n; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (failure) return sdk::Status::error(FERRY_E_DOWNSTREAM_DDL, *failure);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  host_.info("built deferred indexes tables=" + std::to_string(jobs.size()) + " seconds=" + std::to_string(seconds));
  return sdk::Status::ok();
}

sdk::Status TidbLoadSink::write(const ferry_batch& batch) {
  if (pool_->failure()) return pool_failed();
  for (uint32_t i = 0; i < batch.count; ++i) {
    const ferry_event& e = batch.events[i];
    if (e.flags & FERRY_EVENT_DROPPED) continue;
    sdk::Status s = sdk::Status::ok();
    switch (e.kind) {
      case FERRY_EVENT_TXN_BEGIN: s = on_begin(e); break;
      case FERRY_EVENT_ROW: s = on_row(e); break;
      case FERRY_EVENT_TXN_COMMIT: s = on_commit(e); break;
      case FERRY_EVENT_DDL: s = on_ddl(e); break;
      case FERRY_EVENT_CHECKPOINT: s = on_checkpoint(e); break;
      default: break;
    }
    if (!s.is_ok()) return s;
  }
  return sdk::Status::ok();
}

}  // namespace ferry::load
