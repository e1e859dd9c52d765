// PluginLibrary: one plugin shared library, loaded with Boost.DLL and checked before any of its
// plugins is used. Libraries are never unloaded while the process runs (glibc may pin them
// anyway, and an object outliving its library crashes): the handle is kept until exit.
#pragma once

#include "errors/error_table.hpp"

#include <ferry/abi/ferry_abi.h>

#include <filesystem>
#include <memory>
#include <variant>
#include <vector>

namespace ferry::core {

struct PluginEntry {
  const ferry_plugin_def* def = nullptr;
  std::filesystem::path file;  // the library that provides it
};

struct CommandEntry {
  const ferry_command_def* def = nullptr;
  std::filesystem::path file;
};

class PluginLibrary {
 public:
  // Loads `file`, reads its manifest and checks the ABI version and every plugin definition.
  // Returns the library, or the failure naming the file (and both versions on a mismatch).
  static std::variant<std::shared_ptr<PluginLibrary>, Failure> load(const std::filesystem::path& file);

  const std::filesystem::path& file() const { return file_; }
  const ferry_manifest& manifest() const { return *manifest_; }
  const std::vector<PluginEntry>& plugins() const { return plugins_; }
  const std::vector<CommandEntry>& commands() const { return commands_; }

  ~PluginLibrary();

 private:
  PluginLibrary() = default;
  struct Handle;
  std::unique_ptr<Handle> handle_;
  std::filesystem::path file_;
  const ferry_manifest* manifest_ = nullptr;
  std::vector<PluginEntry> plugins_;
  std::vector<CommandEntry> commands_;
};

// "source", "transform" or "sink", for messages and listings.
const char* plugin_kind_name(uint32_t kind);

// Checks one plugin definition (header, name, kind and callbacks, config schema). Returns an
// empty failure when it is sound.
Failure check_plugin_def(const ferry_plugin_def* def, const std::filesystem::path& file);

}  // namespace ferry::core
