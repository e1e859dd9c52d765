#include "config/dm_task_file.hpp"

#include "errors/error_table.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace ferry::core::config {

namespace {

std::optional<YAML::Node> parse(const std::filesystem::path& file, Diagnostics& diag) {
  std::ifstream in(file);
  if (!in) {
    diag.add_file_level(FERRY_E_CONFIG_FILE, "cannot open the file");
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    YAML::Node root = YAML::Load(text.str());
    if (!root.IsMap()) {
      diag.add(root.Mark(), FERRY_E_CONFIG_INVALID_VALUE, "a DM file is a mapping of keys");
      return std::nullopt;
    }
    return root;
  } catch (const YAML::ParserException& e) {
    diag.add(e.mark, FERRY_E_CONFIG_SYNTAX, "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

// A value that turns a refused feature on: a non-empty map or list, or a scalar other than
// false / 0 / empty.
bool is_set(const YAML::Node& n) {
  if (n.IsMap() || n.IsSequence()) return n.size() > 0;
  if (!n.IsScalar()) return false;
  const std::string v = n.Scalar();
  return !(v.empty() || v == "false" || v == "0" || v == "\"\"");
}

// What a section accepts: keys ferry implements, DM keys it refuses when they are set (with the
// reason), and DM's deprecated keys that DM itself ignores.
struct KeyRules {
  std::set<std::string> supported;
  std::map<std::string, std::string> refused;
  std::set<std::string> deprecated;
};

void check_keys(const YAML::Node& map, const KeyRules& rules, const std::string& where, Diagnostics& diag) {
  if (!map.IsMap()) {
    diag.add(map.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a mapping", where));
    return;
  }
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (rules.supported.count(key) > 0 || rules.deprecated.count(key) > 0) continue;
    auto r = rules.refused.find(key);
    if (r != rules.refused.end()) {
      if (is_set(kv.second)) {
        diag.add(kv.first.Mark(), FERRY_E_CONFIG_UNSUPPORTED,
                 fmt::format("DM key '{}{}' is not supported by ferry yet: {}", where.empty() ? "" : where + ".", key, r->second));
      }
      continue;
    }
    diag.add(kv.first.Mark(), FERRY_E_CONFIG_UNKNOWN_KEY,
             fmt::format("unknown key '{}{}' (DM's task and source files are strict too)", where.empty() ? "" : where + ".", key));
  }
}

const KeyRules& task_rules() {
  static const KeyRules r{
      {"name", "task-mode", "meta-schema", "timezone", "target-database", "mysql-instances", "syncers", "routes", "filters",
       "block-allow-list", "black-white-list", "expression-filter", "mydumpers", "loaders", "validators", "clean-dump-file",
       "ignore-checking-items"},
      {{"column-mappings", "removed in DM too"},
       {"shard-mode", "shard merging comes with a later release"},
       {"is-sharding", "shard merging comes with a later release"},
       {"strict-optimistic-shard-mode", "shard merging comes with a later release"},
       {"online-ddl", "gh-ost / pt-osc handling comes with the filters; set it to false"},
       {"online-ddl-scheme", "gh-ost / pt-osc handling comes with the filters"},
       {"shadow-table-rules", "gh-ost / pt-osc handling comes with the filters"},
       {"trash-table-rules", "gh-ost / pt-osc handling comes with the filters"},
       {"case-sensitive", "only case-insensitive matching (DM's default) is implemented"},
       {"collation_compatible", "only 'loose' (DM's default) is implemented"},
       {"remove-meta", "deprecated in DM too: use 'ferry run --remove-meta'"},
       {"experimental", "no experimental options are implemented"}},
      {"enable-heartbeat", "heartbeat-update-interval", "heartbeat-report-interval", "ansi-quotes"}};
  return r;
}

// Named rule sets whose non-empty use needs a plugin ferry does not have yet.
const std::map<std::string, std::string>& refused_rule_sets() {
  static const std::map<std::string, std::string> r = {
      {"routes", "table routing comes with the filters"},
      {"filters", "binlog event filters come with the filters"},
      {"block-allow-list", "block-allow lists come with the filters"},
      {"black-white-list", "block-allow lists come with the filters"},
      {"expression-filter", "expression filters come with the filters"},
      {"mydumpers", "task-mode full/all comes with the dump and load plugins"},
      {"loaders", "task-mode full/all comes with the dump and load plugins"},
      {"validators", "the continuous validator is not implemented"}};
  return r;
}

const KeyRules& instance_rules() {
  static const KeyRules r{
      {"source-id", "meta", "syncer-config-name", "syncer", "syncer-thread"},
      {{"route-rules", "table routing comes with the filters"},
       {"filter-rules", "binlog event filters come with the filters"},
       {"expression-filters", "expression filters come with the filters"},
       {"block-allow-list", "block-allow lists come with the filters"},
       {"black-white-list", "block-allow lists come with the filters"},
       {"column-mapping-rules", "removed in DM too"},
       {"mydumper-config-name", "task-mode full/all comes with the dump and load plugins"},
       {"mydumper", "task-mode full/all comes with the dump and load plugins"},
       {"mydumper-thread", "task-mode full/all comes with the dump and load plugins"},
       {"loader-config-name", "task-mode full/all comes with the dump and load plugins"},
       {"loader", "task-mode full/all comes with the dump and load plugins"},
       {"loader-thread", "task-mode full/all comes with the dump and load plugins"},
       {"validator-config-name", "the continuous validator is not implemented"}},
      {}};
  return r;
}

const KeyRules& syncer_rules() {
  static const KeyRules r{{"worker-count", "batch", "queue-size", "checkpoint-flush-interval", "compact", "multiple-rows",
                           "safe-mode", "safe-mode-duration"},
                          {},
                          {"max-retry", "auto-fix-gtid", "enable-gtid", "disable-detect", "enable-ansi-quotes"}};
  return r;
}

const KeyRules& db_rules() {
  static const KeyRules r{{"host", "port", "user", "password", "max-allowed-packet", "session", "security"}, {}, {}};
  return r;
}

const KeyRules& security_rules() {
  static const KeyRules r{{"ssl-ca", "ssl-cert", "ssl-key"},
                          {{"cert-allowed-cn", "certificate CN checks are not implemented"},
                           {"ssl-ca-bytes", "give the certificate as a file (ssl-ca)"},
                           {"ssl-cert-bytes", "give the certificate as a file (ssl-cert)"},
                           {"ssl-key-bytes", "give the key as a file (ssl-key)"},
                           {"ssl-ca-base64", "give the certificate as a file (ssl-ca)"},
                           {"ssl-cert-base64", "give the certificate as a file (ssl-cert)"},
                           {"ssl-key-base64", "give the key as a file (ssl-key)"}},
                          {}};
  return r;
}

const KeyRules& source_rules() {
  static const KeyRules r{
      {"source-id", "enable", "enable-gtid", "relay-dir", "relay-binlog-name", "relay-binlog-gtid", "flavor", "server-id",
       "from", "purge", "checker"},
      {{"enable-relay", "the relay log comes with a later release"},
       {"case-sensitive", "only case-insensitive matching (DM's default) is implemented"},
       {"filters", "binlog event filters come with the filters"}},
      {"auto-fix-gtid", "meta-dir", "charset", "tracer"}};
  return r;
}

YAML::Node scalar(const std::string& v) { return YAML::Node(v); }

// The plugin names of DM's units, from dm-units.yaml in the plugin directories.
std::optional<YAML::Node> dm_units(const PluginRegistry& registry, Diagnostics& diag) {
  for (const auto& dir : registry.directories()) {
    const auto file = dir / "dm-units.yaml";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) continue;
    try {
      return YAML::LoadFile(file.string());
    } catch (const YAML::Exception& e) {
      diag.add_file_level(FERRY_E_CONFIG_FILE, fmt::format("{} is not valid YAML: {}", file.string(), e.msg));
      return std::nullopt;
    }
  }
  diag.add_file_level(FERRY_E_CONFIG_FILE,
                      "no dm-units.yaml in the plugin directories: it says which plugins run a DM task (reinstall ferry's plugins)");
  return std::nullopt;
}

// Seconds from a DM duration ("30s", "1m", "90") for checkpoint-flush-interval arithmetic.
std::optional<long> seconds_of(const YAML::Node& n) {
  std::string v = n.Scalar();
  long mult = 1;
  if (!v.empty() && v.back() == 's') v.pop_back();
  else if (!v.empty() && v.back() == 'm') {
    v.pop_back();
    mult = 60;
  }
  try {
    size_t used = 0;
    long x = std::stol(v, &used);
    if (used != v.size()) return std::nullopt;
    return x * mult;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

bool is_dm_task_file(const std::filesystem::path& file) {
  try {
    YAML::Node root = YAML::LoadFile(file.string());
    return root.IsMap() && (root["mysql-instances"] || root["target-database"]);
  } catch (const YAML::Exception&) {
    return false;
  }
}

TaskSpec load_dm_task_file(const std::filesystem::path& task_file, const std::filesystem::path& source_file,
                           PluginRegistry& registry) {
  Diagnostics diag(task_file.string());
  Diagnostics source_diag(source_file.string());
  auto task = parse(task_file, diag);
  auto source = parse(source_file, source_diag);
  if (!source_diag.empty()) throw TaskFileError(std::move(source_diag));
  if (!task) throw TaskFileError(std::move(diag));
  const YAML::Node& t = *task;
  const YAML::Node& s = *source;

  // The source file.
  check_keys(s, source_rules(), "", source_diag);
  if (s["enable"] && s["enable"].Scalar() == "false") {
    source_diag.add(s["enable"].Mark(), FERRY_E_CONFIG_INVALID_VALUE, "the source is disabled (enable: false)");
  }
  if (!s["source-id"]) source_diag.add(s.Mark(), FERRY_E_CONFIG_MISSING_KEY, "'source-id' is required");
  if (s["source-id"] && s["source-id"].Scalar().size() > 32) {
    source_diag.add(s["source-id"].Mark(), FERRY_E_CONFIG_INVALID_VALUE, "'source-id' is at most 32 characters (DM's rule)");
  }
  if (s["flavor"] && s["flavor"].Scalar() != "mysql" && s["flavor"].Scalar() != "mariadb" && !s["flavor"].Scalar().empty()) {
    source_diag.add(s["flavor"].Mark(), FERRY_E_CONFIG_INVALID_VALUE, "'flavor' is mysql or mariadb");
  }
  const YAML::Node from = s["from"];
  if (!from) {
    source_diag.add(s.Mark(), FERRY_E_CONFIG_MISSING_KEY, "'from' (the upstream's host, port, user, password) is required");
  } else {
    check_keys(from, KeyRules{{"host", "port", "user", "password", "security", "session"}, {}, {}}, "from", source_diag);
    if (from["security"]) check_keys(from["security"], security_rules(), "from.security", source_diag);
  }
  if (!source_diag.empty()) throw TaskFileError(std::move(source_diag));

  // The task file.
  check_keys(t, task_rules(), "", diag);
  for (const auto& kv : t) {
    auto refused = refused_rule_sets().find(kv.first.Scalar());
    if (refused != refused_rule_sets().end() && is_set(kv.second)) {
      diag.add(kv.first.Mark(), FERRY_E_CONFIG_UNSUPPORTED,
               fmt::format("DM key '{}' is not supported by ferry yet: {}", refused->first, refused->second));
    }
  }
  for (const char* key : {"name", "task-mode", "target-database", "mysql-instances"}) {
    if (!t[key]) diag.add(t.Mark(), FERRY_E_CONFIG_MISSING_KEY, fmt::format("'{}' is required", key));
  }
  if (t["task-mode"]) {
    const std::string mode = t["task-mode"].Scalar();
    if (mode == "full" || mode == "all" || mode == "dump" || mode == "load" || mode == "load&sync") {
      diag.add(t["task-mode"].Mark(), FERRY_E_CONFIG_UNSUPPORTED,
               fmt::format("task-mode '{}' is not supported by ferry yet: the dump and load plugins come later; use incremental", mode));
    } else if (mode != "incremental") {
      diag.add(t["task-mode"].Mark(), FERRY_E_CONFIG_INVALID_VALUE,
               fmt::format("task-mode is one of full, incremental, all (got '{}')", mode));
    }
  }
  const YAML::Node target = t["target-database"];
  if (target) {
    check_keys(target, db_rules(), "target-database", diag);
    if (target.IsMap() && target["security"]) check_keys(target["security"], security_rules(), "target-database.security", diag);
  }
  const YAML::Node syncers = t["syncers"];
  if (syncers) {
    if (!syncers.IsMap()) {
      diag.add(syncers.Mark(), FERRY_E_CONFIG_INVALID_VALUE, "'syncers' is a mapping of named syncer configs");
    } else {
      for (const auto& kv : syncers) check_keys(kv.second, syncer_rules(), "syncers." + kv.first.Scalar(), diag);
    }
  }
  YAML::Node instance;
  const YAML::Node instances = t["mysql-instances"];
  if (instances) {
    if (!instances.IsSequence() || instances.size() == 0) {
      diag.add(instances.Mark(), FERRY_E_CONFIG_INVALID_VALUE, "'mysql-instances' is a list of at least one source");
    } else if (instances.size() > 1) {
      diag.add(instances[1].Mark(), FERRY_E_CONFIG_UNSUPPORTED,
               "ferry runs one source per task for now: split this task into one task per mysql-instances entry");
    } else {
      instance = instances[0];
      check_keys(instance, instance_rules(), "mysql-instances[0]", diag);
      if (!instance["source-id"]) {
        diag.add(instance.Mark(), FERRY_E_CONFIG_MISSING_KEY, "'source-id' is required");
      } else if (s["source-id"] && instance["source-id"].Scalar() != s["source-id"].Scalar()) {
        diag.add(instance["source-id"].Mark(), FERRY_E_CONFIG_INVALID_VALUE,
                 fmt::format("source-id '{}' is not the source file's ('{}', {})", instance["source-id"].Scalar(),
                             s["source-id"].Scalar(), source_file.string()));
      }
      if (const YAML::Node meta = instance["meta"]) {
        check_keys(meta, KeyRules{{"binlog-name", "binlog-pos", "binlog-gtid"}, {}, {}}, "mysql-instances[0].meta", diag);
        const bool named = meta["binlog-name"] && !meta["binlog-name"].Scalar().empty();
        const bool gtid = meta["binlog-gtid"] && !meta["binlog-gtid"].Scalar().empty();
        if (!named && !gtid) {
          diag.add(meta.Mark(), FERRY_E_CONFIG_INVALID_VALUE, "'meta' needs binlog-name or binlog-gtid (DM's rule)");
        }
      }
      if (instance["syncer-config-name"] && instance["syncer"]) {
        diag.add(instance["syncer"].Mark(), FERRY_E_CONFIG_INVALID_VALUE, "give syncer-config-name or an inline syncer, not both");
      }
      if (instance["syncer"]) check_keys(instance["syncer"], syncer_rules(), "mysql-instances[0].syncer", diag);
    }
  }
  // The syncer config this instance uses; every named one must be used (DM's rule).
  YAML::Node syncer;
  if (instance && instance["syncer"]) syncer = instance["syncer"];
  if (instance && instance["syncer-config-name"]) {
    const std::string name = instance["syncer-config-name"].Scalar();
    if (!syncers || !syncers.IsMap() || !syncers[name]) {
      diag.add(instance["syncer-config-name"].Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("no syncer config named '{}'", name));
    } else {
      syncer = syncers[name];
    }
  }
  if (syncers && syncers.IsMap()) {
    for (const auto& kv : syncers) {
      if (!instance || !instance["syncer-config-name"] || instance["syncer-config-name"].Scalar() != kv.first.Scalar()) {
        diag.add(kv.first.Mark(), FERRY_E_CONFIG_INVALID_VALUE,
                 fmt::format("syncer config '{}' is not used by any instance (DM rejects unused configs too)", kv.first.Scalar()));
      }
    }
  }
  auto units = dm_units(registry, diag);
  if (!diag.empty()) throw TaskFileError(std::move(diag));

  // The native task.
  YAML::Node native;
  native["name"] = t["name"];
  native["task-mode"] = scalar("incremental");
  native["data-dir"] = scalar("ferry-data");
  if (syncer && syncer["queue-size"]) native["queue"]["max-events"] = syncer["queue-size"];
  YAML::Node src;
  src["plugin"] = (*units)["sync"]["source"];
  for (const char* key : {"host", "port", "user", "password"}) {
    if (from[key]) src[key] = from[key];
  }
  if (s["server-id"]) src["server-id"] = s["server-id"];
  if (s["enable-gtid"]) src["enable-gtid"] = s["enable-gtid"];
  if (const YAML::Node meta = instance["meta"]) {
    for (const char* key : {"binlog-name", "binlog-pos", "binlog-gtid"}) {
      if (meta[key]) src[key] = meta[key];
    }
  }
  long flush_seconds = 30;  // DM's checkpoint-flush-interval default
  if (syncer && syncer["checkpoint-flush-interval"]) {
    if (auto v = seconds_of(syncer["checkpoint-flush-interval"])) flush_seconds = *v;
  }
  src["checkpoint-interval"] = scalar(std::to_string(flush_seconds) + "s");

  YAML::Node sink;
  sink["plugin"] = (*units)["sync"]["sink"];
  for (const char* key : {"host", "port", "user", "password", "max-allowed-packet", "session"}) {
    if (target[key]) sink[key] = target[key];
  }
  if (target["security"]) sink["security"] = target["security"];
  if (t["timezone"]) sink["timezone"] = t["timezone"];
  if (t["meta-schema"]) sink["meta-schema"] = t["meta-schema"];
  sink["source-id"] = s["source-id"];
  if (syncer) {
    for (const char* key : {"worker-count", "batch", "multiple-rows", "compact", "safe-mode"}) {
      if (syncer[key]) sink[key] = syncer[key];
    }
    const bool safe = syncer["safe-mode"] && syncer["safe-mode"].Scalar() == "true";
    if (syncer["safe-mode-duration"] && !syncer["safe-mode-duration"].Scalar().empty()) {
      if (safe && syncer["safe-mode-duration"].Scalar() == "0s") {
        diag.add(syncer["safe-mode-duration"].Mark(), FERRY_E_CONFIG_INVALID_VALUE,
                 "safe-mode-duration '0s' with safe-mode: true contradicts itself (DM refuses it too)");
        throw TaskFileError(std::move(diag));
      }
      sink["safe-mode-duration"] = syncer["safe-mode-duration"];
    } else {
      sink["safe-mode-duration"] = scalar(std::to_string(2 * flush_seconds) + "s");  // DM: 2 x flush interval
    }
  }
  if (instance["syncer-thread"]) sink["worker-count"] = instance["syncer-thread"];
  native["incremental"]["source"] = src;
  native["incremental"]["sink"] = sink;
  return load_task_root(native, task_file, registry, std::move(diag));
}

}  // namespace ferry::core::config
