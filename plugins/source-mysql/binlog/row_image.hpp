// Rows events (WRITE/UPDATE/DELETE, v1 and v2): the header (table id, flags, which columns each
// image holds) and the row images themselves, decoded into ferry_value arrays exactly: integers
// with their signedness, DECIMAL as text, temporal values as MySQL's text, strings as their bytes
// with their charset, and absent columns (MINIMAL/NOBLOB images) marked in a present bitmap.
#pragma once

#include "binlog/byte_reader.hpp"
#include "binlog/event_type.hpp"
#include "binlog/table_map.hpp"

#include <ferry/abi/ferry_abi.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace ferry::mysql {

// Where decoded text goes: the batch arena in the plugin, a scratch buffer in offline tools.
class ValueArena {
 public:
  virtual ~ValueArena() = default;
  virtual char* alloc_bytes(size_t size) = 0;
  // Reused buffer for text built before it is copied into the arena: no allocation per value.
  std::string& scratch() { return scratch_; }

 private:
  std::string scratch_;
};

// A ValueArena that bump-allocates from reused blocks; reset() makes all of it free again. For
// tools that decode an event, use its values, and move on.
class ScratchArena final : public ValueArena {
 public:
  char* alloc_bytes(size_t size) override {
    if (blocks_.empty() || used_ + size > blocks_[current_].size()) next_block(size);
    char* p = blocks_[current_].data() + used_;
    used_ += size;
    return p;
  }
  void reset() {
    current_ = 0;
    used_ = 0;
  }

 private:
  void next_block(size_t size) {
    if (!blocks_.empty() && current_ + 1 < blocks_.size() && blocks_[current_ + 1].size() >= size) {
      ++current_;
    } else {
      blocks_.emplace_back(std::max<size_t>(size, 1 << 20));
      current_ = blocks_.size() - 1;
    }
    used_ = 0;
  }
  std::vector<std::vector<char>> blocks_;
  size_t current_ = 0;
  size_t used_ = 0;
};

struct RowsHeader {
  uint64_t table_id = 0;
  uint16_t flags = 0;
  RowsKind kind = RowsKind::None;
  uint32_t column_count = 0;
  std::string_view columns_before;  // bitmap: columns in the before image (or the only image)
  std::string_view columns_after;   // UPDATE only: columns in the after image
  bool partial_json = false;        // PARTIAL_UPDATE_ROWS: after images start with value options
};

// Reads the post-header and the column bitmaps; `in` is left at the first row.
bool parse_rows_header(ByteReader& in, uint8_t post_header_len, RowsEventInfo info, RowsHeader& out, std::string& error);

// The after image of a PARTIAL_UPDATE_ROWS row, where a JSON column may be logged as the diffs
// made to it (json_diff.hpp) rather than as its value: which JSON columns are (`partial_bits`,
// one bit per JSON column of the table in column order, least significant bit first; empty when
// none is), and the row's decoded before image, to which the diffs apply.
struct PartialJsonImage {
  std::string_view partial_bits;
  const ferry_value* before = nullptr;
  const uint8_t* before_present = nullptr;
  // Set when decoding failed because the before image does not hold a column logged as diffs
  // (binlog_row_image=MINIMAL or NOBLOB): the event is fine, the value cannot be known from it.
  bool missing_before = false;
};

// Decodes one row image. `image_columns` is the event's bitmap for this image; `values` has
// room for every column of the table; `present` (column_count bits, zeroed by the caller) gets
// a bit for each column in the image. `partial`: for the after image of a PARTIAL_UPDATE_ROWS
// row. Returns false with `error` naming the column on bad data.
bool decode_row_image(ByteReader& in, const TableMap& table, std::string_view image_columns, ValueArena& arena,
                      ferry_value* values, uint8_t* present, std::string& error, PartialJsonImage* partial = nullptr);

// Decodes one column value. Exposed for tests.
bool decode_value(ByteReader& in, const ColumnInfo& column, ValueArena& arena, ferry_value& out, std::string& error);

}  // namespace ferry::mysql
