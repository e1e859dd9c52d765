// Which tables a verify run compares, and where each lives downstream.
#pragma once

#include "verify/connection.hpp"
#include "verify/verify_options.hpp"

#include <compare>
#include <string>
#include <vector>

namespace ferry::verify {

struct TableName {
  std::string schema;
  std::string table;
  std::string qualified() const { return schema + "." + table; }  // for output
  std::string sql() const;                                        // `schema`.`table`
  auto operator<=>(const TableName&) const = default;
};

// The upstream tables to compare, sorted and without duplicates: with `databases` and/or
// `tables` in the options, the base tables of those schemas plus those tables (a listed table
// need not exist: it is reported missing); otherwise every base table of every schema except
// the system schemas and the meta schema. Throws SqlError.
std::vector<TableName> tables_to_verify(SqlConnection& upstream, const VerifyOptions& options);

// The downstream name of an upstream table. Routing (DM's routes, the `route` transform) is not
// applied yet, so this is the same name; when it is, the task's route rules are read here (core
// passes the first phase's transforms in the task JSON) and every caller follows.
TableName downstream_name(const TableName& upstream);

// Whether a base table of that name exists on the server. Throws SqlError.
bool table_exists(SqlConnection& connection, const TableName& table);

}  // namespace ferry::verify
