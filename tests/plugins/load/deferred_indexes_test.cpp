#include "sql/deferred_indexes.hpp"

#include <gtest/gtest.h>

namespace ferry::load {
namespace {

TEST(DeferredIndexes, PlainKeysLeaveAndTheLastDefinitionLosesItsComma) {
  const std::string create =
      "CREATE TABLE IF NOT EXISTS `t` (\n"
      "  `id` int(11) NOT NULL,\n"
      "  `k` int(11) NOT NULL,\n"
      "  `c` char(10) DEFAULT NULL,\n"
      "  PRIMARY KEY (`id`),\n"
      "  UNIQUE KEY `uc` (`c`),\n"
      "  KEY `k_1` (`k`),\n"
      "  KEY `k``2` (`k`,`c`(4))\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  const DeferredIndexes d = defer_secondary_indexes(create);
  EXPECT_EQ(d.create_statement,
            "CREATE TABLE IF NOT EXISTS `t` (\n"
            "  `id` int(11) NOT NULL,\n"
            "  `k` int(11) NOT NULL,\n"
            "  `c` char(10) DEFAULT NULL,\n"
            "  PRIMARY KEY (`id`),\n"
            "  UNIQUE KEY `uc` (`c`)\n"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  ASSERT_EQ(d.names.size(), 2u);
  EXPECT_EQ(d.names[0], "k_1");
  EXPECT_EQ(d.names[1], "k`2");
  EXPECT_EQ(d.clauses[0], "ADD KEY `k_1` (`k`)");
  EXPECT_EQ(d.clauses[1], "ADD KEY `k``2` (`k`,`c`(4))");
}

TEST(DeferredIndexes, ATableWithForeignKeysKeepsEverything) {
  const std::string create =
      "CREATE TABLE `c` (\n  `id` int,\n  `p` int,\n  KEY `p` (`p`),\n"
      "  CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`)\n) ENGINE=InnoDB";
  const DeferredIndexes d = defer_secondary_indexes(create);
  EXPECT_EQ(d.create_statement, create);
  EXPECT_TRUE(d.names.empty());
}

TEST(DeferredIndexes, NothingToDeferLeavesTheStatementAlone) {
  const std::string create = "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB";
  EXPECT_EQ(defer_secondary_indexes(create).create_statement, create);
  EXPECT_TRUE(defer_secondary_indexes("CREATE TABLE t (a int, KEY (a))").names.empty());
}

TEST(DeferredIndexes, FulltextAndSpatialStayWithTheTable) {
  const std::string create =
      "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `b` text,\n  `g` point NOT NULL,\n  PRIMARY KEY (`id`),\n"
      "  FULLTEXT KEY `ft` (`b`),\n  SPATIAL KEY `sp` (`g`)\n) ENGINE=InnoDB";
  EXPECT_TRUE(defer_secondary_indexes(create).names.empty());
}

}  // namespace
}  // namespace ferry::load
