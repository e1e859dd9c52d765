// Text-driven pipeline tests. Each cases/NAME.case holds a transform chain, JSON-lines input, and
// the expected JSON-lines output and/or the expected error. The test runs it as a real task:
// jsonl-source -> the transforms -> jsonl sink (or the case's sink), every plugin loaded through
// the ABI, and compares the output file with the expectation. No timing is involved: the source
// ends, the pipeline drains, the task finishes or pauses.
#include "task_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace ferry::core {
namespace {

using testing::read_file;

const std::filesystem::path kCases = CASES_DIR;

std::map<std::string, std::string> read_sections(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::map<std::string, std::string> sections;
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.rfind("--- ", 0) == 0) {
      current = line.substr(4);
      sections[current];
    } else if (!current.empty()) {
      sections[current] += line + "\n";
    }
  }
  return sections;
}

std::string indent(const std::string& text, const std::string& pad) {
  std::stringstream in(text), out;
  std::string line;
  while (std::getline(in, line)) out << pad << line << "\n";
  return out.str();
}

class PipelineCase : public ::testing::TestWithParam<std::string> {};

TEST_P(PipelineCase, ProducesTheExpectedOutput) {
  auto sections = read_sections(kCases / (GetParam() + ".case"));
  const auto dir = std::filesystem::path(WORK_DIR) / GetParam();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "input.jsonl") << sections["input"];

  std::string task = "name: case\ntask-mode: incremental\nplugin-dir: [" FIXTURE_PLUGIN_DIR "]\n"
                     "queue: {batch-events: 4}\nretry: {initial-backoff: 1ms, max-backoff: 2ms, max-retries: 3}\n"
                     "incremental:\n  source: {plugin: jsonl-source, path: input.jsonl}\n";
  if (sections["transforms"].find_first_not_of(" \n") != std::string::npos) {
    task += "  transforms:\n" + indent(sections["transforms"], "    ");
  }
  task += "  sink:\n" + indent(sections.count("sink") ? sections["sink"]
                                                      : "plugin: jsonl\npath: out.jsonl\ninclude-position: false\n",
                               "    ");
  std::ofstream(dir / "task.yaml") << task;

  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  config::TaskSpec spec = config::load_task_file(dir / "task.yaml", registry);
  ASSERT_TRUE(registry.failures().empty()) << registry.failures()[0].message;
  StopSignal stop;
  TaskRunner runner(spec, nullptr, stop);
  TaskResult result = runner.run();

  if (sections.count("error")) {
    ASSERT_EQ(result.outcome, TaskResult::Outcome::Paused);
    std::string want = sections["error"];
    want.erase(want.find_last_not_of('\n') + 1);
    EXPECT_NE(result.failure.describe().find(want), std::string::npos)
        << "error was: " << result.failure.describe() << "\nwanted: " << want;
  } else {
    ASSERT_EQ(result.outcome, TaskResult::Outcome::Finished) << result.failure.describe();
  }
  if (sections.count("expect")) {
    EXPECT_EQ(read_file(dir / "out.jsonl"), sections["expect"]);
  }
}

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kCases)) {
    if (e.path().extension() == ".case") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Cases, PipelineCase, ::testing::ValuesIn(cases()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ferry::core
