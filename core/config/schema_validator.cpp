#include "config/schema_validator.hpp"

#include <ferry/abi/ferry_errors.h>
#include <ferry/sdk/units.hpp>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <regex>

namespace ferry::core::config {
namespace {

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestion(const std::string& key, SchemaView schema) {
  std::string best;
  size_t best_d = 3;  // only close misspellings
  for (uint32_t i = 0; i < schema.count; ++i) {
    size_t d = edit_distance(key, schema.fields[i].name);
    if (d < best_d) {
      best_d = d;
      best = schema.fields[i].name;
    }
  }
  return best.empty() ? "" : fmt::format("; did you mean '{}'?", best);
}

// Expands ${VAR} references in any string value (hosts and ports as well as secrets); "$${" is a
// literal "${". Returns false (with the variable's name) when one is unset.
bool expand_env(std::string& text, std::string& missing) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {  // an escaped, literal "${"
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") == 0) {
      size_t end = text.find('}', i + 2);
      if (end != std::string::npos) {
        std::string name = text.substr(i + 2, end - i - 2);
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) {
          missing = name;
          return false;
        }
        out += value;
        i = end + 1;
        continue;
      }
    }
    out += text[i++];
  }
  text = std::move(out);
  return true;
}

bool parse_int(const std::string& s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out);
}

bool parse_bool(const std::string& s, bool& out) {
  if (s == "true") { out = true; return true; }
  if (s == "false") { out = false; return true; }
  return false;
}

// A default as YAML: scalar types take the text as it is (so "-" or "*" stay strings); lists
// and maps parse it as YAML.
YAML::Node default_node(const ferry_config_field& f) {
  if (f.type == FERRY_CONFIG_LIST || f.type == FERRY_CONFIG_MAP || f.type == FERRY_CONFIG_OBJECT) {
    return YAML::Load(f.default_value);
  }
  return YAML::Node(std::string(f.default_value));
}

class Validator {
 public:
  Validator(Diagnostics& diag, std::string owner) : diag_(diag), owner_(std::move(owner)) {}

  ConfigNodePtr object(const YAML::Node& node, SchemaView schema, const std::string& path,
                       const std::set<std::string>& skip) {
    auto out = empty_object();
    if (!node.IsMap()) {
      if (!node.IsNull()) {
        diag_.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE,
                  fmt::format("'{}' must be a mapping of keys{}", path.empty() ? "config" : path, owner_suffix()));
      }
      fill_missing(node, schema, path, *out, /*report=*/!node.IsNull() ? false : true);
      return out;
    }
    for (const auto& kv : node) {
      std::string key = kv.first.as<std::string>();
      if (skip.count(key)) continue;
      const ferry_config_field* field = find(schema, key);
      if (field == nullptr) {
        diag_.add(kv.first.Mark(), FERRY_E_CONFIG_UNKNOWN_KEY,
                  fmt::format("unknown key '{}'{}{}", join_path(path, key), owner_suffix(), suggestion(key, schema)));
        continue;
      }
      if (out->find(key) != nullptr) {
        diag_.add(kv.first.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("duplicate key '{}'", join_path(path, key)));
        continue;
      }
      if (auto value = this->value(kv.second, *field, join_path(path, key))) {
        out->entries.emplace_back(key, std::move(value));
      }
    }
    fill_missing(node, schema, path, *out, true);
    return out;
  }

 private:
  std::string owner_suffix() const { return owner_.empty() ? "" : " in " + owner_; }

  static const ferry_config_field* find(SchemaView schema, const std::string& key) {
    for (uint32_t i = 0; i < schema.count; ++i) {
      if (key == schema.fields[i].name) return &schema.fields[i];
    }
    return nullptr;
  }

  // Adds defaults for absent keys and reports absent required ones at the mapping's mark.
  void fill_missing(const YAML::Node& node, SchemaView schema, const std::string& path,
                    ferry_config_node& out, bool report) {
    for (uint32_t i = 0; i < schema.count; ++i) {
      const ferry_config_field& f = schema.fields[i];
      if (out.find(f.name) != nullptr) continue;
      if (node.IsMap() && node[f.name]) continue;  // present but invalid: already reported
      if (f.flags & FERRY_CONFIG_REQUIRED) {
        if (report) {
          diag_.add(node.Mark(), FERRY_E_CONFIG_MISSING_KEY,
                    fmt::format("missing required key '{}'{}", join_path(path, f.name), owner_suffix()));
        }
      } else if (f.default_value != nullptr) {
        if (auto v = value(default_node(f), f, join_path(path, f.name))) {
          out.entries.emplace_back(f.name, std::move(v));
        }
      } else if (f.type == FERRY_CONFIG_OBJECT) {
        // An absent optional object still gets its children's defaults.
        out.entries.emplace_back(f.name, object(YAML::Node(YAML::NodeType::Map), {f.children, f.child_count},
                                                join_path(path, f.name), {}));
      }
    }
  }

  ConfigNodePtr value(const YAML::Node& node, const ferry_config_field& f, const std::string& path) {
    switch (f.type) {
      case FERRY_CONFIG_OBJECT: {
        auto n = object(node, {f.children, f.child_count}, path, {});
        n->secret = f.flags & FERRY_CONFIG_SECRET;
        return n;
      }
      case FERRY_CONFIG_LIST: return list(node, f, path);
      case FERRY_CONFIG_MAP: return map(node, f, path);
      default: return scalar(node, f, path);
    }
  }

  ConfigNodePtr list(const YAML::Node& node, const ferry_config_field& f, const std::string& path) {
    if (!node.IsSequence()) {
      diag_.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a list", path));
      return nullptr;
    }
    auto out = std::make_unique<ferry_config_node>();
    out->shape = ferry_config_node::Shape::List;
    out->type = FERRY_CONFIG_LIST;
    size_t i = 0;
    for (const auto& item : node) {
      if (auto v = value(item, f.children[0], fmt::format("{}[{}]", path, i))) out->items.push_back(std::move(v));
      ++i;
    }
    check_bounds(node, f, path, static_cast<double>(node.size()), "items");
    return out;
  }

  ConfigNodePtr map(const YAML::Node& node, const ferry_config_field& f, const std::string& path) {
    if (!node.IsMap()) {
      diag_.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a mapping", path));
      return nullptr;
    }
    auto out = std::make_unique<ferry_config_node>();
    out->shape = ferry_config_node::Shape::Map;
    out->type = FERRY_CONFIG_MAP;
    for (const auto& kv : node) {
      std::string key = kv.first.as<std::string>();
      if (auto v = value(kv.second, f.children[0], join_path(path, key))) out->entries.emplace_back(key, std::move(v));
    }
    return out;
  }

  ConfigNodePtr scalar(const YAML::Node& node, const ferry_config_field& f, const std::string& path) {
    if (!node.IsScalar()) {
      diag_.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE,
                fmt::format("'{}' must be {} {}, not a {}", path, f.type == FERRY_CONFIG_INT || f.type == FERRY_CONFIG_ENUM ? "an" : "a", type_name(f.type),
                            node.IsMap() ? "mapping" : node.IsSequence() ? "list" : "null"));
      return nullptr;
    }
    auto out = std::make_unique<ferry_config_node>();
    out->type = f.type;
    out->secret = f.flags & FERRY_CONFIG_SECRET;
    out->text = node.Scalar();
    std::string missing;
    if (!expand_env(out->text, missing)) {
      diag_.add(node.Mark(), FERRY_E_CONFIG_ENV_MISSING,
                fmt::format("'{}' refers to environment variable {} which is not set", path, missing));
      return nullptr;
    }
    // Secrets are never echoed back in messages.
    const std::string shown = out->secret ? "<secret>" : "'" + out->text + "'";
    auto bad = [&](const std::string& what) {
      diag_.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be {}, got {}", path, what, shown));
      return nullptr;
    };
    switch (f.type) {
      case FERRY_CONFIG_STRING: break;
      case FERRY_CONFIG_INT:
        if (!parse_int(out->text, out->int_value)) return bad("an integer");
        if (!check_bounds(node, f, path, static_cast<double>(out->int_value), "")) return nullptr;
        break;
      case FERRY_CONFIG_DOUBLE:
        if (!parse_double(out->text, out->double_value)) return bad("a number");
        if (!check_bounds(node, f, path, out->double_value, "")) return nullptr;
        break;
      case FERRY_CONFIG_BOOL:
        if (!parse_bool(out->text, out->bool_value)) return bad("true or false");
        break;
      case FERRY_CONFIG_DURATION: {
        auto ms = sdk::units::parse_duration_ms(out->text);
        if (!ms) return bad("a duration with units (250ms, 30s, 5m, 1h)");
        out->int_value = *ms;
        if (!check_bounds(node, f, path, static_cast<double>(*ms), "ms")) return nullptr;
        break;
      }
      case FERRY_CONFIG_SIZE: {
        auto bytes = sdk::units::parse_size_bytes(out->text);
        if (!bytes) return bad("a size (64MiB, 512KiB, 1000)");
        out->int_value = *bytes;
        if (!check_bounds(node, f, path, static_cast<double>(*bytes), "bytes")) return nullptr;
        break;
      }
      case FERRY_CONFIG_ENUM: {
        bool ok = false;
        std::string members;
        for (uint32_t i = 0; i < f.enum_count; ++i) {
          if (out->text == f.enum_values[i]) ok = true;
          members += (i ? ", " : "") + std::string(f.enum_values[i]);
        }
        if (!ok) return bad("one of " + members);
        break;
      }
      default:
        return bad("a value of a known type");
    }
    return out;
  }

  bool check_bounds(const YAML::Node& node, const ferry_config_field& f, const std::string& path, double v,
                    const char* unit) {
    auto fmt_bound = [&](double b) { return fmt::format("{}{}{}", b, *unit ? " " : "", unit); };
    if ((f.flags & FERRY_CONFIG_HAS_MIN) && v < f.min) {
      diag_.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be at least {}, got {}", path, fmt_bound(f.min), fmt_bound(v)));
      return false;
    }
    if ((f.flags & FERRY_CONFIG_HAS_MAX) && v > f.max) {
      diag_.add(node.Mark(), FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be at most {}, got {}", path, fmt_bound(f.max), fmt_bound(v)));
      return false;
    }
    return true;
  }

  Diagnostics& diag_;
  std::string owner_;
};

bool is_kebab(const char* name) {
  static const std::regex kKebab("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
  return name != nullptr && std::regex_match(name, kKebab);
}

std::optional<std::string> check_fields(SchemaView schema, const std::string& path) {
  std::set<std::string> seen;
  for (uint32_t i = 0; i < schema.count; ++i) {
    const ferry_config_field& f = schema.fields[i];
    std::string where = path.empty() ? fmt::format("field #{}", i + 1) : fmt::format("{} field #{}", path, i + 1);
    if (!is_kebab(f.name)) return fmt::format("{}: name '{}' is not kebab-case", where, f.name ? f.name : "(null)");
    where = join_path(path, f.name);
    if (!seen.insert(f.name).second) return fmt::format("'{}' is declared twice", where);
    if (f.type < FERRY_CONFIG_STRING || f.type > FERRY_CONFIG_MAP) return fmt::format("'{}' has unknown type {}", where, f.type);
    if ((f.flags & FERRY_CONFIG_REQUIRED) && f.default_value) return fmt::format("'{}' is required and has a default", where);
    if (f.type == FERRY_CONFIG_ENUM && (f.enum_count == 0 || f.enum_values == nullptr)) return fmt::format("'{}' is an enum with no values", where);
    if ((f.type == FERRY_CONFIG_LIST || f.type == FERRY_CONFIG_MAP) && (f.child_count != 1 || f.children == nullptr)) {
      return fmt::format("'{}' is a {} and must describe exactly one item type", where, type_name(f.type));
    }
    if (f.child_count > 0) {
      SchemaView children{f.children, f.child_count};
      if (f.type == FERRY_CONFIG_OBJECT) {
        if (auto e = check_fields(children, where)) return e;
      } else if (f.children[0].type == FERRY_CONFIG_OBJECT) {
        if (auto e = check_fields({f.children[0].children, f.children[0].child_count}, where + "[]")) return e;
      }
    }
    if (f.default_value != nullptr && f.type != FERRY_CONFIG_OBJECT) {
      Diagnostics d("<default>");
      Validator v(d, "");
      YAML::Node doc;
      try {
        doc = default_node(f);
      } catch (const YAML::Exception&) {
        return fmt::format("'{}' has a default that is not YAML: '{}'", where, f.default_value);
      }
      YAML::Node wrapper(YAML::NodeType::Map);
      wrapper[f.name] = doc;
      v.object(wrapper, {&f, 1}, "", {});
      if (!d.empty()) return fmt::format("'{}' has an invalid default: {}", where, d.items()[0].message);
    }
  }
  return std::nullopt;
}

}  // namespace

ConfigNodePtr validate_object(const YAML::Node& node, SchemaView schema, Diagnostics& diag,
                              const ValidateOptions& options) {
  Validator v(diag, options.owner);
  return v.object(node, schema, options.path, options.skip_keys);
}

std::optional<std::string> check_schema(SchemaView schema) { return check_fields(schema, ""); }

const char* type_name(uint32_t type) {
  switch (type) {
    case FERRY_CONFIG_STRING: return "string";
    case FERRY_CONFIG_INT: return "integer";
    case FERRY_CONFIG_DOUBLE: return "number";
    case FERRY_CONFIG_BOOL: return "boolean";
    case FERRY_CONFIG_DURATION: return "duration";
    case FERRY_CONFIG_SIZE: return "size";
    case FERRY_CONFIG_ENUM: return "enum";
    case FERRY_CONFIG_LIST: return "list";
    case FERRY_CONFIG_OBJECT: return "object";
    case FERRY_CONFIG_MAP: return "map";
    default: return "unknown";
  }
}

}  // namespace ferry::core::config
