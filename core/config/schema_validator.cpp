#include "config/schema_validator.hpp"

#include "config/env_vars.hpp"

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
  std::vector<std::string> names;
  for (uint32_t i = 0; i < schema.count; ++i) names.emplace_back(schema.fields[i].name);
  return did_you_mean(key, names);
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

// Where a value sits, for messages: its file and dotted key. A value of a translated tree (DM)
// is reported where it came from; its children inherit that file and key.
struct Where {
  std::string file;
  std::string path;

  Where child(const std::string& key) const { return {file, join_path(path, key)}; }
  Where item(size_t i) const { return {file, fmt::format("{}[{}]", path, i)}; }
};

class Validator {
 public:
  Validator(Diagnostics& diag, std::string owner, const NodeOrigins* origins)
      : diag_(diag), owner_(std::move(owner)), origins_(origins) {}

  ConfigNodePtr object(const YAML::Node& node, SchemaView schema, const Where& where_in,
                       const std::set<std::string>& skip) {
    const Where where = locate(node, where_in);
    auto out = empty_object();
    if (!node.IsMap()) {
      if (!node.IsNull()) {
        report(node, where, FERRY_E_CONFIG_INVALID_VALUE,
               fmt::format("'{}' must be a mapping of keys{}", where.path.empty() ? "config" : where.path, owner_suffix()));
      }
      fill_missing(node, schema, where, *out, /*report=*/!node.IsNull() ? false : true);
      return out;
    }
    for (const auto& kv : node) {
      std::string key = kv.first.as<std::string>();
      if (skip.count(key)) continue;
      const ferry_config_field* field = find(schema, key);
      if (field == nullptr) {
        const NodeOrigin* origin = origins_ ? origins_->find(kv.second) : nullptr;
        if (origin != nullptr) {
          // A translated value the plugin has no key for: the plugin does not do that yet.
          diag_.add(origin->file, origin->mark, FERRY_E_CONFIG_UNKNOWN_KEY,
                    fmt::format("{} key '{}' is not supported by {} yet", origins_->format(), origin->key,
                                owner_.empty() ? "ferry" : owner_));
        } else {
          report(kv.first, where, FERRY_E_CONFIG_UNKNOWN_KEY,
                 fmt::format("unknown key '{}'{}{}", join_path(where.path, key), owner_suffix(), suggestion(key, schema)));
        }
        continue;
      }
      if (out->find(key) != nullptr) {
        report(kv.first, where, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("duplicate key '{}'", join_path(where.path, key)));
        continue;
      }
      if (auto value = this->value(kv.second, *field, where.child(key))) {
        out->entries.emplace_back(key, std::move(value));
      }
    }
    fill_missing(node, schema, where, *out, true);
    return out;
  }

 private:
  std::string owner_suffix() const { return owner_.empty() ? "" : " in " + owner_; }

  // `where` for `node`: where it came from when the tree was translated, else as given.
  Where locate(const YAML::Node& node, const Where& where) const {
    const NodeOrigin* origin = origins_ ? origins_->find(node) : nullptr;
    return origin ? Where{origin->file, origin->key} : where;
  }

  void report(const YAML::Node& node, const Where& where, uint32_t code, std::string message) {
    const NodeOrigin* origin = origins_ ? origins_->find(node) : nullptr;
    diag_.add(where.file, origin ? origin->mark : node.Mark(), code, std::move(message));
  }

  static const ferry_config_field* find(SchemaView schema, const std::string& key) {
    for (uint32_t i = 0; i < schema.count; ++i) {
      if (key == schema.fields[i].name) return &schema.fields[i];
    }
    return nullptr;
  }

  // Adds defaults for absent keys and reports absent required ones at the mapping's mark.
  void fill_missing(const YAML::Node& node, SchemaView schema, const Where& where, ferry_config_node& out, bool report) {
    for (uint32_t i = 0; i < schema.count; ++i) {
      const ferry_config_field& f = schema.fields[i];
      if (out.find(f.name) != nullptr) continue;
      if (node.IsMap() && node[f.name]) continue;  // present but invalid: already reported
      if (f.flags & FERRY_CONFIG_REQUIRED) {
        if (report) {
          this->report(node, where, FERRY_E_CONFIG_MISSING_KEY,
                       fmt::format("missing required key '{}'{}", join_path(where.path, f.name), owner_suffix()));
        }
      } else if (f.default_value != nullptr) {
        if (auto v = value(default_node(f), f, where.child(f.name))) {
          out.entries.emplace_back(f.name, std::move(v));
        }
      } else if (f.type == FERRY_CONFIG_OBJECT) {
        // An absent optional object still gets its children's defaults.
        out.entries.emplace_back(f.name, object(YAML::Node(YAML::NodeType::Map), {f.children, f.child_count},
                                                where.child(f.name), {}));
      }
    }
  }

  ConfigNodePtr value(const YAML::Node& node, const ferry_config_field& f, const Where& where) {
    switch (f.type) {
      case FERRY_CONFIG_OBJECT: {
        auto n = object(node, {f.children, f.child_count}, where, {});
        n->secret = f.flags & FERRY_CONFIG_SECRET;
        return n;
      }
      case FERRY_CONFIG_LIST: return list(node, f, locate(node, where));
      case FERRY_CONFIG_MAP: return map(node, f, locate(node, where));
      default: return scalar(node, f, locate(node, where));
    }
  }

  ConfigNodePtr list(const YAML::Node& node, const ferry_config_field& f, const Where& where) {
    if (!node.IsSequence()) {
      report(node, where, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a list", where.path));
      return nullptr;
    }
    auto out = std::make_unique<ferry_config_node>();
    out->shape = ferry_config_node::Shape::List;
    out->type = FERRY_CONFIG_LIST;
    size_t i = 0;
    for (const auto& item : node) {
      if (auto v = value(item, f.children[0], where.item(i))) out->items.push_back(std::move(v));
      ++i;
    }
    check_bounds(node, f, where, static_cast<double>(node.size()), "items");
    return out;
  }

  ConfigNodePtr map(const YAML::Node& node, const ferry_config_field& f, const Where& where) {
    if (!node.IsMap()) {
      report(node, where, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be a mapping", where.path));
      return nullptr;
    }
    auto out = std::make_unique<ferry_config_node>();
    out->shape = ferry_config_node::Shape::Map;
    out->type = FERRY_CONFIG_MAP;
    for (const auto& kv : node) {
      std::string key = kv.first.as<std::string>();
      if (auto v = value(kv.second, f.children[0], where.child(key))) out->entries.emplace_back(key, std::move(v));
    }
    return out;
  }

  ConfigNodePtr scalar(const YAML::Node& node, const ferry_config_field& f, const Where& where) {
    const std::string& path = where.path;
    if (!node.IsScalar()) {
      report(node, where, FERRY_E_CONFIG_INVALID_VALUE,
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
      report(node, where, FERRY_E_CONFIG_ENV_MISSING,
             fmt::format("'{}' refers to environment variable {} which is not set", path, missing));
      return nullptr;
    }
    // Secrets are never echoed back in messages.
    const std::string shown = out->secret ? "<secret>" : "'" + out->text + "'";
    auto bad = [&](const std::string& what) {
      report(node, where, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be {}, got {}", path, what, shown));
      return nullptr;
    };
    switch (f.type) {
      case FERRY_CONFIG_STRING: break;
      case FERRY_CONFIG_INT:
        if (!parse_int(out->text, out->int_value)) return bad("an integer");
        if (!check_bounds(node, f, where, static_cast<double>(out->int_value), "")) return nullptr;
        break;
      case FERRY_CONFIG_DOUBLE:
        if (!parse_double(out->text, out->double_value)) return bad("a number");
        if (!check_bounds(node, f, where, out->double_value, "")) return nullptr;
        break;
      case FERRY_CONFIG_BOOL:
        if (!parse_bool(out->text, out->bool_value)) return bad("true or false");
        break;
      case FERRY_CONFIG_DURATION: {
        auto ms = sdk::units::parse_duration_ms(out->text);
        if (!ms) return bad("a duration with units (250ms, 30s, 5m, 1h)");
        out->int_value = *ms;
        if (!check_bounds(node, f, where, static_cast<double>(*ms), "ms")) return nullptr;
        break;
      }
      case FERRY_CONFIG_SIZE: {
        auto bytes = sdk::units::parse_size_bytes(out->text);
        if (!bytes) return bad("a size (64MiB, 512KiB, 1000)");
        out->int_value = *bytes;
        if (!check_bounds(node, f, where, static_cast<double>(*bytes), "bytes")) return nullptr;
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

  bool check_bounds(const YAML::Node& node, const ferry_config_field& f, const Where& where, double v, const char* unit) {
    auto fmt_bound = [&](double b) { return fmt::format("{}{}{}", b, *unit ? " " : "", unit); };
    if ((f.flags & FERRY_CONFIG_HAS_MIN) && v < f.min) {
      report(node, where, FERRY_E_CONFIG_INVALID_VALUE,
             fmt::format("'{}' must be at least {}, got {}", where.path, fmt_bound(f.min), fmt_bound(v)));
      return false;
    }
    if ((f.flags & FERRY_CONFIG_HAS_MAX) && v > f.max) {
      report(node, where, FERRY_E_CONFIG_INVALID_VALUE,
             fmt::format("'{}' must be at most {}, got {}", where.path, fmt_bound(f.max), fmt_bound(v)));
      return false;
    }
    return true;
  }

  Diagnostics& diag_;
  std::string owner_;
  const NodeOrigins* origins_;
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
      Validator v(d, "", nullptr);
      YAML::Node doc;
      try {
        doc = default_node(f);
      } catch (const YAML::Exception&) {
        return fmt::format("'{}' has a default that is not YAML: '{}'", where, f.default_value);
      }
      YAML::Node wrapper(YAML::NodeType::Map);
      wrapper[f.name] = doc;
      v.object(wrapper, {&f, 1}, Where{d.file(), ""}, {});
      if (!d.empty()) return fmt::format("'{}' has an invalid default: {}", where, d.items()[0].message);
    }
  }
  return std::nullopt;
}

}  // namespace

ConfigNodePtr validate_object(const YAML::Node& node, SchemaView schema, Diagnostics& diag,
                              const ValidateOptions& options) {
  Validator v(diag, options.owner, options.origins);
  return v.object(node, schema, Where{diag.file(), options.path}, options.skip_keys);
}

std::string did_you_mean(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  size_t best_d = 3;  // only close misspellings
  for (const auto& k : known) {
    size_t d = edit_distance(key, k);
    if (d < best_d) {
      best_d = d;
      best = k;
    }
  }
  return best.empty() ? "" : fmt::format("; did you mean '{}'?", best);
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
