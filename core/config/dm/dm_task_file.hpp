// Reads a DM task file (DM's dm/config/task.go: name, task-mode, target-database,
// mysql-instances, the named rule sets and unit configs) as strictly as DM does. What ferry
// implements (full, all and incremental modes, one instance, its mydumper, loader and syncer
// configs) is returned for translation;
// the rest is refused by name (see docs/task-file.md).
#pragma once

#include "config/dm/dm_file.hpp"

#include <yaml-cpp/yaml.h>

#include <string>

namespace ferry::core::config::dm {

struct DmTask {
  YAML::Node root;
  YAML::Node target;           // target-database
  YAML::Node instance;         // the one mysql-instances entry
  std::string instance_key;    // "mysql-instances[0]"
  std::string source_id;       // the instance's source-id, ${VAR} expanded
  std::string mode;            // task-mode: full, all or incremental
  YAML::Node syncer;           // its syncer config (named or inline); not a map: DM's defaults
  std::string syncer_key;      // "syncers.NAME" or "mysql-instances[0].syncer"
  YAML::Node mydumper;         // its mydumper config, the same way
  std::string mydumper_key;
  YAML::Node loader;           // its loader config, the same way
  std::string loader_key;
};

// Checks `file` (parsed) and returns what the translation needs; problems go to file.errors().
DmTask read_dm_task(DmFile& file);

}  // namespace ferry::core::config::dm
