// Helpers for tests that run whole tasks in-process: a scratch directory, files in it, and a
// run of a task file through the real loader, registry and runner.
#pragma once

#include "config/task_file.hpp"
#include "task/task_runner.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ferry::core::testing {

inline std::filesystem::path scratch_dir(const std::string& name) {
  auto dir = std::filesystem::path(WORK_DIR) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Loads and runs `task_file`; `stop` may be requested beforehand to test stopping.
inline TaskResult run_task(const std::filesystem::path& task_file, StopSignal* stop = nullptr,
                           Metrics* metrics = nullptr) {
  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  registry.add_directory(FIXTURE_PLUGIN_DIR);
  config::TaskSpec spec = config::load_task_file(task_file, registry);
  EXPECT_TRUE(registry.failures().empty());
  StopSignal local;
  TaskRunner runner(spec, metrics, stop ? *stop : local);
  return runner.run();
}

// `n` rows of table s.t(id) as JSON lines, ids from `first`, after a table declaration.
inline std::string rows_input(int first, int n) {
  std::string out = R"({"kind":"table","schema":"s","table":"t","columns":[{"name":"id","type":"int"}]})" "\n";
  for (int i = first; i < first + n; ++i) {
    out += R"({"kind":"row","op":"insert","schema":"s","table":"t","after":{"id":)" + std::to_string(i) + "}}\n";
  }
  return out;
}

}  // namespace ferry::core::testing
