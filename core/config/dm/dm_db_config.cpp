#include "config/dm/dm_db_config.hpp"

namespace ferry::core::config::dm {
namespace {

const KeyRules& db_rules(DbRole role) {
  static const KeyRules upstream{{"host", "port", "user", "password", "session", "security"},
                                 {},
                                 {{"max-allowed-packet", "deprecated in DM (read from the server)"}}};
  static const KeyRules downstream{{"host", "port", "user", "password", "session", "security", "max-allowed-packet"}, {}, {}};
  return role == DbRole::Upstream ? upstream : downstream;
}

const KeyRules& security_rules() {
  static const std::string kAsFile = "give the certificate or key as a file (ssl-ca, ssl-cert, ssl-key)";
  static const KeyRules rules{{"ssl-ca", "ssl-cert", "ssl-key"},
                              {{"cert-allowed-cn", "checking the peer certificate's CN is not implemented"},
                               {"ssl-ca-bytes", kAsFile},
                               {"ssl-cert-bytes", kAsFile},
                               {"ssl-key-bytes", kAsFile},
                               {"ssl-ca-base64", kAsFile},
                               {"ssl-cert-base64", kAsFile},
                               {"ssl-key-base64", kAsFile}},
                              {}};
  return rules;
}

}  // namespace

void check_db_config(DmFile& file, const YAML::Node& db, const std::string& where, DbRole role) {
  if (!file.check_keys(db, db_rules(role), where)) return;
  if (const YAML::Node security = db["security"]) file.check_keys(security, security_rules(), where + ".security");
}

}  // namespace ferry::core::config::dm
