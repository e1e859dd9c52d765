// Reads a DM source file (DM's dm/config/source_config.go: one upstream MySQL or MariaDB):
// `source-id`, `from`, `server-id`, `enable-gtid`, `flavor`, `enable`; the relay log and DM's
// task checker are refused until ferry has them, relay-only keys are accepted with a warning.
#pragma once

#include "config/dm/dm_file.hpp"

#include <yaml-cpp/yaml.h>

#include <string>

namespace ferry::core::config::dm {

struct DmSource {
  YAML::Node root;        // the whole file
  YAML::Node from;        // the upstream's connection (host, port, user, password, ...)
  std::string source_id;  // ${VAR} expanded; empty when it was missing or invalid (reported)
};

// Checks `file` (parsed) and returns what the translation needs; problems go to file.errors().
DmSource read_dm_source(DmFile& file);

}  // namespace ferry::core::config::dm
