#include "downstream/downstream_connection.hpp"

#include <errmsg.h>
#include <mysql.h>

namespace ferry::tidb {

DownstreamConnection::~DownstreamConnection() { close(); }

void DownstreamConnection::close() {
  if (mysql_ != nullptr) {
    mysql_close(mysql_);
    mysql_ = nullptr;
  }
}

DownstreamError DownstreamConnection::last_error(int statement) const {
  return DownstreamError{mysql_errno(mysql_), mysql_error(mysql_), statement};
}

std::optional<DownstreamError> DownstreamConnection::connect(const DownstreamOptions& o) {
  close();
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) return DownstreamError{0, "out of memory creating a client connection"};
  mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &o.connect_timeout_s);
  if (o.read_timeout_s > 0) {
    mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &o.read_timeout_s);
    mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &o.read_timeout_s);
  }
  if (o.local_infile) {
    unsigned int on = 1;
    mysql_options(mysql_, MYSQL_OPT_LOCAL_INFILE, &on);
  }
  if (o.tls.enabled()) {
    mysql_ssl_set(mysql_, o.tls.key.empty() ? nullptr : o.tls.key.c_str(), o.tls.cert.empty() ? nullptr : o.tls.cert.c_str(),
                  o.tls.ca.empty() ? nullptr : o.tls.ca.c_str(), nullptr, nullptr);
    my_bool verify = o.tls.ca.empty() ? 0 : 1;
    mysql_options(mysql_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  if (mysql_real_connect(mysql_, o.host.c_str(), o.user.c_str(), o.password.c_str(), nullptr, o.port, nullptr,
                         CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS) == nullptr) {
    DownstreamError e = last_error();
    e.message = "cannot connect to " + o.host + ":" + std::to_string(o.port) + " as " + o.user + ": " + e.message;
    close();
    return e;
  }
  version_ = mysql_get_server_info(mysql_);
  session_id_ = mysql_thread_id(mysql_);
  for (const auto& [name, value] : o.session) {
    const std::string sql = "SET SESSION " + name + " = " + value;
    if (auto e = execute(sql)) {
      e->message = "session setting `" + sql + "` failed: " + e->message;
      close();
      return e;
    }
  }
  for (const auto& sql : o.init_statements) {
    if (auto e = execute(sql)) {
      e->message = "`" + sql + "` failed: " + e->message;
      close();
      return e;
    }
  }
  return std::nullopt;
}

std::optional<DownstreamError> DownstreamConnection::drain_results(int& index, std::vector<uint64_t>* affected) {
  while (true) {
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (res != nullptr) {
      mysql_free_result(res);
    } else if (mysql_field_count(mysql_) != 0) {
      return last_error(index);
    }
    if (affected != nullptr) affected->push_back(res != nullptr ? 0 : mysql_affected_rows(mysql_));
    const int next = mysql_next_result(mysql_);
    if (next == -1) return std::nullopt;  // no more results
    ++index;
    if (next > 0) return last_error(index);
  }
}

bool DownstreamConnection::offers_bulk_execution() const {
  if (mysql_ == nullptr || is_tidb()) return false;
  unsigned long extended = 0;  // the capabilities past the first 32 bits, shifted down
  if (mariadb_get_infov(mysql_, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &extended) != 0) return false;
  return (extended & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
}

std::optional<DownstreamError> DownstreamConnection::execute(std::string_view sql, std::vector<uint64_t>* affected) {
  if (mysql_ == nullptr) return DownstreamError{CR_SERVER_GONE_ERROR, "not connected"};
  int index = 0;
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return last_error(index);
  return drain_results(index, affected);
}

std::optional<DownstreamError> DownstreamConnection::query(std::string_view sql, ResultRows& rows) {
  rows.clear();
  if (mysql_ == nullptr) return DownstreamError{CR_SERVER_GONE_ERROR, "not connected"};
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return last_error(0);
  MYSQL_RES* res = mysql_store_result(mysql_);
  if (res == nullptr) {
    if (mysql_field_count(mysql_) != 0) return last_error(0);
    return std::nullopt;
  }
  const unsigned n = mysql_num_fields(res);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    const unsigned long* lengths = mysql_fetch_lengths(res);
    auto& out = rows.emplace_back();
    for (unsigned i = 0; i < n; ++i) {
      if (row[i] == nullptr) {
        out.emplace_back(std::nullopt);
      } else {
        out.emplace_back(std::string(row[i], lengths[i]));
      }
    }
  }
  mysql_free_result(res);
  while (mysql_next_result(mysql_) == 0) {
    if (MYSQL_RES* extra = mysql_store_result(mysql_)) mysql_free_result(extra);
  }
  return std::nullopt;
}

bool DownstreamConnection::no_backslash_escapes() const {
  return mysql_ != nullptr && (mysql_->server_status & SERVER_STATUS_NO_BACKSLASH_ESCAPES) != 0;
}

}  // namespace ferry::tidb
