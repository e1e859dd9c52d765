// DownstreamConnection: one connection to the downstream (TiDB, MySQL, MariaDB) over MariaDB
// Connector/C with multi-statement scripts, the session settings a sync needs, and TLS. Not
// thread-safe: each DML worker owns one.
#pragma once

#include "downstream/downstream_error.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct st_mysql;

namespace ferry::tidb {

struct TlsOptions {
  std::string ca;
  std::string cert;
  std::string key;
  bool enabled() const { return !ca.empty() || !cert.empty() || !key.empty(); }
};

struct DownstreamOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4000;
  std::string user;
  std::string password;
  TlsOptions tls;
  // SET SESSION name = value after connecting, in order (values are SQL expressions as given).
  std::vector<std::pair<std::string, std::string>> session;
  std::vector<std::string> init_statements;  // run after the session settings
  uint32_t connect_timeout_s = 10;
  uint32_t read_timeout_s = 600;  // a statement running longer than this is treated as lost
  bool local_infile = false;      // allow LOAD DATA LOCAL INFILE (the load streams rows with it)
};

using ResultRows = std::vector<std::vector<std::optional<std::string>>>;

class DownstreamConnection {
 public:
  DownstreamConnection() = default;
  ~DownstreamConnection();
  DownstreamConnection(const DownstreamConnection&) = delete;
  DownstreamConnection& operator=(const DownstreamConnection&) = delete;

  // Connects and applies the session settings. The password never appears in an error.
  std::optional<DownstreamError> connect(const DownstreamOptions& options);
  void close();
  bool connected() const { return mysql_ != nullptr; }

  // Runs one or more statements separated by ';' in one round trip. Stops at the first failing
  // statement and returns its error with its index; `affected` gets each executed statement's
  // affected-row count when given.
  std::optional<DownstreamError> execute(std::string_view sql, std::vector<uint64_t>* affected = nullptr);
  // Runs one query and returns its rows as nullable text.
  std::optional<DownstreamError> query(std::string_view sql, ResultRows& rows);

  // Whether the session's sql_mode has NO_BACKSLASH_ESCAPES (string literals are rendered for it).
  bool no_backslash_escapes() const;

  const std::string& server_version() const { return version_; }
  st_mysql* handle() const { return mysql_; }  // for what the wrapper does not cover (local infile)
  bool is_tidb() const { return version_.find("TiDB") != std::string::npos; }
  // The server runs a prepared statement for arrays of parameters in one round trip (MariaDB's
  // COM_STMT_BULK_EXECUTE; MySQL and TiDB do not).
  bool offers_bulk_execution() const;
  // The server's id of this session (CONNECTION_ID()), kept after close(): a reconnecting
  // owner may need to end its previous session.
  uint64_t session_id() const { return session_id_; }

 private:
  DownstreamError last_error(int statement = -1) const;
  std::optional<DownstreamError> drain_results(int& index, std::vector<uint64_t>* affected);

  st_mysql* mysql_ = nullptr;
  std::string version_;
  uint64_t session_id_ = 0;
};

}  // namespace ferry::tidb
