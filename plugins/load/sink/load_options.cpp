#include "sink/load_options.hpp"

namespace ferry::load {

void describe_load_options(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("host").default_value("127.0.0.1").describe("downstream server"));
  schema.add(sdk::integer("port").default_value("4000").min(1).max(65535));
  schema.add(sdk::string("user").required());
  schema.add(sdk::string("password").secret().default_value("").describe("use ${VAR} to take it from the environment"));
  schema.add(sdk::size("max-allowed-packet").default_value("0").describe("largest statement sent; 0 reads the downstream's max_allowed_packet"));
  schema.add(sdk::map("session", sdk::string("value")).describe("session variables set on every connection (DM's target-database.session)"));
  schema.add(sdk::object("security", {sdk::string("ssl-ca").default_value(""), sdk::string("ssl-cert").default_value(""),
                                      sdk::string("ssl-key").default_value("")})
                 .describe("TLS for the downstream connections"));
  schema.add(sdk::string("meta-schema").default_value("dm_meta").describe("downstream schema of the loader checkpoint table"));
  schema.add(sdk::string("source-id").default_value("").describe("id column of the checkpoint rows (DM's source-id); default: the task name"));
  schema.add(sdk::integer("pool-size").default_value("16").min(1).max(256).describe("parallel loading connections (DM's loaders.pool-size)"));
  schema.add(sdk::size("statement-size").default_value("1MiB").min(1024).describe("bytes per multi-row INSERT (capped by max_allowed_packet)"));
  schema.add(sdk::enumeration("on-duplicate", {"replace", "ignore", "error"}).default_value("replace")
                 .describe("a row whose key is already downstream: replace it, keep the old one, or stop (DM's on-duplicate-logical)"));
  schema.add(sdk::enumeration("load-method", {"auto", "load-data", "insert"}).default_value("auto")
                 .describe("load-data: LOAD DATA LOCAL INFILE streamed from memory; insert: multi-row INSERTs; auto: load-data except on TiDB and with on-duplicate: error"));
  schema.add(sdk::boolean("defer-indexes").default_value("true")
                 .describe("create tables without their non-unique secondary indexes and build those once the load is done"));
}

LoadOptions read_load_options(const sdk::Config& c, const std::string& task_name) {
  LoadOptions o;
  auto& d = o.downstream;
  d.host = std::string(c.require_string("host"));
  d.port = static_cast<uint16_t>(c.require_integer("port"));
  d.user = std::string(c.require_string("user"));
  d.password = std::string(c.require_string("password"));
  const sdk::Config security = c.child("security");
  d.tls.ca = std::string(security.string("ssl-ca").value_or(""));
  d.tls.cert = std::string(security.string("ssl-cert").value_or(""));
  d.tls.key = std::string(security.string("ssl-key").value_or(""));
  // Rows go in as dumped: zero stays zero in AUTO_INCREMENT columns, TIMESTAMP text is UTC, and
  // tables load in any order whatever their foreign keys say.
  d.session = {
      {"sql_mode", "'NO_AUTO_VALUE_ON_ZERO,STRICT_TRANS_TABLES,ALLOW_INVALID_DATES,NO_ENGINE_SUBSTITUTION'"},
      {"foreign_key_checks", "0"},
      {"time_zone", "'+00:00'"},
  };
  const sdk::Config user_session = c.child("session");
  for (uint32_t i = 0; i < user_session.size(); ++i) {
    const std::string_view value = user_session.at(i).string().value_or("");
    const bool number = !value.empty() && value.find_first_not_of("0123456789.-") == std::string_view::npos;
    std::string literal = number ? "" : "'";
    for (char ch : value) {
      if (ch == '\'' && !number) literal.push_back('\'');
      literal.push_back(ch);
    }
    if (!number) literal.push_back('\'');
    d.session.emplace_back(std::string(user_session.key_at(i)), literal);
  }
  o.max_allowed_packet = static_cast<uint64_t>(c.require_integer("max-allowed-packet"));
  o.meta_schema = std::string(c.require_string("meta-schema"));
  o.source_id = std::string(c.require_string("source-id"));
  if (o.source_id.empty()) o.source_id = task_name.substr(0, 32);
  o.pool_size = static_cast<uint32_t>(c.require_integer("pool-size"));
  o.statement_bytes = static_cast<size_t>(c.require_integer("statement-size"));
  const std::string_view dup = c.require_string("on-duplicate");
  o.defer_indexes = c.require_boolean("defer-indexes");
  const std::string_view method = c.require_string("load-method");
  o.method = method == "load-data" ? LoadMethod::LoadData : method == "insert" ? LoadMethod::Insert : LoadMethod::Auto;
  o.on_duplicate = dup == "ignore" ? OnDuplicate::Ignore : dup == "error" ? OnDuplicate::Error : OnDuplicate::Replace;
  return o;
}

}  // namespace ferry::load
