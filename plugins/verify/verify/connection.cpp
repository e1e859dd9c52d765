#include "verify/connection.hpp"

#include <mysql.h>

namespace ferry::verify {

std::string ServerAddress::describe() const {
  return role + " " + user + "@" + host + ":" + std::to_string(port);
}

SqlConnection::~SqlConnection() { close(); }

void SqlConnection::close() {
  if (mysql_ != nullptr) mysql_close(mysql_);
  mysql_ = nullptr;
}

void SqlConnection::fail(const std::string& sql) const {
  std::string message = address_.describe() + ": error " + std::to_string(mysql_errno(mysql_)) + ": " + mysql_error(mysql_);
  if (!sql.empty()) message += " (running: " + sql + ")";
  throw SqlError(message);
}

void SqlConnection::connect(const ServerAddress& address) {
  close();
  address_ = address;
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) throw SqlError(address.describe() + ": out of memory creating a connection");
  mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const unsigned int timeout_s = 10;
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout_s);
  if (address.tls.enabled()) {
    const auto or_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    mysql_ssl_set(mysql_, or_null(address.tls.key), or_null(address.tls.cert), or_null(address.tls.ca), nullptr, nullptr);
    my_bool verify = address.tls.ca.empty() ? 0 : 1;
    mysql_options(mysql_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  if (mysql_real_connect(mysql_, address.host.c_str(), address.user.c_str(), address.password.c_str(), nullptr,
                         address.port, nullptr, 0) == nullptr) {
    const std::string message = "cannot connect to " + address.describe() + ": " + mysql_error(mysql_);
    close();
    throw SqlError(message);
  }
  execute("SET SESSION time_zone = '+00:00'");
}

void SqlConnection::execute(const std::string& sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) fail(sql);
  if (MYSQL_RES* result = mysql_store_result(mysql_)) mysql_free_result(result);
}

std::vector<SqlRow> SqlConnection::query(const std::string& sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) fail(sql);
  MYSQL_RES* result = mysql_store_result(mysql_);
  std::vector<SqlRow> rows;
  if (result == nullptr) {
    if (mysql_field_count(mysql_) != 0) fail(sql);
    return rows;
  }
  const unsigned int columns = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const unsigned long* lengths = mysql_fetch_lengths(result);
    SqlRow& out = rows.emplace_back(columns);
    for (unsigned int i = 0; i < columns; ++i) {
      if (row[i] != nullptr) out[i] = std::string(row[i], lengths[i]);
    }
  }
  mysql_free_result(result);
  return rows;
}

}  // namespace ferry::verify
