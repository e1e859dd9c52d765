// GTID sets of both flavors: what a replica has executed, and so where it resumes from.
//   MariaDB: the last sequence number per replication domain, as in @@gtid_binlog_pos
//            ("0-1-42,1-2-7").
//   MySQL:   per server uuid, the transaction numbers executed, as in @@gtid_executed
//            ("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9,...").
// Value types; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// A MySQL GTID set, kept as MySQL keeps it: per server uuid (ordered by its 16 bytes, as MySQL
// orders them), sorted intervals that neither overlap nor touch. Untagged GTIDs only (MySQL 8.3+
// tags, "uuid:tag:1-5", are refused when parsed).
class MysqlGtidSet {
 public:
  using Uuid = std::array<uint8_t, 16>;
  // [start, end): MySQL's own form; the text shows start-(end-1).
  struct Interval {
    int64_t start = 0;
    int64_t end = 0;
    bool operator==(const Interval&) const = default;
  };
  // Transaction numbers run from 1 to kMaxGno (MySQL's MAX_GNO, INT64_MAX, is excluded).
  static constexpr int64_t kMaxGno = INT64_MAX - 1;

  // Parses MySQL's text form, whitespace and empty items allowed as MySQL allows them
  // ("uuid:1-5:7,\nuuid2:3"); intervals may overlap or come in any order. nullopt with `error`
  // (saying what was expected where) on malformed text.
  static std::optional<MysqlGtidSet> parse(std::string_view text, std::string& error);
  // "3e11fa47-71ca-11e1-9e33-c80aa9429562" (hex digits of either case) to its bytes.
  static std::optional<Uuid> parse_uuid(std::string_view text);
  static std::string uuid_text(const Uuid& uuid);

  // Adds one transaction; false (nothing added) when `gno` is outside 1..kMaxGno.
  bool add(const Uuid& uuid, int64_t gno) { return gno >= 1 && gno <= kMaxGno && add_interval(uuid, gno, gno + 1); }
  // Adds [start, end); false (nothing added) unless 1 <= start < end <= kMaxGno + 1.
  bool add_interval(const Uuid& uuid, int64_t start, int64_t end);
  // The union with `other`.
  void add(const MysqlGtidSet& other);
  bool contains(const Uuid& uuid, int64_t gno) const;
  bool empty() const { return sids_.empty(); }

  // The text form, as @@gtid_executed gives it except that uuids are separated by "," alone
  // (MySQL writes ",\n"): uuids in MySQL's order, lower-case, intervals merged, a single
  // transaction as "N", a range as "N-M".
  std::string to_string() const;
  // The binary form of MySQL's Gtid_set::encode (COM_BINLOG_DUMP_GTID, PREVIOUS_GTIDS), all
  // integers little-endian: the number of uuids (8 bytes); per uuid its 16 bytes, the number of
  // intervals (8 bytes) and each interval's start and exclusive end (8 bytes each).
  std::string encode() const;

  const std::map<Uuid, std::vector<Interval>>& intervals() const { return sids_; }
  bool operator==(const MysqlGtidSet&) const = default;

 private:
  std::map<Uuid, std::vector<Interval>> sids_;  // never holds an empty vector
};

}  // namespace ferry::mysql
