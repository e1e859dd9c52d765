// binlog_value_fuzz_seeds: writes the seeds of the value fuzz target (format in
// binlog_value_fuzz.cpp) into a directory: binary JSON documents built from the format's
// description (no MySQL server is packaged here to write real ones) and MariaDB compressed
// column values stored both ways. `value_corpus/` is this program's output, checked in.
//
//   binlog_value_fuzz_seeds OUT_DIR
#include "compressed_column_builder.hpp"
#include "json_binary_builder.hpp"

#include <cstdio>
#include <fstream>
#include <string>

namespace {

using namespace ferry::mysql::json_builder;
using ferry::mysql::compressed_column_builder::compressed;

// Column selectors (byte 0 of an input).
constexpr char kJson = 0;
constexpr char kVarchar255 = 1;
constexpr char kVarchar65535 = static_cast<char>(0x82);
constexpr char kVarcharBinary255 = 0x40;
constexpr char kTinyBlob = 2;      // 1-byte length
constexpr char kBlobBinary = 0x44;  // 2-byte length, binary
constexpr char kMediumBlob = 8;     // 3-byte length

constexpr uint8_t kTypeTimestamp = 7, kTypeDate = 10, kTypeTime = 11, kTypeDatetime = 12, kTypeBlob = 252,
                  kTypeVarString = 253, kTypeNewDecimal = 246;

bool write(const std::string& dir, const std::string& name, char selector, const std::string& value) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out << selector << value;
  return static_cast<bool>(out);
}

std::string text(size_t bytes) {
  std::string s;
  for (size_t i = 0; s.size() < bytes; ++i) s += "ferry é😀 " + std::to_string(i % 13) + " ";
  return s.substr(0, bytes);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  Bin deep = array({int16(7)});
  for (int i = 0; i < 20; ++i) deep = array({deep, json_false()});
  const std::string decimal_123_45("\x05\x02\x80\x7b\x2d", 5);
  bool ok = true;
  ok &= write(dir, "json-object", kJson,
              doc(object({{"a", int16(1)},
                          {"bb", array({json_true(), json_null(), str("x\n\"")})},
                          {"c", dbl(1.5)},
                          {"d", object({{"e", int64(-5)}, {"f", uint64(18446744073709551615u)}})}})));
  ok &= write(dir, "json-large", kJson,
              doc(object({{"i32", int32(-70000)}, {"u32", uint32(4000000000u)}, {"arr", array({int16(1), dbl(-0.0)}, true)},
                          {"s", str(text(300))}},
                         true)));
  ok &= write(dir, "json-opaque", kJson,
              doc(array({opaque(kTypeNewDecimal, decimal_123_45),
                         opaque(kTypeDatetime, packed_datetime(2024, 2, 29, 12, 34, 56, 123456)),
                         opaque(kTypeTimestamp, packed_datetime(1970, 1, 1, 0, 0, 1, 0)),
                         opaque(kTypeDate, packed_datetime(9999, 12, 31, 0, 0, 0, 0)),
                         opaque(kTypeTime, packed_time(true, 838, 59, 59, 0)), opaque(kTypeBlob, text(70)),
                         opaque(kTypeVarString, "v")})));
  ok &= write(dir, "json-deep", kJson, doc(deep));
  ok &= write(dir, "json-string", kJson, doc(str(text(200))));
  ok &= write(dir, "json-double", kJson, doc(dbl(1.5e300)));
  ok &= write(dir, "json-empty", kJson, "");
  ok &= write(dir, "varchar-as-is", kVarchar255, std::string(1, '\0') + "short é");
  ok &= write(dir, "varchar-raw-deflate", kVarchar65535, compressed(text(2000)));
  ok &= write(dir, "varchar-zlib-wrapped", kVarchar255, compressed(text(200), false));
  ok &= write(dir, "varbinary-raw-deflate", kVarcharBinary255, compressed(std::string(200, '\x01')));
  ok &= write(dir, "varchar-empty", kVarchar255, "");
  ok &= write(dir, "tinyblob-raw-deflate", kTinyBlob, compressed(text(255)));
  ok &= write(dir, "blob-as-is", kBlobBinary, std::string(1, '\0') + std::string("\x00\xff\x01", 3));
  ok &= write(dir, "mediumblob-raw-deflate", kMediumBlob, compressed(text(70000)));
  if (!ok) {
    std::fprintf(stderr, "%s: cannot write seeds into %s\n", argv[0], dir.c_str());
    return 1;
  }
  return 0;
}
