// One column's text, as a SELECT over a connection with character_set_results=binary returns it
// (no conversion: text in the column's own charset, binary as stored, TIMESTAMP in the session's
// +00:00), turned into an exact ferry_value.
#pragma once

#include "schema/dump_table.hpp"

#include <ferry/abi/ferry_abi.h>

#include <string>
#include <string_view>

namespace ferry::dump {

// Fills `v`. `text` must outlive `v` (it points into it for text kinds; the caller copies the
// cell into the batch's arena first). Returns false with `error` set when the text does not
// read as the column's type.
bool cell_value(const DumpColumn& column, std::string_view text, ferry_value& v, std::string& error);

}  // namespace ferry::dump
