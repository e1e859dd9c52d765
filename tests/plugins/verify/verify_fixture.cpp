#include "verify_fixture.hpp"

#include <fstream>
#include <stdexcept>
#include <sstream>

namespace ferry::testing {

void VerifyTest::SetUp() {
  const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  // Server names are at most 63 characters; the first 20 of a test's name are unique here.
  servers_ = std::make_unique<SyncFixture>("verify-" + name.substr(0, 20));
  task_ = servers_->task_file();
}

void VerifyTest::both(const std::string& sql) {
  up().connect().execute(sql);
  down().connect().execute(sql);
}

std::filesystem::path VerifyTest::task_with_downstream_password(const std::string& password) {
  std::ifstream in(task_);
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const std::string key = "    password: ";
  const auto sink = yaml.find("plugin: tidb");
  const auto line = sink == std::string::npos ? sink : yaml.find(key, sink);
  if (line == std::string::npos) throw std::runtime_error("the sync fixture's task file has no sink password:\n" + yaml);
  yaml.replace(line + key.size(), yaml.find('\n', line) - line - key.size(), password);
  const auto file = task_.parent_path() / "task-other-password.yaml";
  std::ofstream(file) << yaml;
  return file;
}

SplitCommandResult VerifyTest::ferry(std::vector<std::string> args) {
  args.insert(args.begin(), {FERRY_BINARY, "--plugin-dir", FERRY_PLUGIN_DIR});
  return run_command_split(args);
}

SplitCommandResult VerifyTest::verify(const std::vector<std::string>& args) {
  std::vector<std::string> all{"verify", task_.string()};
  all.insert(all.end(), args.begin(), args.end());
  return ferry(all);
}

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  }
  return out;
}

}  // namespace ferry::testing
