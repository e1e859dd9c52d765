// `ferry verify` against real servers: the sync tests' fixture (an upstream and a downstream
// MariaDB, fresh for each test, and a native mysql-binlog -> tidb task file between them) and the
// real ferry binary run to completion with stdout and stderr apart.
#pragma once

#include "sync_fixture.hpp"
#include "support/run_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ferry::testing {

class VerifyTest : public ::testing::Test {
 public:
  // `ferry --plugin-dir DIR ...args`.
  static SplitCommandResult ferry(std::vector<std::string> args);

 protected:
  void SetUp() override;

  MariadbServer& up() { return servers_->up(); }
  MariadbServer& down() { return servers_->down(); }
  // Runs `sql` on both servers.
  void both(const std::string& sql);
  // A copy of the task file whose sink logs in with `password`.
  std::filesystem::path task_with_downstream_password(const std::string& password);
  // `ferry verify TASK args...`.
  SplitCommandResult verify(const std::vector<std::string>& args = {});

  std::filesystem::path task_;

 private:
  std::unique_ptr<SyncFixture> servers_;
};

// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix);

}  // namespace ferry::testing
