// Which plugins implement DM's units. Core never names a plugin: `dm-units.yaml`, installed
// beside the plugins, says it, e.g.
//
//   sync: {source: mysql-binlog, sink: tidb}
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
};

// Finds and reads dm-units.yaml in `dirs`; nullopt (reported in `diag`) when there is none or it
// does not name the sync unit's plugins.
std::optional<DmUnits> read_dm_units(const std::vector<std::filesystem::path>& dirs, Diagnostics& diag);

}  // namespace ferry::core::config::dm
