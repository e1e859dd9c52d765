// Matching a file's statements, events and rows between the two tools: agreeing sides pass, and
// an event, a statement, a row or a column missing on one side is reported, not skipped.
#include "binlog_agreement.hpp"

#include <gtest/gtest.h>

namespace ferry::mysql::agreement {
namespace {

DecodedValue int_value(int64_t v) {
  DecodedValue d;
  d.value.type = FERRY_VALUE_INT;
  d.value.num.i64 = v;
  return d;
}

PrintedValue printed_int(uint32_t column, int64_t v) {
  PrintedValue p;
  p.column = column;
  p.text = std::to_string(v);
  p.type = "INT";
  return p;
}

// A one-column INSERT event into s.t with one row per value, ending at `end`.
DecodedRowsEvent ferry_insert(uint64_t end, std::vector<int64_t> values, bool statement_end = true) {
  DecodedRowsEvent e;
  e.start_position = end - 50;
  e.end_position = end;
  e.kind = RowsKind::Write;
  e.statement_end = statement_end;
  e.schema = "s";
  e.table = "t";
  e.columns.resize(1);
  for (int64_t v : values) {
    DecodedRow r;
    r.after.push_back(int_value(v));
    e.rows.push_back(std::move(r));
  }
  return e;
}

PrintedRowsEvent printed_event(uint64_t end, bool statement_end = true) {
  PrintedRowsEvent e;
  e.end_position = end;
  e.kind = RowsKind::Write;
  e.table_id = 7;
  e.statement_end = statement_end;
  return e;
}

PrintedRow printed_insert(int64_t v) {
  PrintedRow r;
  r.kind = RowsKind::Write;
  r.schema = "s";
  r.table = "t";
  r.after.push_back(printed_int(1, v));
  return r;
}

// One statement of two events (rows 1, 2 | 3), then one of one event (row 4).
void two_statements(DecodedFile& ferry, PrintedFile& printed) {
  ferry = DecodedFile{};
  printed = PrintedFile{};
  ferry.events.push_back(ferry_insert(100, {1, 2}, false));
  ferry.events.push_back(ferry_insert(200, {3}));
  ferry.events.push_back(ferry_insert(300, {4}));
  printed.tables[7] = "s.t";
  PrintedStatement first;
  first.events = {printed_event(100, false), printed_event(200)};
  first.rows = {printed_insert(1), printed_insert(2), printed_insert(3)};
  first.declared_rows = 3;
  PrintedStatement second;
  second.events = {printed_event(300)};
  second.rows = {printed_insert(4)};
  second.declared_rows = 1;
  printed.statements = {first, second};
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(BinlogAgreement, RowsOfAStatementAreMatchedAcrossItsEvents) {
  DecodedFile ferry;
  PrintedFile printed;
  two_statements(ferry, printed);
  const Comparison c = compare_rows("f", ferry, printed, {}, {});
  EXPECT_TRUE(c.mismatches.empty()) << joined(c.mismatches);
  EXPECT_EQ(c.rows, 4u);
  EXPECT_EQ(c.values, 4u);

  Tallies mine, theirs;
  add_tallies(ferry, mine);
  add_tallies(printed, theirs);
  EXPECT_EQ(mine, theirs);
  EXPECT_EQ(mine["s.t insert"], (RowTally{3, 4}));
}

TEST(BinlogAgreement, AnEventFerrySkipsIsReportedAndCounted) {
  DecodedFile ferry;
  PrintedFile printed;
  two_statements(ferry, printed);
  ferry.events.erase(ferry.events.begin());  // the statement's first event, rows 1 and 2
  const Comparison c = compare_rows("f", ferry, printed, {}, {});
  const std::string all = joined(c.mismatches);
  EXPECT_NE(all.find("statement has 1 rows events in ferry, 2 in mariadb-binlog"), std::string::npos) << all;
  EXPECT_NE(all.find("mariadb-binlog printed 3 rows for the statement, ferry decoded 1"), std::string::npos) << all;

  Tallies mine, theirs;
  add_tallies(ferry, mine);
  add_tallies(printed, theirs);
  EXPECT_NE(mine, theirs);
}

TEST(BinlogAgreement, AStatementMissingOnEitherSideIsReportedOnce) {
  DecodedFile ferry;
  PrintedFile printed;
  two_statements(ferry, printed);
  ferry.events.pop_back();
  Comparison c = compare_rows("f", ferry, printed, {}, {});
  ASSERT_EQ(c.mismatches.size(), 1u) << joined(c.mismatches);
  EXPECT_NE(c.mismatches[0].find("ending at 300 that ferry does not decode"), std::string::npos) << c.mismatches[0];

  two_statements(ferry, printed);
  printed.statements.pop_back();
  c = compare_rows("f", ferry, printed, {}, {});
  ASSERT_EQ(c.mismatches.size(), 1u) << joined(c.mismatches);
  EXPECT_NE(c.mismatches[0].find("mariadb-binlog prints no statement ending at 300"), std::string::npos)
      << c.mismatches[0];
}

TEST(BinlogAgreement, AValueOrAColumnThatDiffersNamesFileEventRowAndColumn) {
  DecodedFile ferry;
  PrintedFile printed;
  two_statements(ferry, printed);
  ferry.events[0].rows[1].after[0] = int_value(20);
  Comparison c = compare_rows("binlog.000001", ferry, printed, {}, {});
  ASSERT_EQ(c.mismatches.size(), 1u) << joined(c.mismatches);
  EXPECT_EQ(c.mismatches[0].substr(0, c.mismatches[0].find(": ferry")),
            "binlog.000001:50 s.t insert: row 2 after @1: the signed readings differ");

  two_statements(ferry, printed);
  ferry.events[0].rows[1].after[0].reset();  // absent from ferry's image
  c = compare_rows("binlog.000001", ferry, printed, {}, {});
  ASSERT_EQ(c.mismatches.size(), 1u) << joined(c.mismatches);
  EXPECT_NE(c.mismatches[0].find("in the image for mariadb-binlog only"), std::string::npos) << c.mismatches[0];
}

TEST(BinlogAgreement, FerrysDecodeErrorsAreDisagreements) {
  DecodedFile ferry;
  PrintedFile printed;
  ferry.errors.push_back("f:4: checksum mismatch");
  const Comparison c = compare_rows("f", ferry, printed, {}, {});
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0], "ferry cannot decode f:4: checksum mismatch");
}

}  // namespace
}  // namespace ferry::mysql::agreement
