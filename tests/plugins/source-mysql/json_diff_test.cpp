// MySQL's logical JSON diffs (binlog/json_diff.hpp) applied to before documents: REPLACE, INSERT
// and REMOVE on nested objects and arrays, MySQL's key order and array index rules, values the
// diffs do not touch kept exactly as printed, and diffs that do not fit or do not read refused.
#include "binlog/json_diff.hpp"
#include "binlog_event_builder.hpp"
#include "json_binary_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferry::mysql {
namespace {

using event_builder::json_diff;
namespace jb = json_builder;

constexpr uint8_t kReplace = 0, kInsert = 1, kRemove = 2;

std::string replace(const std::string& path, const jb::Bin& v) { return json_diff(kReplace, path, jb::doc(v)); }
std::string insert(const std::string& path, const jb::Bin& v) { return json_diff(kInsert, path, jb::doc(v)); }
std::string remove(const std::string& path) { return json_diff(kRemove, path); }

// The after text, or "ERROR: why".
std::string applied(const std::string& before, const std::vector<std::string>& diffs) {
  std::string all;
  for (const std::string& d : diffs) all += d;
  std::string after, error;
  if (!apply_json_diffs(before, all, after, error)) return "ERROR: " + error;
  return after;
}

const std::string kDoc = R"({"a": {"b": 1, "c": [10, 20, 30]}, "name": "x"})";

TEST(JsonDiff, ReplaceChangesANestedMemberAndAnArrayElement) {
  EXPECT_EQ(applied(kDoc, {replace("$.a.b", jb::str("new"))}), R"({"a": {"b": "new", "c": [10, 20, 30]}, "name": "x"})");
  EXPECT_EQ(applied(kDoc, {replace("$.a.c[1]", jb::object({{"k", jb::json_null()}}))}),
            R"({"a": {"b": 1, "c": [10, {"k": null}, 30]}, "name": "x"})");
  EXPECT_EQ(applied(kDoc, {replace("$.a.c[last]", jb::json_false())}),
            R"({"a": {"b": 1, "c": [10, 20, false]}, "name": "x"})");
  EXPECT_EQ(applied(kDoc, {replace("$.a.c[last-2]", jb::int16(-1))}),
            R"({"a": {"b": 1, "c": [-1, 20, 30]}, "name": "x"})");
  EXPECT_EQ(applied(kDoc, {replace("$.a", jb::array({}))}), R"({"a": [], "name": "x"})");
}

TEST(JsonDiff, InsertAddsMembersInMysqlKeyOrderAndElementsAtTheirIndex) {
  // MySQL's objects keep keys shorter first, then by bytes.
  EXPECT_EQ(applied(kDoc, {insert("$.zz", jb::int16(1)), insert("$.b", jb::int16(2)), insert("$.nam", jb::int16(3))}),
            R"({"a": {"b": 1, "c": [10, 20, 30]}, "b": 2, "zz": 1, "nam": 3, "name": "x"})");
  EXPECT_EQ(applied(kDoc, {insert("$.a.c[0]", jb::int16(5))}), R"({"a": {"b": 1, "c": [5, 10, 20, 30]}, "name": "x"})");
  EXPECT_EQ(applied(kDoc, {insert("$.a.c[2]", jb::int16(5))}), R"({"a": {"b": 1, "c": [10, 20, 5, 30]}, "name": "x"})");
  // Past the end: at the end, as JSON_ARRAY_INSERT does.
  EXPECT_EQ(applied(kDoc, {insert("$.a.c[99]", jb::int16(5))}), R"({"a": {"b": 1, "c": [10, 20, 30, 5]}, "name": "x"})");
  // [last] is the last element's place: the new one goes before it.
  EXPECT_EQ(applied(kDoc, {insert("$.a.c[last]", jb::int16(5))}),
            R"({"a": {"b": 1, "c": [10, 20, 5, 30]}, "name": "x"})");
  EXPECT_EQ(applied("[]", {insert("$[0]", jb::str("only"))}), R"(["only"])");
}

TEST(JsonDiff, RemoveTakesOutMembersAndElements) {
  EXPECT_EQ(applied(kDoc, {remove("$.name")}), R"({"a": {"b": 1, "c": [10, 20, 30]}})");
  EXPECT_EQ(applied(kDoc, {remove("$.a.c[0]"), remove("$.a.c[last]")}), R"({"a": {"b": 1, "c": [20]}, "name": "x"})");
  EXPECT_EQ(applied(kDoc, {remove("$.a.b"), remove("$.a.c")}), R"({"a": {}, "name": "x"})");
}

TEST(JsonDiff, DiffsApplyInOrderAndAnEmptyListLeavesTheValue) {
  EXPECT_EQ(applied(kDoc, {insert("$.a.d", jb::array({jb::int16(1)})), insert("$.a.d[1]", jb::int16(2)),
                           replace("$.a.d[0]", jb::str("one")), remove("$.a.c")}),
            R"({"a": {"b": 1, "d": ["one", 2]}, "name": "x"})");
  EXPECT_EQ(applied(kDoc, {}), kDoc);
}

TEST(JsonDiff, QuotedMemberNamesReadWithTheirEscapes) {
  const std::string before = R"({"a b": 1, "q\"t": [true], "\u0001": 2})";
  EXPECT_EQ(applied(before, {replace(R"($."a b")", jb::int16(9))}), R"({"a b": 9, "q\"t": [true], "\u0001": 2})");
  EXPECT_EQ(applied(before, {replace(R"($."q\"t"[0])", jb::json_false())}), R"({"a b": 1, "q\"t": [false], "\u0001": 2})");
  EXPECT_EQ(applied(before, {remove(R"($."\u0001")")}), R"({"a b": 1, "q\"t": [true]})");
  EXPECT_EQ(applied(R"({"é": 1})", {insert(R"($."\u00e9x")", jb::int16(2))}), R"({"é": 1, "éx": 2})");
  // Spaces between tokens, which MySQL's path parser allows.
  EXPECT_EQ(applied(kDoc, {replace(" $ . a . c [ last - 1 ] ", jb::int16(0))}),
            R"({"a": {"b": 1, "c": [10, 0, 30]}, "name": "x"})");
}

TEST(JsonDiff, ValuesTheDiffsDoNotTouchKeepTheirExactText) {
  // A DECIMAL with its scale and a double as MySQL prints them would not survive a round trip
  // through a JSON library's numbers.
  const std::string before = R"({"d": 1.50, "e": 1.5e300, "t": "2024-01-02 03:04:05.000000"})";
  EXPECT_EQ(applied(before, {insert("$.n", jb::dbl(0.1))}),
            R"({"d": 1.50, "e": 1.5e300, "n": 0.1, "t": "2024-01-02 03:04:05.000000"})");
}

TEST(JsonDiff, ADiffThatDoesNotFitTheBeforeValueIsRefused) {
  EXPECT_EQ(applied(kDoc, {replace("$.nope", jb::int16(1))}),
            "ERROR: JSON diff 1 (REPLACE $.nope) does not apply to the before value: it names a value the document "
            "does not have");
  EXPECT_EQ(applied(kDoc, {replace("$.a.c[3]", jb::int16(1))}),
            "ERROR: JSON diff 1 (REPLACE $.a.c[3]) does not apply to the before value: it names a value the "
            "document does not have");
  EXPECT_EQ(applied(kDoc, {insert("$.name", jb::int16(1))}),
            "ERROR: JSON diff 1 (INSERT $.name) does not apply to the before value: it inserts a member the object "
            "already has");
  EXPECT_EQ(applied(kDoc, {remove("$.a.zz")}),
            "ERROR: JSON diff 1 (REMOVE $.a.zz) does not apply to the before value: it removes a member the object "
            "does not have");
  EXPECT_EQ(applied(kDoc, {remove("$.a.c[5]")}),
            "ERROR: JSON diff 1 (REMOVE $.a.c[5]) does not apply to the before value: it removes an element the "
            "array does not have");
  // No auto-wrapping: a scalar is not an array of one.
  EXPECT_EQ(applied(kDoc, {insert("$.name[1]", jb::int16(1))}),
            "ERROR: JSON diff 1 (INSERT $.name[1]) does not apply to the before value: it has a parent the document "
            "does not have, or that is not an object or array");
  EXPECT_EQ(applied(kDoc, {remove("$.a[0]")}),
            "ERROR: JSON diff 1 (REMOVE $.a[0]) does not apply to the before value: it ends with an array index "
            "where the document has an object");
  EXPECT_EQ(applied(kDoc, {replace("$", jb::int16(1))}),
            "ERROR: JSON diff 1 (REPLACE $) does not apply to the before value: it names the whole document, which a "
            "diff cannot");
  // The second diff fails: it is named.
  EXPECT_EQ(applied(kDoc, {remove("$.name"), remove("$.name")}).substr(0, 35), "ERROR: JSON diff 2 (REMOVE $.name) ");
}

TEST(JsonDiff, ADiffThatDoesNotReadIsRefused) {
  EXPECT_EQ(applied(kDoc, {std::string(1, '\x03') + "\x03$.a"}),
            "ERROR: JSON diff 1 has operation 3 (MySQL defines 0 REPLACE, 1 INSERT, 2 REMOVE)");
  EXPECT_EQ(applied(kDoc, {std::string(1, '\x02') + "\x09$.a"}),
            "ERROR: JSON diff 1 (REMOVE) runs past the value in its path");
  EXPECT_EQ(applied(kDoc, {replace("$.a.b", jb::int16(1)).substr(0, 9)}),
            "ERROR: JSON diff 1 (REPLACE $.a.b) runs past the value in its new value");
  EXPECT_EQ(applied(kDoc, {json_diff(kReplace, "$.a.b", std::string("\x0c\x05") + "ab")}),
            "ERROR: JSON diff 1 (REPLACE $.a.b): its new value: binary JSON: a length of 5 bytes, where 2 remain (at "
            "byte 1 of 4)");
  EXPECT_EQ(applied(kDoc, {remove("$.a.*")}), "ERROR: JSON diff 1 (REMOVE $.a.*): the path has a wildcard, which a diff cannot have");
  EXPECT_EQ(applied(kDoc, {remove("$.a.c[*]")}),
            "ERROR: JSON diff 1 (REMOVE $.a.c[*]): the path has an array index that does not read (wildcards and "
            "ranges cannot be in a diff)");
  EXPECT_EQ(applied(kDoc, {remove("$.a.c[0 to 1]")}),
            "ERROR: JSON diff 1 (REMOVE $.a.c[0 to 1]): the path has an array leg that does not end with ] (ranges "
            "cannot be in a diff)");
  EXPECT_EQ(applied(kDoc, {remove("a.b")}), "ERROR: JSON diff 1 (REMOVE a.b): the path does not start with $");
  EXPECT_EQ(applied("{not json", {remove("$.a")}), "ERROR: JSON diff: the before value does not read as JSON");
}

TEST(JsonDiff, ADocumentGrownTooDeepIsRefused) {
  jb::Bin deep = jb::array({});
  for (int i = 0; i < 99; ++i) deep = jb::array({deep});  // 100 levels: as deep as MySQL allows
  std::string path = "$";
  for (int i = 0; i < 150; ++i) path += "[0]";
  const std::string why = applied("[]", {insert(path, deep)});
  EXPECT_EQ(why, "ERROR: JSON diff 1 (INSERT " + path + ") nests the document deeper than 200 levels");
}

}  // namespace
}  // namespace ferry::mysql
