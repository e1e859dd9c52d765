// An in-process harness for plugin authors: create a plugin with a config, feed it events, and
// read what comes out as JSON lines, without the ferry runtime. It plays the host: its callback
// table implements arenas, insertions, config reading (with the plugin's declared defaults) and
// records logs and errors. Header-only; driven from one thread (a plugin's own threads may log); one harness per test.
//
//   ferry::sdk::testing::Harness<MyMask> h({{"columns", List{"email"}}});
//   auto& users = h.table("app", "users", {{"id", FERRY_VALUE_INT}, {"email", FERRY_VALUE_STRING}}, {"id"});
//   h.insert(users, {h.i64(1), h.text("a@b.c")});
//   EXPECT_EQ(h.run_transform(), std::vector<std::string>{R"({"kind":"row",...})"});
#pragma once

#include <ferry/abi/ferry_abi.h>
#include <ferry/sdk/event_json.hpp>
#include <ferry/sdk/events.hpp>
#include <ferry/sdk/plugin.hpp>
#include <ferry/sdk/units.hpp>

#include <algorithm>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <map>
#include <mutex>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

// The harness's config node: a tree of text scalars, lists and maps.
struct ferry_config_node {
  enum class Shape { Scalar, List, Map } shape = Shape::Scalar;
  uint32_t type = 0;  // declared ferry_config_type, when known
  std::string text;
  std::vector<ferry_config_node> items;
  std::vector<std::pair<std::string, ferry_config_node>> entries;
};

// The harness's host context: what the plugin logged and the last error it reported. Logs and
// metrics may come from a plugin's own threads (a relay writer): they are taken under `mu`.
struct ferry_host_ctx {
  std::mutex mu;
  std::vector<std::string> logs;
  uint32_t error_code = 0;
  std::string error_message;
  std::map<std::string, double> metrics;
};

namespace ferry::sdk::testing {

// A config value written in a test: "text", List{...} or Map{{"key", value}, ...}.
struct Value;
using List = std::vector<Value>;
using Map = std::vector<std::pair<std::string, Value>>;
struct Value {
  std::variant<std::string, List, Map> v;
  Value(const char* s) : v(std::string(s)) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(List l) : v(std::move(l)) {}
  Value(Map m) : v(std::move(m)) {}
};

namespace detail {

inline ferry_config_node to_node(const Value& value, const ferry_config_field* field);

// Builds an OBJECT node from a Map, adding the declared defaults of absent keys.
inline ferry_config_node object_node(const Map& map, const ferry_config_field* fields, uint32_t count) {
  ferry_config_node n;
  n.shape = ferry_config_node::Shape::Map;
  n.type = FERRY_CONFIG_OBJECT;
  for (const auto& [k, v] : map) {
    const ferry_config_field* f = nullptr;
    for (uint32_t i = 0; i < count; ++i) {
      if (k == fields[i].name) f = &fields[i];
    }
    if (f == nullptr) throw std::invalid_argument("config key '" + k + "' is not declared by the plugin");
    n.entries.emplace_back(k, to_node(v, f));
  }
  for (uint32_t i = 0; i < count; ++i) {
    const ferry_config_field& f = fields[i];
    bool present = std::any_of(n.entries.begin(), n.entries.end(), [&](const auto& e) { return e.first == f.name; });
    if (present) continue;
    if (f.flags & FERRY_CONFIG_REQUIRED) throw std::invalid_argument(std::string("required config key '") + f.name + "' missing");
    if (f.default_value != nullptr) n.entries.emplace_back(f.name, to_node(Value(f.default_value), &f));
    if (f.type == FERRY_CONFIG_OBJECT && f.default_value == nullptr) {
      n.entries.emplace_back(f.name, object_node({}, f.children, f.child_count));
    }
  }
  return n;
}

inline ferry_config_node to_node(const Value& value, const ferry_config_field* field) {
  ferry_config_node n;
  n.type = field ? field->type : 0;
  if (auto* s = std::get_if<std::string>(&value.v)) {
    n.text = *s;
    return n;
  }
  if (auto* l = std::get_if<List>(&value.v)) {
    n.shape = ferry_config_node::Shape::List;
    for (const auto& item : *l) n.items.push_back(to_node(item, field && field->child_count ? &field->children[0] : nullptr));
    return n;
  }
  const Map& m = std::get<Map>(value.v);
  if (field && field->type == FERRY_CONFIG_OBJECT) return object_node(m, field->children, field->child_count);
  n.shape = ferry_config_node::Shape::Map;
  for (const auto& [k, v] : m) n.entries.emplace_back(k, to_node(v, field && field->child_count ? &field->children[0] : nullptr));
  return n;
}

inline const ferry_config_node* find(const ferry_config_node* n, const char* key) {
  if (n == nullptr) return nullptr;
  if (key == nullptr) return n;
  for (const auto& [k, v] : n->entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

struct Arena {
  std::deque<std::pair<std::unique_ptr<char[]>, size_t>> blocks;
  void* alloc(size_t size, size_t align) {
    blocks.emplace_back(std::make_unique<char[]>(size + align), size + align);
    auto p = reinterpret_cast<uintptr_t>(blocks.back().first.get());
    return reinterpret_cast<void*>((p + align - 1) & ~(uintptr_t(align) - 1));
  }
  // Overwrites everything allocated so far and starts afresh. The overwritten blocks stay
  // allocated until the next reset, so a pointer kept from the previous use reads the poison
  // bytes rather than whatever malloc puts there next.
  void poison_and_reset(std::deque<std::pair<std::unique_ptr<char[]>, size_t>>& graveyard) {
    graveyard.clear();
    for (auto& b : blocks) {
      std::memset(b.first.get(), 0xA5, b.second);
      graveyard.push_back(std::move(b));
    }
    blocks.clear();
  }
};

// One harness batch: events, arena, and a transform's pending insertions.
struct HarnessBatch {
  ferry_batch abi{};
  std::vector<ferry_event> events;
  Arena arena;
  std::vector<std::pair<uint32_t, ferry_event>> inserts;
};

inline HarnessBatch* batch_of(ferry_batch* b) { return static_cast<HarnessBatch*>(b->host_private); }

inline const ferry_host_api* host_api() {
  static const ferry_host_api api = [] {
    ferry_host_api a{};
    a.header = {sizeof(ferry_host_api), FERRY_ABI_MAJOR, FERRY_ABI_MINOR};
    a.log = [](ferry_host_ctx* ctx, uint32_t, const char* msg, uint32_t len) {
      std::lock_guard lock(ctx->mu);
      ctx->logs.emplace_back(msg, len);
    };
    a.set_error = [](ferry_host_ctx* ctx, uint32_t code, const char* msg, uint32_t len) {
      ctx->error_code = code;
      ctx->error_message.assign(msg, len);
    };
    a.arena_alloc = [](ferry_batch* b, size_t size, size_t align) { return batch_of(b)->arena.alloc(size, align); };
    a.batch_insert_after = [](ferry_batch* b, uint32_t index, const ferry_event* e) -> uint32_t {
      batch_of(b)->inserts.emplace_back(index == UINT32_MAX ? 0 : index + 1, *e);
      return FERRY_OK;
    };
    a.config_child = [](const ferry_config_node* n, const char* key) { return find(n, key); };
    a.config_string = [](const ferry_config_node* n, const char* key, ferry_str* out) -> int {
      const ferry_config_node* c = find(n, key);
      if (c == nullptr || c->shape != ferry_config_node::Shape::Scalar) return 0;
      *out = {c->text.data(), static_cast<uint32_t>(c->text.size())};
      return 1;
    };
    a.config_int = [](const ferry_config_node* n, const char* key, int64_t* out) -> int {
      const ferry_config_node* c = find(n, key);
      if (c == nullptr || c->shape != ferry_config_node::Shape::Scalar) return 0;
      std::optional<int64_t> v;
      if (c->type == FERRY_CONFIG_DURATION) v = units::parse_duration_ms(c->text);
      else if (c->type == FERRY_CONFIG_SIZE) v = units::parse_size_bytes(c->text);
      else v = std::stoll(c->text);
      if (!v) return 0;
      *out = *v;
      return 1;
    };
    a.config_double = [](const ferry_config_node* n, const char* key, double* out) -> int {
      const ferry_config_node* c = find(n, key);
      if (c == nullptr || c->shape != ferry_config_node::Shape::Scalar) return 0;
      *out = std::stod(c->text);
      return 1;
    };
    a.config_bool = [](const ferry_config_node* n, const char* key, int* out) -> int {
      const ferry_config_node* c = find(n, key);
      if (c == nullptr || (c->text != "true" && c->text != "false")) return 0;
      *out = c->text == "true";
      return 1;
    };
    a.config_size = [](const ferry_config_node* n) -> uint32_t {
      return n == nullptr ? 0 : static_cast<uint32_t>(n->shape == ferry_config_node::Shape::List ? n->items.size() : n->entries.size());
    };
    a.config_at = [](const ferry_config_node* n, uint32_t i) -> const ferry_config_node* {
      if (n == nullptr) return nullptr;
      if (n->shape == ferry_config_node::Shape::List) return i < n->items.size() ? &n->items[i] : nullptr;
      return i < n->entries.size() ? &n->entries[i].second : nullptr;
    };
    a.config_key_at = [](const ferry_config_node* n, uint32_t i, ferry_str* out) -> int {
      if (n == nullptr || n->shape != ferry_config_node::Shape::Map || i >= n->entries.size()) return 0;
      *out = {n->entries[i].first.data(), static_cast<uint32_t>(n->entries[i].first.size())};
      return 1;
    };
    a.metric = [](ferry_host_ctx* ctx, uint32_t kind, const char* name, double v) {
      std::lock_guard lock(ctx->mu);
      if (kind == FERRY_METRIC_COUNTER) ctx->metrics[name] += v; else ctx->metrics[name] = v;
    };
    a.task_info = [](ferry_host_ctx*, const char* key) -> const char* {
      return std::string_view(key) == "task" ? "harness" : std::string_view(key) == "task-dir" ? "." : nullptr;
    };
    return a;
  }();
  return &api;
}

}  // namespace detail

// A column in a harness table.
struct ColumnSpec {
  std::string name;
  ferry_value_type type;
};

// Runs one plugin of type T through its real ABI definition (thunks included).
template <typename T>
class Harness {
 public:
  explicit Harness(const Map& config = {}) {
    def_ = ferry::sdk::detail::definition<T>();
    config_ = detail::object_node(config, def_->config_fields, def_->config_field_count);
    self_ = def_->create(detail::host_api(), &ctx_, &config_);
    if (self_ == nullptr) throw std::runtime_error("create failed: " + ctx_.error_message);
    new_batch();
  }
  ~Harness() {
    if (self_) def_->destroy(self_);
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // Declares a table; the returned schema lives as long as the harness.
  const ferry_table_schema& table(const std::string& schema, const std::string& name, const std::vector<ColumnSpec>& columns,
                                  const std::vector<std::string>& primary_key = {}) {
    auto t = std::make_unique<Table>();
    t->schema = schema;
    t->name = name;
    for (const auto& c : columns) t->names.push_back(c.name);
    t->columns.resize(columns.size());
    for (size_t i = 0; i < columns.size(); ++i) {
      t->columns[i].name = {t->names[i].data(), static_cast<uint32_t>(t->names[i].size())};
      t->columns[i].charset = columns[i].type == FERRY_VALUE_BYTES ? 63 : 45;
      for (const auto& k : primary_key) {
        if (k == columns[i].name) {
          t->pk_columns.push_back(static_cast<uint32_t>(i));
          t->columns[i].flags |= FERRY_COLUMN_PRIMARY_KEY;
        }
      }
    }
    t->abi.schema = {t->schema.data(), static_cast<uint32_t>(t->schema.size())};
    t->abi.table = {t->name.data(), static_cast<uint32_t>(t->name.size())};
    t->abi.version = 1;
    t->abi.column_count = static_cast<uint32_t>(columns.size());
    t->abi.columns = t->columns.data();
    if (!t->pk_columns.empty()) {
      t->pk = {{"PRIMARY", 7}, static_cast<uint32_t>(t->pk_columns.size()), t->pk_columns.data()};
      t->abi.primary_key = &t->pk;
    }
    tables_.push_back(std::move(t));
    return tables_.back()->abi;
  }

  // Values for the next row; text is copied into the batch.
  ferry_value i64(int64_t v) { return int_value(v); }
  ferry_value u64(uint64_t v) { return uint_value(v); }
  ferry_value null() { return null_value(); }
  // A column missing from a partial image (binlog_row_image MINIMAL or NOBLOB): the row gets a
  // "present" bitmap with this column's bit clear.
  ferry_value absent() {
    ferry_value v{};
    v.type = kAbsent;
    return v;
  }
  ferry_value text(std::string_view s, ferry_value_type type = FERRY_VALUE_STRING) { return text_value(type, writer().copy(s)); }

  void insert(const ferry_table_schema& t, std::vector<ferry_value> after) { row(t, FERRY_ROW_INSERT, {}, std::move(after)); }
  void update(const ferry_table_schema& t, std::vector<ferry_value> before, std::vector<ferry_value> after) {
    row(t, FERRY_ROW_UPDATE, std::move(before), std::move(after));
  }
  void remove(const ferry_table_schema& t, std::vector<ferry_value> before) { row(t, FERRY_ROW_DELETE, std::move(before), {}); }
  void ddl(std::string_view schema, std::string_view table, std::string_view statement) {
    ferry_event& e = append(FERRY_EVENT_DDL);
    e.u.ddl.schema = writer().copy(schema);
    e.u.ddl.table = writer().copy(table);
    e.u.ddl.statement = writer().copy(statement);
  }
  void control(ferry_event_kind kind) { append(kind); }

  // Transforms: runs the batch built so far and returns the surviving events as JSON lines.
  // Throws with the plugin's message when process() fails.
  std::vector<std::string> run_transform() {
    if constexpr (std::is_base_of_v<Transform, T>) {
      uint32_t status = def_->transform->process(self_, &batch_->abi);
      if (status != FERRY_OK) throw std::runtime_error(ctx_.error_message);
      apply_inserts();
      std::vector<std::string> out;
      for (uint32_t i = 0; i < batch_->abi.count; ++i) {
        const ferry_event& e = batch_->abi.events[i];
        if (!(e.flags & FERRY_EVENT_DROPPED)) out.push_back(json::event_to_json(e, false));
      }
      new_batch();
      return out;
    } else {
      throw std::logic_error("run_transform on a plugin that is not a transform");
    }
  }

  // Sinks: opens on first use and writes the batch built so far; returns the status.
  uint32_t run_sink() {
    if constexpr (std::is_base_of_v<Sink, T>) {
      if (!opened_) {
        uint32_t s = def_->sink->open(self_);
        if (s != FERRY_OK) return s;
        opened_ = true;
      }
      uint32_t s = def_->sink->write(self_, &batch_->abi);
      new_batch();
      return s;
    } else {
      throw std::logic_error("run_sink on a plugin that is not a sink");
    }
  }

  // Sources: opens on first use and polls once; returns the events as JSON. Like the host, it
  // recycles one batch for every poll (same address), and first overwrites what the previous
  // poll wrote in it: a source that keeps pointers into an earlier batch reads poison.
  // `max_wait_ms` is the poll's max_wait (the host's poll-wait; 0: return as soon as anything is
  // there).
  std::vector<std::string> poll_source(uint32_t capacity = 1024, uint32_t* status = nullptr, uint32_t max_wait_ms = 0) {
    if constexpr (std::is_base_of_v<Source, T>) {
      recycle_source_batch(capacity);
      uint32_t s = FERRY_OK;
      if (!opened_) {
        s = def_->source->open(self_, nullptr);
        opened_ = s == FERRY_OK;
      }
      if (s == FERRY_OK) s = def_->source->poll(self_, &batch_->abi, max_wait_ms, 0);
      if (status) *status = s;
      std::vector<std::string> out;
      for (uint32_t i = 0; i < batch_->abi.count; ++i) out.push_back(json::event_to_json(batch_->abi.events[i]));
      return out;
    } else {
      throw std::logic_error("poll_source on a plugin that is not a source");
    }
  }

  // Sources: tells the source a checkpoint is durable, as the host does after a sink commits.
  void ack_source(const ferry_position& pos) {
    if constexpr (std::is_base_of_v<Source, T>) {
      def_->source->ack(self_, &pos);
    } else {
      throw std::logic_error("ack_source on a plugin that is not a source");
    }
  }

  const ferry_host_ctx& context() const { return ctx_; }
  // A metric's current value (0 when never set), taken under the lock its threads use.
  double metric(const std::string& name) {
    std::lock_guard lock(ctx_.mu);
    auto it = ctx_.metrics.find(name);
    return it == ctx_.metrics.end() ? 0.0 : it->second;
  }
  // What the plugin has logged so far (a copy: its threads may still be logging).
  std::vector<std::string> logs() {
    std::lock_guard lock(ctx_.mu);
    return ctx_.logs;
  }

 private:
  struct Table {
    std::string schema, name;
    std::vector<std::string> names;
    std::vector<ferry_column> columns;
    std::vector<uint32_t> pk_columns;
    ferry_index pk{};
    ferry_table_schema abi{};
  };

  static constexpr uint8_t kAbsent = 0xFF;  // marks absent() values until the bitmap is built

  BatchWriter writer() { return BatchWriter(detail::host_api(), &batch_->abi); }

  void recycle_source_batch(uint32_t capacity) {
    if (!source_batch_) source_batch_ = std::make_unique<detail::HarnessBatch>();
    detail::HarnessBatch& b = *source_batch_;
    b.arena.poison_and_reset(poisoned_);
    std::memset(b.events.data(), 0xA5, b.events.size() * sizeof(ferry_event));
    b.events.resize(std::max<size_t>(b.events.size(), capacity));
    b.inserts.clear();
    b.abi.header = {sizeof(ferry_batch), FERRY_ABI_MAJOR, FERRY_ABI_MINOR};
    b.abi.events = b.events.data();
    b.abi.count = 0;
    b.abi.capacity = capacity;
    b.abi.host_private = &b;
    batch_ = &b;
  }

  void new_batch(uint32_t capacity = 4096) {
    batches_.push_back(std::make_unique<detail::HarnessBatch>());  // old batches stay: their data may be referenced
    batch_ = batches_.back().get();
    batch_->events.resize(capacity);
    batch_->abi.header = {sizeof(ferry_batch), FERRY_ABI_MAJOR, FERRY_ABI_MINOR};
    batch_->abi.events = batch_->events.data();
    batch_->abi.capacity = capacity;
    batch_->abi.host_private = batch_;
  }

  ferry_event& append(ferry_event_kind kind) {
    if (batch_->abi.count == batch_->abi.capacity) throw std::length_error("harness batch is full");
    return writer().append(kind);
  }

  void row(const ferry_table_schema& t, ferry_row_op op, std::vector<ferry_value> before, std::vector<ferry_value> after) {
    ferry_event& e = append(FERRY_EVENT_ROW);
    e.u.row.op = static_cast<uint8_t>(op);
    e.u.row.table = &t;
    e.u.row.target_schema = t.schema;
    e.u.row.target_table = t.table;
    auto image = [&](const std::vector<ferry_value>& values, const uint8_t*& present) -> const ferry_value* {
      if (values.empty()) return nullptr;
      if (values.size() != t.column_count) throw std::invalid_argument("row image has the wrong number of values");
      ferry_value* v = writer().values(t.column_count);
      std::copy(values.begin(), values.end(), v);
      uint8_t* bits = nullptr;
      for (uint32_t i = 0; i < t.column_count; ++i) {
        if (v[i].type != kAbsent) continue;
        if (bits == nullptr) {
          bits = writer().bitmap(t.column_count);
          std::memset(bits, 0xFF, (t.column_count + 7) / 8);
        }
        bits[i / 8] &= static_cast<uint8_t>(~(1u << (i % 8)));
        v[i] = null_value();
      }
      present = bits;
      return v;
    };
    e.u.row.before = image(before, e.u.row.before_present);
    e.u.row.after = image(after, e.u.row.after_present);
  }

  void apply_inserts() {
    auto& ins = batch_->inserts;
    if (ins.empty()) return;
    std::stable_sort(ins.begin(), ins.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<ferry_event> merged;
    size_t next = 0;
    for (uint32_t i = 0; i <= batch_->abi.count; ++i) {
      while (next < ins.size() && ins[next].first == i) merged.push_back(ins[next++].second);
      if (i < batch_->abi.count) merged.push_back(batch_->events[i]);
    }
    batch_->events = std::move(merged);
    batch_->abi.events = batch_->events.data();
    batch_->abi.count = batch_->abi.capacity = static_cast<uint32_t>(batch_->events.size());
    ins.clear();
  }

  const ferry_plugin_def* def_ = nullptr;
  ferry_config_node config_;
  ferry_host_ctx ctx_;
  ferry_instance* self_ = nullptr;
  bool opened_ = false;
  std::vector<std::unique_ptr<Table>> tables_;
  std::vector<std::unique_ptr<detail::HarnessBatch>> batches_;
  detail::HarnessBatch* batch_ = nullptr;
  std::unique_ptr<detail::HarnessBatch> source_batch_;  // the one batch every poll_source reuses
  std::deque<std::pair<std::unique_ptr<char[]>, size_t>> poisoned_;  // its previous poll's arena, overwritten
};

}  // namespace ferry::sdk::testing
