// The JSON form of values: exact integers, round-tripping floats, text from its charset, bytes
// as hex, partial images without absent columns.
#include <ferry/sdk/event_json.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <random>

namespace {

namespace s = ferry::sdk;

std::string one(const ferry_value& v, uint16_t charset = 45) {
  ferry_column col{};
  col.charset = charset;
  std::string out;
  s::json::append_value(out, v, &col);
  return out;
}

ferry_value text(ferry_value_type type, const std::string& s) {
  static std::vector<std::string> keep;  // values point into these
  keep.push_back(s);
  return s::text_value(type, {keep.back().data(), static_cast<uint32_t>(keep.back().size())});
}

TEST(EventJson, NumbersAreExact) {
  EXPECT_EQ(one(s::int_value(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(one(s::uint_value(std::numeric_limits<uint64_t>::max())), "18446744073709551615");
  ferry_value f{};
  f.type = FERRY_VALUE_FLOAT;
  f.num.f64 = static_cast<double>(0.1f);
  EXPECT_EQ(one(f), "0.1");  // the float's shortest form, not 0.10000000149011612
  EXPECT_EQ(one(s::double_value(0.1)), "0.1");
  EXPECT_EQ(one(s::double_value(1e300)), "1e+300");
  EXPECT_EQ(one(s::null_value()), "null");
}

TEST(EventJson, TextAndBytes) {
  EXPECT_EQ(one(text(FERRY_VALUE_STRING, "a\"b\\\n\x01")), R"("a\"b\\\n\u0001")");
  EXPECT_EQ(one(text(FERRY_VALUE_STRING, "caf\xe9"), 8), "\"caf\xc3\xa9\"");  // latin1 -> UTF-8
  EXPECT_EQ(one(text(FERRY_VALUE_STRING, "\xff\xfe"), 45), R"({"hex":"fffe"})");  // not UTF-8
  EXPECT_EQ(one(text(FERRY_VALUE_BYTES, std::string("\0\x10", 2))), R"({"hex":"0010"})");
  EXPECT_EQ(one(text(FERRY_VALUE_DECIMAL, "-0.500")), R"("-0.500")");
  EXPECT_EQ(one(text(FERRY_VALUE_TIME, "-838:59:59.000000")), R"("-838:59:59.000000")");
}

TEST(EventJson, EnumWithoutNamesIsItsNumber) {
  ferry_value e{};
  e.type = FERRY_VALUE_ENUM;
  e.num.u64 = 3;
  EXPECT_EQ(one(e), "3");
}

TEST(EventJson, APartialImageOmitsAbsentColumnsAndUnnamedColumnsUsePositions) {
  ferry_column cols[3]{};
  cols[0].name = {"id", 2};
  ferry_table_schema t{};
  t.schema = {"s", 1};
  t.table = {"t", 1};
  t.column_count = 3;
  t.columns = cols;
  ferry_value after[3] = {s::int_value(7), s::null_value(), s::int_value(9)};
  const uint8_t present = 0b101;  // column 2 (index 1) absent
  ferry_event e{};
  e.kind = FERRY_EVENT_ROW;
  e.u.row.op = FERRY_ROW_UPDATE;
  e.u.row.table = &t;
  e.u.row.target_schema = t.schema;
  e.u.row.target_table = t.table;
  e.u.row.after = after;
  e.u.row.after_present = &present;
  EXPECT_EQ(s::json::event_to_json(e), R"({"kind":"row","op":"update","schema":"s","table":"t","after":{"id":7,"@3":9}})");
}

}  // namespace

namespace reference {

// The byte-at-a-time definitions the word-at-a-time ones must agree with.
std::string escaped(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

bool utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace reference

TEST(EventJson, EscapingAndUtf8ChecksAgreeWithByteByByteDefinitionsOnEveryByteAtEveryOffset) {
  // Every byte value at every position of strings around the 8-byte word size, in plain text and
  // beside multi-byte characters, plus random strings.
  const std::string plain = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (size_t len = 0; len <= 20; ++len) {
    for (size_t at = 0; at < len; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string t = plain.substr(0, len);
        t[at] = static_cast<char>(b);
        std::string got;
        s::json::append_escaped(got, t);
        ASSERT_EQ(got, reference::escaped(t)) << "len " << len << " at " << at << " byte " << b;
        ASSERT_EQ(s::json::valid_utf8(t), reference::utf8(t)) << "len " << len << " at " << at << " byte " << b;
        const std::string wide = "é" + t + "€xxxxxxxx";
        ASSERT_EQ(s::json::valid_utf8(wide), reference::utf8(wide)) << "len " << len << " at " << at << " byte " << b;
      }
    }
  }
  std::mt19937 rng(20261206);
  for (int n = 0; n < 20000; ++n) {
    std::string t(rng() % 64, '\0');
    for (auto& c : t) c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 26);
    std::string got;
    s::json::append_escaped(got, t);
    ASSERT_EQ(got, reference::escaped(t));
    ASSERT_EQ(s::json::valid_utf8(t), reference::utf8(t));
  }
}
