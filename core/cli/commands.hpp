// The ferry subcommands, each a function from parsed options to an exit code. main.cpp only
// parses the command line (CLI11 stays in that one translation unit: it is slow to compile).
#pragma once

#include "config/task_file.hpp"
#include "plugin/plugin_registry.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ferry::cli {

// Exit codes: 0 done (or stopped cleanly), 1 the task paused on an error, 2 bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitPaused = 1;
inline constexpr int kExitBadInput = 2;

struct CommonOptions {
  std::vector<std::filesystem::path> plugin_dirs;  // --plugin-dir, before FERRY_PLUGIN_PATH
};

struct TaskOptions {
  std::vector<std::filesystem::path> dm_sources;  // --source: the task file is DM's, with this source file
  bool remove_meta = false;                        // --remove-meta
};

int run_task(const std::filesystem::path& task_file, const TaskOptions& options, const CommonOptions& common);
int check_task(const std::filesystem::path& task_file, const TaskOptions& options, const CommonOptions& common);
int list_plugins(const CommonOptions& common);
int describe_plugin(const std::string& name, const CommonOptions& common);
int list_errors();

// The plugins (and plugin commands) found in --plugin-dir, the build's or installation's plugin
// directory and FERRY_PLUGIN_PATH.
core::PluginRegistry discover_plugins(const CommonOptions& common);

// Loads the task file (ferry's own, or DM's with its source file), printing every diagnostic
// and warning to stderr. Returns nullopt on failure.
std::optional<core::config::TaskSpec> load_task(const std::filesystem::path& file, const TaskOptions& options,
                                                core::PluginRegistry& registry);

// Runs a command a plugin library adds (`ferry binlog decode ...`); `args` excludes its name.
int run_plugin_command(const core::CommandEntry& command, const std::vector<std::string>& args);

// Blocks SIGINT and SIGTERM in the calling thread and every thread started after; run_task then
// takes them with sigwait and turns them into a clean stop.
void block_stop_signals();

}  // namespace ferry::cli
