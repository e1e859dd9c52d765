// Golden task files: each golden/NAME.yaml must produce exactly the diagnostics in
// golden/NAME.expected (file:line:col: message, sorted by position; empty = valid).
#include "config/task_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ferry::core::config {
namespace {

const std::filesystem::path kGolden = GOLDEN_DIR;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class GoldenTaskFile : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTaskFile, ReportsExactlyTheExpectedDiagnostics) {
  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  const auto file = kGolden / (GetParam() + ".yaml");
  std::string got;
  try {
    load_task_file(file, registry);
  } catch (const TaskFileError& e) {
    got = e.diagnostics().to_string();
    // Name files relative to the golden folder, as the .expected files do.
    const std::string prefix = kGolden.string() + "/";
    for (size_t at; (at = got.find(prefix)) != std::string::npos;) got.erase(at, prefix.size());
  }
  EXPECT_EQ(got, read(kGolden / (GetParam() + ".expected")));
}

std::vector<std::string> golden_cases() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kGolden)) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTaskFile, ::testing::ValuesIn(golden_cases()),
                         [](const auto& info) { return info.param; });

TEST(TaskFile, AppliesDefaultsAndResolvesPathsAgainstTheFile) {
  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  TaskSpec spec = load_task_file(kGolden / "ok.yaml", registry);
  EXPECT_EQ(spec.name, "orders");
  EXPECT_EQ(spec.mode, "incremental");
  EXPECT_EQ(spec.data_dir, kGolden / "ferry-data" / "orders");
  EXPECT_EQ(spec.pipeline.queue.max_events, 100u);
  EXPECT_EQ(spec.pipeline.queue.max_bytes, 64u << 20);
  EXPECT_EQ(spec.pipeline.retry.initial_backoff, std::chrono::milliseconds(500));
  ASSERT_EQ(spec.phases.size(), 1u);
  const ferry_config_node* rows = spec.phases[0].source.config->find("rows");
  ASSERT_NE(rows, nullptr);
  EXPECT_EQ(rows->int_value, 10);
  const ferry_config_node* tables = spec.phases[0].source.config->find("tables");
  ASSERT_NE(tables, nullptr);  // a default the file did not set
  EXPECT_EQ(tables->int_value, 1);
}

TEST(TaskFile, ExpandsEnvironmentVariables) {
  ::setenv("FERRY_TEST_DATA_DIR", "/tmp/ferry-env-test", 1);
  const auto dir = std::filesystem::temp_directory_path() / "ferry_task_file_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "env.yaml") << "name: t\ntask-mode: incremental\ndata-dir: ${FERRY_TEST_DATA_DIR}/x\n"
                                     "incremental: {source: {plugin: generate}, sink: {plugin: discard}}\n";
  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  TaskSpec spec = load_task_file(dir / "env.yaml", registry);
  EXPECT_EQ(spec.data_dir, std::filesystem::path("/tmp/ferry-env-test/x/t"));
}

TEST(TaskFile, AMissingFileIsOneDiagnostic) {
  PluginRegistry registry;
  try {
    load_task_file("/nonexistent/task.yaml", registry);
    FAIL() << "loaded a missing file";
  } catch (const TaskFileError& e) {
    EXPECT_EQ(e.diagnostics().to_string(), "/nonexistent/task.yaml: cannot open the task file\n");
  }
}

}  // namespace
}  // namespace ferry::core::config
