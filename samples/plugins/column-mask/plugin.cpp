// The column-mask plugin library: one transform. Declarations only; the logic lives in
// column_mask.cpp, the pattern matching in wildcard.hpp, the rewrites in value_rewrite.cpp.
#include "column_mask.hpp"

#include <ferry/sdk/export.hpp>

FERRY_PLUGIN_LIBRARY("ferry-column-mask", column_mask::ColumnMask)
