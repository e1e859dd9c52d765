#include "generate_source.hpp"

namespace ferry::plugins::debug {

void GenerateSource::describe(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("schema").default_value("bench").describe("schema of the generated tables"));
  schema.add(sdk::integer("tables").default_value("1").min(1).max(1000).describe("tables sbtest1..N"));
  schema.add(sdk::integer("rows").default_value("1000000").min(0).describe("row events to produce; 0 = without end"));
  schema.add(sdk::integer("transaction-rows").default_value("0").min(0)
                 .describe("rows per transaction (BEGIN/COMMIT around them); 0 = no transaction events"));
  schema.add(sdk::integer("checkpoint-every").default_value("100000").min(1).describe("rows between checkpoints"));
}

GenerateSource::GenerateSource(const sdk::Host& host, const sdk::Config& config)
    : host_(host),
      schema_name_(config.require_string("schema")),
      rows_(static_cast<uint64_t>(config.require_integer("rows"))),
      txn_rows_(static_cast<uint64_t>(config.require_integer("transaction-rows"))),
      checkpoint_every_(static_cast<uint64_t>(config.require_integer("checkpoint-every"))),
      column_names_{"id", "k", "c", "pad"},
      column_types_{"bigint unsigned", "int", "char(120)", "char(60)"},
      c_text_(120, 'c'),
      pad_text_(60, 'p') {
  columns_.resize(4);
  const uint8_t mysql_types[] = {8 /*LONGLONG*/, 3 /*LONG*/, 254 /*STRING*/, 254};
  for (size_t i = 0; i < 4; ++i) {
    columns_[i].name = {column_names_[i].data(), static_cast<uint32_t>(column_names_[i].size())};
    columns_[i].column_type = {column_types_[i].data(), static_cast<uint32_t>(column_types_[i].size())};
    columns_[i].mysql_type = mysql_types[i];
    columns_[i].charset = 45;
  }
  columns_[0].flags = FERRY_COLUMN_UNSIGNED | FERRY_COLUMN_PRIMARY_KEY;
  pk_ = {{"PRIMARY", 7}, 1, &pk_column_};
  const int64_t n = config.require_integer("tables");
  tables_.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    Table& t = tables_[static_cast<size_t>(i)];
    t.name = "sbtest" + std::to_string(i + 1);
  }
  for (Table& t : tables_) {  // after the vector stopped moving
    t.schema.schema = {schema_name_.data(), static_cast<uint32_t>(schema_name_.size())};
    t.schema.table = {t.name.data(), static_cast<uint32_t>(t.name.size())};
    t.schema.version = 1;
    t.schema.column_count = 4;
    t.schema.columns = columns_.data();
    t.schema.primary_key = &pk_;
  }
}

sdk::Status GenerateSource::open(const ferry_position* start) {
  if (start != nullptr && sdk::view(start->binlog_file) == "generate") {
    emitted_ = start->binlog_pos;
    host_.info("resuming rows_done=" + std::to_string(emitted_));
  }
  return sdk::Status::ok();
}

void GenerateSource::position(sdk::BatchWriter&, ferry_event& e) const {
  static constexpr char kFile[] = "generate";  // static: outlives every batch
  e.pos.binlog_file = {kFile, sizeof kFile - 1};
  e.pos.binlog_pos = emitted_;
}

sdk::Status GenerateSource::poll(sdk::BatchWriter& out, std::chrono::milliseconds, bool stopping) {
  // Each step needs at most 3 slots: a row, a COMMIT and a CHECKPOINT.
  while (out.room() >= 4) {
    if (rows_ != 0 && emitted_ >= rows_ && !in_txn_) return sdk::Status::end();
    if (stopping && !in_txn_) return sdk::Status::ok();
    if (txn_rows_ > 0 && !in_txn_) {
      position(out, out.append(FERRY_EVENT_TXN_BEGIN));
      in_txn_ = true;
    }
    const uint64_t id = emitted_ + 1;
    ferry_event& e = out.append(FERRY_EVENT_ROW);
    const Table& t = tables_[emitted_ % tables_.size()];
    e.u.row.op = FERRY_ROW_INSERT;
    e.u.row.table = &t.schema;
    e.u.row.target_schema = t.schema.schema;
    e.u.row.target_table = t.schema.table;
    ferry_value* v = out.values(4);
    v[0] = sdk::uint_value(id);
    v[1] = sdk::int_value(static_cast<int64_t>((id * 2654435761u) % 1000000));
    v[2] = sdk::text_value(FERRY_VALUE_STRING, {c_text_.data(), static_cast<uint32_t>(c_text_.size())});
    v[3] = sdk::text_value(FERRY_VALUE_STRING, {pad_text_.data(), static_cast<uint32_t>(pad_text_.size())});
    e.u.row.after = v;
    ++emitted_;
    position(out, e);
    const bool txn_done = txn_rows_ == 0 || emitted_ % txn_rows_ == 0 || (rows_ != 0 && emitted_ >= rows_);
    if (txn_rows_ > 0 && txn_done) {
      position(out, out.append(FERRY_EVENT_TXN_COMMIT));
      in_txn_ = false;
    }
    if (txn_done && emitted_ % checkpoint_every_ == 0) position(out, out.append(FERRY_EVENT_CHECKPOINT));
  }
  return sdk::Status::ok();
}

}  // namespace ferry::plugins::debug
