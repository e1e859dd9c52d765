#include "pipeline/arena.hpp"

#include <cstdint>
#include <new>

namespace ferry::core {

void* Arena::alloc(size_t size, size_t align) {
  if (!chunks_.empty()) {
    Chunk& c = chunks_.back();
    auto base = reinterpret_cast<uintptr_t>(c.data.get());
    size_t offset = ((base + used_ + align - 1) & ~(uintptr_t(align) - 1)) - base;
    if (offset + size <= c.size) {
      used_ = offset + size;
      return c.data.get() + offset;
    }
  }
  size_t chunk_size = size + align > kChunkBytes ? size + align : kChunkBytes;
  Chunk c{std::unique_ptr<std::byte[]>(new (std::nothrow) std::byte[chunk_size]), chunk_size};
  if (!c.data) return nullptr;
  reserved_ += chunk_size;
  chunks_.push_back(std::move(c));
  auto base = reinterpret_cast<uintptr_t>(chunks_.back().data.get());
  size_t offset = ((base + align - 1) & ~(uintptr_t(align) - 1)) - base;
  used_ = offset + size;
  return chunks_.back().data.get() + offset;
}

void Arena::reset() {
  if (chunks_.size() > 1 || (!chunks_.empty() && chunks_.front().size != kChunkBytes)) {
    // Keep one standard chunk; give oversized or extra ones back.
    chunks_.clear();
    reserved_ = 0;
  }
  used_ = 0;
}

}  // namespace ferry::core
