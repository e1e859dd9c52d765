#include "files/insert_text.hpp"

#include <gtest/gtest.h>

namespace ferry::load {
namespace {

TEST(InsertReader, ReadsMydumperRowsWithEscapesNullsAndRawBytes) {
  const std::string text =
      "/*!40101 SET NAMES binary*/;\n/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n"
      "INSERT INTO `t` (`id`,`s`,`b`) VALUES\n"
      "(1,\"a\\\"b\\\\c\\n\",\"\\0\xff\"),\n"
      "(-2.5e3,NULL,'it''s');\n";
  InsertReader r(text);
  InsertStatement st;
  std::string error;
  ASSERT_TRUE(r.next(st, error)) << error;
  EXPECT_EQ(st.table, "t");
  EXPECT_EQ(st.columns, (std::vector<std::string>{"id", "s", "b"}));
  ASSERT_EQ(st.rows(), 2u);
  EXPECT_EQ(st.text(st.cells[0]), "1");
  EXPECT_FALSE(st.cells[0].quoted);
  EXPECT_EQ(st.text(st.cells[1]), "a\"b\\c\n");
  EXPECT_EQ(st.text(st.cells[2]), std::string("\0\xff", 2));
  EXPECT_EQ(st.text(st.cells[3]), "-2.5e3");
  EXPECT_TRUE(st.cells[4].null);
  EXPECT_EQ(st.text(st.cells[5]), "it's");
  EXPECT_FALSE(r.next(st, error));
  EXPECT_TRUE(error.empty());
}

TEST(InsertReader, ReadsFerrysHexAndIntroducers) {
  const std::string text = "INSERT INTO `db`.`t` VALUES (X'E931',_latin1 X'636166E9',0x0a0B,_binary'x'),(x'',1,2,3)";
  InsertReader r(text);
  InsertStatement st;
  std::string error;
  ASSERT_TRUE(r.next(st, error)) << error;
  EXPECT_EQ(st.table, "t");
  EXPECT_TRUE(st.columns.empty());
  EXPECT_EQ(st.text(st.cells[0]), "\xE9" "1");
  EXPECT_EQ(st.text(st.cells[1]), "caf\xE9");
  EXPECT_EQ(st.text(st.cells[2]), "\x0a\x0b");
  EXPECT_EQ(st.text(st.cells[3]), "x");
  EXPECT_TRUE(st.cells[4].quoted);
  EXPECT_EQ(st.cells[4].length, 0u);
}

TEST(InsertReader, SaysWhereTheTextStopsReading) {
  for (const char* bad : {"INSERT INTO t VALUES (1,'open", "INSERT INTO t VALUES (1,2),(3)", "INSERT INTO t VALUES (NOW())",
                          "INSERT INTO t VALUES (X'ABC')"}) {
    InsertReader r(bad);
    InsertStatement st;
    std::string error;
    EXPECT_FALSE(r.next(st, error)) << bad;
    EXPECT_NE(error.find("at byte"), std::string::npos) << bad << ": " << error;
  }
}

}  // namespace
}  // namespace ferry::load
