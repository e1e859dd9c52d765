// Builds the native task tree that runs a DM task: one `incremental` phase from the plugins
// dm-units.yaml names for DM's sync unit, with each DM value under the key that role takes
// (docs/task-file.md has the table). The tree reuses the DM files' own YAML nodes, so the
// plugins' schemas check every value, and `origins` records where each came from so their
// problems are reported in the DM files.
#pragma once

#include "config/dm/dm_file.hpp"
#include "config/dm/dm_source_file.hpp"
#include "config/dm/dm_task_file.hpp"
#include "config/dm/dm_units.hpp"
#include "config/node_origins.hpp"

#include <yaml-cpp/yaml.h>

namespace ferry::core::config::dm {

// The DM files as read (without errors) by read_dm_task and read_dm_source. Values the
// translation computes from (checkpoint-flush-interval, queue-size) are checked here: their
// problems go to each file's errors().
YAML::Node build_native_task(DmFile& task_file, const DmTask& task, DmFile& source_file, const DmSource& source,
                             const DmUnits& units, NodeOrigins& origins);

}  // namespace ferry::core::config::dm
