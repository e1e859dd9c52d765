// The dump library: the mysql-dump source. Declarations only; the logic lives in the folders
// beside this file: snapshot/ (the consistent snapshot and its position), schema/ (tables and
// their shapes), chunk/ (key ranges and their tokens), read/ (reader threads, text to values),
// source/ (the source that streams it all).
#include "source/mysql_dump_source.hpp"

#include <ferry/sdk/export.hpp>

FERRY_PLUGIN_LIBRARY("ferry-dump", ferry::dump::MysqlDumpSource)
