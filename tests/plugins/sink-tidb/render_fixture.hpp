// RenderFixture: rows rendered by the real RowRenderer into ChangeUnits (one unit per call, as
// the sink does outside atomic mode), then turned into SQL by build_statements.
#pragma once

#include "apply/change_unit.hpp"
#include "sink_test_tables.hpp"
#include "sql/row_renderer.hpp"
#include "sql/statement_builder.hpp"
#include "sql/table_plan.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace ferry::tidb::testing {

using Image = std::vector<ferry_value>;
using Bits = std::vector<uint8_t>;  // a "present" bitmap; empty: every column present

class RenderFixture : public ::testing::Test {
 protected:
  std::unique_ptr<TablePlan> plan_of(TestTable& t, std::string_view target_table = "t") {
    return make_table_plan(next_plan_id_++, t.schema(), "db", target_table, charsets_);
  }

  // Renders one row change into `unit`; false with `error` when the renderer refuses it.
  bool render_into(ChangeUnit& unit, TablePlan& plan, uint8_t op, const Image& before, const Image& after,
                   const Bits& before_present, const Bits& after_present, std::string& error) {
    ferry_row_event row{};
    row.op = op;
    row.before = before.empty() ? nullptr : before.data();
    row.after = after.empty() ? nullptr : after.data();
    row.before_present = before_present.empty() ? nullptr : before_present.data();
    row.after_present = after_present.empty() ? nullptr : after_present.data();
    bool barrier = false;
    const bool ok = renderer_.render(row, plan, ++binlog_pos_, unit, barrier, error);
    last_barrier_ = barrier;
    return ok;
  }

  // A new unit holding one row change; a refused row fails the test.
  ChangeUnit& row(TablePlan& plan, uint8_t op, const Image& before, const Image& after, const Bits& before_present = {},
                  const Bits& after_present = {}) {
    ChangeUnit& unit = units_.emplace_back();
    unit.seq = units_.size();
    std::string error;
    EXPECT_TRUE(render_into(unit, plan, op, before, after, before_present, after_present, error)) << error;
    return unit;
  }
  ChangeUnit& insert(TablePlan& plan, const Image& after, const Bits& after_present = {}) {
    return row(plan, FERRY_ROW_INSERT, {}, after, {}, after_present);
  }
  ChangeUnit& update(TablePlan& plan, const Image& before, const Image& after, const Bits& before_present = {},
                     const Bits& after_present = {}) {
    return row(plan, FERRY_ROW_UPDATE, before, after, before_present, after_present);
  }
  ChangeUnit& remove(TablePlan& plan, const Image& before, const Bits& before_present = {}) {
    return row(plan, FERRY_ROW_DELETE, before, {}, before_present, {});
  }

  // The statements for every unit rendered so far, in order; kept in statements_.
  std::vector<std::string> sql(BuildOptions options = {}) {
    std::vector<const ChangeUnit*> group;
    for (const auto& u : units_) group.push_back(&u);
    statements_.clear();
    build_statements(group, options, statements_);
    std::vector<std::string> out;
    for (const auto& s : statements_) out.push_back(s.sql);
    return out;
  }

  CharsetNames charsets_ = charsets();
  RowRenderer renderer_{charsets_, LiteralStyle{}};
  std::deque<ChangeUnit> units_;
  std::vector<Statement> statements_;
  bool last_barrier_ = false;

 private:
  uint32_t next_plan_id_ = 1;
  uint64_t binlog_pos_ = 0;
};

}  // namespace ferry::tidb::testing
