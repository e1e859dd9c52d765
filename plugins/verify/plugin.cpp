// The verify library: no plugins, one command, `verify-tables`, which core's `ferry verify`
// runs with the task's stage config. Declarations only.
#include "verify/verify_command.hpp"

#include <ferry/sdk/export.hpp>

FERRY_PLUGIN_LIBRARY("ferry-verify", ferry::sdk::Commands<ferry::verify::VerifyTablesCommand>)
