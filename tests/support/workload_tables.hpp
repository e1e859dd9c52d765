// The tables of the workload (support/workload.hpp), each kind with a model of its rows that is
// just detailed enough to write statements whose effect is known in advance: which keys exist,
// and for tables without a usable key, every row. A table's statements are built from the model
// and the model is changed as though they ran; the workload checks each statement's affected row
// count against what the model expects, so a model that drifted from the server fails loudly.
#pragma once

#include "support/random.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ferry::testing {

// One statement and the affected-row count it must report (an UPDATE that sets what was already
// there reports 0, hence a range).
struct PlannedStatement {
  std::string sql;
  uint64_t min_rows = 0;
  uint64_t max_rows = std::numeric_limits<uint64_t>::max();
};

// What one operation on a table does. Each kind maps them onto its own statements.
enum class TableOperation {
  Insert,     // new rows, sometimes several in one statement
  Update,     // non-key columns of one row
  KeyChange,  // the row's key moves (keyless: every copy of a row changes at once)
  Delete,     // one row
  Reuse,      // a key freed and taken by another row in the same transaction (keyless: a duplicate)
  Special,    // the kind's own: multi-row updates, upserts, REPLACE, deleting every copy
};

// The base of every table kind. Copyable through clone(), so that a transaction that will be
// rolled back can restore the models it changed. Not thread-safe.
class WorkloadTable {
 public:
  // `definition` is CREATE TABLE's column and key list.
  WorkloadTable(std::string name, std::string definition)
      : name_(std::move(name)), definition_(std::move(definition)) {}
  virtual ~WorkloadTable() = default;
  virtual std::unique_ptr<WorkloadTable> clone() const = 0;
  const std::string& name() const { return name_; }
  const std::string& definition() const { return definition_; }
  // Rows the model holds.
  virtual size_t rows() const = 0;
  // Appends the statements of `operation` on this table to `out`, and changes the model.
  virtual void plan(Rng& rng, TableOperation operation, std::vector<PlannedStatement>& out) = 0;

  // The qualified name statements use; set once the schema is known.
  void set_schema(const std::string& schema);

 protected:
  std::string table_;

 private:
  std::string name_;
  std::string definition_;
};

// Live integer keys: O(1) add, erase and random pick, in an order that depends only on the
// sequence of calls (never on hashing).
class KeyPool {
 public:
  bool empty() const { return keys_.empty(); }
  size_t size() const { return keys_.size(); }
  void add(int64_t key);
  void erase(int64_t key);
  int64_t pick(Rng& rng) const { return keys_[rng.below(keys_.size())]; }

 private:
  std::vector<int64_t> keys_;
  std::unordered_map<int64_t, size_t> position_;
};

// The kinds; see the definitions in workload_tables.cpp for each one's columns.
std::unique_ptr<WorkloadTable> make_primary_key_table();      // keyed: BIGINT primary key
std::unique_ptr<WorkloadTable> make_composite_key_table();    // composite: (tenant, seq)
std::unique_ptr<WorkloadTable> make_unique_not_null_table();  // unique_code: NOT NULL unique only
std::unique_ptr<WorkloadTable> make_unique_nullable_table();  // unique_nullable: nullable unique only
std::unique_ptr<WorkloadTable> make_keyless_table();          // keyless: no key, identical rows
std::unique_ptr<WorkloadTable> make_every_type_table(bool large_values);  // all_types

}  // namespace ferry::testing
