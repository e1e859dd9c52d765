#include "config/dm/dm_task_file.hpp"

#include "config/dm/dm_db_config.hpp"
#include "errors/error_table.hpp"

#include <fmt/format.h>

namespace ferry::core::config::dm {
namespace {

const std::string kFilters = "filters and routing come with the filter plugins";
const std::string kFiles = "ferry streams the dump into the load in full and all modes; dump files are for task-mode dump, load and load&sync";
const std::string kPhysical = "physical import is TiDB Lightning's; ferry loads with SQL (import-mode: sql)";
const std::string kShard = "shard merging comes with a later release";
const std::string kOnlineDdl = "gh-ost / pt-osc handling comes with a later release; set 'online-ddl: false'";

const KeyRules& task_rules() {
  static const KeyRules rules{
      {"name", "task-mode", "meta-schema", "timezone", "target-database", "mysql-instances", "syncers", "mydumpers",
       "loaders", "collation_compatible", "clean-dump-file", "ignore-checking-items"},
      {{"routes", kFilters},
       {"filters", kFilters},
       {"block-allow-list", kFilters},
       {"black-white-list", kFilters},
       {"expression-filter", kFilters},
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
  static const KeyRules rules{{"source-id", "meta", "syncer-config-name", "syncer", "syncer-thread", "mydumper-config-name",
                               "mydumper", "mydumper-thread", "loader-config-name", "loader", "loader-thread"},
                              {{"route-rules", kFilters},
                               {"filter-rules", kFilters},
                               {"expression-filters", kFilters},
                               {"block-allow-list", kFilters},
                               {"black-white-list", kFilters},
                               {"column-mapping-rules", "removed from DM too"},
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

const KeyRules& mydumper_rules() {
  static const KeyRules rules{{"threads", "rows", "extra-args", "chunk-filesize"},
                              {{"where", "a WHERE filter on the dump is not implemented"}},
                              {{"mydumper-path", "ferry dumps by itself"},
                               {"statement-size", "the load sizes its statements (tidb-load's statement-size)"},
                               {"skip-tz-utc", "ferry always reads TIMESTAMP in UTC"}}};
  return rules;
}

const KeyRules& loader_rules() {
  static const KeyRules rules{{"pool-size", "import-mode", "on-duplicate-logical", "on-duplicate", "dir"},
                              {{"on-duplicate-physical", kPhysical},
                               {"sorting-dir-physical", kPhysical},
                               {"disk-quota-physical", kPhysical},
                               {"checksum-physical", kPhysical},
                               {"analyze", kPhysical},
                               {"range-concurrency", kPhysical},
                               {"compress-kv-pairs", kPhysical},
                               {"pd-addr", kPhysical}},
                              {}};
  return rules;
}

// import-mode: sql, loader and logical are DM's names for the SQL load ferry does.
void check_loader(DmFile& file, const YAML::Node& loader, const std::string& key) {
  if (!loader.IsMap()) return;
  if (const YAML::Node mode = loader["import-mode"]) {
    auto v = file.text(mode, key + ".import-mode");
    if (v && !v->empty() && *v != "sql" && *v != "loader" && *v != "logical") {
      file.error(mode, FERRY_E_CONFIG_UNSUPPORTED, fmt::format("'{}.import-mode' {} is not supported: {}", key, *v, kPhysical));
    }
  }
  for (const char* dup : {"on-duplicate-logical", "on-duplicate"}) {
    if (const YAML::Node d = loader[dup]) {
      auto v = file.text(d, key + "." + dup);
      if (v && !v->empty() && *v != "replace" && *v != "ignore" && *v != "error") {
        file.error(d, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}.{}' must be replace, ignore or error, got '{}'", key, dup, *v));
      }
    }
  }
}

// extra-args: dumpling flags; ferry understands the one DM users need, --consistency.
void check_mydumper(DmFile& file, const YAML::Node& mydumper, const std::string& key) {
  if (!mydumper.IsMap()) return;
  if (const YAML::Node extra = mydumper["extra-args"]) {
    auto v = file.text(extra, key + ".extra-args");
    if (!v || v->empty()) return;
    const std::string text = *v;
    const std::string prefix = "--consistency";
    std::string value;
    if (text.starts_with(prefix + "=")) value = text.substr(prefix.size() + 1);
    else if (text.starts_with(prefix + " ")) value = text.substr(prefix.size() + 1);
    while (!value.empty() && value.front() == ' ') value.erase(value.begin());
    while (!value.empty() && value.back() == ' ') value.pop_back();
    if (value != "auto" && value != "flush" && value != "lock" && value != "none") {
      file.error(extra, FERRY_E_CONFIG_UNSUPPORTED,
                 fmt::format("'{}.extra-args' '{}' is not supported: ferry takes only '--consistency auto|flush|lock|none'", key, text));
    }
  }
}

void check_task_mode(DmFile& file, const YAML::Node& node) {
  auto mode = file.text(node, "task-mode");
  if (!mode || *mode == "incremental") return;
  if (*mode == "full" || *mode == "all" || *mode == "dump" || *mode == "load" || *mode == "load&sync") return;
  {
    file.error(node, FERRY_E_CONFIG_INVALID_VALUE,
               fmt::format("'task-mode' must be one of full, incremental, all, dump, load, load&sync, got '{}'", *mode));
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

// An instance's config for one unit: named (`plural`.NAME through `name_key`) or inline
// (`inline_key`); every named one must be used (DM's ErrConfigGlobalConfigsUnused).
struct UnitConfig {
  const char* plural;      // "syncers"
  const char* name_key;    // "syncer-config-name"
  const char* inline_key;  // "syncer"
  const char* what;        // "syncer"
  const KeyRules& rules;
};

void resolve_unit(DmFile& file, const DmTask& task, const UnitConfig& unit, YAML::Node& out, std::string& out_key) {
  const YAML::Node& root = task.root;
  const YAML::Node configs = root[unit.plural];
  if (configs && !configs.IsNull() && !configs.IsMap()) {
    file.error(configs, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a mapping of named {} configs", unit.plural, unit.what));
  }
  const bool named_ok = configs && configs.IsMap();
  if (named_ok) {
    for (const auto& kv : configs) file.check_keys(kv.second, unit.rules, std::string(unit.plural) + "." + kv.first.Scalar());
  }
  std::string used;
  const YAML::Node& instance = task.instance;
  if (instance.IsMap()) {
    const YAML::Node name = instance[unit.name_key];
    const YAML::Node inline_config = instance[unit.inline_key];
    if (name && inline_config) {
      file.error(inline_config, FERRY_E_CONFIG_INVALID_VALUE,
                 fmt::format("'{}' has both {} and an inline {}: give one", task.instance_key, unit.name_key, unit.inline_key));
    } else if (inline_config) {
      out_key = task.instance_key + "." + unit.inline_key;
      if (file.check_keys(inline_config, unit.rules, out_key)) out = inline_config;
    } else if (name) {
      if (auto v = file.text(name, task.instance_key + "." + unit.name_key)) {
        used = *v;
        if (!named_ok || !configs[used]) {
          file.error(name, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("no {} config named '{}' in '{}'", unit.what, used, unit.plural));
        } else if (configs[used].IsMap()) {
          out = configs[used];
          out_key = std::string(unit.plural) + "." + used;
        }
      }
    }
  }
  if (named_ok) {
    for (const auto& kv : configs) {
      if (kv.first.Scalar() != used) {
        file.error(kv.first, FERRY_E_CONFIG_INVALID_VALUE,
                   fmt::format("{} config '{}' is not used by any mysql-instances entry (DM rejects unused configs too)",
                               unit.what, kv.first.Scalar()));
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
  if (const YAML::Node c = t["clean-dump-file"]) file.boolean(c, "clean-dump-file");  // in every mode, used or not
  if (const YAML::Node target = t["target-database"]) {
    task.target = target;
    check_db_config(file, target, "target-database", DbRole::Downstream);
  } else {
    file.error(t, FERRY_E_CONFIG_MISSING_KEY, "missing required key 'target-database'");
  }
  if (auto mode = t["task-mode"] ? file.text(t["task-mode"], "task-mode") : std::nullopt) task.mode = *mode;
  read_instances(file, task);
  resolve_unit(file, task, UnitConfig{"syncers", "syncer-config-name", "syncer", "syncer", syncer_rules()}, task.syncer,
               task.syncer_key);
  resolve_unit(file, task, UnitConfig{"mydumpers", "mydumper-config-name", "mydumper", "mydumper", mydumper_rules()},
               task.mydumper, task.mydumper_key);
  resolve_unit(file, task, UnitConfig{"loaders", "loader-config-name", "loader", "loader", loader_rules()}, task.loader,
               task.loader_key);
  check_mydumper(file, task.mydumper, task.mydumper_key);
  check_loader(file, task.loader, task.loader_key);
  return task;
}

}  // namespace ferry::core::config::dm
