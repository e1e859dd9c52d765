// TableSchemas: turns TABLE_MAP descriptions into the ferry_table_schema objects row events point
// at. A table keeps its schema object while its shape is unchanged; a new shape (after a DDL)
// gets a new object with a higher version. Objects are never freed while the source lives, as
// the ABI requires of schemas that events may still refer to.
#pragma once

#include "binlog/table_map.hpp"

#include <ferry/abi/ferry_abi.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace ferry::mysql {

class TableSchemas {
 public:
  const ferry_table_schema& schema_for(const TableMap& map);

 private:
  struct Owned {
    TableMap shape;  // what the schema was made from (the parts that define it)
    std::string schema_name, table_name;
    std::vector<std::string> names, types;
    std::vector<std::vector<std::string>> member_text;
    std::vector<std::vector<ferry_str>> members;
    std::vector<ferry_column> columns;
    std::vector<uint32_t> pk_columns;
    ferry_index pk{};
    std::vector<std::string> unique_names;
    std::vector<std::vector<uint32_t>> unique_columns;
    std::vector<ferry_index> unique;
    ferry_table_schema abi{};
  };
  std::deque<Owned> owned_;
  std::map<std::string, Owned*> latest_;  // "schema.table" -> current shape
  Owned* last_ = nullptr;                  // the one asked for last
};

}  // namespace ferry::mysql
