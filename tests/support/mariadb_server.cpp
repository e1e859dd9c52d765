#include "support/mariadb_server.hpp"

#include "support/run_command.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <random>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace ferry::testing {
namespace {

// gtest_discover_tests runs each test in its own process, and one test may start several
// servers: the pid and a counter tell them apart among live servers. A random part too: pids
// wrap (pid_max is 32768 here) during a long run, and a directory left by a killed test under
// the same name would be started again as a kept server, old binlogs included (a CRC32 binlog
// file turned up in a binlog_checksum=NONE server's list that way).
std::string unique_name(std::string_view prefix) {
  static std::atomic<int> serial{0};
  static const unsigned salt = std::random_device{}() & 0xffffu;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%04x", salt);
  return std::string(prefix) + "-" + std::to_string(getpid()) + hex + "-" + std::to_string(++serial);
}

CommandResult run_script(std::vector<std::string> args) {
  // Through bash explicitly, so a checkout that lost the executable bit still works.
  args.insert(args.begin(), {"/bin/bash", mariadb_server_script()});
  return run_command(args);
}

// Undoes bash's `printf %q` for the values the script prints: backslash escapes and '' for an
// empty string. $'...' (control characters) never occurs in a path we would accept.
std::string shell_unquote(const std::string& quoted) {
  if (quoted == "''") return {};
  if (quoted.rfind("$'", 0) == 0) throw std::runtime_error("unsupported quoting: " + quoted);
  std::string out;
  for (size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 1 < quoted.size()) ++i;
    out += quoted[i];
  }
  return out;
}

// "FERRY_<NAME>_PORT=123" lines -> {"PORT": "123"}. NAME may itself contain '_', so the field is
// what follows the last one.
std::map<std::string, std::string> parse_env(const std::string& output) {
  std::map<std::string, std::string> fields;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos || line.rfind("FERRY_", 0) != 0) continue;
    std::string key = line.substr(0, eq);
    fields[key.substr(key.rfind('_') + 1)] = shell_unquote(line.substr(eq + 1));
  }
  return fields;
}

const std::string& field(const std::map<std::string, std::string>& fields, const std::string& key,
                         const std::string& output) {
  auto it = fields.find(key);
  if (it == fields.end()) {
    throw std::runtime_error("mariadb-server.sh env printed no " + key + ":\n" + output);
  }
  return it->second;
}

}  // namespace

const std::string& mariadb_server_script() {
  static const std::string path = FERRY_MARIADB_SERVER_SCRIPT;
  return path;
}

std::filesystem::path servers_directory() {
  const char* dir = std::getenv("FERRY_SERVERS_DIR");
  return std::filesystem::weakly_canonical(
      std::filesystem::absolute(dir && *dir ? dir : "/tmp/ferry-servers"));
}

MariadbServer::MariadbServer(std::string_view name_prefix, std::vector<std::string> set_options)
    : name_(unique_name(name_prefix)) {
  std::vector<std::string> args{"start", name_};
  for (auto& option : set_options) {
    args.push_back("--set");
    args.push_back(std::move(option));
  }
  CommandResult started = run_script(args);
  // The destructor will not run if we throw, so clean up here; the script's output already
  // holds the error log tail, which is all the directory could tell.
  auto cleanup_and_throw = [&](const std::string& why) {
    run_script({"stop", name_});
    throw std::runtime_error("cannot start MariaDB server " + name_ + ": " + why);
  };
  if (started.exit_code != 0) {
    cleanup_and_throw("mariadb-server.sh start exited with " + std::to_string(started.exit_code) +
                      ":\n" + started.output);
  }
  std::cerr << started.output;  // one line: name, pid, port, start-up time

  CommandResult env = run_script({"env", name_});
  try {
    if (env.exit_code != 0) throw std::runtime_error(env.output);
    auto fields = parse_env(env.output);
    host_ = field(fields, "HOST", env.output);
    port_ = std::stoi(field(fields, "PORT", env.output));
    user_ = field(fields, "USER", env.output);
    password_ = field(fields, "PASSWORD", env.output);
    socket_ = field(fields, "SOCKET", env.output);
    datadir_ = field(fields, "DATADIR", env.output);
  } catch (const std::exception& e) {
    cleanup_and_throw(std::string("mariadb-server.sh env failed: ") + e.what());
  }
}

MariadbServer::~MariadbServer() {
  // A destructor must not throw; a failed stop is reported so that leftovers can be traced.
  if (const char* keep = std::getenv("FERRY_KEEP_SERVERS"); keep != nullptr && *keep != '\0') {
    // For a post-mortem of a failed test: the server stays up; stop it by name afterwards.
    std::cerr << "FERRY_KEEP_SERVERS: left server " << name_ << " running on port " << port_ << "\n";
    return;
  }
  try {
    CommandResult stopped = run_script({"stop", name_});
    if (stopped.exit_code != 0) {
      std::cerr << "warning: stopping MariaDB server " << name_ << " failed:\n" << stopped.output;
    }
  } catch (const std::exception& e) {
    std::cerr << "warning: stopping MariaDB server " << name_ << " failed: " << e.what() << "\n";
  }
}

Connection MariadbServer::connect(const std::string& database) const {
  return Connection(host_, port_, user_, password_, database);
}

void MariadbServer::stop() {
  CommandResult stopped = run_script({"stop", name_, "--keep"});
  if (stopped.exit_code != 0) {
    throw std::runtime_error("cannot stop MariaDB server " + name_ + ":\n" + stopped.output);
  }
}

void MariadbServer::start(std::vector<std::string> extra_set_options) {
  // The port is given explicitly: if someone else took it while the server was down, failing
  // is right, since clients (ferry's task file) know the server by that port.
  std::vector<std::string> args{"start", name_, "--port", std::to_string(port_)};
  for (auto& option : extra_set_options) {
    args.push_back("--set");
    args.push_back(std::move(option));
  }
  CommandResult started = run_script(args);
  if (started.exit_code != 0) {
    throw std::runtime_error("cannot restart MariaDB server " + name_ + ": mariadb-server.sh start exited with " +
                             std::to_string(started.exit_code) + ":\n" + started.output);
  }
  std::cerr << started.output;
}

void MariadbServer::restart(std::vector<std::string> extra_set_options) {
  stop();
  start(std::move(extra_set_options));
}

bool MariadbServer::running() const {
  CommandResult status = run_script({"status", name_});
  if (status.exit_code != 0 && status.exit_code != 3) {
    throw std::runtime_error("mariadb-server.sh status " + name_ + " failed:\n" + status.output);
  }
  return status.exit_code == 0;
}

}  // namespace ferry::testing
