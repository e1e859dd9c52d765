// The MySQL/MariaDB library: the mysql-binlog source and the `binlog` command. Declarations only.
#include "commands/binlog_command.hpp"
#include "source/mysql_binlog_source.hpp"

#include <ferry/sdk/export.hpp>

FERRY_PLUGIN_LIBRARY("ferry-mysql", ferry::mysql::MysqlBinlogSource, ferry::sdk::Commands<ferry::mysql::BinlogCommand>)
