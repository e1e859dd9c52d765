// Pieces of a value's text that every load method must write alike, so that a row loads the same
// whether it goes by bulk binding (bulk_rows), LOAD DATA (tsv_rows) or another way.
#pragma once

#include <ferry/abi/ferry_abi.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace ferry::load {

// The value's bytes (text, bytes, DECIMAL and temporal text, JSON, geometry, named members).
inline std::string_view value_bytes(const ferry_value& v) { return {v.data ? v.data : "", v.len}; }

// A YEAR as four digits: the text "0" would be read as the year 2000, "0000" is the year zero.
inline void append_year(std::string& out, int64_t year) {
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(year));
  out.append(buf, static_cast<size_t>(n));
}

}  // namespace ferry::load
