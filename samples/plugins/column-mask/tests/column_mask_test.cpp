// column-mask through the SDK's in-process harness: config as the host would pass it, rows in,
// JSON lines out. The hash and mask helpers are pinned to published FNV-1a vectors and to
// hand-counted characters so a test fails when the arithmetic, not only the plumbing, breaks.
#include "column_mask.hpp"
#include "value_rewrite.hpp"
#include "wildcard.hpp"

#include <ferry/sdk/testing/harness.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace column_mask {
namespace {

using ferry::sdk::testing::Harness;
using ferry::sdk::testing::List;
using ferry::sdk::testing::Map;
using Lines = std::vector<std::string>;

std::string hash_of(std::string_view salt, std::string_view value) {
  std::string out(kHashHexLength, '\0');
  write_hash_hex(keyed_fnv1a_64(salt, value), out.data());
  return out;
}

Map rule(const char* schema, List columns, Map extra = {}) {
  Map r{{"schema-pattern", schema}, {"columns", std::move(columns)}};
  r.insert(r.end(), extra.begin(), extra.end());
  return r;
}

TEST(Fnv1a, MatchesPublishedVectors) {
  EXPECT_EQ(keyed_fnv1a_64("", ""), 0xcbf29ce484222325ull);
  EXPECT_EQ(keyed_fnv1a_64("", "a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(keyed_fnv1a_64("", "foobar"), 0x85944171f73967e8ull);
  // The salt is hashed first, as if prepended to the value.
  EXPECT_EQ(keyed_fnv1a_64("foo", "bar"), 0x85944171f73967e8ull);
}

TEST(Fnv1a, HexIsSixteenLowercaseDigitsWithLeadingZeros) {
  std::string out(kHashHexLength, '\0');
  write_hash_hex(0x00ab00000000000full, out.data());
  EXPECT_EQ(out, "00ab00000000000f");
}

TEST(Wildcard, StarQuestionMarkAndCase) {
  EXPECT_TRUE(wildcard_match("*", ""));
  EXPECT_TRUE(wildcard_match("*", "anything"));
  EXPECT_TRUE(wildcard_match("user_*", "user_2024"));
  EXPECT_FALSE(wildcard_match("user_*", "users"));
  EXPECT_TRUE(wildcard_match("a*b*c", "aXXbYYbc"));
  EXPECT_FALSE(wildcard_match("a*b*c", "aXXbYYb"));
  EXPECT_TRUE(wildcard_match("e?ail", "email"));
  EXPECT_FALSE(wildcard_match("e?ail", "eail"));
  EXPECT_TRUE(wildcard_match("APP", "app"));
  EXPECT_TRUE(wildcard_match("*_Phone", "home_PHONE"));
  EXPECT_FALSE(wildcard_match("app", "app2"));
  EXPECT_FALSE(wildcard_match("", "x"));
}

TEST(Wildcard, QuestionMarkIsOneCodePoint) {
  EXPECT_TRUE(wildcard_match("caf?", "caf\xC3\xA9"));      // "café": é is two bytes
  EXPECT_FALSE(wildcard_match("caf??", "caf\xC3\xA9"));
  EXPECT_TRUE(wildcard_match("*?", "\xE2\x82\xAC"));         // "€": three bytes, one character
}

TEST(MaskShape, CountsCodePointsForTextAndBytesForBinary) {
  const std::string zoe = "Zo\xC3\xAB";  // "Zoë": three characters, four bytes
  MaskShape text = mask_shape(zoe, 1, CharUnit::Utf8CodePoint);
  EXPECT_EQ(text.stars, 2u);
  EXPECT_EQ(text.visible_from, 2u);
  EXPECT_EQ(text.size(zoe), 4u);  // "**ë"
  MaskShape bytes = mask_shape(zoe, 1, CharUnit::Byte);
  EXPECT_EQ(bytes.stars, 3u);
  EXPECT_EQ(bytes.visible_from, 3u);
}

TEST(MaskShape, ValueNoLongerThanKeepLastStaysVisible) {
  MaskShape s = mask_shape("abc", 5, CharUnit::Utf8CodePoint);
  EXPECT_EQ(s.stars, 0u);
  EXPECT_EQ(s.visible_from, 0u);
}

class ColumnMaskTest : public ::testing::Test {
 protected:
  static std::vector<ferry::sdk::testing::ColumnSpec> user_columns() {
    return {{"id", FERRY_VALUE_INT}, {"email", FERRY_VALUE_STRING}, {"name", FERRY_VALUE_STRING}};
  }
};

TEST_F(ColumnMaskTest, HashesMatchedColumnAndLeavesOthers) {
  Harness<ColumnMask> h({{"rules", List{rule("app", List{"email"})}}, {"salt", "pepper"}});
  auto& users = h.table("app", "users", user_columns(), {"id"});
  h.insert(users, {h.i64(1), h.text("a@b.c"), h.text("Ann")});
  EXPECT_EQ(h.run_transform(),
            Lines{R"({"kind":"row","op":"insert","schema":"app","table":"users","after":{"id":1,"email":")" +
                  hash_of("pepper", "a@b.c") + R"(","name":"Ann"}})"});
}

TEST_F(ColumnMaskTest, SaltChangesTheHash) {
  Harness<ColumnMask> unsalted({{"rules", List{rule("app", List{"email"})}}});
  auto& users = unsalted.table("app", "users", user_columns());
  unsalted.insert(users, {unsalted.i64(1), unsalted.text("a@b.c"), unsalted.text("Ann")});
  const Lines out = unsalted.run_transform();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].find(hash_of("", "a@b.c")), std::string::npos) << out[0];
  EXPECT_EQ(out[0].find(hash_of("pepper", "a@b.c")), std::string::npos) << out[0];
}

TEST_F(ColumnMaskTest, MasksCodePointsKeepingTheLastOnes) {
  Harness<ColumnMask> h({{"rules", List{rule("app", List{"name"}, {{"action", "mask"}, {"keep-last", "2"}})}}});
  auto& users = h.table("app", "users", user_columns());
  h.insert(users, {h.i64(1), h.text("x"), h.text("J\xC3\xBCrgen M\xC3\xBCller")});  // "Jürgen Müller"
  EXPECT_EQ(h.run_transform(),
            Lines{R"({"kind":"row","op":"insert","schema":"app","table":"users","after":{"id":1,"email":"x","name":"***********er"}})"});
}

TEST_F(ColumnMaskTest, RewritesBeforeAndAfterOfAnUpdate) {
  Harness<ColumnMask> h({{"rules", List{rule("app", List{"email"})}}});
  auto& users = h.table("app", "users", user_columns());
  h.update(users, {h.i64(1), h.text("old@x"), h.text("A")}, {h.i64(1), h.text("new@x"), h.text("A")});
  EXPECT_EQ(h.run_transform(),
            Lines{R"({"kind":"row","op":"update","schema":"app","table":"users","before":{"id":1,"email":")" +
                  hash_of("", "old@x") + R"(","name":"A"},"after":{"id":1,"email":")" + hash_of("", "new@x") +
                  R"(","name":"A"}})"});
}

TEST_F(ColumnMaskTest, NullStaysNullAndDeleteImageIsRewritten) {
  Harness<ColumnMask> h({{"rules", List{rule("app", List{"email", "name"}, {{"action", "mask"}})}}});
  auto& users = h.table("app", "users", user_columns());
  h.remove(users, {h.i64(7), h.null(), h.text("Bo")});
  EXPECT_EQ(h.run_transform(),
            Lines{R"({"kind":"row","op":"delete","schema":"app","table":"users","before":{"id":7,"email":null,"name":"**"}})"});
}

TEST_F(ColumnMaskTest, PatternsAreCaseInsensitiveWildcards) {
  Harness<ColumnMask> h(
      {{"rules", List{rule("AP?", List{"E*"}, {{"table-pattern", "USER*"}, {"action", "mask"}})}}});
  auto& users = h.table("app", "users", user_columns());
  auto& orders = h.table("app", "orders", {{"id", FERRY_VALUE_INT}, {"email", FERRY_VALUE_STRING}});
  auto& other = h.table("shop", "users", user_columns());
  h.insert(users, {h.i64(1), h.text("ab"), h.text("N")});
  h.insert(orders, {h.i64(2), h.text("cd")});
  h.insert(other, {h.i64(3), h.text("ef"), h.text("N")});
  EXPECT_EQ(h.run_transform(),
            (Lines{R"({"kind":"row","op":"insert","schema":"app","table":"users","after":{"id":1,"email":"**","name":"N"}})",
                   R"({"kind":"row","op":"insert","schema":"app","table":"orders","after":{"id":2,"email":"cd"}})",
                   R"({"kind":"row","op":"insert","schema":"shop","table":"users","after":{"id":3,"email":"ef","name":"N"}})"}));
}

TEST_F(ColumnMaskTest, FirstMatchingRuleDecides) {
  Harness<ColumnMask> h({{"rules", List{rule("app", List{"email"}, {{"action", "mask"}}), rule("*", List{"*"})}}});
  auto& users = h.table("app", "users", {{"email", FERRY_VALUE_STRING}, {"name", FERRY_VALUE_STRING}});
  h.insert(users, {h.text("ab"), h.text("N")});
  EXPECT_EQ(h.run_transform(),
            Lines{R"({"kind":"row","op":"insert","schema":"app","table":"users","after":{"email":"**","name":")" +
                  hash_of("", "N") + R"("}})"});
}

TEST_F(ColumnMaskTest, HashedBytesValueStaysBytes) {
  Harness<ColumnMask> h({{"rules", List{rule("app", List{"token"})}}});
  auto& keys = h.table("app", "keys", {{"token", FERRY_VALUE_BYTES}});
  h.insert(keys, {h.text(std::string("\x00\xff", 2), FERRY_VALUE_BYTES)});
  std::string hex;
  for (unsigned char c : hash_of("", std::string("\x00\xff", 2))) {
    static const char* kDigits = "0123456789abcdef";
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  EXPECT_EQ(h.run_transform(),
            Lines{R"({"kind":"row","op":"insert","schema":"app","table":"keys","after":{"token":{"hex":")" + hex + R"("}}})"});
}

TEST_F(ColumnMaskTest, ControlAndDdlEventsPassUntouched) {
  Harness<ColumnMask> h({{"rules", List{rule("*", List{"*"})}}});
  h.control(FERRY_EVENT_TXN_BEGIN);
  h.ddl("app", "users", "ALTER TABLE users ADD c INT");
  h.control(FERRY_EVENT_TXN_COMMIT);
  EXPECT_EQ(h.run_transform(), (Lines{R"({"kind":"begin"})",
                                      R"({"kind":"ddl","schema":"app","table":"users","statement":"ALTER TABLE users ADD c INT"})",
                                      R"({"kind":"commit"})"}));
}

TEST_F(ColumnMaskTest, RuleOnAnIntegerColumnFailsTheBatchNamingIt) {
  Harness<ColumnMask> h({{"rules", List{rule("app", List{"id", "email"})}}});
  auto& users = h.table("app", "users", user_columns());
  h.insert(users, {h.i64(1), h.text("a@b.c"), h.text("Ann")});
  try {
    h.run_transform();
    FAIL() << "a rule matching an INT column must fail the batch";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("app.users.id"), std::string::npos) << message;
    EXPECT_NE(message.find("value of type INT"), std::string::npos) << message;
  }
  EXPECT_EQ(h.context().error_code, static_cast<uint32_t>(FERRY_E_TRANSFORM_RULE));
}

TEST_F(ColumnMaskTest, NullInAnIntegerColumnIsNotAnError) {
  Harness<ColumnMask> h({{"rules", List{rule("app", List{"id"})}}});
  auto& users = h.table("app", "users", user_columns());
  h.insert(users, {h.null(), h.text("a"), h.text("b")});
  EXPECT_EQ(h.run_transform(),
            Lines{R"({"kind":"row","op":"insert","schema":"app","table":"users","after":{"id":null,"email":"a","name":"b"}})"});
}

TEST_F(ColumnMaskTest, MissingRulesIsAConfigError) {
  EXPECT_THROW(Harness<ColumnMask>(Map{}), std::invalid_argument);
}

}  // namespace
}  // namespace column_mask
