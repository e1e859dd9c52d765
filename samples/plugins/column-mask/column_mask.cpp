#include "column_mask.hpp"

#include "wildcard.hpp"

#include <ferry/sdk/event_json.hpp>

#include <algorithm>
#include <cstring>

namespace column_mask {
namespace sdk = ferry::sdk;

namespace {


constexpr uint16_t kBinaryCollation = 63;

std::string column_path(const ferry_table_schema& table, uint32_t column) {
  std::string out(sdk::view(table.schema));
  out += '.';
  out += sdk::view(table.table);
  out += '.';
  out += sdk::view(table.columns[column].name);
  return out;
}

std::string event_position(const ferry_event& event) {
  return std::string(sdk::view(event.pos.binlog_file)) + ":" + std::to_string(event.pos.binlog_pos);
}

std::string_view require_text(const sdk::Config& node, const std::string& what) {
  auto text = node.string();
  if (!text) throw sdk::PluginError(FERRY_E_PLUGIN_INVALID, "config " + what + " is not text");
  return *text;
}

}  // namespace

bool Rule::matches_table(const ferry_table_schema& table) const {
  return wildcard_match(schema_pattern, sdk::view(table.schema)) && wildcard_match(table_pattern, sdk::view(table.table));
}

bool Rule::matches_column(std::string_view column) const {
  return std::any_of(column_patterns.begin(), column_patterns.end(),
                     [&](const std::string& pattern) { return wildcard_match(pattern, column); });
}

void ColumnMask::describe(sdk::ConfigSchema& schema) {
  sdk::Field rule = sdk::object("rule", {
      sdk::string("schema-pattern").required().describe("upstream schema wildcard ('*' any run, '?' one character)"),
      sdk::string("table-pattern").default_value("*").describe("upstream table wildcard"),
      sdk::list("columns", sdk::string("column")).required().min(1).describe("column name wildcards"),
      sdk::enumeration("action", {"hash", "mask"})
          .default_value("hash")
          .describe("hash: 16 hex digits of a keyed FNV-1a; mask: all but the last keep-last characters become '*'"),
      sdk::integer("keep-last").default_value("0").min(0).describe("mask only: trailing characters left visible"),
  });
  schema.add(sdk::list("rules", std::move(rule))
                 .required()
                 .min(1)
                 .describe("the first rule matching a column decides its action; other columns pass unchanged"));
  schema.add(sdk::string("salt").secret().default_value("").describe("mixed into every hash; keep it secret: ${MASK_SALT}"));
}

ColumnMask::ColumnMask(const sdk::Host& host, const sdk::Config& config)
    : host_(host), salt_(config.require_string("salt")) {
  const sdk::Config rules = config.child("rules");
  for (uint32_t i = 0; i < rules.size(); ++i) {
    const sdk::Config r = rules.at(i);
    const std::string where = "rules[" + std::to_string(i) + "]";
    Rule rule;
    rule.schema_pattern = r.require_string("schema-pattern");
    rule.table_pattern = r.require_string("table-pattern");
    const sdk::Config columns = r.child("columns");
    for (uint32_t j = 0; j < columns.size(); ++j) {
      rule.column_patterns.emplace_back(require_text(columns.at(j), where + ".columns[" + std::to_string(j) + "]"));
    }
    rule.action = r.require_string("action") == "mask" ? Action::Mask : Action::Hash;
    const int64_t keep_last = r.require_integer("keep-last");
    if (keep_last < 0) throw sdk::PluginError(FERRY_E_CONFIG_INVALID_VALUE, where + ".keep-last must be 0 or more");
    rule.keep_last = static_cast<uint64_t>(keep_last);
    rules_.push_back(std::move(rule));
  }
  host_.info("column-mask ready rules=" + std::to_string(rules_.size()));
}

const ColumnMask::TablePlan& ColumnMask::plan_for(const ferry_table_schema& table) {
  auto it = plans_.find(&table);
  if (it != plans_.end()) return it->second;
  TablePlan plan;
  plan.columns.resize(table.column_count);
  for (size_t r = 0; r < rules_.size(); ++r) {
    if (!rules_[r].matches_table(table)) continue;
    for (uint32_t i = 0; i < table.column_count; ++i) {
      ColumnPlan& column = plan.columns[i];
      if (column.rule != nullptr || !rules_[r].matches_column(sdk::view(table.columns[i].name))) continue;
      column.rule = &rules_[r];
      const uint16_t collation = table.columns[i].charset;
      const bool single_byte = collation == kBinaryCollation || sdk::json::is_latin1(collation);
      column.unit = single_byte ? CharUnit::Byte : CharUnit::Utf8CodePoint;
      plan.any = true;
    }
  }
  return plans_.emplace(&table, std::move(plan)).first->second;
}

ferry_value ColumnMask::rewrite_value(sdk::BatchWriter& out, const ferry_value& value, const ColumnPlan& column) const {
  const std::string_view text(value.data ? value.data : "", value.len);
  ferry_value result = value;  // the type stays: a BYTES column gets the new text as its bytes
  char* bytes = nullptr;
  size_t size = 0;
  if (column.rule->action == Action::Hash) {
    size = kHashHexLength;
    bytes = out.alloc<char>(size);
    write_hash_hex(keyed_fnv1a_64(salt_, text), bytes);
  } else {
    const CharUnit unit = value.type == FERRY_VALUE_BYTES ? CharUnit::Byte : column.unit;
    const MaskShape shape = mask_shape(text, column.rule->keep_last, unit);
    size = shape.size(text);
    if (size > 0) {
      bytes = out.alloc<char>(size);
      std::memset(bytes, '*', shape.stars);
      std::memcpy(bytes + shape.stars, text.data() + shape.visible_from, text.size() - shape.visible_from);
    }
  }
  result.data = bytes;
  result.len = static_cast<uint32_t>(size);
  return result;
}

sdk::Status ColumnMask::rewrite_image(sdk::BatchWriter& out, const ferry_event& event, const TablePlan& plan,
                                      const ferry_value*& image, const uint8_t* present, uint64_t& rewritten) const {
  if (image == nullptr) return sdk::Status::ok();
  const ferry_table_schema& table = *event.u.row.table;
  ferry_value* copy = nullptr;
  for (uint32_t i = 0; i < table.column_count; ++i) {
    const ColumnPlan& column = plan.columns[i];
    if (column.rule == nullptr || !sdk::bit_is_set(present, i)) continue;  // absent stays absent
    const ferry_value& value = image[i];
    if (value.type == FERRY_VALUE_NULL) continue;  // NULL stays NULL
    if (value.type != FERRY_VALUE_STRING && value.type != FERRY_VALUE_BYTES) {
      return sdk::Status::error(FERRY_E_TRANSFORM_RULE,
                                "rules[" + std::to_string(column.rule - rules_.data()) + "] matches column " + column_path(table, i) +
                                    ", which holds a value of type " + ferry::sdk::value_type_name(value.type) + " (event at " +
                                    event_position(event) +
                                    "); hash and mask rewrite STRING and BYTES values only: narrow the rule's columns");
    }
    if (copy == nullptr) {
      // Only present columns are copied: an absent column's value must not be read.
      copy = out.values(table.column_count);
      for (uint32_t k = 0; k < table.column_count; ++k) {
        if (sdk::bit_is_set(present, k)) copy[k] = image[k];
      }
    }
    copy[i] = rewrite_value(out, value, column);
    ++rewritten;
  }
  if (copy != nullptr) image = copy;
  return sdk::Status::ok();
}

sdk::Status ColumnMask::process(ferry_batch& batch, const ferry_host_api& api) {
  sdk::BatchWriter out(&api, &batch);
  uint64_t rewritten = 0;
  for (uint32_t i = 0; i < batch.count; ++i) {
    ferry_event& event = batch.events[i];
    if (event.kind != FERRY_EVENT_ROW || (event.flags & FERRY_EVENT_DROPPED)) continue;
    ferry_row_event& row = event.u.row;
    const TablePlan& plan = plan_for(*row.table);
    if (!plan.any) continue;
    if (auto s = rewrite_image(out, event, plan, row.before, row.before_present, rewritten); !s.is_ok()) return s;
    if (auto s = rewrite_image(out, event, plan, row.after, row.after_present, rewritten); !s.is_ok()) return s;
  }
  if (rewritten > 0) host_.counter_add("column_mask_values_total", static_cast<double>(rewritten));
  return sdk::Status::ok();
}

}  // namespace column_mask
