#include "binlog/column_type.hpp"

namespace ferry::mysql {

const char* column_type_name(uint8_t type) {
  using namespace column_type;
  switch (type) {
    case kDecimal: return "DECIMAL(old)";
    case kTiny: return "TINYINT";
    case kShort: return "SMALLINT";
    case kLong: return "INT";
    case kFloat: return "FLOAT";
    case kDouble: return "DOUBLE";
    case kNull: return "NULL";
    case kTimestamp: return "TIMESTAMP(old)";
    case kLongLong: return "BIGINT";
    case kInt24: return "MEDIUMINT";
    case kDate: return "DATE";
    case kTime: return "TIME(old)";
    case kDatetime: return "DATETIME(old)";
    case kYear: return "YEAR";
    case kNewDate: return "NEWDATE";
    case kVarchar: return "VARCHAR";
    case kBit: return "BIT";
    case kTimestamp2: return "TIMESTAMP";
    case kDatetime2: return "DATETIME";
    case kTime2: return "TIME";
    case kVarcharCompressed: return "VARCHAR(compressed)";
    case kBlobCompressed: return "BLOB(compressed)";
    case kJson: return "JSON";
    case kNewDecimal: return "DECIMAL";
    case kEnum: return "ENUM";
    case kSet: return "SET";
    case kTinyBlob: return "TINYBLOB";
    case kMediumBlob: return "MEDIUMBLOB";
    case kLongBlob: return "LONGBLOB";
    case kBlob: return "BLOB";
    case kVarString: return "VAR_STRING";
    case kString: return "CHAR";
    case kGeometry: return "GEOMETRY";
    default: return "UNKNOWN";
  }
}

bool is_numeric_column(uint8_t type) {
  using namespace column_type;
  switch (type) {
    case kTiny: case kShort: case kInt24: case kLong: case kLongLong:
    case kFloat: case kDouble: case kNewDecimal: case kDecimal:
      return true;
    default:
      return false;
  }
}

bool is_character_column(uint8_t type) {
  using namespace column_type;
  switch (type) {
    case kString: case kVarString: case kVarchar: case kBlob:
    case kTinyBlob: case kMediumBlob: case kLongBlob:
    case kVarcharCompressed: case kBlobCompressed:
      return true;
    default:
      return false;
  }
}

}  // namespace ferry::mysql
