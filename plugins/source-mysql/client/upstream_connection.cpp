#include "client/upstream_connection.hpp"

#include <mysql.h>

namespace ferry::mysql {

bool UpstreamError::connection_lost() const {
  // CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_CONN_HOST_ERROR, CR_CONNECTION_ERROR,
  // CR_SERVER_LOST_EXTENDED, ER_CONNECTION_KILLED, ER_SERVER_SHUTDOWN
  return code == 2006 || code == 2013 || code == 2003 || code == 2002 || code == 2055 || code == 1927 || code == 1053 ||
         code == 0;
}

UpstreamConnection::~UpstreamConnection() { close(); }

std::string UpstreamConnection::quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string UpstreamConnection::identifier(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

void UpstreamConnection::close() {
  if (mysql_ != nullptr) {
    mysql_close(mysql_);
    mysql_ = nullptr;
  }
}

UpstreamError UpstreamConnection::last_error() const {
  if (mysql_ == nullptr) return {0, "not connected"};
  return {mysql_errno(mysql_), mysql_error(mysql_)};
}

std::optional<UpstreamError> UpstreamConnection::connect(const ConnectionOptions& o) {
  close();
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) return UpstreamError{0, "out of memory creating a connection"};
  unsigned int timeout = o.connect_timeout_s;
  mysql_optionsv(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  if (o.read_timeout_s > 0) {
    unsigned int read_timeout = o.read_timeout_s;
    mysql_optionsv(mysql_, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  }
  if (mysql_real_connect(mysql_, o.host.c_str(), o.user.c_str(), o.password.c_str(), nullptr, o.port, nullptr, 0) ==
      nullptr) {
    UpstreamError e = last_error();
    e.message = "cannot connect to " + o.user + "@" + o.host + ":" + std::to_string(o.port) + ": " + e.message;
    close();
    return e;
  }
  mysql_set_character_set(mysql_, "utf8mb4");
  version_ = mysql_get_server_info(mysql_);
  flavor_ = version_.find("MariaDB") != std::string::npos ? Flavor::MariaDB : Flavor::MySQL;
  return std::nullopt;
}

std::optional<UpstreamError> UpstreamConnection::execute(const std::string& sql) {
  if (mysql_ == nullptr) return UpstreamError{0, "not connected"};
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
    UpstreamError e = last_error();
    e.message += " (running: " + sql + ")";
    return e;
  }
  if (MYSQL_RES* r = mysql_store_result(mysql_)) mysql_free_result(r);
  return std::nullopt;
}

std::optional<UpstreamError> UpstreamConnection::query(const std::string& sql,
                                                       std::vector<std::vector<std::optional<std::string>>>& rows) {
  rows.clear();
  if (mysql_ == nullptr) return UpstreamError{0, "not connected"};
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
    UpstreamError e = last_error();
    e.message += " (running: " + sql + ")";
    return e;
  }
  MYSQL_RES* result = mysql_store_result(mysql_);
  if (result == nullptr) {
    if (mysql_errno(mysql_) != 0) return last_error();
    return std::nullopt;
  }
  const unsigned int n = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    unsigned long* lengths = mysql_fetch_lengths(result);
    std::vector<std::optional<std::string>> out(n);
    for (unsigned int i = 0; i < n; ++i) {
      if (row[i] != nullptr) out[i] = std::string(row[i], lengths[i]);
    }
    rows.push_back(std::move(out));
  }
  mysql_free_result(result);
  return std::nullopt;
}

}  // namespace ferry::mysql
