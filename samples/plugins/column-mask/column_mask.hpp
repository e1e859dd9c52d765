// column-mask: a transform that pseudonymises (hash) or hides (mask) chosen text columns of row
// events, in the before and after images alike, so the values never reach the sink. Rules pick
// columns by schema, table and column wildcards on the upstream names; the first rule that
// matches a column decides what happens to it.
// Lifecycle: one instance per task phase, created from validated config, called on the source
// thread only; it keeps no state across batches except its per-table plans.
#pragma once

#include "value_rewrite.hpp"

#include <ferry/sdk/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace column_mask {

enum class Action { Hash, Mask };

struct Rule {
  std::string schema_pattern;
  std::string table_pattern;
  std::vector<std::string> column_patterns;
  Action action = Action::Hash;
  uint64_t keep_last = 0;  // Mask only: trailing characters left visible

  bool matches_table(const ferry_table_schema& table) const;
  bool matches_column(std::string_view column) const;
};

class ColumnMask final : public ferry::sdk::Transform {
 public:
  static constexpr const char* kName = "column-mask";
  static constexpr const char* kDescription = "hash or mask chosen text columns of row events (pseudonymisation)";
  static constexpr const char* kVersion = "1.0";
  static void describe(ferry::sdk::ConfigSchema& schema);

  ColumnMask(const ferry::sdk::Host& host, const ferry::sdk::Config& config);

  ferry::sdk::Status process(ferry_batch& batch, const ferry_host_api& api) override;

 private:
  struct ColumnPlan {
    const Rule* rule = nullptr;  // into rules_; null: the column passes unchanged
    CharUnit unit = CharUnit::Utf8CodePoint;  // what mask counts in this column
  };
  // What to do with each column of one table schema, worked out on the table's first event.
  struct TablePlan {
    std::vector<ColumnPlan> columns;
    bool any = false;
  };

  const TablePlan& plan_for(const ferry_table_schema& table);
  // Rewrites the matched columns of one image of `event` (`image` is its before or after, with
  // `present` its bitmap) and adds the number of changed values to `rewritten`. The image array
  // is const (the source made it), so the first change copies it into the arena and repoints
  // `image` at the copy.
  ferry::sdk::Status rewrite_image(ferry::sdk::BatchWriter& out, const ferry_event& event, const TablePlan& plan,
                                   const ferry_value*& image, const uint8_t* present, uint64_t& rewritten) const;
  ferry_value rewrite_value(ferry::sdk::BatchWriter& out, const ferry_value& value, const ColumnPlan& column) const;

  ferry::sdk::Host host_;
  std::string salt_;
  std::vector<Rule> rules_;
  // Keyed by address: a table schema never changes once events refer to it (a DDL makes a new
  // one) and keeps its address for its source's whole life, so one address is one shape for as
  // long as this instance sees events.
  std::unordered_map<const ferry_table_schema*, TablePlan> plans_;
};

}  // namespace column_mask
