// DM task files: `ferry run task.yaml --source source.yaml` runs a DM task file and its DM source
// file unchanged. They are checked as strictly as DM does (unknown keys are errors; a DM key
// ferry does not implement yet is refused by name, never ignored) and translated into a native
// task tree, which then goes through the native loader and every plugin's schema. The plugins
// that implement DM's units come from `dm-units.yaml` in the plugin directories: core names no
// plugin. docs/task-file.md has the key-by-key mapping.
#pragma once

#include "config/task_file.hpp"

#include <filesystem>

namespace ferry::core::config {

// Whether the file looks like a DM task file (it has `mysql-instances` or `target-database`).
bool is_dm_task_file(const std::filesystem::path& file);

// Reads the DM task file and its source file. Throws TaskFileError with every problem found.
TaskSpec load_dm_task_file(const std::filesystem::path& task_file, const std::filesystem::path& source_file,
                           PluginRegistry& registry);

}  // namespace ferry::core::config
