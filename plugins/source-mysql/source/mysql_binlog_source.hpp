// mysql-binlog: the source that streams a MySQL or MariaDB binlog as ferry events. It connects as
// a replica, decodes every event itself, and turns them into BEGIN / ROW / DDL / COMMIT events
// with exact values, plus CHECKPOINTs at transaction boundaries. After a lost connection it
// reconnects from the last complete transaction and skips what it had already emitted of the
// interrupted one, so nothing is lost or repeated.
//
// Pulled: it reads the socket only inside poll(), so when the pipeline is full it stops reading
// and the server's send buffer fills, which is the backpressure a replica should apply.
#pragma once

#include "binlog/event_decoder.hpp"
#include "client/binlog_stream.hpp"
#include "client/event_feed.hpp"
#include "client/upstream_connection.hpp"
#include "relay/relay_log.hpp"
#include "source/catalog.hpp"
#include "source/gtid_set.hpp"
#include "source/start_time.hpp"
#include "source/table_schemas.hpp"

#include <ferry/sdk/handover.hpp>
#include <ferry/sdk/plugin.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace ferry::mysql {

class MysqlBinlogSource final : public sdk::Source {
 public:
  static constexpr const char* kName = "mysql-binlog";
  static constexpr const char* kDescription = "stream a MySQL/MariaDB binlog as a replica, decoded exactly";
  static constexpr const char* kVersion = "0.1";
  static void describe(sdk::ConfigSchema& schema);

  MysqlBinlogSource(const sdk::Host& host, const sdk::Config& config);
  ~MysqlBinlogSource() override;

  sdk::Status open(const ferry_position* start) override;
  sdk::Status poll(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) override;
  // A checkpoint is durable downstream: the relay may purge the files before it.
  void ack(const ferry_position& pos) override;

 private:
  // Where the next event to emit stands, and what was emitted of the transaction in progress.
  struct Progress {
    std::string file;             // current binlog file
    uint64_t committed_pos = 0;   // end of the last complete transaction in `file`
    std::string committed_file;
    // The executed set after the last complete transaction: one of the two, by the upstream's
    // flavor (a start set's own syntax says which before the upstream is known).
    MariadbGtidSet gtids;
    MysqlGtidSet mysql_gtids;
    bool in_transaction = false;
    std::string txn_gtid;         // the transaction's own GTID text
    uint64_t txn_events_emitted = 0;  // row/DDL events of it already handed out
  };

  sdk::Status connect_and_start();
  // With a relay log: the writer pulls from the upstream, the events come from its files.
  sdk::Status start_from_relay();
  // No position to start from: the upstream's current one (SHOW MASTER STATUS), as DM does.
  sdk::Status start_at_current_position();
  // A GTID-only start, for the relay, which needs a file: asks the upstream where that GTID set
  // ends (a GTID dump's first event) and sets the committed file and position to it. MySQL: the
  // start of the file the server would begin with (the transactions in the set are skipped).
  sdk::Status find_gtid_position();
  // Once the upstream's flavor is known: a start set of the other flavor is refused, and so is
  // (when connected) a MySQL upstream without gtid_mode=ON when GTIDs are to be used, as DM does.
  sdk::Status check_gtid_start();
  bool gtids_empty() const { return flavor_ == Flavor::MySQL ? progress_.mysql_gtids.empty() : progress_.gtids.empty(); }
  std::string gtids_text() const {
    return flavor_ == Flavor::MySQL ? progress_.mysql_gtids.to_string() : progress_.gtids.to_string();
  }
  sdk::Status handle_stream_error(const UpstreamError& e);
  // An event that does not decode (it ends at `log_pos`): the task stops, naming where.
  sdk::Status decode_failed(const DecodeError& error, uint64_t log_pos, size_t event_size);
  // Emits what `event` stands for; false when the batch has no room left (the event stays
  // pending and is continued on the next poll).
  sdk::Status emit(sdk::BatchWriter& out, bool& batch_full);
  sdk::Status emit_rows(sdk::BatchWriter& out, bool& batch_full);
  void complete_transaction(uint64_t end_pos);
  void position(sdk::BatchWriter& out, ferry_event& e);
  // Inside the hand-over window (an event ending at or before its end): rows get
  // FERRY_EVENT_SAFE, TXN_BEGIN and CHECKPOINT events the note. Leaving it ends the window.
  bool in_safe_window(const std::string& file, uint64_t pos);
  void mark_safe(sdk::BatchWriter& out, ferry_event& e, const std::string& file, uint64_t pos);
  void append_checkpoint(sdk::BatchWriter& out);
  EventFeed::Clock::time_point quiet_give_up(const sdk::BatchWriter& out, EventFeed::Clock::time_point deadline) const;
  // Events are decoded but not emitted: the already-emitted part of a transaction replayed after
  // a reconnect, transactions before the configured start time, or (MySQL) a transaction whose
  // GTID the executed set already holds.
  bool suppressing() const { return replay_skip_ > 0 || skip_before_time_ > 0 || skip_executed_txn_; }
  // Called at the first event of a transaction: ends start-time skipping once one is due.
  void transaction_starts(uint32_t timestamp) {
    if (skip_before_time_ > 0 && static_cast<int64_t>(timestamp) >= skip_before_time_) skip_before_time_ = 0;
  }

  sdk::Host host_;
  ConnectionOptions connection_;
  uint32_t server_id_;
  std::chrono::milliseconds heartbeat_;
  std::chrono::milliseconds checkpoint_interval_;
  bool enable_gtid_;
  StreamStart configured_start_;
  std::string configured_gtid_;  // binlog-gtid, either flavor's text

  UpstreamConnection conn_;
  Flavor flavor_ = Flavor::MariaDB;      // the upstream's, once known
  std::optional<RelayOptions> relay_options_;  // set when enable-relay is
  std::unique_ptr<RelayLog> relay_;
  std::unique_ptr<EventFeed> feed_;      // the stream, or a relay reader
  std::unique_ptr<EventDecoder> decoder_;
  TableSchemas schemas_;
  std::unique_ptr<Catalog> catalog_;  // fills in what tables maps without metadata leave out
  Progress progress_;
  uint64_t replay_skip_ = 0;     // after a reconnect: events of the interrupted txn to skip
  std::optional<int64_t> start_time_;  // configured start-time, seconds since the epoch (UTC)
  int64_t skip_before_time_ = 0;       // while > 0, transactions committed before it are skipped
  std::string pending_raw_;      // an event being emitted across polls (a large rows event)
  // A MySQL compressed transaction (TRANSACTION_PAYLOAD): its events, emitted one by one with
  // the payload event's end as their position.
  std::vector<std::string> payload_events_;
  size_t payload_next_ = 0;
  uint32_t payload_end_ = 0;
  size_t payload_size_ = 0;
  DecodedEvent pending_;
  bool has_pending_ = false;
  uint64_t pending_event_start_ = 0;
  std::chrono::steady_clock::time_point last_checkpoint_;
  bool checkpoint_due_ = false;  // a transaction completed since the last checkpoint
  // The dump's hand-over window (ferry/sdk/handover.hpp): rows are SAFE up to this point.
  std::optional<sdk::SafeUntil> safe_until_;
  std::string safe_note_;
  bool announce_safe_until_ = false;  // the first checkpoint carries the note before any row
  uint64_t reconnects_ = 0;
  std::optional<GtidTriple> pending_gtid_;  // MariaDB: the GTID of the transaction in progress
  // MySQL: the GTID of the transaction in progress, added to the set when it completes.
  std::optional<std::pair<MysqlGtidSet::Uuid, int64_t>> pending_mysql_gtid_;
  // MySQL: the transaction in progress is in the executed set already, so it is not emitted, as
  // MySQL's own sender skips it for a replica. A start by position at a file's start (a relay
  // start found by GTID, a checkpoint taken before a GTID start's first commit) relies on it.
  bool skip_executed_txn_ = false;
  bool standalone_ = false;                 // the transaction is a single statement (DDL)
  std::string gtid_text_;                   // the executed set as text, kept current
  bool batch_strings_valid_ = false;        // batch_file_/batch_gtid_ point into this poll's batch
  ferry_str batch_file_{};
  ferry_str batch_gtid_{};
};

}  // namespace ferry::mysql
