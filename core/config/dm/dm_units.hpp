// Which plugins implement DM's units. Core never names a plugin: `dm-units.yaml`, installed
// beside the plugins, says it, e.g.
//
//   sync: {source: mysql-binlog, sink: tidb}
//   dump: {source: mysql-dump, sink: tidb-load}   (DM's dump and load units, for full and all)
//   files: {source: dump-files, sink: dump-files} (dump directories: task-mode dump, load, load&sync)
//
// The first plugin directory (in search order) that holds the file wins.
#pragma once

#include "config/diagnostics.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ferry::core::config::dm {

inline constexpr const char* kDmUnitsFile = "dm-units.yaml";

struct DmUnits {
  std::string file;         // the dm-units.yaml read
  YAML::Node sync_source;   // the plugin names, as nodes of that file (for messages)
  YAML::Node sync_sink;
  YAML::Node dump_source;   // undefined when the file names no plugins for dump and load
  YAML::Node dump_sink;
  YAML::Node files_source;  // undefined when the file names no plugins for dump directories
  YAML::Node files_sink;
};

// Finds and reads dm-units.yaml in `dirs`; nullopt (reported in `diag`) when there is none or it
// does not name the sync unit's plugins.
std::optional<DmUnits> read_dm_units(const std::vector<std::filesystem::path>& dirs, Diagnostics& diag);

}  // namespace ferry::core::config::dm
