// Arena: bump allocator that owns the data of one event batch. Not thread-safe; one writer at a
// time (the source thread while the batch is filled and transformed). reset() keeps the first
// chunk so a recycled batch allocates nothing in the steady state.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace ferry::core {

class Arena {
 public:
  static constexpr size_t kChunkBytes = 64 * 1024;

  // Returns nullptr only when the system is out of memory. `align` is a power of two <= 64.
  void* alloc(size_t size, size_t align);
  void reset();
  // Bytes handed out since the last reset plus the chunks held, for queue accounting.
  size_t bytes_reserved() const { return reserved_; }

 private:
  struct Chunk {
    std::unique_ptr<std::byte[]> data;
    size_t size = 0;
  };
  std::vector<Chunk> chunks_;
  size_t used_ = 0;  // in the last chunk
  size_t reserved_ = 0;
};

}  // namespace ferry::core
