#include "read/chunk_readers.hpp"

#include <mysql.h>

namespace ferry::dump {
namespace {

constexpr size_t kBlockBytes = 256u << 10;

}  // namespace

ChunkReaders::ChunkReaders(std::vector<std::unique_ptr<mysql::UpstreamConnection>> connections, std::deque<ChunkWork> work,
                           size_t stream_cap_bytes)
    : connections_(std::move(connections)), cap_(stream_cap_bytes), work_(std::move(work)), total_(work_.size()) {}

ChunkReaders::~ChunkReaders() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& s : all_) s->cancel();
  }
  // cancel() makes a reader's blocked or next push return false; it then stops (reading out the
  // rest of that chunk's result, which the client library requires before the connection can go).
  for (auto& t : threads_) t.join();
}

void ChunkReaders::start() {
  for (auto& conn : connections_) threads_.emplace_back([this, c = conn.get()] { run(*c); });
}

std::shared_ptr<ChunkStream> ChunkReaders::next(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [&] { return !ready_.empty(); });
  if (ready_.empty()) return nullptr;
  auto s = ready_.front();
  ready_.pop_front();
  ++handed_;
  return s;
}

bool ChunkReaders::exhausted() const {
  std::lock_guard lock(mu_);
  return handed_ == total_;
}

void ChunkReaders::run(mysql::UpstreamConnection& conn) {
  for (;;) {
    std::shared_ptr<ChunkStream> stream;
    {
      std::lock_guard lock(mu_);
      if (stopping_ || work_.empty()) return;
      ChunkWork w = std::move(work_.front());
      work_.pop_front();
      stream = std::make_shared<ChunkStream>(std::move(w.chunk), w.table, cap_);
      all_.push_back(stream);
      ready_.push_back(stream);
      cv_.notify_all();
    }
    read_chunk(conn, *stream);
    bool retryable = false;
    if (stream->error(retryable)) return;  // this connection's snapshot is no longer usable
  }
}

void ChunkReaders::read_chunk(mysql::UpstreamConnection& conn, ChunkStream& stream) {
  const DumpTable& t = stream.table();
  const auto where = stream.chunk().where_clause();
  if (!where) {
    stream.fail("reading " + stream.chunk().id() + ": its bounds cannot be written as " + stream.chunk().key_type.name() + " literals",
                false);
    return;
  }
  const std::string sql = "SELECT " + t.select_list() + " FROM " + t.qualified() + *where;
  MYSQL* m = conn.handle();
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) {
    auto e = conn.last_error();
    stream.fail("reading " + stream.chunk().id() + ": " + e.message, e.connection_lost());
    return;
  }
  MYSQL_RES* result = mysql_use_result(m);
  if (result == nullptr) {
    auto e = conn.last_error();
    stream.fail("reading " + stream.chunk().id() + ": " + e.message, e.connection_lost());
    return;
  }
  const unsigned int fields = mysql_num_fields(result);
  RowBlock block;
  bool cancelled = false;
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const unsigned long* lengths = mysql_fetch_lengths(result);
    for (unsigned int i = 0; i < fields; ++i) {
      if (row[i] == nullptr) {
        block.add_null();
      } else {
        block.add_cell(row[i], static_cast<uint32_t>(lengths[i]));
      }
    }
    ++block.rows;
    if (block.bytes.size() >= kBlockBytes) {
      if (!stream.push(std::move(block))) {
        cancelled = true;
        break;
      }
      block = RowBlock{};
    }
  }
  if (cancelled) {
    // Stop reading: closing the connection is the only way out of an unread result.
    mysql_free_result(result);
    return;
  }
  if (mysql_errno(m) != 0) {
    auto e = conn.last_error();
    mysql_free_result(result);
    stream.fail("reading " + stream.chunk().id() + ": " + e.message, e.connection_lost());
    return;
  }
  mysql_free_result(result);
  if (block.rows > 0 && !stream.push(std::move(block))) return;
  stream.finish();
}

}  // namespace ferry::dump
