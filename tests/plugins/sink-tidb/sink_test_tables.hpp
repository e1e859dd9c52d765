// Test tables and values for the tidb sink's pure pieces: a ferry_table_schema built in a few
// lines, values made from literals, and the collations the tests register. A TestTable owns
// every string and array its schema points at; keep it alive as long as the schema is used.
#pragma once

#include "sql/value_literal.hpp"

#include <ferry/abi/ferry_abi.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <initializer_list>
#include <vector>

namespace ferry::tidb::testing {

// MYSQL_TYPE_* codes the tests use.
inline constexpr uint8_t kLong = 3;
inline constexpr uint8_t kVarchar = 15;
inline constexpr uint8_t kEnum = 247;
inline constexpr uint8_t kString = 254;

// Collation ids registered by charsets().
inline constexpr uint16_t kUtf8mb4GeneralCi = 45;
inline constexpr uint16_t kUtf8mb4Bin = 46;          // PAD SPACE: 'a' = 'a '
inline constexpr uint16_t kUtf8mb4NopadBin = 1070;   // MariaDB's NO PAD twin
inline constexpr uint16_t kUtf8mb4_0900Bin = 309;    // MySQL 8's NO PAD binary collation
inline constexpr uint16_t kLatin1 = 8;
inline constexpr uint16_t kBinary = 63;
inline constexpr uint16_t kUnregistered = 250;  // a collation the downstream did not list

inline CharsetNames charsets() {
  CharsetNames names;
  names.add(kUtf8mb4GeneralCi, "utf8mb4", "utf8mb4_general_ci");
  names.add(kUtf8mb4Bin, "utf8mb4", "utf8mb4_bin");
  names.add(kUtf8mb4NopadBin, "utf8mb4", "utf8mb4_nopad_bin");
  names.add(kUtf8mb4_0900Bin, "utf8mb4", "utf8mb4_0900_bin");
  names.add(kLatin1, "latin1", "latin1_swedish_ci");
  names.add(kBinary, "binary", "binary");
  return names;
}

inline ferry_str str(const std::string& s) { return ferry_str{s.data(), static_cast<uint32_t>(s.size())}; }

class TestTable {
 public:
  TestTable(std::string schema, std::string table) {
    abi_.schema = keep(std::move(schema));
    abi_.table = keep(std::move(table));
    abi_.version = 1;
  }
  TestTable(const TestTable&) = delete;
  TestTable& operator=(const TestTable&) = delete;

  // A NOT NULL INT unless `flags` says otherwise.
  TestTable& int_column(std::string name, uint8_t flags = 0) {
    return column(std::move(name), "int(11)", kLong, flags, 0);
  }
  TestTable& text_column(std::string name, uint16_t collation, uint8_t flags = 0) {
    return column(std::move(name), "varchar(32)", kVarchar, flags, collation);
  }
  TestTable& column(std::string name, std::string column_type, uint8_t mysql_type, uint8_t flags, uint16_t charset) {
    ferry_column c{};
    c.name = keep(std::move(name));
    c.column_type = keep(std::move(column_type));
    c.mysql_type = mysql_type;
    c.flags = flags;
    c.charset = charset;
    columns_.push_back(c);
    return *this;
  }
  TestTable& primary_key(std::vector<uint32_t> positions) {
    for (uint32_t p : positions) columns_[p].flags |= FERRY_COLUMN_PRIMARY_KEY;
    pk_ = index("PRIMARY", std::move(positions));
    has_pk_ = true;
    return *this;
  }
  TestTable& unique_key(std::string name, std::vector<uint32_t> positions) {
    uniques_.push_back(index(std::move(name), std::move(positions)));
    return *this;
  }

  const ferry_table_schema& schema() {
    abi_.column_count = static_cast<uint32_t>(columns_.size());
    abi_.columns = columns_.data();
    abi_.primary_key = has_pk_ ? &pk_ : nullptr;
    abi_.unique_key_count = static_cast<uint32_t>(uniques_.size());
    abi_.unique_keys = uniques_.data();
    return abi_;
  }

 private:
  ferry_str keep(std::string s) { return str(strings_.emplace_back(std::move(s))); }
  ferry_index index(std::string name, std::vector<uint32_t> positions) {
    const auto& kept = positions_.emplace_back(std::move(positions));
    return ferry_index{keep(std::move(name)), static_cast<uint32_t>(kept.size()), kept.data()};
  }

  std::deque<std::string> strings_;  // deques: what the schema points at never moves
  std::deque<std::vector<uint32_t>> positions_;
  std::vector<ferry_column> columns_;
  ferry_index pk_{};
  bool has_pk_ = false;
  std::vector<ferry_index> uniques_;
  ferry_table_schema abi_{};
};

inline ferry_value null_value() { return ferry_value{}; }

inline ferry_value int_value(int64_t v) {
  ferry_value x{};
  x.type = FERRY_VALUE_INT;
  x.num.i64 = v;
  return x;
}

inline ferry_value uint_value(uint64_t v, uint8_t type = FERRY_VALUE_UINT) {
  ferry_value x{};
  x.type = type;
  x.num.u64 = v;
  return x;
}

inline ferry_value double_value(double v, uint8_t type = FERRY_VALUE_DOUBLE) {
  ferry_value x{};
  x.type = type;
  x.num.f64 = v;
  return x;
}

// Points at `s`, which must outlive the value (string literals do).
inline ferry_value text_value(std::string_view s, uint8_t type = FERRY_VALUE_STRING) {
  ferry_value x{};
  x.type = type;
  x.len = static_cast<uint32_t>(s.size());
  x.data = s.data();
  return x;
}

// A slot of a partial image whose column is absent: reading it as a value fails (unknown type)
// and following its pointer crashes.
inline ferry_value garbage_value() {
  ferry_value x{};
  x.type = 0xEE;
  x.len = 0xFFFFFFFFu;
  x.num.u64 = 0xDEADBEEFDEADBEEFull;
  x.data = reinterpret_cast<const char*>(uintptr_t{0x10});
  return x;
}

// A "present" bitmap with the bits of `positions` set.
inline std::vector<uint8_t> present(std::initializer_list<uint32_t> positions, uint32_t column_count) {
  std::vector<uint8_t> bits((column_count + 7) / 8, 0);
  for (uint32_t p : positions) bits[p / 8] |= static_cast<uint8_t>(1u << (p % 8));
  return bits;
}

}  // namespace ferry::tidb::testing
