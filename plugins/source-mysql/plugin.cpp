// The MySQL/MariaDB library: the `binlog` command now; the mysql-binlog source next.
// Declarations only.
#include "commands/binlog_command.hpp"

#include <ferry/sdk/export.hpp>

FERRY_PLUGIN_LIBRARY("ferry-mysql", ferry::sdk::Commands<ferry::mysql::BinlogCommand>)
