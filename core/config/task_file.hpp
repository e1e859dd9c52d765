// TaskSpec: a native task file, read and validated in full before any plugin code runs. Every
// problem (YAML syntax, unknown keys, unknown plugins, values a plugin's schema rejects) is
// collected with file:line:col; loading fails with all of them at once.
//
//   name: orders              # required
//   task-mode: incremental    # full | incremental | all
//   data-dir: ferry-data      # relative paths resolve against the task file's directory
//   plugin-dir: [./plugins]   # extra plugin directories
//   queue: {max-events: 65536, max-bytes: 64MiB, low-watermark: 0.5, batch-events: 1024}
//   retry: {initial-backoff: 500ms, max-backoff: 30s, max-retries: 20}
//   full:          {source: {plugin: ..., ...}, transforms: [...], sink: {plugin: ..., ...}}
//   incremental:   {source: ..., transforms: [...], sink: ...}
#pragma once

#include "config/config_node.hpp"
#include "config/diagnostics.hpp"
#include "config/node_origins.hpp"
#include "pipeline/pipeline.hpp"
#include "plugin/plugin_registry.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ferry::core::config {

struct StageSpec {
  const PluginEntry* plugin = nullptr;
  ConfigNodePtr config;
};

struct PhaseSpec {
  std::string name;  // "full" or "incremental"
  StageSpec source;
  std::vector<StageSpec> transforms;
  StageSpec sink;
};

struct TaskSpec {
  std::string name;
  std::string mode;
  std::filesystem::path file;
  std::filesystem::path task_dir;  // the file's directory
  std::filesystem::path data_dir;  // absolute, per task
  PipelineOptions pipeline;
  std::vector<PhaseSpec> phases;   // in the order they run
  bool remove_meta = false;        // set by `ferry run --remove-meta`, not by the file
  std::vector<Diagnostic> warnings;  // what the file asks for that has no effect (DM's deprecated keys)
};

// Thrown with every diagnostic when a task file does not validate.
class TaskFileError : public std::runtime_error {
 public:
  explicit TaskFileError(Diagnostics diagnostics)
      : std::runtime_error(diagnostics.to_string()), diagnostics_(std::move(diagnostics)) {}
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

// Reads `file`. `registry` is completed with the task's plugin-dir entries (via `add_dirs`)
// before plugins are looked up. Throws TaskFileError.
TaskSpec load_task_file(const std::filesystem::path& file, PluginRegistry& registry);

// The same from a native task tree already parsed (DM task files are translated into one);
// `file` names the task's directory and the file diagnostics refer to, `diag` may hold problems
// found already, `origins` (may be null) says where a translated tree's values came from.
TaskSpec load_task_root(const YAML::Node& root, const std::filesystem::path& file, PluginRegistry& registry,
                        Diagnostics diag, const NodeOrigins* origins = nullptr);

}  // namespace ferry::core::config
