// DM task files: `ferry run task.yaml --source source.yaml` runs DM's own task file and source
// file unchanged. They are checked as strictly as DM checks them (unknown keys are errors; a DM
// key ferry does not implement yet is refused by name, never ignored; what DM itself deprecates
// and ignores is accepted with a warning), then translated into a native task tree that goes
// through the native loader and every plugin's schema. Problems are reported at the DM file,
// line, column and key they are in. docs/task-file.md has the key-by-key mapping.
#pragma once

#include "config/node_origins.hpp"
#include "config/task_file.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <vector>

namespace ferry::core::config::dm {

// Whether `file` looks like a DM task file: it has `mysql-instances` or `target-database`.
bool is_dm_task_file(const std::filesystem::path& file);

struct DmTranslation {
  explicit DmTranslation(const std::string& task_file) : origins("DM"), errors(task_file) {}

  YAML::Node native;                 // the native task tree
  NodeOrigins origins;               // where its values came from
  Diagnostics errors;                // values found wrong while translating, for the native loader to report too
  std::vector<Diagnostic> warnings;  // keys accepted without effect
};

// Reads both files and translates them (the plugins of DM's units are named by dm-units.yaml
// in `registry`'s directories). Throws TaskFileError with every problem in the files' structure
// (keys, required sections, refused features); the values are left to the native loader.
DmTranslation translate_dm_task(const std::filesystem::path& task_file, const std::filesystem::path& source_file,
                                const PluginRegistry& registry);

// translate_dm_task, then the native loader. Throws TaskFileError.
TaskSpec load_dm_task_file(const std::filesystem::path& task_file, const std::filesystem::path& source_file,
                           PluginRegistry& registry);

}  // namespace ferry::core::config::dm
