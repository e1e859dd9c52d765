// Config: read-only view of a plugin's validated config (defaults already applied by the host).
// Valid as long as the plugin instance it was handed to.
#pragma once

#include <ferry/abi/ferry_abi.h>
#include <ferry/sdk/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::sdk {

class Config {
 public:
  Config(const ferry_host_api* api, const ferry_config_node* node) : api_(api), node_(node) {}

  bool present() const { return node_ != nullptr; }

  Config child(const char* key) const {
    return Config(api_, node_ ? api_->config_child(node_, key) : nullptr);
  }
  bool has(const char* key) const { return node_ && api_->config_child(node_, key) != nullptr; }

  std::optional<std::string_view> string(const char* key = nullptr) const {
    ferry_str s{};
    if (!node_ || !api_->config_string(node_, key, &s)) return std::nullopt;
    return std::string_view(s.data ? s.data : "", s.len);
  }
  std::optional<int64_t> integer(const char* key = nullptr) const {
    int64_t v = 0;
    if (!node_ || !api_->config_int(node_, key, &v)) return std::nullopt;
    return v;
  }
  std::optional<double> number(const char* key = nullptr) const {
    double v = 0;
    if (!node_ || !api_->config_double(node_, key, &v)) return std::nullopt;
    return v;
  }
  std::optional<bool> boolean(const char* key = nullptr) const {
    int v = 0;
    if (!node_ || !api_->config_bool(node_, key, &v)) return std::nullopt;
    return v != 0;
  }

  // Required readers: the host validated required keys, so a miss here is a plugin bug
  // (reading a key it did not declare); it throws, and the SDK reports it at the edge.
  std::string_view require_string(const char* key) const { return need(string(key), key); }
  int64_t require_integer(const char* key) const { return need(integer(key), key); }
  bool require_boolean(const char* key) const { return need(boolean(key), key); }

  // LIST items, or MAP / OBJECT entries.
  uint32_t size() const { return node_ ? api_->config_size(node_) : 0; }
  Config at(uint32_t index) const { return Config(api_, node_ ? api_->config_at(node_, index) : nullptr); }
  std::string_view key_at(uint32_t index) const {
    ferry_str s{};
    if (!node_ || !api_->config_key_at(node_, index, &s)) return {};
    return std::string_view(s.data ? s.data : "", s.len);
  }

 private:
  template <typename T>
  static T need(std::optional<T> v, const char* key) {
    if (!v) {
      throw PluginError(FERRY_E_PLUGIN_INVALID, key ? std::string("config key '") + key + "' was read but not declared"
                                                    : std::string("a config value was read as a type it was not declared with"));
    }
    return *v;
  }

  const ferry_host_api* api_;
  const ferry_config_node* node_;
};

}  // namespace ferry::sdk
