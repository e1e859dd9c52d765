// A reproducible mixed write workload for sync tests and benchmarks: a schema of tables of every
// key shape (a primary key, a composite one, only a NOT NULL unique key, only a nullable unique
// key, no key at all with identical rows, and a table with a column of every type), then
// transactions of inserts, updates, key changes, reused keys, deletes, upserts and multi-row
// statements across those tables; some single autocommitted statements, some rolled back.
//
//   Workload w(seed, options);
//   w.create_schema(conn, "db");
//   w.run(conn, 500);               // or WorkloadRunner (support/workload_runner.hpp)
//
// Deterministic: the same seed and options write the same statements, so the same data, on any
// server and platform, as long as the statements run in order on one connection. The workload
// keeps a model of the keys (and of keyless rows) it wrote and checks every statement's affected
// row count against it, so it throws rather than carry on from a state it did not expect.
#pragma once

#include "support/connection.hpp"
#include "support/random.hpp"
#include "support/workload_tables.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ferry::testing {

enum class TableKind {
  PrimaryKey,      // `keyed`: BIGINT primary key, a secondary index, DECIMAL and TEXT payload
  CompositeKey,    // `composite`: PRIMARY KEY (tenant, seq); either part moves
  UniqueNotNull,   // `unique_code`: no primary key, UNIQUE (code) with code NOT NULL
  UniqueNullable,  // `unique_nullable`: no primary key, UNIQUE (u) with u nullable
  Keyless,         // `keyless`: no key; identical rows; collation-equal strings
  EveryType,       // `all_types`: BIGINT primary key and a nullable column of every type
};

std::vector<TableKind> all_table_kinds();

struct WorkloadOptions {
  std::vector<TableKind> tables = all_table_kinds();
  // Rows create_schema() writes to each table; run() keeps each table near this size.
  int rows = 100;
  // A transaction holds 1..transaction_size operations (an operation is one statement, or two
  // for a key freed and reused), each on a table chosen at random.
  int transaction_size = 6;
  // Transactions ended by ROLLBACK instead of COMMIT.
  int rollback_percent = 5;
  // Single statements run with autocommit, no BEGIN/COMMIT around them.
  int autocommit_percent = 10;
  // BLOB and TEXT values over 64 KiB, one value in 200 of those columns in all_types.
  bool large_values = true;
};

// Counted in transactions: a committed one is on the server and in its binlog (an autocommitted
// statement counts as one), a rolled back one left no trace.
struct WorkloadStats {
  uint64_t committed = 0;
  uint64_t rolled_back = 0;
  uint64_t statements = 0;  // run, in both kinds
};

// Owns the random source and the models; not thread-safe (WorkloadRunner drives one from its
// own thread). The connection passed to each call belongs to the caller; the workload sets its
// session's time_zone and sql_mode.
class Workload {
 public:
  explicit Workload(uint64_t seed, WorkloadOptions options = {});
  ~Workload();
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  // Creates `schema` (which must not exist) and its tables, and writes options.rows rows to each.
  // Throws std::runtime_error when a statement fails.
  void create_schema(Connection& connection, const std::string& schema);
  // Runs `transactions` more transactions of the sequence (committed or rolled back). Throws
  // std::runtime_error when a statement fails or changes a number of rows the model does not
  // expect; the transaction it was in is left open then.
  WorkloadStats run(Connection& connection, uint64_t transactions);
  // One transaction: true if it was committed. The connection's session must have been
  // prepared (run() and create_schema() do that themselves).
  bool run_transaction(Connection& connection);
  // Sets the session variables the workload's literals assume: time_zone '+00:00' (TIMESTAMP
  // values) and a strict sql_mode that allows zero dates.
  static void prepare_session(Connection& connection);

  const std::string& schema() const { return schema_; }
  // "schema.table" of every table it writes, in creation order.
  std::vector<std::string> tables() const;
  // Totals over every run() so far (create_schema's writes are not counted).
  const WorkloadStats& stats() const { return stats_; }

 private:
  void execute(Connection& connection, const PlannedStatement& statement);
  TableOperation pick_operation(const WorkloadTable& table);

  Rng rng_;
  WorkloadOptions options_;
  std::string schema_;
  std::vector<std::unique_ptr<WorkloadTable>> tables_;
  WorkloadStats stats_;
};

}  // namespace ferry::testing
