#include "verify/verify_options.hpp"

#include <nlohmann/json.hpp>

namespace ferry::verify {
namespace {

using nlohmann::json;

// Where a key lives, for messages: "upstream (plugin mysql-binlog) key 'port'".
std::string where(const json& task, const std::string& side, const std::string& key) {
  std::string plugin = task.value(side + "-plugin", std::string());
  return side + (plugin.empty() ? "" : " (plugin " + plugin + ")") + " key '" + key + "'";
}

std::string text(const json& task, const std::string& side, const json& stage, const std::string& key,
                 const std::string& fallback) {
  auto it = stage.find(key);
  if (it == stage.end()) return fallback;
  if (!it->is_string()) throw OptionsError(where(task, side, key) + " must be a string");
  return it->get<std::string>();
}

std::vector<std::string> names(const json& task, const std::string& side, const json& stage, const std::string& key) {
  std::vector<std::string> out;
  auto it = stage.find(key);
  if (it == stage.end()) return out;
  if (!it->is_array()) throw OptionsError(where(task, side, key) + " must be a list of names");
  for (const auto& item : *it) {
    if (!item.is_string() || item.get<std::string>().empty()) {
      throw OptionsError(where(task, side, key) + " must be a list of names");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

ServerAddress read_address(const json& task, const std::string& side, uint16_t default_port) {
  auto it = task.find(side);
  if (it == task.end() || !it->is_object()) throw OptionsError("the task JSON has no '" + side + "' object");
  const json& stage = *it;
  ServerAddress a;
  a.role = side;
  if (!stage.contains("user")) {
    throw OptionsError(where(task, side, "user") +
                       " is missing: ferry verify compares MySQL-protocol servers (a MySQL source, a TiDB/MySQL sink)");
  }
  a.user = text(task, side, stage, "user", "");
  a.password = text(task, side, stage, "password", "");
  a.host = text(task, side, stage, "host", "127.0.0.1");
  a.port = default_port;
  if (auto p = stage.find("port"); p != stage.end()) {
    if (!p->is_number_integer() || p->get<int64_t>() < 1 || p->get<int64_t>() > 65535) {
      throw OptionsError(where(task, side, "port") + " must be a port number");
    }
    a.port = static_cast<uint16_t>(p->get<int64_t>());
  }
  if (auto s = stage.find("security"); s != stage.end() && !s->is_null()) {
    if (!s->is_object()) throw OptionsError(where(task, side, "security") + " must be an object");
    a.tls.ca = text(task, side, *s, "ssl-ca", "");
    a.tls.cert = text(task, side, *s, "ssl-cert", "");
    a.tls.key = text(task, side, *s, "ssl-key", "");
  }
  return a;
}

}  // namespace

VerifyOptions read_verify_options(std::string_view task_json) {
  json task = json::parse(task_json, nullptr, /*allow_exceptions=*/false);
  if (task.is_discarded() || !task.is_object()) throw OptionsError("--task-json is not a JSON object");
  VerifyOptions o;
  o.task = task.value("task", std::string());
  o.upstream = read_address(task, "upstream", 3306);
  o.downstream = read_address(task, "downstream", 4000);
  o.databases = names(task, "upstream", task["upstream"], "databases");
  o.tables = names(task, "upstream", task["upstream"], "tables");
  for (const auto& t : o.tables) {
    const auto dot = t.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == t.size()) {
      throw OptionsError(where(task, "upstream", "tables") + ": '" + t + "' is not schema.table");
    }
  }
  o.meta_schema = text(task, "downstream", task["downstream"], "meta-schema", "dm_meta");
  if (o.meta_schema.empty()) o.meta_schema = "dm_meta";
  return o;
}

}  // namespace ferry::verify
