// ConfigSchema: a plugin declares its config keys with this builder; the SDK compiles it into the
// ferry_config_field arrays the manifest carries as data. Built once per process (the manifest
// keeps it in a function-local static) and immutable afterwards.
#pragma once

#include <ferry/abi/ferry_abi.h>

#include <deque>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace ferry::sdk {

class Field {
 public:
  Field(std::string name, ferry_config_type type) : name_(std::move(name)), type_(type) {}

  Field& required() { flags_ |= FERRY_CONFIG_REQUIRED; return *this; }
  Field& secret() { flags_ |= FERRY_CONFIG_SECRET; return *this; }
  Field& default_value(std::string text) { default_ = std::move(text); has_default_ = true; return *this; }
  Field& describe(std::string text) { description_ = std::move(text); return *this; }
  Field& min(double v) { min_ = v; flags_ |= FERRY_CONFIG_HAS_MIN; return *this; }
  Field& max(double v) { max_ = v; flags_ |= FERRY_CONFIG_HAS_MAX; return *this; }

  const std::string& name() const { return name_; }

 private:
  friend class ConfigSchema;
  friend Field enumeration(std::string, std::initializer_list<const char*>);
  friend Field list(std::string, Field);
  friend Field object(std::string, std::initializer_list<Field>);
  friend Field map(std::string, Field);

  std::string name_;
  ferry_config_type type_;
  uint32_t flags_ = 0;
  std::string default_;
  bool has_default_ = false;
  std::string description_;
  std::vector<std::string> enum_values_;
  std::vector<Field> children_;
  double min_ = 0;
  double max_ = 0;
};

inline Field string(std::string name) { return Field(std::move(name), FERRY_CONFIG_STRING); }
inline Field integer(std::string name) { return Field(std::move(name), FERRY_CONFIG_INT); }
inline Field number(std::string name) { return Field(std::move(name), FERRY_CONFIG_DOUBLE); }
inline Field boolean(std::string name) { return Field(std::move(name), FERRY_CONFIG_BOOL); }
inline Field duration(std::string name) { return Field(std::move(name), FERRY_CONFIG_DURATION); }
inline Field size(std::string name) { return Field(std::move(name), FERRY_CONFIG_SIZE); }
inline Field enumeration(std::string name, std::initializer_list<const char*> values) {
  Field f(std::move(name), FERRY_CONFIG_ENUM);
  for (const char* v : values) f.enum_values_.emplace_back(v);
  return f;
}
// A list whose items are described by `item` (its name is not used).
inline Field list(std::string name, Field item) {
  Field f(std::move(name), FERRY_CONFIG_LIST);
  f.children_.push_back(std::move(item));
  return f;
}
inline Field object(std::string name, std::initializer_list<Field> fields) {
  Field f(std::move(name), FERRY_CONFIG_OBJECT);
  f.children_.assign(fields.begin(), fields.end());
  return f;
}
// A map with free keys whose values are described by `value`.
inline Field map(std::string name, Field value) {
  Field f(std::move(name), FERRY_CONFIG_MAP);
  f.children_.push_back(std::move(value));
  return f;
}

class ConfigSchema {
 public:
  ConfigSchema() = default;
  ConfigSchema(const ConfigSchema&) = delete;  // compiled arrays point into this object
  ConfigSchema& operator=(const ConfigSchema&) = delete;

  ConfigSchema& add(Field field) {
    fields_.push_back(std::move(field));
    compiled_ = false;
    return *this;
  }

  const ferry_config_field* data() { compile(); return top_->empty() ? nullptr : top_->data(); }
  uint32_t size() { compile(); return static_cast<uint32_t>(top_->size()); }

 private:
  void compile() {
    if (compiled_) return;
    arrays_.clear();
    strings_.clear();
    enum_arrays_.clear();
    top_ = &compile_list(fields_);
    compiled_ = true;
  }

  std::vector<ferry_config_field>& compile_list(const std::vector<Field>& fields) {
    auto& out = arrays_.emplace_back();
    out.reserve(fields.size());
    for (const Field& f : fields) {
      ferry_config_field c{};
      c.name = keep(f.name_);
      c.type = f.type_;
      c.flags = f.flags_;
      c.default_value = f.has_default_ ? keep(f.default_) : nullptr;
      c.description = keep(f.description_);
      if (!f.enum_values_.empty()) {
        auto& values = enum_arrays_.emplace_back();
        for (const auto& v : f.enum_values_) values.push_back(keep(v));
        c.enum_values = values.data();
        c.enum_count = static_cast<uint32_t>(values.size());
      }
      if (!f.children_.empty()) {
        auto& children = compile_list(f.children_);
        c.children = children.data();
        c.child_count = static_cast<uint32_t>(children.size());
      }
      c.min = f.min_;
      c.max = f.max_;
      out.push_back(c);
    }
    return out;
  }

  const char* keep(const std::string& s) { return strings_.emplace_back(s).c_str(); }

  std::vector<Field> fields_;
  bool compiled_ = false;
  std::vector<ferry_config_field>* top_ = nullptr;
  std::deque<std::vector<ferry_config_field>> arrays_;  // deque: stable addresses
  std::deque<std::string> strings_;
  std::deque<std::vector<const char*>> enum_arrays_;
};

}  // namespace ferry::sdk
