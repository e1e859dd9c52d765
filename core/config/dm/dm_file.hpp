// DmFile: one DM file (a task file or a source file) read as strictly as DM reads it. Every key
// of a mapping is one ferry implements, one it refuses by name until it does (when the value asks
// for something), or one DM itself deprecates and ignores (accepted with a warning); any other
// key is an error. The values the translator reads itself are read here, with ${VAR} expanded
// as the schema validator expands everything else.
//
// Lifecycle: one per file and translation, on one thread; the YAML nodes it hands out stay valid
// after it is gone (they are reused in the translated task tree).
#pragma once

#include "config/diagnostics.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace ferry::core::config::dm {

// What one mapping of a DM file accepts.
struct KeyRules {
  std::set<std::string> supported;             // translated, or accepted as meaningless here
  std::map<std::string, std::string> refused;  // key -> why; an error when the value asks for something
  std::map<std::string, std::string> ignored;  // key -> why; accepted with a warning
};

class DmFile {
 public:
  explicit DmFile(const std::filesystem::path& path);

  // Reads and parses the file; false (reported) when it cannot be read or is not a mapping.
  bool parse();

  const std::string& name() const { return name_; }
  const YAML::Node& root() const { return root_; }
  Diagnostics& errors() { return errors_; }
  Diagnostics& warnings() { return warnings_; }

  // Checks the keys of `map`, found at dotted key `where` ("" for the top), against `rules`.
  // False when `map` is not a mapping (reported).
  bool check_keys(const YAML::Node& map, const KeyRules& rules, const std::string& where);

  // Scalar readers; nullopt (reported against `key`) when the value is not of the type, or names
  // an unset variable.
  std::optional<std::string> text(const YAML::Node& node, const std::string& key);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& key);
  std::optional<int64_t> integer(const YAML::Node& node, const std::string& key);

  // Whether `node` asks for something: a non-empty list, a mapping with a member that does (or
  // a named rule: a member that is itself a mapping or list), or a scalar other than false, 0
  // and empty.
  bool turns_on(const YAML::Node& node);

  void error(const YAML::Node& node, uint32_t code, std::string message) { errors_.add(node.Mark(), code, std::move(message)); }

 private:
  std::string name_;
  YAML::Node root_;
  Diagnostics errors_;
  Diagnostics warnings_;
};

// "a.b" or "b" when `where` is empty.
std::string join_key(const std::string& where, const std::string& key);

}  // namespace ferry::core::config::dm
