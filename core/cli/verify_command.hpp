// `ferry verify TASK.yaml [--source SOURCE.yaml] [--rows] [--chunk-rows N]`: loads the task as
// `ferry run` does, then hands the first phase's source config (the upstream) and the last
// phase's sink config (the downstream) as JSON to the plugin command `verify-tables`, which
// does the comparing (docs/verify.md). Core never reads those configs' keys itself.
#pragma once

#include "cli/commands.hpp"
#include "config/task_file.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace ferry::cli {

struct VerifyFlags {
  bool rows = false;                    // --rows: list the differing rows
  std::optional<uint64_t> chunk_rows;  // --chunk-rows N
};

// The plugin command that compares the tables.
inline constexpr const char* kVerifyCommand = "verify-tables";

// {"task", "mode", "upstream-plugin", "upstream", "downstream-plugin", "downstream",
// "transforms": [{"plugin", "config"}...]}: the stages' config as the plugins see it (defaults
// applied, secrets resolved). It holds passwords: it is passed in-process only, never printed.
std::string verify_task_json(const core::config::TaskSpec& spec);

int verify_task(const std::filesystem::path& task_file, const TaskOptions& options, const CommonOptions& common,
                const VerifyFlags& flags);

}  // namespace ferry::cli
