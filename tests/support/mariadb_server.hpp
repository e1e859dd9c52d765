// A real, throwaway MariaDB server for integration tests, run through scripts/mariadb-server.sh.
#pragma once

#include "support/connection.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::testing {

// Starts its own server in the constructor (fresh data directory, free port on 127.0.0.1, binlog
// defaults of a migration source) and stops it and deletes its directory in the destructor.
// Neither copyable nor movable: hold it by value in a test, or in a std::optional or unique_ptr.
// Its accessors may be called from any thread; each Connection belongs to the thread using it.
// stop(), start() and restart() are for one thread at a time; the accessors stay valid throughout.
class MariadbServer {
 public:
  // `name_prefix` becomes "<prefix>-<pid>-<n>", unique within the servers directory.
  // `set_options` are passed on as `--set key=value` (for example "binlog_row_image=MINIMAL").
  // Throws std::runtime_error with the script's output (including the server's error log tail)
  // if the server does not start; nothing is left behind then.
  explicit MariadbServer(std::string_view name_prefix, std::vector<std::string> set_options = {});
  ~MariadbServer();
  MariadbServer(const MariadbServer&) = delete;
  MariadbServer& operator=(const MariadbServer&) = delete;

  const std::string& name() const { return name_; }
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  const std::filesystem::path& socket() const { return socket_; }
  const std::filesystem::path& datadir() const { return datadir_; }
  // The server's own directory (my.cnf, error.log, mariadbd.pid, data/).
  std::filesystem::path directory() const { return datadir_.parent_path(); }

  // A new connection as the test user (who has ALL PRIVILEGES WITH GRANT OPTION).
  Connection connect(const std::string& database = {}) const;

  // Shuts the server down cleanly and keeps its directory: connections to it fail from now on
  // (their next statement throws) until start(). Throws std::runtime_error if the shutdown fails.
  void stop();
  // Starts a stopped server again with the same data, on the same port (so that a client
  // configured with port() finds it again), and returns once it answers. `extra_set_options` are
  // added to those it had (a later value of the same option wins). Connections made before the
  // stop stay broken: make new ones. Throws std::runtime_error with the script's output if it
  // does not start, for example when another process took the port meanwhile.
  void start(std::vector<std::string> extra_set_options = {});
  // stop() then start(): a downstream that goes away mid-sync and comes back.
  void restart(std::vector<std::string> extra_set_options = {});
  // Whether the server is up, as the script sees it (its pid is alive), whoever stopped it.
  bool running() const;

 private:
  std::string name_;
  std::string host_;
  int port_ = 0;
  std::string user_;
  std::string password_;
  std::filesystem::path socket_;
  std::filesystem::path datadir_;
};

// Absolute path of scripts/mariadb-server.sh in this source tree.
const std::string& mariadb_server_script();

// Where the script puts servers: $FERRY_SERVERS_DIR, or /tmp/ferry-servers (the script's default).
std::filesystem::path servers_directory();

}  // namespace ferry::testing
