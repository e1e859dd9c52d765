// Validates YAML against a plugin's declared config schema (ferry_config_field arrays) and
// builds the ferry_config_node tree the plugin will read. Collects every problem with its
// line and column rather than stopping at the first.
#pragma once

#include "config/config_node.hpp"
#include "config/diagnostics.hpp"
#include "config/node_origins.hpp"

#include <ferry/abi/ferry_abi.h>
#include <yaml-cpp/node/node.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ferry::core::config {

struct SchemaView {
  const ferry_config_field* fields = nullptr;
  uint32_t count = 0;
};

struct ValidateOptions {
  std::string owner;                 // who the keys belong to, for messages: "plugin 'jsonl'"
  std::set<std::string> skip_keys;   // keys handled by the caller (e.g. "plugin")
  std::string path;                  // dotted path of `node` in the file, "" for the top
  const NodeOrigins* origins = nullptr;  // a translated tree: where its values came from
};

// Validates a mapping against `schema`. Returns the tree even when there were problems (with the
// bad values left out), so callers can keep collecting; check `diag.empty()`.
ConfigNodePtr validate_object(const YAML::Node& node, SchemaView schema, Diagnostics& diag,
                              const ValidateOptions& options);

// Checks a declared schema for mistakes a plugin author can make (bad names, a LIST without an
// item, a default that does not parse, a REQUIRED field with a default). Returns the first
// problem, naming the field.
std::optional<std::string> check_schema(SchemaView schema);

// "; did you mean 'batch'?" when `key` is a close misspelling of one of `known`, else "".
std::string did_you_mean(const std::string& key, const std::vector<std::string>& known);

// "string", "integer", "duration", ... for messages and `ferry plugins describe`.
const char* type_name(uint32_t type);

}  // namespace ferry::core::config
