// DM's DBConfig (dm/config/dbconfig): how DM connects to a server, the same shape in a source
// file's `from` and a task file's `target-database`: host, port, user, password,
// max-allowed-packet, session, security {ssl-ca, ssl-cert, ssl-key, ...}.
#pragma once

#include "config/dm/dm_file.hpp"

namespace ferry::core::config::dm {

enum class DbRole { Upstream, Downstream };

// Checks the keys of `db` (at dotted key `where`) and of its `security`. The upstream's
// `max-allowed-packet` is ignored with a warning (DM deprecates it: drivers read it from the
// server); the downstream's is translated.
void check_db_config(DmFile& file, const YAML::Node& db, const std::string& where, DbRole role);

}  // namespace ferry::core::config::dm
