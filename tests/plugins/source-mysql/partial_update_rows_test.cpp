// PARTIAL_UPDATE_ROWS events (MySQL binlog_row_value_options=PARTIAL_JSON) built as MySQL 8 writes
// them (binlog_event_builder.hpp): after images whose JSON columns hold diffs decode to the full
// new value when the before image holds the column; without it the row is refused as
// unsupported, naming the column, and never guessed.
#include "binlog/column_type.hpp"
#include "binlog/event_decoder.hpp"
#include "binlog/event_printer.hpp"
#include "binlog_event_builder.hpp"
#include "json_binary_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

using namespace event_builder;
namespace jb = json_builder;

constexpr uint64_t kTableId = 12;
constexpr uint8_t kReplace = 0, kInsert = 1, kRemove = 2;

// id INT, j1 JSON, name VARCHAR(40), j2 JSON
std::vector<Column> columns() {
  return {{column_type::kLong, "", "id"},
          {column_type::kJson, std::string(1, '\x04'), "j1"},
          {column_type::kVarchar, le(40, 2), "name"},
          {column_type::kJson, std::string(1, '\x04'), "j2"}};
}

const jb::Bin kJ1 = jb::object({{"a", jb::object({{"b", jb::int16(1)}, {"c", jb::array({jb::int16(10), jb::int16(20)})}})}});
const jb::Bin kJ2 = jb::array({jb::str("x")});

std::string full_before(int32_t id) {
  return bitmap(4, {}) + int32_value(id) + json_value(jb::doc(kJ1)) + varchar_value("n") + json_value(jb::doc(kJ2));
}

// An after image: value options 1, the partial bits of (j1, j2), then the NULL bitmap and values.
std::string partial_after(bool j1_partial, bool j2_partial, const std::string& values, const std::string& nulls = "") {
  return packed(1) + std::string(1, static_cast<char>((j1_partial ? 1 : 0) | (j2_partial ? 2 : 0))) +
         (nulls.empty() ? bitmap(4, {}) : nulls) + values;
}

struct Decoded {
  std::string json;      // the event as `ferry binlog decode` prints it
  DecodeError row_error;  // what next_row() said, when a row failed
};

Decoded decode(const std::string& rows, const std::vector<size_t>& before_columns = {0, 1, 2, 3}) {
  EventDecoder decoder;
  DecodedEvent e;
  DecodeError error;
  Decoded d;
  EXPECT_TRUE(decoder.decode(mysql8_format_description(false), e, error)) << error.message;
  EXPECT_TRUE(decoder.decode(event(EventType::TableMap, table_map_body(kTableId, "db", "t", columns()), false), e, error))
      << error.message;
  const std::string raw = event(EventType::PartialUpdateRows,
                                rows_body(kTableId, 4, bitmap(4, before_columns), bitmap(4, all_columns(4)), rows), false);
  EXPECT_TRUE(decoder.decode(raw, e, error)) << error.message;
  DecodedEvent copy = e;
  std::string why;
  if (!print_event(decoder, copy, "binlog.000001", 4, "", d.json, why)) d.json = "ERROR: " + why;
  ScratchArena arena;
  std::vector<ferry_value> before(4), after(4);
  std::vector<uint8_t> before_present(1), after_present(1);
  while (decoder.next_row(e, arena, before.data(), before_present.data(), after.data(), after_present.data(),
                          d.row_error)) {
  }
  return d;
}

std::string rows_of(const std::string& json) {
  const size_t at = json.find("\"rows\":");
  return at == std::string::npos ? json : json.substr(at);
}

TEST(PartialUpdateRows, JsonDiffsApplyToTheBeforeImage) {
  const std::string j1_diffs = json_diffs({json_diff(kReplace, "$.a.b", jb::doc(jb::str("new"))),
                                           json_diff(kInsert, "$.a.c[1]", jb::doc(jb::int16(15))),
                                           json_diff(kInsert, "$.z", jb::doc(jb::json_null()))});
  const std::string j2_full = json_value(jb::doc(jb::object({{"k", jb::json_true()}})));
  const std::string row1 = full_before(1) + partial_after(true, false, int32_value(1) + j1_diffs + varchar_value("n") + j2_full);
  // Row 2: the other JSON column as diffs; the first as a full value.
  const std::string j2_diffs = json_diffs({json_diff(kRemove, "$[0]"), json_diff(kInsert, "$[0]", jb::doc(jb::int16(7)))});
  const std::string row2 = full_before(2) + partial_after(false, true,
                                                          int32_value(2) + json_value(jb::doc(jb::array({}))) +
                                                              varchar_value("m") + j2_diffs);
  const Decoded d = decode(row1 + row2);
  EXPECT_TRUE(d.row_error.message.empty()) << d.row_error.message;
  EXPECT_NE(d.json.find("\"type\":\"PARTIAL_UPDATE_ROWS\""), std::string::npos) << d.json;
  const std::string before = R"({"id":%,"j1":"{\"a\": {\"b\": 1, \"c\": [10, 20]}}","name":"n","j2":"[\"x\"]"})";
  auto before_of = [&](int id) {
    std::string s = before;
    s.replace(s.find('%'), 1, std::to_string(id));
    return s;
  };
  EXPECT_EQ(rows_of(d.json),
            "\"rows\":[{\"before\":" + before_of(1) +
                R"(,"after":{"id":1,"j1":"{\"a\": {\"b\": \"new\", \"c\": [10, 15, 20]}, \"z\": null}","name":"n","j2":"{\"k\": true}"}},)" +
                "{\"before\":" + before_of(2) +
                R"(,"after":{"id":2,"j1":"[]","name":"m","j2":"[7]"}}]})");
}

TEST(PartialUpdateRows, NoPartialBitsWithValueOptionsZeroAndEmptyDiffsKeepTheValue) {
  // Value options 0: no partial bits, every value whole.
  const std::string row1 = full_before(1) + packed(0) + bitmap(4, {}) + int32_value(1) + json_value(jb::doc(jb::int16(3))) +
                           varchar_value("n") + json_value(jb::doc(kJ2));
  // An empty diff list: the value did not change.
  const std::string row2 = full_before(2) + partial_after(true, false,
                                                          int32_value(2) + json_diffs({}) + varchar_value("n") +
                                                              json_value(jb::doc(kJ2)));
  const Decoded d = decode(row1 + row2);
  EXPECT_TRUE(d.row_error.message.empty()) << d.row_error.message;
  EXPECT_NE(d.json.find(R"("after":{"id":1,"j1":"3","name":"n","j2":"[\"x\"]"})"), std::string::npos) << d.json;
  EXPECT_NE(d.json.find(R"("after":{"id":2,"j1":"{\"a\": {\"b\": 1, \"c\": [10, 20]}}","name":"n","j2":"[\"x\"]"})"),
            std::string::npos)
      << d.json;
}

TEST(PartialUpdateRows, NullsStayNullAndADiffOnANullBeforeValueIsCorrupt) {
  // After: j2 NULL (its bit in the NULL bitmap of the four columns).
  const std::string row = full_before(1) + partial_after(true, false,
                                                         int32_value(1) + json_diffs({json_diff(kRemove, "$.a")}) +
                                                             varchar_value("n"),
                                                         bitmap(4, {3}));
  const Decoded d = decode(row);
  EXPECT_TRUE(d.row_error.message.empty()) << d.row_error.message;
  EXPECT_NE(d.json.find(R"("after":{"id":1,"j1":"{}","name":"n","j2":null})"), std::string::npos) << d.json;

  const std::string null_before = bitmap(4, {1}) + int32_value(1) + varchar_value("n") + json_value(jb::doc(kJ2));
  const Decoded bad = decode(null_before + partial_after(true, false,
                                                         int32_value(1) + json_diffs({json_diff(kRemove, "$.a")}) +
                                                             varchar_value("n") + json_value(jb::doc(kJ2))));
  EXPECT_TRUE(bad.row_error.corrupt);
  EXPECT_EQ(bad.row_error.message, "column 2 (j1) of db.t: JSON diffs logged for a column whose before value is NULL");
}

TEST(PartialUpdateRows, WithoutTheColumnInTheBeforeImageTheRowIsUnsupportedNotGuessed) {
  // binlog_row_image=MINIMAL: the before image holds the key only.
  const std::string row = bitmap(1, {}) + int32_value(1) +
                          partial_after(true, false,
                                        int32_value(1) + json_diffs({json_diff(kReplace, "$.a", jb::doc(jb::int16(1)))}) +
                                            varchar_value("n") + json_value(jb::doc(kJ2)));
  const Decoded d = decode(row, {0});
  EXPECT_FALSE(d.row_error.corrupt);
  EXPECT_EQ(d.row_error.message,
            "column 2 (j1) of db.t: the update logs only the changes to this JSON column "
            "(binlog_row_value_options=PARTIAL_JSON), and the before image does not hold the column (binlog_row_image "
            "is not FULL), so its new value cannot be known; set binlog_row_image=FULL or binlog_row_value_options='' "
            "upstream");
  EXPECT_EQ(d.json.substr(0, 6), "ERROR:");
  // The same image with j1 logged whole decodes: only a column logged as diffs needs its before value.
  const std::string whole = bitmap(1, {}) + int32_value(1) +
                            partial_after(false, false,
                                          int32_value(1) + json_value(jb::doc(jb::int16(5))) + varchar_value("n") +
                                              json_value(jb::doc(kJ2)));
  const Decoded ok = decode(whole, {0});
  EXPECT_TRUE(ok.row_error.message.empty()) << ok.row_error.message;
  EXPECT_NE(ok.json.find(R"({"before":{"id":1},"after":{"id":1,"j1":"5","name":"n","j2":"[\"x\"]"}})"), std::string::npos)
      << ok.json;
}

TEST(PartialUpdateRows, BadValueOptionsAndDiffsThatDoNotFitAreCorrupt) {
  const Decoded options = decode(full_before(1) + packed(2) + bitmap(4, {}));
  EXPECT_TRUE(options.row_error.corrupt);
  EXPECT_EQ(options.row_error.message, "PARTIAL_UPDATE_ROWS row has value options 2 (MySQL defines 1, PARTIAL_JSON)");
  const Decoded missing = decode(full_before(1) +
                                 partial_after(true, false,
                                               int32_value(1) + json_diffs({json_diff(kRemove, "$.nope")}) +
                                                   varchar_value("n") + json_value(jb::doc(kJ2))));
  EXPECT_TRUE(missing.row_error.corrupt);
  EXPECT_EQ(missing.row_error.message,
            "column 2 (j1) of db.t: JSON diff 1 (REMOVE $.nope) does not apply to the before value: it removes a "
            "member the object does not have");
  const Decoded cut = decode(full_before(1) + packed(1));
  EXPECT_EQ(cut.row_error.message, "PARTIAL_UPDATE_ROWS row is truncated in its partial-JSON bitmap");
}

}  // namespace
}  // namespace ferry::mysql
