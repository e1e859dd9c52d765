#include "read/cell_value.hpp"

#include <charconv>
#include <cstdlib>

namespace ferry::dump {
namespace {

void set_text(ferry_value& v, ferry_value_type type, std::string_view text) {
  v.type = static_cast<uint8_t>(type);
  v.data = text.data();
  v.len = static_cast<uint32_t>(text.size());
}

template <typename T>
bool parse_integer(std::string_view text, T& out) {
  auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

}  // namespace

bool cell_value(const DumpColumn& c, std::string_view text, ferry_value& v, std::string& error) {
  v = ferry_value{};
  switch (c.kind) {
    case CellKind::Int:
      v.type = FERRY_VALUE_INT;
      if (parse_integer(text, v.num.i64)) return true;
      break;
    case CellKind::Uint:
      v.type = FERRY_VALUE_UINT;
      if (parse_integer(text, v.num.u64)) return true;
      break;
    case CellKind::Year:
      v.type = FERRY_VALUE_YEAR;
      if (parse_integer(text, v.num.i64)) return true;
      break;
    case CellKind::Float:
    case CellKind::Double: {
      v.type = c.kind == CellKind::Float ? FERRY_VALUE_FLOAT : FERRY_VALUE_DOUBLE;
      auto r = std::from_chars(text.data(), text.data() + text.size(), v.num.f64);
      if (r.ec == std::errc() && r.ptr == text.data() + text.size()) return true;
      break;
    }
    case CellKind::Decimal: set_text(v, FERRY_VALUE_DECIMAL, text); return true;
    case CellKind::String: set_text(v, FERRY_VALUE_STRING, text); return true;
    case CellKind::Bytes: set_text(v, FERRY_VALUE_BYTES, text); return true;
    case CellKind::Json: set_text(v, FERRY_VALUE_JSON, text); return true;
    case CellKind::Geometry: set_text(v, FERRY_VALUE_GEOMETRY, text); return true;
    case CellKind::Date: set_text(v, FERRY_VALUE_DATE, text); return true;
    case CellKind::Time: set_text(v, FERRY_VALUE_TIME, text); return true;
    case CellKind::Datetime: set_text(v, FERRY_VALUE_DATETIME, text); return true;
    case CellKind::Timestamp: set_text(v, FERRY_VALUE_TIMESTAMP, text); return true;
    case CellKind::Bit: {
      // The stored bytes, big-endian.
      if (text.size() > 8) break;
      v.type = FERRY_VALUE_BIT;
      v.len = c.bit_width;
      for (unsigned char b : text) v.num.u64 = (v.num.u64 << 8) | b;
      return true;
    }
    case CellKind::Enum: {
      if (c.read_as_index) {
        v.type = FERRY_VALUE_ENUM;
        if (!parse_integer(text, v.num.u64) || v.num.u64 > c.members.size()) break;
        if (v.num.u64 > 0) {
          const std::string& member = c.members[v.num.u64 - 1];
          v.data = member.data();
          v.len = static_cast<uint32_t>(member.size());
        }
        return true;
      }
      set_text(v, FERRY_VALUE_ENUM, text);
      v.num.u64 = 0;  // '' (an invalid value stored in a non-strict mode) is index 0
      for (size_t i = 0; i < c.members.size(); ++i) {
        if (c.members[i] == text) {
          v.num.u64 = i + 1;
          break;
        }
      }
      if (v.num.u64 == 0 && !text.empty()) break;
      return true;
    }
    case CellKind::Set: {
      set_text(v, FERRY_VALUE_SET, text);
      size_t start = 0;
      while (start <= text.size() && !text.empty()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view member = text.substr(start, comma - start);
        bool found = false;
        for (size_t i = 0; i < c.members.size() && i < 64; ++i) {
          if (c.members[i] == member) {
            v.num.u64 |= uint64_t{1} << i;
            found = true;
            break;
          }
        }
        if (!found) {
          error = "SET value '" + std::string(text) + "' of column " + c.name + " names a member its type does not have";
          return false;
        }
        start = comma + 1;
      }
      return true;
    }
  }
  error = "column " + c.name + " (" + c.column_type + ") returned text that does not read as its type: '" +
          std::string(text.substr(0, 64)) + "'";
  return false;
}

}  // namespace ferry::dump
