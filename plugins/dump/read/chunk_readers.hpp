// ChunkReaders: one thread per snapshot connection, each taking the next chunk to read from a
// shared list and streaming its rows through a ChunkStream. Streams are handed to the source in
// the order their reading began; the source drains one stream at a time, so each chunk reaches
// the sink whole and contiguous (one downstream transaction), while the other readers read ahead
// up to their streams' caps.
#pragma once

#include "read/chunk_stream.hpp"
#include "schema/dump_table.hpp"

#include <atomic>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

namespace ferry::dump {

struct ChunkWork {
  Chunk chunk;
  const DumpTable* table = nullptr;
};

class ChunkReaders {
 public:
  ChunkReaders(std::vector<std::unique_ptr<mysql::UpstreamConnection>> connections, std::deque<ChunkWork> work,
               size_t stream_cap_bytes);
  ~ChunkReaders();
  ChunkReaders(const ChunkReaders&) = delete;
  ChunkReaders& operator=(const ChunkReaders&) = delete;

  void start();
  // The next stream, waiting up to `wait`; nullptr when none is ready yet or all are handed out.
  std::shared_ptr<ChunkStream> next(std::chrono::milliseconds wait);
  // Every chunk's stream has been handed out by next().
  bool exhausted() const;

 private:
  void run(mysql::UpstreamConnection& conn);
  void read_chunk(mysql::UpstreamConnection& conn, ChunkStream& stream);

  std::vector<std::unique_ptr<mysql::UpstreamConnection>> connections_;
  size_t cap_;
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ChunkWork> work_;
  std::deque<std::shared_ptr<ChunkStream>> ready_;
  std::vector<std::shared_ptr<ChunkStream>> all_;  // to cancel on close
  size_t total_ = 0;
  size_t handed_ = 0;
  bool stopping_ = false;
};

}  // namespace ferry::dump
