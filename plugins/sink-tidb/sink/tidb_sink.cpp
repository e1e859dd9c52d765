#include "sink/tidb_sink.hpp"

#include <ferry/sdk/handover.hpp>

#include <ferry/abi/ferry_errors.h>
#include <ferry/sdk/events.hpp>

#include <mysqld_error.h>

#include <algorithm>
#include <thread>

namespace ferry::tidb {

namespace {

std::string shorten(std::string_view s, size_t limit) {
  if (s.size() <= limit) return std::string(s);
  return std::string(s.substr(0, limit)) + "...";
}

// DDL errors that mean "already done": a replayed CREATE that exists, a DROP of what is gone.
bool already_applied(unsigned code) {
  switch (code) {
    case ER_DB_CREATE_EXISTS:        // 1007
    case ER_DB_DROP_EXISTS:          // 1008
    case ER_TABLE_EXISTS_ERROR:      // 1050
    case ER_BAD_TABLE_ERROR:         // 1051
    case ER_DUP_FIELDNAME:           // 1060
    case ER_DUP_KEYNAME:             // 1061
    case ER_MULTIPLE_PRI_KEY:        // 1068
    case ER_CANT_DROP_FIELD_OR_KEY:  // 1091
    case ER_NO_SUCH_TABLE:           // 1146
    case ER_BAD_FIELD_ERROR:         // 1054
      return true;
    default:
      return false;
  }
}

// The transactions a restart will not apply again, for the open line (the first few: a
// post-mortem needs them, a long list helps nobody).
std::string applied_text(const std::set<BinlogPoint>& applied) {
  if (applied.empty()) return "";
  std::string out = " applied=";
  size_t shown = 0;
  for (const auto& p : applied) {
    if (shown++ == 16) {
      out += ",...";
      break;
    }
    out += (shown == 1 ? "" : ",") + std::to_string(p.pos);
  }
  return out;
}

uint8_t flavor_of(const std::string& gtid) {
  if (gtid.empty()) return FERRY_GTID_NONE;
  return gtid.find(':') != std::string::npos ? FERRY_GTID_MYSQL : FERRY_GTID_MARIADB;
}

}  // namespace

TidbSink::TidbSink(const sdk::Host& host, const sdk::Config& config)
    : host_(host),
      task_(host.task_info("task")),
      options_(read_sink_options(config, host.task_info("task"))),
      locks_(options_.meta_schema, task_, options_.source_id, "sync") {}

TidbSink::~TidbSink() {
  if (tracker_) tracker_->abort();
  for (auto& w : workers_) w->stop();
}

sdk::Status TidbSink::prepare() {
  if (prepared_) return sdk::Status::ok();
  auto& d = options_.worker.downstream;
  if (auto e = coordinator_.connect(d)) {
    return e->transient() ? sdk::Status::retryable(FERRY_E_DOWNSTREAM_CONNECT, e->message)
                          : sdk::Status::error(FERRY_E_DOWNSTREAM_CONNECT, e->message);
  }
  ResultRows rows;
  if (auto e = coordinator_.query("SELECT @@max_allowed_packet", rows)) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "reading max_allowed_packet: " + e->text());
  }
  uint64_t packet = rows.empty() || !rows[0][0] ? 0 : std::stoull(*rows[0][0]);
  if (options_.max_allowed_packet > 0) packet = options_.max_allowed_packet;
  options_.worker.max_packet = packet > 0 ? packet : (16u << 20);
  if (auto e = coordinator_.query("SELECT ID, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS", rows)) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "reading the downstream's collations: " + e->text());
  }
  for (const auto& r : rows) {
    if (r[0] && r[1]) charsets_.add(static_cast<uint16_t>(std::stoul(*r[0])), *r[1], r[2].value_or(""));
  }
  style_.no_backslash_escapes = coordinator_.no_backslash_escapes();
  tables_ = std::make_unique<CheckpointTables>(options_.meta_schema, task_, options_.source_id, style_);
  auto ensure = [&] {
    auto e = tables_->ensure(coordinator_);
    return e ? sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "creating the checkpoint tables in " + options_.meta_schema + ": " + e->text())
             : sdk::Status::ok();
  };
  if (auto s = ensure(); !s.is_ok()) return s;
  // Before anything is removed or read: a session of a run that died may still write its row.
  if (auto s = wait_for_earlier_sessions(); !s.is_ok()) return s;
  if (host_.task_info("remove-meta") == "true") {
    if (auto e = tables_->remove(coordinator_)) {
      return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "removing the checkpoint tables: " + e->text());
    }
    host_.info("removed the checkpoint tables of task " + task_ + " (--remove-meta)");
    if (auto s = ensure(); !s.is_ok()) return s;
  }
  if (auto e = tables_->load(coordinator_, recovered_)) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "reading the checkpoint: " + e->text());
  }
  renderer_ = std::make_unique<RowRenderer>(charsets_, style_);
  prepared_ = true;
  return sdk::Status::ok();
}

sdk::Status TidbSink::wait_for_earlier_sessions() {
  // Every role an earlier run can have had, whatever its worker-count: its coordinator and all
  // the workers the option allows (a worker's first commit may be in flight with no row yet).
  std::vector<std::string> roles{"c"};
  for (uint32_t i = 0; i < kMaxWorkerCount; ++i) roles.push_back("w" + std::to_string(i));
  const auto started = std::chrono::steady_clock::now();
  bool supported = true;
  std::vector<std::string> waited_for;
  if (auto e = locks_.wait_free(coordinator_, roles, kSessionLockWait, supported, waited_for)) {
    // Busy: most likely a session of the run that just died, still finishing; the task retries.
    return e->transient() ? sdk::Status::retryable(FERRY_E_DOWNSTREAM_EXECUTE, e->message)
                          : sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "taking ferry's session locks: " + e->text());
  }
  if (!supported) {
    host_.warn("the downstream has no GET_LOCK: a transaction still committing from a run that died may be applied twice");
    return sdk::Status::ok();
  }
  if (!waited_for.empty()) {
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::string ids;
    for (const auto& id : waited_for) ids += (ids.empty() ? "" : ",") + id;
    host_.info("waited for the downstream sessions of an earlier run to end sessions=" + ids + " ms=" +
               std::to_string(waited.count()));
  }
  bool held = true;
  if (auto e = locks_.hold(coordinator_, "c", 0, kSessionLockWait, held)) {
    return e->transient() ? sdk::Status::retryable(FERRY_E_DOWNSTREAM_EXECUTE, e->message)
                          : sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "taking ferry's session lock: " + e->text());
  }
  return sdk::Status::ok();
}

std::optional<DownstreamError> TidbSink::connect_coordinator() {
  const uint64_t previous = coordinator_.session_id();
  if (auto e = coordinator_.connect(options_.worker.downstream)) return e;
  bool supported = true;
  if (auto e = locks_.hold(coordinator_, "c", previous, kSessionLockWait, supported)) {
    coordinator_.close();
    return e;
  }
  return std::nullopt;
}

sdk::Status TidbSink::load_checkpoint(std::optional<Checkpoint>& out) {
  out.reset();
  if (auto s = prepare(); !s.is_ok()) return s;
  if (!recovered_.resume) return sdk::Status::ok();
  Checkpoint cp;
  cp.position.binlog_file = recovered_.resume->file;
  cp.position.binlog_pos = recovered_.resume->pos;
  cp.position.gtid_set = recovered_.resume->gtid;
  cp.position.gtid_flavor = flavor_of(recovered_.resume->gtid);
  out = std::move(cp);
  return sdk::Status::ok();
}

sdk::Status TidbSink::open() {
  if (auto s = prepare(); !s.is_ok()) return s;
  tracker_ = std::make_unique<CommitTracker>(recovered_.resume.value_or(BinlogPoint{}));
  last_flushed_ = recovered_.resume.value_or(BinlogPoint{});
  causality_ = std::make_unique<Causality>(options_.worker_count);
  const std::vector<BinlogPoint> recovered(recovered_.applied.begin(), recovered_.applied.end());
  coordinator_applied_ = recovered;
  for (uint32_t i = 0; i < options_.worker_count; ++i) {
    workers_.push_back(std::make_unique<DmlWorker>(i, options_.worker, *tables_, locks_, *tracker_, host_, recovered));
  }
  // Safe mode (DM's rules) where replay is not exact: forced, or without atomic transactions
  // until the exit point of an abnormal stop, or for safe-mode-duration after a start.
  // Table checkpoints above the resume point: a dump's tables read whole after it.
  for (const auto& [name, point] : recovered_.tables) {
    if (!recovered_.resume || *recovered_.resume < point) table_floor_[name] = point;
  }
  // An exit point above the resume point (a dump's hand-over window, or DM's abnormal-stop
  // point) holds in either mode: what lies before it may be downstream already.
  if (recovered_.exit_safe && recovered_.resume && *recovered_.resume < *recovered_.exit_safe) {
    exit_safe_ = recovered_.exit_safe;
  } else if (!options_.worker.atomic) {
    safe_until_ = std::chrono::steady_clock::now() + options_.safe_mode_duration;
  }
  host_.info("tidb sink open workers=" + std::to_string(options_.worker_count) + " atomic=" +
             (options_.worker.atomic ? "true" : "false") + " max_allowed_packet=" + std::to_string(options_.worker.max_packet) +
             " resume=" + (recovered_.resume ? recovered_.resume->text() : "(none)") +
             " applied_above_resume=" + std::to_string(recovered_.applied.size()) + applied_text(recovered_.applied));
  return sdk::Status::ok();
}

bool TidbSink::safe_for(const BinlogPoint& end, const ferry_event& e) {
  if (options_.safe_mode || (e.flags & FERRY_EVENT_SAFE)) return true;
  if (exit_safe_) {
    if (!(*exit_safe_ < end)) return true;
    exit_safe_.reset();
    return false;
  }
  if (options_.worker.atomic) return false;
  return std::chrono::steady_clock::now() < safe_until_;
}

TablePlan& TidbSink::plan_for(const ferry_row_event& row) {
  PlanKey key{row.table, std::string(sdk::view(row.target_schema)) + "." + std::string(sdk::view(row.target_table))};
  auto it = plans_.find(key);
  if (it != plans_.end()) return *it->second;
  auto plan = make_table_plan(static_cast<uint32_t>(plans_.size()), *row.table, sdk::view(row.target_schema),
                              sdk::view(row.target_table), charsets_);
  return *plans_.emplace(std::move(key), std::move(plan)).first->second;
}

std::unique_ptr<ChangeUnit> TidbSink::new_unit(const ferry_event* begin) {
  auto unit = std::make_unique<ChangeUnit>();
  unit->atomic = options_.worker.atomic;
  if (begin != nullptr) unit->gtid = std::string(sdk::view(begin->u.txn.gtid));
  return unit;
}

sdk::Status TidbSink::failed(const ApplyFailure& f) {
  if (!options_.worker.atomic && !max_dispatched_.empty() && !exit_point_written_) {
    // DM's exit point: everything dispatched may be applied beyond the checkpoint; a restart
    // replays up to it in safe mode. Best effort: if the downstream is gone, the restart falls
    // back to safe-mode-duration.
    exit_point_written_ = true;
    coordinator_.execute("START TRANSACTION;" + tables_->global_upsert(last_flushed_, max_dispatched_) + ";COMMIT");
  }
  return sdk::Status::error(static_cast<ferry_error_code>(f.code), f.message);
}

sdk::Status TidbSink::dispatch(std::unique_ptr<ChangeUnit> unit) {
  if (unit->rows.empty()) return sdk::Status::ok();
  // A worker retrying alone holds dispatch; then backpressure: a bounded number in flight.
  tracker_->wait_released();
  if (auto f = tracker_->wait_below(options_.worker_count * 64)) return failed(*f);
  std::optional<uint32_t> worker = causality_->assign(unit->keys);
  if (!worker || causality_->size() > (1u << 20)) {
    if (auto s = drain(); !s.is_ok()) return s;
    causality_->clear();
    if (!worker) worker = causality_->assign(unit->keys);
  }
  unit->seq = tracker_->begin(unit->end);
  if (max_dispatched_ < unit->end) max_dispatched_ = unit->end;
  host_.counter_add("units_dispatched_total", 1);
  workers_[*worker]->push(std::move(unit));
  return sdk::Status::ok();
}

sdk::Status TidbSink::drain() {
  if (auto f = tracker_->wait_idle()) return failed(*f);
  return sdk::Status::ok();
}

sdk::Status TidbSink::run_coordinator_sql(const std::string& sql, const char* what) {
  auto backoff = options_.worker.initial_backoff;
  for (uint32_t attempt = 0;; ++attempt) {
    std::optional<DownstreamError> e;
    if (!coordinator_.connected()) e = connect_coordinator();
    if (!e) e = coordinator_.execute(sql);
    if (!e) return sdk::Status::ok();
    if (e->connection_lost()) {
      coordinator_.close();
    } else {
      coordinator_.execute("ROLLBACK");
    }
    if (!e->transient() || attempt >= options_.worker.max_retries) {
      return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, std::string(what) + ": " + e->text());
    }
    host_.warn(std::string("downstream transient error, retrying what=\"") + what + "\" error=\"" + e->text() + "\"");
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, options_.worker.max_backoff);
  }
}

sdk::Status TidbSink::flush(const BinlogPoint& point, bool keep_exit_safe) {
  std::string sql = "START TRANSACTION";
  for (const auto& [name, p] : dirty_tables_) {
    sql += ";" + tables_->table_upsert(name.first, name.second, p, "{\"ferry\":true}");
  }
  std::optional<BinlogPoint> exit_safe;
  if (keep_exit_safe && exit_safe_) exit_safe = exit_safe_;
  sql += ";" + tables_->global_upsert(point, exit_safe) + ";COMMIT";
  if (auto s = run_coordinator_sql(sql, "writing the checkpoint"); !s.is_ok()) return s;
  dirty_tables_.clear();
  last_flushed_ = point;
  return sdk::Status::ok();
}

bool TidbSink::below_table_floor(const ferry_event& e) {
  const ferry_table_schema& t = *e.u.row.table;
  auto it = table_floor_.find({std::string(sdk::view(t.schema)), std::string(sdk::view(t.table))});
  if (it == table_floor_.end()) return false;
  if (!(it->second < BinlogPoint::from(e.pos))) return true;  // in the table's own snapshot already
  table_floor_.erase(it);  // past it: the table's changes apply from here on
  return false;
}

sdk::Status TidbSink::on_row(const ferry_event& e) {
  const ferry_row_event& row = e.u.row;
  if (!table_floor_.empty() && below_table_floor(e)) return sdk::Status::ok();
  TablePlan& plan = plan_for(row);
  std::string error;
  bool barrier = false;
  auto unwritable = [&](const std::string& why) {
    return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "row of " + plan.source + " at " +
                                                              std::string(sdk::view(e.pos.binlog_file)) + ":" +
                                                              std::to_string(e.pos.binlog_pos) + ": " + why);
  };
  if (options_.worker.atomic) {
    if (!current_) current_ = new_unit(nullptr);  // rows without BEGIN: an implicit transaction
    if (!renderer_->render(row, plan, e.pos.binlog_pos, *current_, barrier, error)) return unwritable(error);
    if (barrier) {
      if (auto s = drain(); !s.is_ok()) return s;
    }
    if (current_->text.size() > options_.max_transaction_bytes) return stream_chunk(e);
    return sdk::Status::ok();
  }
  auto unit = new_unit(nullptr);
  unit->gtid = current_gtid_;
  unit->end = BinlogPoint::from(e.pos);
  unit->timestamp_us = e.pos.timestamp_us;
  unit->safe = safe_for(unit->end, e);
  if (!renderer_->render(row, plan, e.pos.binlog_pos, *unit, barrier, error)) return unwritable(error);
  dirty_tables_[{plan.source_schema, plan.source_table}] = unit->end;
  if (barrier) {
    if (auto s = drain(); !s.is_ok()) return s;
  }
  return dispatch(std::move(unit));
}

sdk::Status TidbSink::stream_chunk(const ferry_event& e) {
  if (!streaming_) {
    if (auto s = drain(); !s.is_ok()) return s;
    host_.info("streaming a large transaction on one connection position=" + std::string(sdk::view(e.pos.binlog_file)) +
               ":" + std::to_string(e.pos.binlog_pos) + " gtid=" + current_->gtid);
    if (auto err = coordinator_.execute("START TRANSACTION")) {
      return sdk::Status::error(FERRY_E_DOWNSTREAM_EXECUTE, "starting a streamed transaction: " + err->text());
    }
    streaming_ = true;
  }
  std::vector<Statement> statements;
  BuildOptions build = options_.worker.build;
  build.max_statement_bytes = std::min<size_t>(build.max_statement_bytes, options_.worker.max_packet / 2);
  if (!stream_error_) build_statements({current_.get()}, build, statements);
  for (const auto& st : statements) {
    if (auto err = coordinator_.execute(st.sql)) {
      coordinator_.execute("ROLLBACK");
      // The transaction's earlier chunks are gone from memory: the task pauses, and running it
      // again replays the whole transaction from the checkpoint. Unless this is a replay of a
      // transaction the previous run applied: its COMMIT says (finish_stream).
      stream_error_ = sdk::Status::error(err->transient() ? FERRY_E_DOWNSTREAM_TRANSIENT : FERRY_E_DOWNSTREAM_EXECUTE,
                                         "downstream " + err->text() + " in a streamed large transaction; sql: " +
                                             st.sql.substr(0, 2000) + "; upstream position: " +
                                             std::string(sdk::view(e.pos.binlog_file)) + ":" + std::to_string(e.pos.binlog_pos));
      const bool maybe_replay = !recovered_.applied.empty() && last_commit_ < *recovered_.applied.rbegin();
      if (!maybe_replay) {
        streaming_ = false;
        coordinator_.close();
        return *stream_error_;
      }
      break;
    }
  }
  current_->text.clear();
  current_->rows.clear();
  current_->keys.clear();
  return sdk::Status::ok();
}

sdk::Status TidbSink::finish_stream(const BinlogPoint& end) {
  ferry_event fake{};
  fake.pos.binlog_file = {end.file.data(), static_cast<uint32_t>(end.file.size())};
  fake.pos.binlog_pos = end.pos;
  if (recovered_.applied.erase(end) > 0 || (recovered_.resume && !(end > *recovered_.resume))) {
    // Applied before the restart: what ran of it again is rolled back.
    host_.info("large transaction applied before the restart; its replay is rolled back position=" + end.text());
    coordinator_.execute("ROLLBACK");
    streaming_ = false;
    stream_error_.reset();
    current_.reset();
    host_.counter_add("transactions_skipped_on_recovery_total", 1);
    return sdk::Status::ok();
  }
  if (stream_error_) {
    auto s = *stream_error_;
    stream_error_.reset();
    streaming_ = false;
    coordinator_.close();
    return s;
  }
  if (auto s = stream_chunk(fake); !s.is_ok()) return s;
  // Its own checkpoint row (worker number worker-count), in the same transaction.
  const BinlogPoint low = tracker_->low();
  std::erase_if(coordinator_applied_, [&](const BinlogPoint& p) { return !(low < p); });
  std::vector<BinlogPoint> applied = coordinator_applied_;
  applied.push_back(end);
  const std::string sql = tables_->worker_upsert(options_.worker_count, low, applied) + ";COMMIT";
  streaming_ = false;
  if (auto err = coordinator_.execute(sql)) {
    coordinator_.execute("ROLLBACK");
    coordinator_.close();
    return sdk::Status::error(err->transient() ? FERRY_E_DOWNSTREAM_TRANSIENT : FERRY_E_DOWNSTREAM_EXECUTE,
                              "downstream " + err->text() + " committing a streamed large transaction ending at " + end.text());
  }
  coordinator_applied_ = std::move(applied);
  tracker_->done({tracker_->begin(end)});
  current_.reset();
  return sdk::Status::ok();
}

sdk::Status TidbSink::on_commit(const ferry_event& e) {
  const BinlogPoint end = BinlogPoint::from(e.pos);
  last_commit_ = end;
  if (!options_.worker.atomic) return sdk::Status::ok();
  if (streaming_) {
    for (const auto& r : current_->rows) dirty_tables_[{r.plan->source_schema, r.plan->source_table}] = end;
    return finish_stream(end);
  }
  std::unique_ptr<ChangeUnit> unit = std::move(current_);
  if (!unit || unit->rows.empty()) return sdk::Status::ok();
  // After a crash: transactions already committed downstream are not applied again.
  if (recovered_.resume && !(*recovered_.resume < end)) return sdk::Status::ok();
  if (!recovered_.applied.empty()) {
    if (recovered_.applied.erase(end) > 0) {
      host_.counter_add("transactions_skipped_on_recovery_total", 1);
      return sdk::Status::ok();
    }
  }
  unit->end = end;
  unit->timestamp_us = e.pos.timestamp_us;
  unit->safe = safe_for(end, e);
  for (const auto& r : unit->rows) dirty_tables_[{r.plan->source_schema, r.plan->source_table}] = end;
  return dispatch(std::move(unit));
}

sdk::Status TidbSink::on_ddl(const ferry_event& e) {
  current_.reset();
  if (auto s = drain(); !s.is_ok()) return s;
  const BinlogPoint point = BinlogPoint::from(e.pos);
  if (recovered_.resume && !(*recovered_.resume < point)) return sdk::Status::ok();
  const std::string statement(sdk::view(e.u.ddl.statement));
  const std::string schema(sdk::view(e.u.ddl.default_schema));
  // Mark the replay horizon first: if ferry dies between the DDL and its checkpoint, the rerun
  // knows that "already exists" / "does not exist" from this DDL means it was applied.
  // Everything dispatched is committed (drained): the last transaction boundary is complete.
  const std::optional<BinlogPoint> horizon = exit_safe_ && point < *exit_safe_ ? *exit_safe_ : point;
  const BinlogPoint before = last_flushed_ < last_commit_ ? last_commit_ : last_flushed_;
  if (auto s = run_coordinator_sql("START TRANSACTION;" + tables_->global_upsert(before, horizon) + ";COMMIT",
                                   "marking the DDL's position");
      !s.is_ok()) {
    return s;
  }
  std::string sql;
  if (!options_.timezone.empty()) {
    std::string tz;
    append_quoted(tz, options_.timezone, style_);
    sql += "SET SESSION time_zone = " + tz + ";";
  }
  if (!schema.empty()) {
    ResultRows rows;
    std::string probe = "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ";
    append_quoted(probe, schema, style_);
    if (!coordinator_.query(probe, rows) && !rows.empty()) {
      sql += "USE ";
      append_identifier(sql, schema);
      sql += ";";
    }
  }
  sql += statement;
  auto backoff = options_.worker.initial_backoff;
  for (uint32_t attempt = 0;; ++attempt) {
    std::optional<DownstreamError> err;
    if (!coordinator_.connected()) err = connect_coordinator();
    if (!err) err = coordinator_.execute(sql);
    if (!options_.timezone.empty() && coordinator_.connected()) coordinator_.execute("SET SESSION time_zone = '+00:00'");
    if (!err) break;
    const bool replay = recovered_.exit_safe && !(*recovered_.exit_safe < point);
    if (replay && already_applied(err->code)) {
      host_.info("DDL already applied before the restart, going on position=" + point.text() + " error=\"" + err->text() + "\"");
      break;
    }
    if (err->connection_lost()) coordinator_.close();
    if (!err->transient() || attempt >= options_.worker.max_retries) {
      return sdk::Status::error(FERRY_E_DOWNSTREAM_DDL, "downstream rejected DDL `" + shorten(statement, 2000) +
                                                            "` at upstream position " + point.text() +
                                                            (point.gtid.empty() ? "" : " (gtid set " + point.gtid + ")") +
                                                            ": " + err->text());
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, options_.worker.max_backoff);
  }
  host_.counter_add("ddl_applied_total", 1);
  if (recovered_.exit_safe && !(*recovered_.exit_safe < point)) recovered_.exit_safe.reset();
  last_commit_ = point;
  return flush(point, true);
}

sdk::Status TidbSink::on_checkpoint(const ferry_event& e) {
  if (auto s = drain(); !s.is_ok()) return s;
  const BinlogPoint point = BinlogPoint::from(e.pos);
  // A dump's hand-over window (ferry/sdk/handover.hpp): the source announces it at its start
  // position before any row; the flush below makes it DM's exit_safe point, so a restart inside
  // the window stays idempotent.
  if (auto note = sdk::parse_safe_until(sdk::view(e.pos.token))) {
    const BinlogPoint until{note->file, note->pos, note->gtid};
    if (point < until && (!exit_safe_ || *exit_safe_ < until)) {
      exit_safe_ = until;
      // Tables the dump read whole after `point`: DM's table checkpoint at that read, so their
      // changes up to it are skipped, not applied twice (now and after any restart).
      for (const auto& t : note->tables) {
        const BinlogPoint read_at{t.file, t.pos, ""};
        if (!(point < read_at)) continue;
        table_floor_[{t.schema, t.table}] = read_at;
        dirty_tables_[{t.schema, t.table}] = read_at;
      }
      return flush(point, true);
    }
  }
  if (recovered_.resume && !(*recovered_.resume < point) && dirty_tables_.empty()) return sdk::Status::ok();
  if (auto s = flush(point, true); !s.is_ok()) return s;
  if (e.pos.timestamp_us > 0) {
    const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    host_.gauge_set("replication_lag_seconds", static_cast<double>(now_us - e.pos.timestamp_us) / 1e6);
  }
  return sdk::Status::ok();
}

sdk::Status TidbSink::write(const ferry_batch& batch) {
  if (auto f = tracker_->failure()) return failed(*f);
  for (uint32_t i = 0; i < batch.count; ++i) {
    const ferry_event& e = batch.events[i];
    if (e.flags & FERRY_EVENT_DROPPED) continue;
    sdk::Status s = sdk::Status::ok();
    switch (e.kind) {
      case FERRY_EVENT_TXN_BEGIN:
        current_gtid_ = std::string(sdk::view(e.u.txn.gtid));
        if (options_.worker.atomic) current_ = new_unit(&e);
        break;
      case FERRY_EVENT_ROW:
        s = on_row(e);
        break;
      case FERRY_EVENT_TXN_COMMIT:
        s = on_commit(e);
        break;
      case FERRY_EVENT_DDL:
        s = on_ddl(e);
        break;
      case FERRY_EVENT_CHECKPOINT:
        s = on_checkpoint(e);
        break;
      default:
        break;
    }
    if (!s.is_ok()) return s;
  }
  return sdk::Status::ok();
}

}  // namespace ferry::tidb
