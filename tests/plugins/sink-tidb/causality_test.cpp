// Causality keys (from row_renderer) and Causality::assign: changes that may touch one row go to
// one worker, in order.
#include "apply/causality.hpp"
#include "render_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace ferry::tidb {
namespace {

using namespace ferry::tidb::testing;
using Keys = std::vector<uint64_t>;

class CausalityKeys : public RenderFixture {
 protected:
  // The keys of an INSERT of `values` into `plan`.
  Keys keys_of(TablePlan& plan, const Image& values) { return insert(plan, values).keys; }

  // A table keyed by one text column under `collation`, and the key of one of its values.
  std::unique_ptr<TablePlan> text_keyed(uint16_t collation) {
    TestTable t("up", "t");
    t.text_column("name", collation).primary_key({0});
    return plan_of(t);
  }
  Keys text_key(TablePlan& plan, std::string_view value) { return keys_of(plan, {text_value(value)}); }
};

TEST_F(CausalityKeys, SamePrimaryKeySharesAKey) {
  TestTable t("up", "t");
  t.int_column("id").int_column("v").primary_key({0});
  auto p = plan_of(t);
  const Keys one = keys_of(*p, {int_value(1), int_value(10)});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(keys_of(*p, {int_value(1), int_value(20)}), one);  // other columns do not matter
  EXPECT_NE(keys_of(*p, {int_value(2), int_value(10)}), one);
  EXPECT_NE(keys_of(*p, {int_value(-1), int_value(10)}), one);
}

TEST_F(CausalityKeys, SameValueInAnotherTableIsAnotherKey) {
  TestTable t("up", "t");
  t.int_column("id").primary_key({0});
  auto p = plan_of(t, "t1");
  auto q = plan_of(t, "t2");
  EXPECT_NE(keys_of(*p, {int_value(1)}), keys_of(*q, {int_value(1)}));
}

TEST_F(CausalityKeys, UpdateHoldsTheKeysOfBothImages) {
  TestTable t("up", "t");
  t.int_column("id").primary_key({0});
  auto p = plan_of(t);
  const Keys k1 = keys_of(*p, {int_value(1)});
  const Keys k2 = keys_of(*p, {int_value(2)});
  const Keys moved = update(*p, {int_value(1)}, {int_value(2)}).keys;
  EXPECT_EQ(moved, (Keys{k2[0], k1[0]}));
}

TEST_F(CausalityKeys, CaseInsensitiveCollationFoldsCaseAccentsAndTrailingSpaces) {
  auto p = text_keyed(kUtf8mb4GeneralCi);
  const Keys upper = text_key(*p, "ABC");
  ASSERT_EQ(upper.size(), 1u);
  EXPECT_EQ(text_key(*p, "abc"), upper);
  EXPECT_EQ(text_key(*p, "\xC3\xA1" "bc"), upper);  // ábc
  EXPECT_EQ(text_key(*p, "abc  "), upper);
  // What no collation folds still tells values apart.
  EXPECT_NE(text_key(*p, "abc1"), upper);
}

TEST_F(CausalityKeys, BinaryCollationKeepsCase) {
  auto p = text_keyed(kUtf8mb4Bin);
  EXPECT_NE(text_key(*p, "ABC"), text_key(*p, "abc"));
  EXPECT_NE(text_key(*p, "abc"), text_key(*p, "xyz"));
  EXPECT_EQ(text_key(*p, "abc"), text_key(*p, "abc"));
}

// Found by this test: utf8mb4_bin is PAD SPACE, so 'abc' and 'abc ' are one unique value (the
// server reports a duplicate entry) and must share a key.
TEST_F(CausalityKeys, PadSpaceBinCollationIgnoresTrailingSpaces) {
  auto p = text_keyed(kUtf8mb4Bin);
  EXPECT_EQ(text_key(*p, "abc  "), text_key(*p, "abc"));
  EXPECT_NE(text_key(*p, " abc"), text_key(*p, "abc"));
}

TEST_F(CausalityKeys, NoPadBinCollationKeepsTrailingSpaces) {
  auto p = text_keyed(kUtf8mb4NopadBin);
  EXPECT_NE(text_key(*p, "abc "), text_key(*p, "abc"));
}

TEST_F(CausalityKeys, NullUniqueValueGivesNoKey) {
  TestTable t("up", "t");
  t.int_column("id").int_column("u", FERRY_COLUMN_NULLABLE).primary_key({0}).unique_key("uk_u", {1});
  auto p = plan_of(t);
  const Keys full = keys_of(*p, {int_value(1), int_value(5)});
  ASSERT_EQ(full.size(), 2u);  // the primary key's, then the unique key's
  const Keys with_null = keys_of(*p, {int_value(1), null_value()});
  EXPECT_EQ(with_null, Keys{full[0]});
  // Two rows whose unique value is NULL do not conflict through it.
  EXPECT_NE(keys_of(*p, {int_value(2), null_value()}), with_null);
}

TEST_F(CausalityKeys, RowsWhoseUniqueValuesAreAllNullShareTheTableKey) {
  TestTable t("up", "t");
  t.int_column("u", FERRY_COLUMN_NULLABLE).int_column("v").unique_key("uk_u", {0});
  auto p = plan_of(t);
  const Keys a = keys_of(*p, {null_value(), int_value(1)});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(keys_of(*p, {null_value(), int_value(2)}), a);
  EXPECT_NE(keys_of(*p, {int_value(7), int_value(1)}), a);
}

TEST_F(CausalityKeys, KeylessTableHasOneTableWideKey) {
  TestTable t("up", "t");
  t.int_column("a").int_column("b");
  auto p = plan_of(t);
  const Keys a = keys_of(*p, {int_value(1), int_value(2)});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(keys_of(*p, {int_value(3), int_value(4)}), a);
  EXPECT_EQ(remove(*p, {int_value(5), int_value(6)}).keys, a);
}

TEST_F(CausalityKeys, AnImageWithoutAUniqueKeysColumnsIsABarrierOnce) {
  TestTable t("up", "t");
  t.int_column("id").int_column("u").primary_key({0}).unique_key("uk_u", {1});
  auto p = plan_of(t);
  remove(*p, {int_value(1), garbage_value()}, present({0}, 2));
  EXPECT_TRUE(last_barrier_);
  EXPECT_TRUE(p->partial_index[1]);
  const Keys second = remove(*p, {int_value(2), garbage_value()}, present({0}, 2)).keys;
  EXPECT_FALSE(last_barrier_);
  // From now on every change touching the index shares one index-wide key.
  const Keys full = insert(*p, {int_value(3), int_value(30)}).keys;
  ASSERT_EQ(second.size(), 2u);
  EXPECT_NE(std::find(full.begin(), full.end(), second[1]), full.end());
}

TEST(Causality, SameKeySameWorker) {
  Causality c(8);
  const auto w = c.assign({42});
  ASSERT_TRUE(w.has_value());
  EXPECT_LT(*w, 8u);
  EXPECT_EQ(c.assign({42}), w);
  EXPECT_EQ(c.assign({1000, 42}), w);  // a new key joins the worker holding the old one
  EXPECT_EQ(c.assign({1000}), w);
  EXPECT_EQ(c.size(), 2u);
}

TEST(Causality, KeysHeldByTwoWorkersConflictUntilCleared) {
  Causality c(4);
  const uint64_t first = 1;
  const auto w1 = c.assign({first});
  ASSERT_TRUE(w1.has_value());
  // Another key that lands on another worker.
  uint64_t other = 2;
  std::optional<uint32_t> w2;
  for (; other < 100000; ++other) {
    w2 = c.assign({other});
    ASSERT_TRUE(w2.has_value());
    if (*w2 != *w1) break;
  }
  ASSERT_NE(*w2, *w1) << "every key went to one worker";
  const size_t held = c.size();
  EXPECT_EQ(c.assign({first, other}), std::nullopt);
  EXPECT_EQ(c.assign({other, 999999999, first}), std::nullopt);
  EXPECT_EQ(c.size(), held);  // a conflict records nothing
  c.clear();
  EXPECT_EQ(c.size(), 0u);
  const auto again = c.assign({first, other});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(c.assign({other}), again);
  EXPECT_EQ(c.assign({first}), again);
}

TEST(Causality, UnitsWithoutKeysSpreadOverTheWorkers) {
  Causality c(3);
  std::vector<uint32_t> seen;
  for (int i = 0; i < 3; ++i) seen.push_back(c.assign({}).value());
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(c.size(), 0u);
}

}  // namespace
}  // namespace ferry::tidb
