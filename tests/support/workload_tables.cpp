#include "support/workload_tables.hpp"

#include "support/column_values.hpp"
#include "support/sql_text.hpp"

#include <array>
#include <optional>
#include <utility>

namespace ferry::testing {

void WorkloadTable::set_schema(const std::string& schema) { table_ = sql_table(schema, name()); }

void KeyPool::add(int64_t key) {
  position_[key] = keys_.size();
  keys_.push_back(key);
}

void KeyPool::erase(int64_t key) {
  auto it = position_.find(key);
  const size_t i = it->second;
  position_.erase(it);
  if (i + 1 != keys_.size()) {
    keys_[i] = keys_.back();
    position_[keys_[i]] = i;
  }
  keys_.pop_back();
}

namespace {

constexpr uint64_t kAny = std::numeric_limits<uint64_t>::max();

PlannedStatement exactly(std::string sql, uint64_t rows) { return {std::move(sql), rows, rows}; }
PlannedStatement at_most_one(std::string sql) { return {std::move(sql), 0, 1}; }

std::string text_or_null(Rng& rng, int null_percent, size_t max_chars, size_t max_bytes) {
  return rng.percent(null_percent) ? "NULL" : sql_string(random_utf8(rng, max_chars, max_bytes));
}

std::string money(Rng& rng, int null_percent) {
  if (rng.percent(null_percent)) return "NULL";
  const int64_t cents = rng.between(-99999999, 99999999);
  const uint64_t magnitude = static_cast<uint64_t>(cents < 0 ? -cents : cents);
  return (cents < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." + std::to_string(magnitude % 100 / 10) +
         std::to_string(magnitude % 10);
}

// Tables whose rows are known by one integer key (a column, a pair packed into one number, or
// the number inside a unique code): the operations every such kind shares, around the
// kind-specific SQL of its subclass.
class IntegerKeyTable : public WorkloadTable {
 public:
  using WorkloadTable::WorkloadTable;
  size_t rows() const override { return keys_.size(); }

  void plan(Rng& rng, TableOperation operation, std::vector<PlannedStatement>& out) override {
    if (keys_.empty()) operation = TableOperation::Insert;
    if (operation == TableOperation::Reuse && keys_.size() < 2) operation = TableOperation::KeyChange;
    switch (operation) {
      case TableOperation::Insert: {
        const uint64_t n = 1 + rng.below(3);
        std::string sql = "INSERT INTO " + table_ + " (" + columns() + ") VALUES ";
        for (uint64_t i = 0; i < n; ++i) {
          const int64_t key = new_key(rng);
          keys_.add(key);
          sql += (i ? ", " : "") + row(rng, key);
        }
        out.push_back(exactly(sql, n));
        break;
      }
      case TableOperation::Update: {
        const int64_t key = keys_.pick(rng);
        out.push_back(at_most_one("UPDATE " + table_ + " SET " + payload_assignments(rng) + " WHERE " + where(key)));
        break;
      }
      case TableOperation::KeyChange: {
        const int64_t from = keys_.pick(rng);
        const int64_t to = moved_key(rng, from);
        keys_.erase(from);
        keys_.add(to);
        out.push_back(exactly("UPDATE " + table_ + " SET " + key_assignments(to) + " WHERE " + where(from), 1));
        break;
      }
      case TableOperation::Delete: {
        const int64_t key = keys_.pick(rng);
        keys_.erase(key);
        out.push_back(exactly("DELETE FROM " + table_ + " WHERE " + where(key), 1));
        break;
      }
      case TableOperation::Reuse: {
        // The freed key is taken by another row before the transaction ends: a sink must apply
        // the delete before the update, whatever worker each lands on.
        const int64_t freed = keys_.pick(rng);
        keys_.erase(freed);
        out.push_back(exactly("DELETE FROM " + table_ + " WHERE " + where(freed), 1));
        const int64_t mover = keys_.pick(rng);
        keys_.erase(mover);
        keys_.add(freed);
        out.push_back(exactly("UPDATE " + table_ + " SET " + key_assignments(freed) + ", " + payload_assignments(rng) +
                                  " WHERE " + where(mover),
                              1));
        break;
      }
      case TableOperation::Special:
        special(rng, out);
        break;
    }
  }

 protected:
  // The column list INSERT names, and one row's values for it.
  virtual std::string columns() const = 0;
  virtual std::string row(Rng& rng, int64_t key) = 0;
  // The key's columns and their literals for `key`.
  virtual std::vector<std::pair<std::string, std::string>> key_values(int64_t key) const = 0;
  virtual std::string payload_assignments(Rng& rng) = 0;
  virtual int64_t new_key(Rng&) { return next_++; }
  virtual int64_t moved_key(Rng& rng, int64_t from) { (void)from; return new_key(rng); }
  virtual void special(Rng& rng, std::vector<PlannedStatement>& out) = 0;

  std::string where(int64_t key) const { return joined(key, " AND "); }
  std::string key_assignments(int64_t key) const { return joined(key, ", "); }
  std::string joined(int64_t key, const char* separator) const {
    std::string out;
    for (const auto& [column, value] : key_values(key)) out += (out.empty() ? "" : separator) + column + " = " + value;
    return out;
  }

  // An upsert and a REPLACE of an existing row: 0-2 and 1-2 affected rows.
  void upsert_or_replace(Rng& rng, std::vector<PlannedStatement>& out, const std::string& on_duplicate) {
    const int64_t key = keys_.pick(rng);
    if (rng.percent(50)) {
      out.push_back({"INSERT INTO " + table_ + " (" + columns() + ") VALUES " + row(rng, key) +
                         " ON DUPLICATE KEY UPDATE " + on_duplicate,
                     0, 2});
    } else {
      out.push_back({"REPLACE INTO " + table_ + " (" + columns() + ") VALUES " + row(rng, key), 1, 2});
    }
  }

  KeyPool keys_;
  int64_t next_ = 1;
};

// keyed: a BIGINT primary key, a secondary index and payload.
class PrimaryKeyTable final : public IntegerKeyTable {
 public:
  PrimaryKeyTable()
      : IntegerKeyTable("keyed",
                        "id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, v VARCHAR(64) NULL, "
                        "amount DECIMAL(15,2) NULL, note TEXT NULL, KEY k_idx (k)") {}
  std::unique_ptr<WorkloadTable> clone() const override { return std::make_unique<PrimaryKeyTable>(*this); }

 protected:
  std::string columns() const override { return "id, k, v, amount, note"; }
  std::string row(Rng& rng, int64_t key) override {
    return in_order({"(", std::to_string(key), ", ", std::to_string(rng.below(100)), ", ", text_or_null(rng, 20, 20, 64),
                     ", ", money(rng, 20), ", ", text_or_null(rng, 50, 60, 240), ")"});
  }
  std::vector<std::pair<std::string, std::string>> key_values(int64_t key) const override {
    return {{"id", std::to_string(key)}};
  }
  std::string payload_assignments(Rng& rng) override {
    return in_order({"k = ", std::to_string(rng.below(100)), ", v = ", text_or_null(rng, 20, 20, 64), ", amount = ",
                     money(rng, 20)});
  }
  void special(Rng& rng, std::vector<PlannedStatement>& out) override {
    if (rng.percent(40)) {  // several rows in one statement
      out.push_back({in_order({"UPDATE ", table_, " SET amount = ", money(rng, 10), " WHERE k = ", std::to_string(rng.below(100))}),
                     0, kAny});
    } else {
      upsert_or_replace(rng, out, "v = VALUES(v), note = VALUES(note)");
    }
  }
};

// composite: a two-column primary key, either part of which can move.
class CompositeKeyTable final : public IntegerKeyTable {
 public:
  CompositeKeyTable()
      : IntegerKeyTable("composite",
                        "tenant INT NOT NULL, seq BIGINT NOT NULL, payload VARCHAR(64) NULL, "
                        "amount DECIMAL(20,6) NULL, PRIMARY KEY (tenant, seq)") {}
  std::unique_ptr<WorkloadTable> clone() const override { return std::make_unique<CompositeKeyTable>(*this); }

 protected:
  static constexpr int kSeqBits = 40;
  static int64_t tenant(int64_t key) { return key >> kSeqBits; }
  static int64_t seq(int64_t key) { return key & ((int64_t{1} << kSeqBits) - 1); }
  static int64_t pack(int64_t tenant, int64_t seq) { return tenant << kSeqBits | seq; }

  std::string columns() const override { return "tenant, seq, payload, amount"; }
  std::string row(Rng& rng, int64_t key) override {
    return in_order({"(", std::to_string(tenant(key)), ", ", std::to_string(seq(key)), ", ", text_or_null(rng, 20, 20, 64),
                     ", ", money(rng, 20), ")"});
  }
  std::vector<std::pair<std::string, std::string>> key_values(int64_t key) const override {
    return {{"tenant", std::to_string(tenant(key))}, {"seq", std::to_string(seq(key))}};
  }
  std::string payload_assignments(Rng& rng) override {
    return in_order({"payload = ", text_or_null(rng, 20, 20, 64), ", amount = ", money(rng, 20)});
  }
  // Sequence numbers are never reused, so any tenant makes a free key.
  int64_t new_key(Rng& rng) override { return pack(1 + static_cast<int64_t>(rng.below(8)), next_++); }
  int64_t moved_key(Rng& rng, int64_t from) override {
    switch (rng.below(3)) {
      case 0: return pack(1 + (tenant(from) + static_cast<int64_t>(rng.below(7))) % 8, seq(from));  // tenant only
      case 1: return pack(tenant(from), next_++);                                                     // seq only
      default: return new_key(rng);
    }
  }
  void special(Rng& rng, std::vector<PlannedStatement>& out) override {
    out.push_back({in_order({"UPDATE ", table_, " SET amount = ", money(rng, 10), " WHERE tenant = ",
                             std::to_string(1 + rng.below(8))}),
                   0, kAny});
  }
};

// unique_code: no primary key; a NOT NULL unique key (multibyte) identifies rows.
class UniqueNotNullTable final : public IntegerKeyTable {
 public:
  UniqueNotNullTable()
      : IntegerKeyTable("unique_code",
                        "code VARCHAR(32) NOT NULL, n INT NULL, note VARCHAR(32) NULL, UNIQUE KEY code_uk (code)") {}
  std::unique_ptr<WorkloadTable> clone() const override { return std::make_unique<UniqueNotNullTable>(*this); }

 protected:
  static std::string code(int64_t key) { return "'k€-" + std::to_string(key) + "'"; }
  std::string columns() const override { return "code, n, note"; }
  std::string row(Rng& rng, int64_t key) override {
    return in_order({"(", code(key), ", ", rng.percent(20) ? "NULL" : std::to_string(rng.between(-1000, 1000)), ", ",
                     text_or_null(rng, 20, 12, 32), ")"});
  }
  std::vector<std::pair<std::string, std::string>> key_values(int64_t key) const override { return {{"code", code(key)}}; }
  std::string payload_assignments(Rng& rng) override {
    return in_order({"n = ", std::to_string(rng.between(-1000, 1000)), ", note = ", text_or_null(rng, 20, 12, 32)});
  }
  void special(Rng& rng, std::vector<PlannedStatement>& out) override {
    upsert_or_replace(rng, out, "n = VALUES(n)");
  }
};

// Tables whose model holds every row, since no key tells all of them apart.
template <class RowType>
class RowModelTable : public WorkloadTable {
 public:
  using Row = RowType;
  using WorkloadTable::WorkloadTable;
  size_t rows() const override { return rows_.size(); }

 protected:
  // A random row's position; with no rows, `operation` becomes an insert.
  size_t pick_row(Rng& rng, TableOperation& operation) {
    if (rows_.empty()) operation = TableOperation::Insert;
    return rows_.empty() ? 0 : rng.below(rows_.size());
  }
  void erase(size_t i) {
    rows_[i] = rows_.back();
    rows_.pop_back();
  }
  // Removes every copy of `row`, and says how many there were.
  uint64_t erase_all(const Row& row) {
    uint64_t n = 0;
    for (size_t i = rows_.size(); i-- > 0;) {
      if (rows_[i] == row) {
        erase(i);
        ++n;
      }
    }
    return n;
  }

  std::vector<Row> rows_;
};

struct NullableKeyRow {
  std::optional<int64_t> u;
  int w;
  int s;
  bool operator==(const NullableKeyRow&) const = default;
};

// unique_nullable: no primary key; a nullable unique key, so rows whose key is NULL may repeat
// exactly and are found by their whole content.
class UniqueNullableTable final : public RowModelTable<NullableKeyRow> {
 public:
  UniqueNullableTable()
      : RowModelTable("unique_nullable", "u INT NULL, w INT NOT NULL, s VARCHAR(8) NULL, UNIQUE KEY u_uk (u)") {}
  std::unique_ptr<WorkloadTable> clone() const override { return std::make_unique<UniqueNullableTable>(*this); }

  void plan(Rng& rng, TableOperation operation, std::vector<PlannedStatement>& out) override {
    const size_t at = pick_row(rng, operation);
    switch (operation) {
      case TableOperation::Insert: {
        const uint64_t n = 1 + rng.below(2);
        std::string sql = "INSERT INTO " + table_ + " (u, w, s) VALUES ";
        for (uint64_t i = 0; i < n; ++i) {
          Row r{rng.percent(60) ? std::optional<int64_t>(next_u_++) : std::nullopt, 1 + static_cast<int>(rng.below(3)),
                static_cast<int>(rng.below(3))};
          rows_.push_back(r);
          sql += (i ? ", " : "") + values(r);
        }
        out.push_back(exactly(sql, n));
        break;
      }
      case TableOperation::Update: {
        Row& r = rows_[at];
        const std::string where = identity(r);
        std::string set;
        if (rng.percent(50)) {
          r.w = 1 + (r.w + static_cast<int>(rng.below(2))) % 3;  // another of 1..3
          set = "w = " + std::to_string(r.w);
        } else {
          r.s = (r.s + 1 + static_cast<int>(rng.below(2))) % 3;
          set = "s = " + std::string(kS[r.s]);
        }
        out.push_back(exactly("UPDATE " + table_ + " SET " + set + " WHERE " + where, 1));
        break;
      }
      case TableOperation::KeyChange: {
        Row& r = rows_[at];
        const std::string where = identity(r);
        r.u = !r.u || rng.percent(50) ? std::optional<int64_t>(next_u_++) : std::nullopt;
        out.push_back(exactly("UPDATE " + table_ + " SET u = " + (r.u ? std::to_string(*r.u) : "NULL") + " WHERE " + where, 1));
        break;
      }
      case TableOperation::Delete:
        out.push_back(exactly("DELETE FROM " + table_ + " WHERE " + identity(rows_[at]), 1));
        erase(at);
        break;
      case TableOperation::Reuse: {
        if (!rows_[at].u || rows_.size() < 2) return plan(rng, TableOperation::KeyChange, out);
        const int64_t freed = *rows_[at].u;
        out.push_back(exactly("DELETE FROM " + table_ + " WHERE " + identity(rows_[at]), 1));
        erase(at);
        Row& mover = rows_[rng.below(rows_.size())];
        const std::string where = identity(mover);
        mover.u = freed;
        out.push_back(exactly("UPDATE " + table_ + " SET u = " + std::to_string(freed) + " WHERE " + where, 1));
        break;
      }
      case TableOperation::Special: {
        Row copy = rows_[at];
        copy.u.reset();
        if (rng.percent(50)) {  // another row with a NULL key, often identical to one there
          rows_.push_back(copy);
          out.push_back(exactly("INSERT INTO " + table_ + " (u, w, s) VALUES " + values(copy), 1));
        } else {  // every identical NULL-keyed row at once
          const uint64_t n = erase_all(copy);
          out.push_back(exactly("DELETE FROM " + table_ + " WHERE u IS NULL AND w = " + std::to_string(copy.w) +
                                    " AND s <=> " + kS[copy.s],
                                n));
        }
        break;
      }
    }
  }

 private:
  static constexpr const char* kS[] = {"NULL", "'a'", "'b'"};
  static std::string values(const Row& r) {
    return "(" + (r.u ? std::to_string(*r.u) : "NULL") + ", " + std::to_string(r.w) + ", " + kS[r.s] + ")";
  }
  // One row: by its key, or by its whole content when the key is NULL (any one of identical
  // copies will do).
  static std::string identity(const Row& r) {
    if (r.u) return "u = " + std::to_string(*r.u);
    return "u IS NULL AND w = " + std::to_string(r.w) + " AND s <=> " + kS[r.s] + " LIMIT 1";
  }

  int64_t next_u_ = 1;
};

// keyless: no key at all. Values come from small domains, so identical rows are common (and
// made on purpose), and the string domain holds values that a case-insensitive, accent- or
// pad-space collation calls equal ('a', 'A', 'a ', 'ü', 'u'): a sink that finds a row by
// `b = 'a'` hits the wrong one. The workload's own statements compare bytes.
class KeylessTable final : public RowModelTable<std::array<uint8_t, 5>> {
 public:
  KeylessTable()
      : RowModelTable("keyless", "a INT NULL, b VARCHAR(16) NULL, c BLOB NULL, d DECIMAL(6,2) NULL, e DATETIME(3) NULL") {}
  std::unique_ptr<WorkloadTable> clone() const override { return std::make_unique<KeylessTable>(*this); }

  void plan(Rng& rng, TableOperation operation, std::vector<PlannedStatement>& out) override {
    const size_t at = pick_row(rng, operation);
    switch (operation) {
      case TableOperation::Insert: {
        Row r;
        for (size_t c = 0; c < kColumns; ++c) r[c] = static_cast<uint8_t>(rng.below(kDomains[c].size()));
        const uint64_t copies = rng.percent(30) ? 2 + rng.below(2) : 1;
        std::string sql = "INSERT INTO " + table_ + " (a, b, c, d, e) VALUES ";
        for (uint64_t i = 0; i < copies; ++i) {
          rows_.push_back(r);
          sql += (i ? ", " : "") + values(r);
        }
        out.push_back(exactly(sql, copies));
        break;
      }
      case TableOperation::Update:
      case TableOperation::KeyChange: {
        // One copy (LIMIT 1), or every copy of the row at once.
        const bool all = operation == TableOperation::KeyChange;
        const Row before = rows_[at];
        const size_t c = rng.below(kColumns);
        const uint8_t value = static_cast<uint8_t>((before[c] + 1 + rng.below(kDomains[c].size() - 1)) % kDomains[c].size());
        uint64_t n = 0;
        for (auto& r : rows_) {
          if (r == before && (all || n == 0)) {
            r[c] = value;
            ++n;
          }
        }
        out.push_back(exactly("UPDATE " + table_ + " SET " + kNames[c] + " = " + kDomains[c][value] + " WHERE " +
                                  identity(before) + (all ? "" : " LIMIT 1"),
                              n));
        break;
      }
      case TableOperation::Delete:
        out.push_back(exactly("DELETE FROM " + table_ + " WHERE " + identity(rows_[at]) + " LIMIT 1", 1));
        erase(at);
        break;
      case TableOperation::Reuse:  // an exact duplicate of a row already there
        rows_.push_back(rows_[at]);
        out.push_back(exactly("INSERT INTO " + table_ + " (a, b, c, d, e) VALUES " + values(rows_[at]), 1));
        break;
      case TableOperation::Special: {  // every copy of a row
        const Row gone = rows_[at];
        const uint64_t n = erase_all(gone);
        out.push_back(exactly("DELETE FROM " + table_ + " WHERE " + identity(gone), n));
        break;
      }
    }
  }

 private:
  static constexpr size_t kColumns = 5;  // each row is one index into each column's domain
  static inline const char* kNames[kColumns] = {"a", "b", "c", "d", "e"};
  static inline const std::vector<std::string> kDomains[kColumns] = {
      {"NULL", "1", "2", "3"},
      {"NULL", "'a'", "'A'", "'a '", "'ü'", "'u'", "'😀'", "''"},
      {"NULL", "X''", "X'00'", "X'0000'", "X'FF'"},
      {"NULL", "1.50", "-1.50", "0.00"},
      {"NULL", "'2024-01-01 00:00:00.000'", "'2024-01-01 00:00:00.001'", "'0000-00-00 00:00:00.000'"},
  };
  static std::string values(const Row& r) {
    std::string out = "(";
    for (size_t c = 0; c < kColumns; ++c) out += (c ? ", " : "") + kDomains[c][r[c]];
    return out + ")";
  }
  // Every copy of `r` and nothing else: NULL-safe, and bytewise for the string.
  static std::string identity(const Row& r) {
    std::string out;
    for (size_t c = 0; c < kColumns; ++c) {
      if (c) out += " AND ";
      out += c == 1 ? "BINARY b <=> BINARY " + kDomains[c][r[c]] : std::string(kNames[c]) + " <=> " + kDomains[c][r[c]];
    }
    return out;
  }
};

// all_types: a BIGINT primary key and a nullable column of every type (support/column_values.hpp).
class EveryTypeTable final : public IntegerKeyTable {
 public:
  explicit EveryTypeTable(bool large_values) : IntegerKeyTable("all_types", columns_sql()), large_values_(large_values) {}
  std::unique_ptr<WorkloadTable> clone() const override { return std::make_unique<EveryTypeTable>(*this); }

 protected:
  std::string columns() const override {
    std::string out = "id";
    for (const auto& c : every_type_columns()) out += ", " + c.name;
    return out;
  }
  static std::string columns_sql() {
    std::string out = "id BIGINT NOT NULL PRIMARY KEY";
    for (const auto& c : every_type_columns()) out += ", " + c.name + " " + c.definition + " NULL DEFAULT NULL";
    return out;
  }
  std::string row(Rng& rng, int64_t key) override {
    std::string out = "(" + std::to_string(key);
    for (const auto& c : every_type_columns()) out += ", " + typed_value(c, rng, large_values_);
    return out + ")";
  }
  std::vector<std::pair<std::string, std::string>> key_values(int64_t key) const override {
    return {{"id", std::to_string(key)}};
  }
  std::string payload_assignments(Rng& rng) override {
    const auto& all = every_type_columns();
    std::string out;
    for (uint64_t i = 0, n = 1 + rng.below(4); i < n; ++i) {
      const auto& c = rng.pick(all);
      out += (i ? ", " : "") + c.name + " = " + typed_value(c, rng, large_values_);
    }
    return out;
  }
  void special(Rng& rng, std::vector<PlannedStatement>& out) override {
    const int64_t key = keys_.pick(rng);
    std::string set;
    const bool to_null = rng.percent(30);
    for (const auto& c : every_type_columns()) {
      set += (set.empty() ? "" : ", ") + c.name + " = " + (to_null ? std::string("NULL") : typed_value(c, rng, large_values_));
    }
    out.push_back(at_most_one("UPDATE " + table_ + " SET " + set + " WHERE " + where(key)));
  }

 private:
  bool large_values_;
};

}  // namespace

std::unique_ptr<WorkloadTable> make_primary_key_table() { return std::make_unique<PrimaryKeyTable>(); }
std::unique_ptr<WorkloadTable> make_composite_key_table() { return std::make_unique<CompositeKeyTable>(); }
std::unique_ptr<WorkloadTable> make_unique_not_null_table() { return std::make_unique<UniqueNotNullTable>(); }
std::unique_ptr<WorkloadTable> make_unique_nullable_table() { return std::make_unique<UniqueNullableTable>(); }
std::unique_ptr<WorkloadTable> make_keyless_table() { return std::make_unique<KeylessTable>(); }
std::unique_ptr<WorkloadTable> make_every_type_table(bool large_values) {
  return std::make_unique<EveryTypeTable>(large_values);
}

}  // namespace ferry::testing
