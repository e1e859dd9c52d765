// The verify pieces that need no server: SQL literals and key ranges, the row checksum
// expression, row matching, the task JSON and the report's key=value quoting.
#include "verify/chunk_checksum.hpp"
#include "verify/report.hpp"
#include "verify/row_diff.hpp"
#include "verify/sql_text.hpp"
#include "verify/verify_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ferry::verify {
namespace {

using ::testing::HasSubstr;

Column column(const std::string& name, const std::string& data_type, bool has_charset = false) {
  Column c;
  c.name = name;
  c.data_type = data_type;
  c.nullable = false;
  c.kind = column_kind(data_type, has_charset);
  return c;
}

TableLayout two_column_key() {
  TableLayout t;
  t.name = {"shop", "pairs"};
  t.columns = {column("region", "varchar", true), column("n", "int"), column("v", "blob")};
  t.key = {0, 1};
  return t;
}

TEST(VerifySql, LiteralsNeverNeedEscapes) {
  EXPECT_EQ(sql_string("eu-1 10:00.5_x"), "'eu-1 10:00.5_x'");
  EXPECT_EQ(sql_string("it's"), "_utf8mb4 X'69742773'");
  EXPECT_EQ(sql_string("a\\b"), "_utf8mb4 X'615C62'");
  EXPECT_EQ(sql_bytes(std::string("\0\xFF", 2)), "X'00FF'");
  EXPECT_EQ(sql_identifier("we`ird"), "`we``ird`");
  EXPECT_TRUE(is_sql_number("-12.5e+3"));
  EXPECT_FALSE(is_sql_number("1; DROP"));
  EXPECT_FALSE(is_sql_number("-"));
  EXPECT_EQ(column("n", "int").literal("42"), "42");
  EXPECT_EQ(column("b", "varbinary").literal("a'"), "X'6127'");
  EXPECT_EQ(column("e", "enum", true).literal("2"), "2");  // ENUM bounds are indexes
}

TEST(VerifySql, CompositeKeyRangeIsKeysetOrder) {
  const TableLayout t = two_column_key();
  const Chunk middle{2, KeyValues{"eu", "3"}, KeyValues{"us", "7"}};
  EXPECT_EQ(chunk_condition(t, middle),
            "(`region` > 'eu' OR (`region` = 'eu' AND `n` > 3)) AND (`region` < 'us' OR (`region` = 'us' AND `n` <= 7))");
  EXPECT_EQ(chunk_condition(t, Chunk{1, std::nullopt, KeyValues{"eu", "3"}}),
            "(`region` < 'eu' OR (`region` = 'eu' AND `n` <= 3))");
  EXPECT_EQ(chunk_condition(t, Chunk{1, std::nullopt, std::nullopt}), "1 = 1");
}

TEST(VerifySql, ChecksumSkipsGeneratedColumnsAndFlagsNulls) {
  TableLayout t = two_column_key();
  t.columns[2].generated = true;
  t.columns.push_back(column("f", "float"));
  EXPECT_EQ(row_checksum_expression(t),
            "CONCAT_WS('|', CONCAT_WS(',', ISNULL(CONVERT(`region` USING utf8mb4)), LENGTH(CONVERT(`region` USING utf8mb4)), "
            "CONVERT(`region` USING utf8mb4)), CONCAT_WS(',', ISNULL(`n`), LENGTH(`n`), `n`), "
            "CONCAT_WS(',', ISNULL((`f` + 0E0)), LENGTH((`f` + 0E0)), (`f` + 0E0)))");
}

TEST(VerifyRows, KeyedRowsAreMissingExtraOrDifferent) {
  TableLayout t;
  t.columns = {column("id", "int"), column("v", "varchar", true)};
  t.key = {0};
  // Fetched rows: the key's bound values, then the compared columns.
  const std::vector<SqlRow> up{{"1", "1", "a"}, {"2", "2", std::nullopt}, {"3", "3", "c"}};
  const std::vector<SqlRow> down{{"1", "1", "a"}, {"2", "2", ""}, {"4", "4", "d"}};
  const auto d = diff_rows(t, up, down);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].kind, RowDifference::Kind::Different);
  EXPECT_EQ(d[0].key, KeyValues{"2"});
  EXPECT_EQ(d[0].differing, std::vector<size_t>{1});
  EXPECT_EQ(d[1].kind, RowDifference::Kind::Missing);
  EXPECT_EQ(d[1].key, KeyValues{"3"});
  EXPECT_EQ(d[2].kind, RowDifference::Kind::Extra);
  EXPECT_EQ(*d[2].downstream, (SqlRow{"4", "d"}));
}

TEST(VerifyRows, KeylessRowsAreAMultiset) {
  TableLayout t;
  t.columns = {column("a", "int"), column("b", "varchar", true)};
  const std::vector<SqlRow> up{{"1", "x"}, {"1", "x"}, {"2", std::nullopt}};
  const std::vector<SqlRow> down{{"1", "x"}, {"1", "x"}, {"1", "x"}, {"2", ""}};
  const auto d = diff_rows(t, up, down);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].kind, RowDifference::Kind::Missing);
  EXPECT_EQ(*d[0].upstream, (SqlRow{"2", std::nullopt}));
  EXPECT_EQ(d[1].kind, RowDifference::Kind::Extra);
  EXPECT_EQ(*d[1].downstream, (SqlRow{"1", "x"}));
  EXPECT_EQ(d[2].kind, RowDifference::Kind::Extra);
  EXPECT_EQ(*d[2].downstream, (SqlRow{"2", ""}));
}

TEST(VerifyOptions, ReadsBothStagesAndNamesWhatIsWrong) {
  const auto o = read_verify_options(R"({"task": "t", "upstream": {"host": "db1", "port": 3307, "user": "u",
      "password": "p", "databases": ["a"], "tables": ["b.c"]}, "downstream": {"user": "d",
      "security": {"ssl-ca": "/ca.pem", "ssl-cert": "", "ssl-key": ""}, "meta-schema": "meta"}})");
  EXPECT_EQ(o.upstream.describe(), "upstream u@db1:3307");
  EXPECT_EQ(o.downstream.describe(), "downstream d@127.0.0.1:4000");
  EXPECT_EQ(o.downstream.tls.ca, "/ca.pem");
  EXPECT_EQ(o.databases, std::vector<std::string>{"a"});
  EXPECT_EQ(o.tables, std::vector<std::string>{"b.c"});
  EXPECT_EQ(o.meta_schema, "meta");

  const auto error = [](const std::string& json) {
    try {
      read_verify_options(json);
    } catch (const OptionsError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("{"), "--task-json is not a JSON object");
  EXPECT_THAT(error(R"({"upstream-plugin": "generate", "upstream": {"count": 3}, "downstream": {"user": "d"}})"),
              HasSubstr("upstream (plugin generate) key 'user' is missing"));
  EXPECT_THAT(error(R"({"upstream": {"user": "u", "password": "secret", "port": 0}, "downstream": {"user": "d"}})"),
              HasSubstr("upstream key 'port' must be a port number"));
  EXPECT_THAT(error(R"({"upstream": {"user": "u", "tables": ["nodot"]}, "downstream": {"user": "d"}})"),
              HasSubstr("'nodot' is not schema.table"));
}

TEST(VerifyReport, ValuesWithSpacesAreQuoted) {
  EXPECT_EQ(kv_value("shop.orders"), "shop.orders");
  EXPECT_EQ(kv_value("a b=\"c\""), R"("a b=\"c\"")");
  EXPECT_EQ(kv_value(""), R"("")");
}

}  // namespace
}  // namespace ferry::verify
