#include "config/dm/dm_task_file.hpp"

#include "config/dm/dm_db_config.hpp"
#include "errors/error_table.hpp"

#include <fmt/format.h>

namespace ferry::core::config::dm {
namespace {

const std::string kFilters = "filters and routing come with the filter plugins";
const std::string kDumpLoad = "task-mode full and all come with the dump and load plugins";
const std::string kShard = "shard merging comes with a later release";
const std::string kOnlineDdl = "gh-ost / pt-osc handling comes with a later release; set 'online-ddl: false'";

const KeyRules& task_rules() {
  static const KeyRules rules{
      {"name", "task-mode", "meta-schema", "timezone", "target-database", "mysql-instances", "syncers",
       "collation_compatible", "clean-dump-file", "ignore-checking-items"},
      {{"routes", kFilters},
       {"filters", kFilters},
       {"block-allow-list", kFilters},
       {"black-white-list", kFilters},
       {"expression-filter", kFilters},
       {"mydumpers", kDumpLoad},
       {"loaders", kDumpLoad},
       {"validators", "the continuous validator is not implemented"},
       {"column-mappings", "removed from DM too (DM rejects it)"},
       {"shard-mode", kShard},
       {"is-sharding", kShard},
       {"strict-optimistic-shard-mode", kShard},
       {"online-ddl", kOnlineDdl},
       {"online-ddl-scheme", kOnlineDdl},
       {"shadow-table-rules", kOnlineDdl},
       {"trash-table-rules", kOnlineDdl},
       {"case-sensitive", "only case-insensitive matching (DM's default) is implemented"},
       {"remove-meta", "deprecated in DM too: run 'ferry run --remove-meta'"},
       {"experimental", "no experimental option is implemented"}},
      {{"enable-heartbeat", "deprecated in DM"},
       {"heartbeat-update-interval", "deprecated in DM"},
       {"heartbeat-report-interval", "deprecated in DM"},
       {"ansi-quotes", "deprecated in DM"}}};
  return rules;
}

const KeyRules& instance_rules() {
  static const KeyRules rules{{"source-id", "meta", "syncer-config-name", "syncer", "syncer-thread"},
                              {{"route-rules", kFilters},
                               {"filter-rules", kFilters},
                               {"expression-filters", kFilters},
                               {"block-allow-list", kFilters},
                               {"black-white-list", kFilters},
                               {"column-mapping-rules", "removed from DM too"},
                               {"mydumper-config-name", kDumpLoad},
                               {"mydumper", kDumpLoad},
                               {"mydumper-thread", kDumpLoad},
                               {"loader-config-name", kDumpLoad},
                               {"loader", kDumpLoad},
                               {"loader-thread", kDumpLoad},
                               {"validator-config-name", "the continuous validator is not implemented"}},
                              {}};
  return rules;
}

const KeyRules& meta_rules() {
  static const KeyRules rules{{"binlog-name", "binlog-pos", "binlog-gtid"}, {}, {}};
  return rules;
}

const KeyRules& syncer_rules() {
  static const KeyRules rules{{"worker-count", "batch", "queue-size", "checkpoint-flush-interval", "compact",
                               "multiple-rows", "safe-mode", "safe-mode-duration"},
                              {},
                              {{"max-retry", "deprecated in DM"},
                               {"auto-fix-gtid", "deprecated in DM"},
                               {"enable-gtid", "deprecated in DM: the source file's 'enable-gtid' counts"},
                               {"disable-detect", "deprecated in DM"},
                               {"enable-ansi-quotes", "deprecated in DM"},
                               {"meta-file", "DM reads it only from subtask files"}}};
  return rules;
}

void check_task_mode(DmFile& file, const YAML::Node& node) {
  auto mode = file.text(node, "task-mode");
  if (!mode || *mode == "incremental") return;
  if (*mode == "full" || *mode == "all" || *mode == "dump" || *mode == "load" || *mode == "load&sync") {
    file.error(node, FERRY_E_CONFIG_UNSUPPORTED,
               fmt::format("task-mode '{}' is not supported by ferry yet: {}; use incremental", *mode, kDumpLoad));
  } else {
    file.error(node, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'task-mode' must be one of full, incremental, all, got '{}'", *mode));
  }
}

void check_collation_compatible(DmFile& file, const YAML::Node& node) {
  auto v = file.text(node, "collation_compatible");
  if (!v || v->empty() || *v == "loose") return;
  if (*v == "strict") {
    file.error(node, FERRY_E_CONFIG_UNSUPPORTED,
               "DM key 'collation_compatible' is not supported by ferry yet: only 'loose' (DM's default) is implemented");
  } else {
    file.error(node, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'collation_compatible' must be loose or strict, got '{}'", *v));
  }
}

// DM's Meta.Verify: a start position names a binlog file or a GTID set. An empty `meta:` is
// no meta, as in DM.
void check_meta(DmFile& file, const YAML::Node& meta, const std::string& key) {
  if (!file.check_keys(meta, meta_rules(), key)) return;
  bool unreadable = false;
  auto given = [&](const char* k) {
    if (!meta[k]) return false;
    auto v = file.text(meta[k], key + "." + k);
    if (!v) unreadable = true;
    return v && !v->empty();
  };
  const bool has_name = given("binlog-name");
  const bool has_gtid = given("binlog-gtid");
  if (!has_name && !has_gtid && !unreadable) {
    file.error(meta, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' needs binlog-name or binlog-gtid (DM's rule)", key));
  }
}

// The instance's syncer config: named (syncers.NAME) or inline; every named one must be used.
void resolve_syncer(DmFile& file, DmTask& task) {
  const YAML::Node& root = task.root;
  const YAML::Node syncers = root["syncers"];
  if (syncers && !syncers.IsNull() && !syncers.IsMap()) {
    file.error(syncers, FERRY_E_CONFIG_INVALID_VALUE, "'syncers' must be a mapping of named syncer configs");
  }
  const bool named_ok = syncers && syncers.IsMap();
  if (named_ok) {
    for (const auto& kv : syncers) file.check_keys(kv.second, syncer_rules(), "syncers." + kv.first.Scalar());
  }
  std::string used;
  const YAML::Node& instance = task.instance;
  if (instance.IsMap()) {
    const YAML::Node name = instance["syncer-config-name"];
    const YAML::Node inline_config = instance["syncer"];
    if (name && inline_config) {
      file.error(inline_config, FERRY_E_CONFIG_INVALID_VALUE,
                 fmt::format("'{}' has both syncer-config-name and an inline syncer: give one", task.instance_key));
    } else if (inline_config) {
      task.syncer_key = task.instance_key + ".syncer";
      if (file.check_keys(inline_config, syncer_rules(), task.syncer_key)) task.syncer = inline_config;
    } else if (name) {
      if (auto v = file.text(name, task.instance_key + ".syncer-config-name")) {
        used = *v;
        if (!named_ok || !syncers[used]) {
          file.error(name, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("no syncer config named '{}' in 'syncers'", used));
        } else if (syncers[used].IsMap()) {
          task.syncer = syncers[used];
          task.syncer_key = "syncers." + used;
        }
      }
    }
  }
  if (named_ok) {
    for (const auto& kv : syncers) {
      if (kv.first.Scalar() != used) {
        file.error(kv.first, FERRY_E_CONFIG_INVALID_VALUE,
                   fmt::format("syncer config '{}' is not used by any mysql-instances entry (DM rejects unused configs too)",
                               kv.first.Scalar()));
      }
    }
  }
}

void read_instances(DmFile& file, DmTask& task) {
  const YAML::Node& root = task.root;
  const YAML::Node instances = root["mysql-instances"];
  if (!instances) {
    file.error(task.root, FERRY_E_CONFIG_MISSING_KEY, "missing required key 'mysql-instances'");
    return;
  }
  if (!instances.IsSequence() || instances.size() == 0) {
    file.error(instances, FERRY_E_CONFIG_INVALID_VALUE, "'mysql-instances' must be a list of at least one source");
    return;
  }
  if (instances.size() > 1) {
    file.error(instances[1], FERRY_E_CONFIG_UNSUPPORTED,
               fmt::format("ferry runs one source per task for now, this task has {}: split it into one task per "
                           "mysql-instances entry, each with its own --source",
                           instances.size()));
  }
  task.instance_key = "mysql-instances[0]";
  if (!file.check_keys(instances[0], instance_rules(), task.instance_key)) return;
  task.instance = instances[0];
  const YAML::Node& instance = task.instance;
  if (const YAML::Node id = instance["source-id"]) {
    if (auto v = file.text(id, task.instance_key + ".source-id")) task.source_id = *v;
  } else {
    file.error(instance, FERRY_E_CONFIG_MISSING_KEY, fmt::format("missing required key '{}.source-id'", task.instance_key));
  }
  if (const YAML::Node meta = instance["meta"]) check_meta(file, meta, task.instance_key + ".meta");
}

}  // namespace

DmTask read_dm_task(DmFile& file) {
  DmTask task;
  task.root = file.root();
  const YAML::Node& t = task.root;
  if (t["incremental"] || t["full"]) {
    file.errors().add_file_level(FERRY_E_CONFIG_INVALID_VALUE,
                                 "this is a native ferry task file (it has 'incremental' or 'full'): run it without --source");
    return task;
  }
  file.check_keys(t, task_rules(), "");
  if (!t["name"]) file.error(t, FERRY_E_CONFIG_MISSING_KEY, "missing required key 'name'");
  if (const YAML::Node mode = t["task-mode"]) {
    check_task_mode(file, mode);
  } else {
    file.error(t, FERRY_E_CONFIG_MISSING_KEY, "missing required key 'task-mode'");
  }
  if (const YAML::Node c = t["collation_compatible"]) check_collation_compatible(file, c);
  if (const YAML::Node target = t["target-database"]) {
    task.target = target;
    check_db_config(file, target, "target-database", DbRole::Downstream);
  } else {
    file.error(t, FERRY_E_CONFIG_MISSING_KEY, "missing required key 'target-database'");
  }
  read_instances(file, task);
  resolve_syncer(file, task);
  return task;
}

}  // namespace ferry::core::config::dm
