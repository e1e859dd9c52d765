#include "config/dm/dm_file.hpp"

#include "config/env_vars.hpp"
#include "config/schema_validator.hpp"
#include "errors/error_table.hpp"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace ferry::core::config::dm {

std::string join_key(const std::string& where, const std::string& key) { return where.empty() ? key : where + "." + key; }

DmFile::DmFile(const std::filesystem::path& path) : name_(path.string()), errors_(name_), warnings_(name_) {}

bool DmFile::parse() {
  std::ifstream in(name_);
  if (!in) {
    errors_.add_file_level(FERRY_E_CONFIG_FILE, "cannot open the file");
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    root_ = YAML::Load(text.str());
  } catch (const YAML::ParserException& e) {
    errors_.add(e.mark, FERRY_E_CONFIG_SYNTAX, "YAML syntax error: " + e.msg);
    return false;
  }
  if (!root_.IsMap()) {
    errors_.add(root_.Mark(), FERRY_E_CONFIG_INVALID_VALUE, "a DM file is a mapping of keys");
    return false;
  }
  return true;
}

bool DmFile::check_keys(const YAML::Node& map, const KeyRules& rules, const std::string& where) {
  if (!map.IsMap()) {
    if (!map.IsNull()) error(map, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a mapping of keys", where));
    return false;
  }
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    const std::string full = join_key(where, key);
    if (rules.supported.count(key) > 0) continue;
    if (auto r = rules.refused.find(key); r != rules.refused.end()) {
      if (turns_on(kv.second)) {
        error(kv.first, FERRY_E_CONFIG_UNSUPPORTED, fmt::format("DM key '{}' is not supported by ferry yet: {}", full, r->second));
      }
      continue;
    }
    if (auto i = rules.ignored.find(key); i != rules.ignored.end()) {
      warnings_.add(kv.first.Mark(), FERRY_E_CONFIG_UNSUPPORTED, fmt::format("DM key '{}' is ignored: {}", full, i->second));
      continue;
    }
    std::vector<std::string> known(rules.supported.begin(), rules.supported.end());
    for (const auto& [k, why] : rules.refused) known.push_back(k);
    for (const auto& [k, why] : rules.ignored) known.push_back(k);
    error(kv.first, FERRY_E_CONFIG_UNKNOWN_KEY,
          fmt::format("unknown key '{}' (DM's files are strict too){}", full, did_you_mean(key, known)));
  }
  return true;
}

std::optional<std::string> DmFile::text(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) {
    error(node, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a single value", key));
    return std::nullopt;
  }
  std::string value = node.Scalar();
  std::string missing;
  if (!expand_env(value, missing)) {
    // Worded as the schema validator words it: the same value may be checked by both.
    error(node, FERRY_E_CONFIG_ENV_MISSING, fmt::format("'{}' refers to environment variable {} which is not set", key, missing));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> DmFile::boolean(const YAML::Node& node, const std::string& key) {
  auto value = text(node, key);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  error(node, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be true or false, got '{}'", key, *value));
  return std::nullopt;
}

std::optional<int64_t> DmFile::integer(const YAML::Node& node, const std::string& key) {
  auto value = text(node, key);
  if (!value) return std::nullopt;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), out);
  if (ec == std::errc() && end == value->data() + value->size()) return out;
  error(node, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be an integer, got '{}'", key, *value));
  return std::nullopt;
}

bool DmFile::turns_on(const YAML::Node& node) {
  if (node.IsSequence()) return node.size() > 0;
  if (node.IsMap()) {
    for (const auto& kv : node) {
      if (kv.second.IsMap() || kv.second.IsSequence() || turns_on(kv.second)) return true;
    }
    return false;
  }
  if (!node.IsScalar()) return false;
  std::string value = node.Scalar();
  std::string missing;
  expand_env(value, missing);  // an unset variable leaves the text, which then asks for something
  return !(value.empty() || value == "false" || value == "0");
}

}  // namespace ferry::core::config::dm
