// SqlConnection: one client connection (MariaDB Connector/C, utf8mb4, optional TLS) to the
// upstream or the downstream, for the read-only queries of a verify run. Sessions use UTC so
// that TIMESTAMP values print alike on both sides. Not thread-safe; owned by the verify run.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct st_mysql;

namespace ferry::verify {

struct TlsFiles {
  std::string ca;
  std::string cert;
  std::string key;
  bool enabled() const { return !ca.empty() || !cert.empty() || !key.empty(); }
};

// Where a server is and how to log in. `role` ("upstream", "downstream") names it in messages.
struct ServerAddress {
  std::string role;
  std::string host = "127.0.0.1";
  uint16_t port = 3306;
  std::string user;
  std::string password;
  TlsFiles tls;
  // "upstream root@127.0.0.1:3306": never the password.
  std::string describe() const;
};

// A failed connect or statement; the message names the server, never the password.
class SqlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using SqlRow = std::vector<std::optional<std::string>>;

class SqlConnection {
 public:
  SqlConnection() = default;
  ~SqlConnection();
  SqlConnection(const SqlConnection&) = delete;
  SqlConnection& operator=(const SqlConnection&) = delete;

  // Connects and sets the session up. Throws SqlError.
  void connect(const ServerAddress& address);
  // Runs a statement, dropping any result. Throws SqlError.
  void execute(const std::string& sql);
  // Runs a query and returns its rows as nullable text. Throws SqlError.
  std::vector<SqlRow> query(const std::string& sql);
  const ServerAddress& address() const { return address_; }

 private:
  [[noreturn]] void fail(const std::string& sql) const;
  void close();

  st_mysql* mysql_ = nullptr;
  ServerAddress address_;
};

}  // namespace ferry::verify
