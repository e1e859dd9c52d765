// ChunkStream: one chunk's rows on their way from the reader thread that reads them to the
// source's poll, as blocks of raw cells. The reader blocks while the stream holds more than its
// byte cap, so memory stays bounded whatever the chunk's size; the poll takes blocks in order.
#pragma once

#include "chunk/chunk.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::dump {

class DumpTable;

// Rows as cells: per cell a flag byte (1 = NULL), a 4-byte length and the bytes.
struct RowBlock {
  std::string bytes;
  uint32_t rows = 0;

  void add_cell(const char* data, uint32_t len);
  void add_null();
};

// Reads cells of a block back in order.
class BlockCursor {
 public:
  explicit BlockCursor(const RowBlock& block) : data_(block.bytes) {}
  bool done() const { return offset_ >= data_.size(); }
  // The next cell; nullopt for NULL.
  std::optional<std::string_view> next();

 private:
  std::string_view data_;
  size_t offset_ = 0;
};

class ChunkStream {
 public:
  ChunkStream(Chunk chunk, const DumpTable* table, size_t cap_bytes) : chunk_(std::move(chunk)), table_(table), cap_(cap_bytes) {}

  const Chunk& chunk() const { return chunk_; }
  const DumpTable& table() const { return *table_; }

  // Reader side. push blocks until there is room or the stream is cancelled (returns false).
  bool push(RowBlock block);
  void finish();                    // the chunk is read whole
  void fail(std::string message, bool retryable);
  void cancel();                    // the source is closing: wake and stop the reader

  // Poll side. Takes the next block, waiting up to `wait` for one; nullopt when none came.
  std::optional<RowBlock> take(std::chrono::milliseconds wait);
  bool finished() const;            // read whole and every block taken
  std::optional<std::string> error(bool& retryable) const;

 private:
  Chunk chunk_;
  const DumpTable* table_;
  size_t cap_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<RowBlock> blocks_;
  size_t bytes_ = 0;
  bool done_ = false;
  bool cancelled_ = false;
  std::optional<std::string> error_;
  bool retryable_ = false;
};

}  // namespace ferry::dump
