#include "config/dm/dm_source_file.hpp"

#include "config/dm/dm_db_config.hpp"
#include "errors/error_table.hpp"

#include <fmt/format.h>

namespace ferry::core::config::dm {
namespace {

constexpr size_t kMaxSourceIdLength = 32;  // DM's MaxSourceIDLength

const KeyRules& source_rules() {
  static const std::string kRelayStart = "ferry's relay log starts where the task starts (its checkpoint, else the instance's meta)";
  static const KeyRules rules{
      {"source-id", "enable", "enable-gtid", "flavor", "server-id", "from", "enable-relay", "relay-dir", "purge"},
      {{"filters", "binlog event filters come with the filter plugins"},
       {"checker", "DM's task checker (resuming paused tasks) is not implemented; ferry's task 'retry' covers retryable errors"}},
      {{"relay-binlog-name", kRelayStart},
       {"relay-binlog-gtid", kRelayStart},
       {"case-sensitive", "DM sets it from the upstream's lower_case_table_names"},
       {"auto-fix-gtid", "deprecated in DM"},
       {"meta-dir", "deprecated in DM"},
       {"charset", "deprecated in DM"},
       {"tracer", "deprecated in DM"}}};
  return rules;
}

}  // namespace

DmSource read_dm_source(DmFile& file) {
  DmSource source;
  const YAML::Node& s = file.root();
  source.root = s;
  file.check_keys(s, source_rules(), "");

  if (const YAML::Node id = s["source-id"]) {
    if (auto v = file.text(id, "source-id")) {
      if (v->empty()) {
        file.error(id, FERRY_E_CONFIG_INVALID_VALUE, "'source-id' must not be empty");
      } else if (v->size() > kMaxSourceIdLength) {
        file.error(id, FERRY_E_CONFIG_INVALID_VALUE,
                   fmt::format("'source-id' is at most {} characters (DM's rule), got {}", kMaxSourceIdLength, v->size()));
      } else {
        source.source_id = *v;
      }
    }
  } else {
    file.error(s, FERRY_E_CONFIG_MISSING_KEY, "missing required key 'source-id'");
  }
  if (const YAML::Node enable = s["enable"]) {
    if (file.boolean(enable, "enable") == false) {
      file.error(enable, FERRY_E_CONFIG_INVALID_VALUE, "the source is disabled ('enable: false'): DM starts no task on it");
    }
  }
  if (const YAML::Node flavor = s["flavor"]) {
    auto v = file.text(flavor, "flavor");
    if (v && !v->empty() && *v != "mysql" && *v != "mariadb") {
      file.error(flavor, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'flavor' must be mysql or mariadb, got '{}'", *v));
    }
  }
  if (const YAML::Node purge = s["purge"]) {
    static const KeyRules purge_rules{{"interval", "expires", "remain-space"}, {}, {}};
    file.check_keys(purge, purge_rules, "purge");
  }
  if (const YAML::Node from = s["from"]) {
    source.from = from;
    check_db_config(file, from, "from", DbRole::Upstream);
  } else {
    file.error(s, FERRY_E_CONFIG_MISSING_KEY, "missing required key 'from' (the upstream's host, port, user, password)");
  }
  return source;
}

}  // namespace ferry::core::config::dm
