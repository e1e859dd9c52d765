// A client connection for tests: runs SQL on a server and returns results as plain strings.
#pragma once

#include <mysql.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::testing {

// One row of a result: each column as text, std::nullopt for SQL NULL.
using Row = std::vector<std::optional<std::string>>;
using Rows = std::vector<Row>;

// Owns one MYSQL* over TCP with utf8mb4. Movable, not copyable; use from one thread at a time.
// Every failure throws std::runtime_error with the server's error code and message, and the SQL.
class Connection {
 public:
  Connection(const std::string& host, int port, const std::string& user,
             const std::string& password, const std::string& database = {});
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement; any result set it returns is read and dropped.
  void execute(std::string_view sql);
  // Runs one statement and returns its rows (none for a statement without a result set).
  Rows query(std::string_view sql);
  // Runs a query that must return exactly one row of one column, and returns that value.
  std::optional<std::string> query_value(std::string_view sql);

  // The underlying handle, for tests that need the C API directly (binlog streaming). Owned by
  // this object; valid until it is destroyed or moved from.
  MYSQL* handle() { return mysql_; }

 private:
  [[noreturn]] void fail(std::string_view sql) const;
  void run(std::string_view sql);

  MYSQL* mysql_ = nullptr;
};

}  // namespace ferry::testing
