#include "support/connection.hpp"

#include <mutex>
#include <stdexcept>
#include <utility>

namespace ferry::testing {
namespace {

// mysql_init() initializes the library on first use, which is not thread-safe; do it once here.
void init_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (mysql_library_init(0, nullptr, nullptr) != 0) {
      throw std::runtime_error("mysql_library_init failed");
    }
  });
}

// Frees a result set on every exit path.
struct ResultGuard {
  MYSQL_RES* res;
  ~ResultGuard() {
    if (res) mysql_free_result(res);
  }
};

}  // namespace

Connection::Connection(const std::string& host, int port, const std::string& user,
                       const std::string& password, const std::string& database) {
  init_library();
  mysql_ = mysql_init(nullptr);
  if (!mysql_) throw std::runtime_error("mysql_init: out of memory");
  unsigned int connect_timeout = 10;
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (!mysql_real_connect(mysql_, host.c_str(), user.c_str(), password.c_str(),
                          database.empty() ? nullptr : database.c_str(),
                          static_cast<unsigned int>(port), nullptr, 0)) {
    std::string message = "cannot connect to " + user + "@" + host + ":" + std::to_string(port) +
                          ": mariadb error " + std::to_string(mysql_errno(mysql_)) + ": " +
                          mysql_error(mysql_);
    mysql_close(mysql_);
    mysql_ = nullptr;
    throw std::runtime_error(message);
  }
}

Connection::~Connection() {
  if (mysql_) mysql_close(mysql_);
}

Connection::Connection(Connection&& other) noexcept : mysql_(std::exchange(other.mysql_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (mysql_) mysql_close(mysql_);
    mysql_ = std::exchange(other.mysql_, nullptr);
  }
  return *this;
}

void Connection::fail(std::string_view sql) const {
  throw std::runtime_error("mariadb error " + std::to_string(mysql_errno(mysql_)) + " (" +
                           mysql_sqlstate(mysql_) + "): " + mysql_error(mysql_) +
                           "; sql: " + std::string(sql));
}

void Connection::run(std::string_view sql) {
  if (!mysql_) throw std::runtime_error("connection used after move; sql: " + std::string(sql));
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) fail(sql);
}

void Connection::execute(std::string_view sql) {
  run(sql);
  // A statement that returns rows (SELECT, SHOW) must have them read, or the connection is stuck.
  if (mysql_field_count(mysql_) > 0) {
    ResultGuard guard{mysql_use_result(mysql_)};
    if (!guard.res) fail(sql);
    while (mysql_fetch_row(guard.res)) {
    }
    if (mysql_errno(mysql_) != 0) fail(sql);
  }
}

Rows Connection::query(std::string_view sql) {
  run(sql);
  Rows rows;
  if (mysql_field_count(mysql_) == 0) return rows;
  ResultGuard guard{mysql_store_result(mysql_)};
  if (!guard.res) fail(sql);
  const unsigned int columns = mysql_num_fields(guard.res);
  while (MYSQL_ROW values = mysql_fetch_row(guard.res)) {
    const unsigned long* lengths = mysql_fetch_lengths(guard.res);
    Row& row = rows.emplace_back();
    row.reserve(columns);
    for (unsigned int i = 0; i < columns; ++i) {
      if (values[i]) {
        row.emplace_back(std::string(values[i], lengths[i]));  // lengths: values may hold '\0'
      } else {
        row.emplace_back(std::nullopt);
      }
    }
  }
  return rows;
}

std::optional<std::string> Connection::query_value(std::string_view sql) {
  Rows rows = query(sql);
  if (rows.size() != 1 || rows[0].size() != 1) {
    throw std::runtime_error("expected one row of one column, got " + std::to_string(rows.size()) +
                             " rows of " + std::to_string(rows.empty() ? 0 : rows[0].size()) +
                             " columns; sql: " + std::string(sql));
  }
  return std::move(rows[0][0]);
}

}  // namespace ferry::testing
