#include "support/workload.hpp"

#include "support/sql_text.hpp"

#include <stdexcept>

namespace ferry::testing {
namespace {

constexpr size_t kMessageLimit = 1500;  // statements may hold 200 KB literals

std::string abbreviate(std::string text) {
  if (text.size() > kMessageLimit) {
    text = text.substr(0, kMessageLimit) + "... (" + std::to_string(text.size()) + " bytes)";
  }
  return text;
}

std::unique_ptr<WorkloadTable> make_table(TableKind kind, const WorkloadOptions& options) {
  switch (kind) {
    case TableKind::PrimaryKey: return make_primary_key_table();
    case TableKind::CompositeKey: return make_composite_key_table();
    case TableKind::UniqueNotNull: return make_unique_not_null_table();
    case TableKind::UniqueNullable: return make_unique_nullable_table();
    case TableKind::Keyless: return make_keyless_table();
    case TableKind::EveryType: return make_every_type_table(options.large_values);
  }
  throw std::invalid_argument("unknown table kind");
}

}  // namespace

std::vector<TableKind> all_table_kinds() {
  return {TableKind::PrimaryKey, TableKind::CompositeKey, TableKind::UniqueNotNull,
          TableKind::UniqueNullable, TableKind::Keyless, TableKind::EveryType};
}

Workload::Workload(uint64_t seed, WorkloadOptions options) : rng_(seed), options_(std::move(options)) {
  if (options_.tables.empty()) throw std::invalid_argument("a workload needs at least one table kind");
  if (options_.transaction_size < 1) throw std::invalid_argument("transaction_size must be at least 1");
  for (TableKind kind : options_.tables) tables_.push_back(make_table(kind, options_));
}

Workload::~Workload() = default;

std::vector<std::string> Workload::tables() const {
  std::vector<std::string> names;
  for (const auto& t : tables_) names.push_back(schema_ + "." + t->name());
  return names;
}

void Workload::prepare_session(Connection& connection) {
  connection.execute("SET SESSION time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
}

void Workload::create_schema(Connection& connection, const std::string& schema) {
  prepare_session(connection);
  schema_ = schema;
  connection.execute("CREATE DATABASE " + sql_identifier(schema));
  for (auto& table : tables_) {
    table->set_schema(schema);
    connection.execute("CREATE TABLE " + sql_table(schema, table->name()) + " (" + table->definition() +
                       ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  }
  // The first rows, in transactions of 50 statements.
  std::vector<PlannedStatement> planned;
  for (auto& table : tables_) {
    while (table->rows() < static_cast<size_t>(options_.rows)) table->plan(rng_, TableOperation::Insert, planned);
  }
  for (size_t i = 0; i < planned.size(); i += 50) {
    connection.execute("BEGIN");
    for (size_t j = i; j < std::min(planned.size(), i + 50); ++j) execute(connection, planned[j]);
    connection.execute("COMMIT");
  }
  stats_ = {};
}

WorkloadStats Workload::run(Connection& connection, uint64_t transactions) {
  prepare_session(connection);
  for (uint64_t i = 0; i < transactions; ++i) run_transaction(connection);
  return stats_;
}

TableOperation Workload::pick_operation(const WorkloadTable& table) {
  // Weights of Insert, Update, KeyChange, Delete, Reuse, Special; a table drifting away from its
  // size is pulled back by trading inserts for deletes.
  int weights[] = {20, 30, 10, 15, 8, 17};
  const size_t size = table.rows();
  const size_t target = static_cast<size_t>(options_.rows);
  if (size * 4 > target * 5) {
    weights[0] = 8;
    weights[3] = 27;
  } else if (size * 4 < target * 3) {
    weights[0] = 32;
    weights[3] = 3;
  }
  int roll = static_cast<int>(rng_.below(100));
  for (int i = 0; i < 6; ++i) {
    if (roll < weights[i]) return static_cast<TableOperation>(i);
    roll -= weights[i];
  }
  return TableOperation::Special;
}

bool Workload::run_transaction(Connection& connection) {
  if (schema_.empty()) throw std::logic_error("Workload::run before create_schema");
  const bool autocommit = rng_.percent(options_.autocommit_percent);
  const bool rollback = !autocommit && rng_.percent(options_.rollback_percent);
  // The models go back to where they were when the server's tables do.
  std::vector<std::unique_ptr<WorkloadTable>> saved;
  if (rollback) {
    for (const auto& t : tables_) saved.push_back(t->clone());
  }
  std::vector<PlannedStatement> planned;
  const uint64_t operations = autocommit ? 1 : 1 + rng_.below(static_cast<uint64_t>(options_.transaction_size));
  for (uint64_t i = 0; i < operations; ++i) {
    WorkloadTable& table = *tables_[rng_.below(tables_.size())];
    table.plan(rng_, pick_operation(table), planned);
  }
  if (autocommit && planned.size() == 1) {
    execute(connection, planned[0]);
    ++stats_.committed;
    return true;
  }
  connection.execute("BEGIN");
  for (const auto& statement : planned) execute(connection, statement);
  if (rollback) {
    connection.execute("ROLLBACK");
    tables_ = std::move(saved);
    ++stats_.rolled_back;
    return false;
  }
  connection.execute("COMMIT");
  ++stats_.committed;
  return true;
}

void Workload::execute(Connection& connection, const PlannedStatement& statement) {
  try {
    connection.execute(statement.sql);
  } catch (const std::exception& e) {
    throw std::runtime_error("workload statement failed: " + abbreviate(e.what()));
  }
  ++stats_.statements;
  const uint64_t rows = mysql_affected_rows(connection.handle());
  if (rows < statement.min_rows || rows > statement.max_rows) {
    throw std::runtime_error("workload model diverged from the server: statement changed " + std::to_string(rows) +
                             " rows, expected " + std::to_string(statement.min_rows) + ".." +
                             (statement.max_rows == UINT64_MAX ? "any" : std::to_string(statement.max_rows)) +
                             ": " + abbreviate(statement.sql));
  }
}

}  // namespace ferry::testing
