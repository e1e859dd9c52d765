// The value arena of the fuzz targets: every value gets its own exactly-sized heap block, so that
// AddressSanitizer reports a read past a value's end.
#pragma once

#include "binlog/row_image.hpp"

#include <memory>
#include <vector>

namespace ferry::fuzz {

class FuzzArena final : public mysql::ValueArena {
 public:
  char* alloc_bytes(size_t size) override {
    blocks_.push_back(std::make_unique<char[]>(size));
    return blocks_.back().get();
  }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
};

}  // namespace ferry::fuzz
