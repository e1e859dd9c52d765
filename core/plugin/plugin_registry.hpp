// PluginRegistry: every plugin found in the plugin directories, by name. Built once at start-up
// (discovery order: the build's plugin dir, FERRY_PLUGIN_PATH, then a task's plugin-dir) and
// read-only afterwards, so any thread may look plugins up.
#pragma once

#include "errors/error_table.hpp"
#include "plugin/plugin_library.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ferry::core {

class PluginRegistry {
 public:
  // Loads every *.so in `dir` (not recursive). A library that fails to load, or a plugin name
  // already registered for the same kind, is recorded as a failure; loading goes on with the other files.
  void add_directory(const std::filesystem::path& dir);
  // Loads one library file.
  void add_library(const std::filesystem::path& file);

  // A source and a sink may share a name (`dump-files` reads and writes dump directories); the
  // kind tells them apart. find(name) is the first of that name, any kind.
  const PluginEntry* find(const std::string& name) const;
  const PluginEntry* find(const std::string& name, uint32_t kind) const;
  // Every plugin of that name (one per kind at most).
  std::vector<const PluginEntry*> find_all(const std::string& name) const;
  // A command a library adds to the command line, by name.
  const CommandEntry* find_command(const std::string& name) const;
  // Every command, sorted by name.
  std::vector<const CommandEntry*> commands() const;
  // Every plugin, sorted by name.
  std::vector<const PluginEntry*> all() const;
  // Problems met while loading, in the order met.
  const std::vector<Failure>& failures() const { return failures_; }
  // The directories searched, in order (a plugin directory may hold data files too).
  const std::vector<std::filesystem::path>& directories() const { return directories_; }

  // `fallback` (the build's or installation's plugin directory, when not empty), then each
  // directory of FERRY_PLUGIN_PATH (colon-separated).
  static std::vector<std::filesystem::path> default_directories(const std::filesystem::path& fallback);

 private:
  std::vector<std::shared_ptr<PluginLibrary>> libraries_;
  std::map<std::pair<std::string, uint32_t>, PluginEntry> by_name_;  // (name, kind)
  std::map<std::string, CommandEntry> commands_;
  std::vector<Failure> failures_;
  std::vector<std::filesystem::path> directories_;
};

}  // namespace ferry::core
