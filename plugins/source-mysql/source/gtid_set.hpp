// MariaDB GTID positions: the last sequence number per replication domain, as in
// @@gtid_binlog_pos ("0-1-42,1-2-7"). What a MariaDB replica resumes from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace ferry::mysql {

class MariadbGtidSet {
 public:
  // Parses "domain-server-seq[,...]"; nullopt (with `error`) on malformed text.
  static std::optional<MariadbGtidSet> parse(const std::string& text, std::string& error);

  void update(uint32_t domain, uint32_t server_id, uint64_t sequence) { domains_[domain] = {server_id, sequence}; }
  std::string to_string() const;
  bool empty() const { return domains_.empty(); }

 private:
  struct Last {
    uint32_t server_id;
    uint64_t sequence;
  };
  std::map<uint32_t, Last> domains_;
};

}  // namespace ferry::mysql
