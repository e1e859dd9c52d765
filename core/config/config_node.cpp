#include "config/config_node.hpp"

namespace ferry::core::config {
namespace {

const ferry_config_node* resolve(const ferry_config_node* node, const char* key) {
  if (node == nullptr) return nullptr;
  if (key == nullptr) return node;
  return node->find(key);
}

bool is_scalar(const ferry_config_node* n) {
  return n != nullptr && n->shape == ferry_config_node::Shape::Scalar;
}

const ferry_config_node* config_child(const ferry_config_node* node, const char* key) {
  return resolve(node, key);
}

int config_string(const ferry_config_node* node, const char* key, ferry_str* out) {
  const ferry_config_node* n = resolve(node, key);
  if (!is_scalar(n)) return 0;
  *out = {n->text.data(), static_cast<uint32_t>(n->text.size())};
  return 1;
}

int config_int(const ferry_config_node* node, const char* key, int64_t* out) {
  const ferry_config_node* n = resolve(node, key);
  if (!is_scalar(n)) return 0;
  switch (n->type) {
    case FERRY_CONFIG_INT:
    case FERRY_CONFIG_DURATION:
    case FERRY_CONFIG_SIZE: *out = n->int_value; return 1;
    default: return 0;
  }
}

int config_double(const ferry_config_node* node, const char* key, double* out) {
  const ferry_config_node* n = resolve(node, key);
  if (!is_scalar(n)) return 0;
  switch (n->type) {
    case FERRY_CONFIG_DOUBLE: *out = n->double_value; return 1;
    case FERRY_CONFIG_INT:
    case FERRY_CONFIG_DURATION:
    case FERRY_CONFIG_SIZE: *out = static_cast<double>(n->int_value); return 1;
    default: return 0;
  }
}

int config_bool(const ferry_config_node* node, const char* key, int* out) {
  const ferry_config_node* n = resolve(node, key);
  if (!is_scalar(n) || n->type != FERRY_CONFIG_BOOL) return 0;
  *out = n->bool_value ? 1 : 0;
  return 1;
}

uint32_t config_size(const ferry_config_node* node) {
  if (node == nullptr) return 0;
  if (node->shape == ferry_config_node::Shape::List) return static_cast<uint32_t>(node->items.size());
  if (node->shape == ferry_config_node::Shape::Map) return static_cast<uint32_t>(node->entries.size());
  return 0;
}

const ferry_config_node* config_at(const ferry_config_node* node, uint32_t index) {
  if (node == nullptr) return nullptr;
  if (node->shape == ferry_config_node::Shape::List) {
    return index < node->items.size() ? node->items[index].get() : nullptr;
  }
  if (node->shape == ferry_config_node::Shape::Map) {
    return index < node->entries.size() ? node->entries[index].second.get() : nullptr;
  }
  return nullptr;
}

int config_key_at(const ferry_config_node* node, uint32_t index, ferry_str* out) {
  if (node == nullptr || node->shape != ferry_config_node::Shape::Map || index >= node->entries.size()) return 0;
  const std::string& k = node->entries[index].first;
  *out = {k.data(), static_cast<uint32_t>(k.size())};
  return 1;
}

}  // namespace

ConfigNodePtr empty_object() {
  auto n = std::make_unique<ferry_config_node>();
  n->shape = ferry_config_node::Shape::Map;
  n->type = FERRY_CONFIG_OBJECT;
  return n;
}

void fill_config_readers(ferry_host_api& api) {
  api.config_child = &config_child;
  api.config_string = &config_string;
  api.config_int = &config_int;
  api.config_double = &config_double;
  api.config_bool = &config_bool;
  api.config_size = &config_size;
  api.config_at = &config_at;
  api.config_key_at = &config_key_at;
}

}  // namespace ferry::core::config

namespace ferry::core::config {

ConfigNodePtr clone(const ferry_config_node& node) {
  auto out = std::make_unique<ferry_config_node>();
  out->shape = node.shape;
  out->type = node.type;
  out->secret = node.secret;
  out->text = node.text;
  out->int_value = node.int_value;
  out->double_value = node.double_value;
  out->bool_value = node.bool_value;
  for (const auto& item : node.items) out->items.push_back(clone(*item));
  for (const auto& [k, v] : node.entries) out->entries.emplace_back(k, clone(*v));
  return out;
}

}  // namespace ferry::core::config
