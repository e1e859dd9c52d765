// BinlogPoint: where a transaction ends upstream, comparable. Positions order by file then offset;
// files by base name, then by the number after the last dot (numerically: the sequence grows past
// six digits after mysql-bin.999999).
#pragma once

#include <ferry/sdk/events.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace ferry::tidb {

struct BinlogPoint {
  std::string file;
  uint64_t pos = 0;
  std::string gtid;  // the executed GTID set after this point
  uint8_t gtid_flavor = FERRY_GTID_NONE;

  bool empty() const { return file.empty(); }
  std::string text() const { return file + ":" + std::to_string(pos); }

  static BinlogPoint from(const ferry_position& p) {
    return {std::string(sdk::view(p.binlog_file)), p.binlog_pos, std::string(sdk::view(p.gtid_set)), p.gtid_flavor};
  }
};

inline std::strong_ordering compare_binlog_files(const std::string& a, const std::string& b) {
  const auto da = a.rfind('.');
  const auto db = b.rfind('.');
  const std::string_view base_a(a.data(), da == std::string::npos ? a.size() : da);
  const std::string_view base_b(b.data(), db == std::string::npos ? b.size() : db);
  if (base_a != base_b) return base_a < base_b ? std::strong_ordering::less : std::strong_ordering::greater;
  const std::string_view seq_a = da == std::string::npos ? std::string_view() : std::string_view(a).substr(da + 1);
  const std::string_view seq_b = db == std::string::npos ? std::string_view() : std::string_view(b).substr(db + 1);
  if (seq_a.size() != seq_b.size()) return seq_a.size() <=> seq_b.size();
  if (seq_a != seq_b) return seq_a < seq_b ? std::strong_ordering::less : std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

inline std::strong_ordering operator<=>(const BinlogPoint& a, const BinlogPoint& b) {
  if (auto c = compare_binlog_files(a.file, b.file); c != 0) return c;
  return a.pos <=> b.pos;
}
inline bool operator==(const BinlogPoint& a, const BinlogPoint& b) { return a.file == b.file && a.pos == b.pos; }

}  // namespace ferry::tidb
