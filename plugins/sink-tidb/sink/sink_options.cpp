#include "sink/sink_options.hpp"

#include <algorithm>
#include <cctype>

namespace ferry::tidb {

void describe_downstream_options(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("host").default_value("127.0.0.1").describe("downstream server"));
  schema.add(sdk::integer("port").default_value("4000").min(1).max(65535));
  schema.add(sdk::string("user").required());
  schema.add(sdk::string("password").secret().default_value("").describe("use ${VAR} to take it from the environment"));
  schema.add(sdk::size("max-allowed-packet").default_value("0").describe("largest statement sent; 0 reads the downstream's max_allowed_packet"));
  schema.add(sdk::map("session", sdk::string("value")).describe("session variables set on every connection (DM's target-database.session)"));
  schema.add(sdk::object("security", {sdk::string("ssl-ca").default_value(""), sdk::string("ssl-cert").default_value(""),
                                      sdk::string("ssl-key").default_value("")})
                 .describe("TLS for the downstream connections"));
}

void describe_sink_options(sdk::ConfigSchema& schema) {
  describe_downstream_options(schema);
  schema.add(sdk::string("timezone").default_value("").describe("time_zone for DDL; row values are sent as UTC whatever this says"));
  schema.add(sdk::string("meta-schema").default_value("dm_meta").describe("downstream schema of the checkpoint tables"));
  schema.add(sdk::string("source-id").default_value("").describe("id column of the checkpoint rows (DM's source-id); default: the task name"));
  schema.add(sdk::integer("worker-count").default_value("16").min(1).max(kMaxWorkerCount).describe("parallel DML workers, one connection each"));
  schema.add(sdk::integer("batch").default_value("100").min(1).max(100000).describe("rows per downstream transaction at most (whole upstream transactions in atomic mode)"));
  schema.add(sdk::boolean("multiple-rows").default_value("true").describe("merge consecutive INSERTs / DELETEs of a table into one statement"));
  schema.add(sdk::boolean("compact").default_value("true")
                 .describe("consecutive changes to one row become their net effect (UPDATE+UPDATE -> UPDATE, DELETE+INSERT -> REPLACE)"));
  schema.add(sdk::boolean("atomic-transactions").default_value("true")
                 .describe("each upstream transaction commits downstream whole, with its checkpoint: exactly once, no safe mode"));
  schema.add(sdk::boolean("safe-mode").default_value("false").describe("always apply idempotently (REPLACE; DELETE+REPLACE for key changes)"));
  schema.add(sdk::duration("safe-mode-duration").default_value("60s")
                 .describe("without atomic-transactions: safe mode this long after a start without an exit point"));
  schema.add(sdk::size("max-transaction-size").default_value("64MiB")
                 .describe("atomic mode: a larger upstream transaction is streamed alone on one connection instead of held in memory"));
  schema.add(sdk::duration("max-backoff").default_value("10s").describe("longest wait between retries of a transient downstream error"));
  schema.add(sdk::integer("max-retries").default_value("30").min(0).describe("transient downstream errors retried this many times before pausing"));
}

namespace {

bool numeric(std::string_view v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-'; });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

DownstreamOptions read_downstream_options(const sdk::Config& c, std::string& timezone) {
  DownstreamOptions d;
  d.host = std::string(c.require_string("host"));
  d.port = static_cast<uint16_t>(c.require_integer("port"));
  d.user = std::string(c.require_string("user"));
  d.password = std::string(c.require_string("password"));
  const sdk::Config security = c.child("security");
  d.tls.ca = std::string(security.string("ssl-ca").value_or(""));
  d.tls.cert = std::string(security.string("ssl-cert").value_or(""));
  d.tls.key = std::string(security.string("ssl-key").value_or(""));

  // DM's session defaults, then the task's own. Row values are exact as sent: TIMESTAMP text is
  // UTC, so DML sessions always run in +00:00.
  std::vector<std::pair<std::string, std::string>> session = {
      {"sql_mode", "'NO_AUTO_VALUE_ON_ZERO,STRICT_TRANS_TABLES,ALLOW_INVALID_DATES,NO_ENGINE_SUBSTITUTION'"},
      {"foreign_key_checks", "0"},
      {"time_zone", "'+00:00'"},
  };
  const sdk::Config user_session = c.child("session");
  for (uint32_t i = 0; i < user_session.size(); ++i) {
    const std::string key = lower(user_session.key_at(i));
    const std::string value(user_session.at(i).string().value_or(""));
    std::string literal;
    if (numeric(value)) {
      literal = value;
    } else {
      literal = "'";
      for (char ch : value) {
        if (ch == '\'') literal.push_back('\'');
        literal.push_back(ch);
      }
      literal += "'";
    }
    if (key == "time_zone") {
      timezone = value;  // applies to DDL; rows stay in UTC
      continue;
    }
    auto it = std::find_if(session.begin(), session.end(), [&](const auto& kv) { return kv.first == key; });
    if (it != session.end()) {
      it->second = literal;
    } else {
      session.emplace_back(key, literal);
    }
  }
  d.session = std::move(session);
  return d;
}

SinkOptions read_sink_options(const sdk::Config& c, const std::string& task_name) {
  SinkOptions o;
  o.worker.downstream = read_downstream_options(c, o.timezone);
  auto& d = o.worker.downstream;
  // Read committed: no gap locks between workers whose rows causality already keeps apart.
  d.init_statements.push_back("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
  if (auto tz = c.string("timezone"); tz && !tz->empty()) o.timezone = std::string(*tz);

  o.max_allowed_packet = static_cast<uint64_t>(c.require_integer("max-allowed-packet"));
  o.meta_schema = std::string(c.require_string("meta-schema"));
  o.source_id = std::string(c.require_string("source-id"));
  if (o.source_id.empty()) o.source_id = task_name.substr(0, 32);
  o.worker_count = static_cast<uint32_t>(c.require_integer("worker-count"));
  o.worker.workers = o.worker_count;
  o.worker.batch_rows = static_cast<uint32_t>(c.require_integer("batch"));
  o.worker.build.multiple_rows = c.require_boolean("multiple-rows");
  o.worker.build.compact = c.require_boolean("compact");
  o.worker.atomic = c.require_boolean("atomic-transactions");
  o.safe_mode = c.require_boolean("safe-mode");
  o.safe_mode_duration = std::chrono::milliseconds(c.require_integer("safe-mode-duration"));
  o.max_transaction_bytes = static_cast<size_t>(c.require_integer("max-transaction-size"));
  o.worker.max_backoff = std::chrono::milliseconds(c.require_integer("max-backoff"));
  o.worker.max_retries = static_cast<uint32_t>(c.require_integer("max-retries"));
  return o;
}

}  // namespace ferry::tidb
