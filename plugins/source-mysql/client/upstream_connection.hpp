// UpstreamConnection: one client connection to a MySQL or MariaDB server over MariaDB
// Connector/C, for queries (positions, schemas) and as the transport of a binlog stream. Not
// thread-safe; owned by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct st_mysql;

namespace ferry::mysql {

struct ConnectionOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 3306;
  std::string user;
  std::string password;
  uint32_t connect_timeout_s = 10;
  uint32_t read_timeout_s = 0;  // 0: none; a binlog stream sets it from the heartbeat period
};

enum class Flavor { MySQL, MariaDB };

// A failed connect or query: the server's error number (0 when the client failed) and message.
struct UpstreamError {
  unsigned int code = 0;
  std::string message;
  bool connection_lost() const;  // 2006, 2013 and friends: reconnecting can help
};

class UpstreamConnection {
 public:
  UpstreamConnection() = default;
  ~UpstreamConnection();
  UpstreamConnection(const UpstreamConnection&) = delete;
  UpstreamConnection& operator=(const UpstreamConnection&) = delete;

  // Connects; on failure returns the error (the password never appears in it).
  std::optional<UpstreamError> connect(const ConnectionOptions& options);
  void close();
  bool connected() const { return mysql_ != nullptr; }

  // Runs a statement that returns no rows.
  std::optional<UpstreamError> execute(const std::string& sql);
  // Runs a query; rows of nullable text cells.
  std::optional<UpstreamError> query(const std::string& sql, std::vector<std::vector<std::optional<std::string>>>& rows);

  Flavor flavor() const { return flavor_; }
  const std::string& server_version() const { return version_; }
  st_mysql* handle() const { return mysql_; }
  UpstreamError last_error() const;

  // `s` as a single-quoted SQL string literal, with quotes and backslashes escaped.
  static std::string quote(const std::string& s);
  // `name` as a back-quoted identifier, with back-quotes doubled.
  static std::string identifier(const std::string& name);

 private:
  st_mysql* mysql_ = nullptr;
  Flavor flavor_ = Flavor::MySQL;
  std::string version_;
};

}  // namespace ferry::mysql
