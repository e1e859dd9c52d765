// LoaderPool: `pool-size` downstream connections, each with a thread, each loading one chunk at
// a time as one downstream transaction: START TRANSACTION, the chunk's INSERTs, the chunk's
// checkpoint row, COMMIT. The coordinator (the sink thread) acquires a free loader for each
// chunk and queues its statements. The loaders' queues share one byte budget, so memory stays
// bounded: a chunk reaches the sink whole and in one piece, so loaders work at the same time only
// while the sink can queue a chunk's rows ahead of its loader; the budget is what lets it.
//
// A chunk that fails is not retried here (its earlier statements are gone): the failure is
// reported, and when it was transient (a lost connection, a deadlock) the sink asks the task to
// restart the phase from its checkpoint, which reads that chunk again.
#pragma once

#include "downstream/downstream_connection.hpp"
#include "downstream/session_lock.hpp"
#include "sql/bulk_rows.hpp"
#include "sql/error_value_rows.hpp"

#include <ferry/sdk/host.hpp>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

struct st_mysql_stmt;

namespace ferry::load {

struct LoadFailure {
  std::string message;
  bool duplicate = false;  // a row's key was already downstream (on-duplicate: error)
  bool transient = false;  // the connection dropped or the server gave up on it: a rerun can succeed
};

class LoaderPool {
 public:
  // `buffer_bytes`: the most the loaders' queues hold together (one job more when they are empty).
  LoaderPool(const sdk::Host& host, size_t buffer_bytes);
  ~LoaderPool();
  LoaderPool(const LoaderPool&) = delete;
  LoaderPool& operator=(const LoaderPool&) = delete;

  // Connects `count` loaders, each holding its session lock "l<i>" (tidb/session_lock.hpp);
  // returns the first connection error.
  std::optional<tidb::DownstreamError> start(const tidb::DownstreamOptions& options, uint32_t count,
                                             const tidb::SessionLocks& locks);

  // A loader with no chunk, waiting for one; -1 after a failure.
  int acquire();
  // Queues a statement of loader `i`'s chunk (the first one opens its transaction).
  bool statement(int i, std::string sql);
  // Queues a statement of loader `i`'s chunk that runs with strict mode off and may give only
  // the warnings it expects (error_value_rows.hpp).
  bool lenient_statement(int i, LenientStatement statement);
  // Starts a LOAD DATA LOCAL INFILE statement on loader `i`; its rows follow with data(), and
  // data_end() ends them.
  bool load_data(int i, std::string sql);
  bool data(int i, std::string rows);
  bool data_end(int i);
  // Queues a batch of rows for `statement`, prepared once per loader and run with the batch
  // bound as arrays (MariaDB's bulk execution; sql/bulk_rows.hpp).
  bool bulk(int i, const std::string& statement, BulkBatch batch);
  // Ends loader `i`'s chunk: the checkpoint statement, then COMMIT.
  bool commit(int i, std::string checkpoint_sql, std::string chunk_id);
  // Waits until no loader has a chunk; false after a failure.
  bool drain();
  std::optional<LoadFailure> failure() const;
  uint64_t chunks_committed() const;

 private:
  struct Job {
    enum Kind { Statement, Lenient, LoadData, Data, DataEnd, Bulk, Commit } kind;
    std::string sql;  // the statement, or rows of a LOAD DATA
    std::string chunk_id;
    std::vector<std::string> expected_warnings;  // of a Lenient statement
    std::unique_ptr<BulkBatch> batch;            // the rows of a Bulk statement
    size_t bytes() const { return sql.size() + (batch ? batch->bytes() : 0); }
  };
  struct Loader {
    ~Loader();
    LoaderPool* pool = nullptr;
    tidb::DownstreamConnection conn;
    st_mysql_stmt* stmt = nullptr;  // the Bulk statement prepared last, and its text
    std::string prepared;
    std::deque<Job> jobs;
    bool assigned = false;
    bool in_transaction = false;
    std::thread thread;
    // The LOAD DATA being fed: the block being sent and how much of it is.
    std::string block;
    size_t block_sent = 0;
    bool data_ended = false;
  };
  void run(Loader& l);
  // The next job of `l`, waiting for one; nullopt when the pool stops or failed.
  std::optional<Job> next_job(Loader& l);
  // Runs a LOAD DATA whose rows come from l's queue; then checks its warnings.
  std::optional<tidb::DownstreamError> run_load_data(Loader& l, const std::string& sql);
  // Runs a Bulk job (preparing its statement when the loader's is another); then checks its warnings.
  std::optional<tidb::DownstreamError> run_bulk(Loader& l, const Job& job);
  // Runs a statement with strict mode off, then checks its warnings, then restores the mode.
  std::optional<tidb::DownstreamError> run_lenient(Loader& l, const Job& job);
  // The error for warnings of l's last statement that are neither a duplicate key (REPLACE and
  // IGNORE settle those as asked) nor one of `expected`; none when there are none.
  static std::optional<tidb::DownstreamError> unexpected_warnings(Loader& l, std::vector<std::string> expected);
  static int infile_init(void** ptr, const char* file, void* userdata);
  static int infile_read(void* ptr, char* buf, unsigned int len);
  static void infile_end(void* ptr);
  static int infile_error(void* ptr, char* msg, unsigned int len);
  bool push(int i, Job job);
  void fail(LoadFailure f);

  sdk::Host host_;
  size_t buffer_bytes_;
  size_t queued_bytes_ = 0;  // in every loader's queue together
  std::vector<std::unique_ptr<Loader>> loaders_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<LoadFailure> failure_;
  bool stopping_ = false;
  uint64_t committed_ = 0;
};

}  // namespace ferry::load
