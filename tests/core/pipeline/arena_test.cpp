#include "pipeline/arena.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace ferry::core {
namespace {

TEST(Arena, AlignsAndKeepsAllocationsApart) {
  Arena a;
  auto* c = static_cast<char*>(a.alloc(3, 1));
  auto* d = static_cast<double*>(a.alloc(sizeof(double), alignof(double)));
  auto* line = a.alloc(64, 64);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(d) % alignof(double), 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(line) % 64, 0u);
  std::memset(c, 'x', 3);
  *d = 1.5;
  EXPECT_EQ(c[2], 'x');
  EXPECT_EQ(*d, 1.5);
}

TEST(Arena, ServesAllocationsLargerThanAChunk) {
  Arena a;
  void* big = a.alloc(Arena::kChunkBytes * 3, 8);
  ASSERT_NE(big, nullptr);
  std::memset(big, 1, Arena::kChunkBytes * 3);
  EXPECT_GE(a.bytes_reserved(), Arena::kChunkBytes * 3);
}

TEST(Arena, ResetKeepsOneStandardChunkForReuse) {
  Arena a;
  for (int i = 0; i < 100; ++i) a.alloc(1000, 8);
  EXPECT_GT(a.bytes_reserved(), Arena::kChunkBytes);
  a.reset();
  EXPECT_EQ(a.bytes_reserved(), 0u);
  a.alloc(10, 8);
  EXPECT_EQ(a.bytes_reserved(), Arena::kChunkBytes);
  a.reset();
  a.alloc(10, 8);
  EXPECT_EQ(a.bytes_reserved(), Arena::kChunkBytes);  // reused, not grown
}

}  // namespace
}  // namespace ferry::core
