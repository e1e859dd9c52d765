#include "read/chunk_stream.hpp"

#include <cstring>

namespace ferry::dump {

void RowBlock::add_cell(const char* data, uint32_t len) {
  const size_t at = bytes.size();
  bytes.resize(at + 5 + len);
  bytes[at] = 0;
  std::memcpy(bytes.data() + at + 1, &len, 4);
  if (len) std::memcpy(bytes.data() + at + 5, data, len);
}

void RowBlock::add_null() { bytes.push_back(1); }

std::optional<std::string_view> BlockCursor::next() {
  if (data_[offset_] == 1) {
    ++offset_;
    return std::nullopt;
  }
  uint32_t len = 0;
  std::memcpy(&len, data_.data() + offset_ + 1, 4);
  const std::string_view cell = data_.substr(offset_ + 5, len);
  offset_ += 5 + len;
  return cell;
}

bool ChunkStream::push(RowBlock block) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return cancelled_ || bytes_ < cap_; });
  if (cancelled_) return false;
  bytes_ += block.bytes.size();
  blocks_.push_back(std::move(block));
  cv_.notify_all();
  return true;
}

void ChunkStream::finish() {
  std::lock_guard lock(mu_);
  done_ = true;
  cv_.notify_all();
}

void ChunkStream::fail(std::string message, bool retryable) {
  std::lock_guard lock(mu_);
  error_ = std::move(message);
  retryable_ = retryable;
  done_ = true;
  cv_.notify_all();
}

void ChunkStream::cancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  cv_.notify_all();
}

std::optional<RowBlock> ChunkStream::take(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [&] { return !blocks_.empty() || done_; });
  if (blocks_.empty()) return std::nullopt;
  RowBlock b = std::move(blocks_.front());
  blocks_.pop_front();
  bytes_ -= b.bytes.size();
  cv_.notify_all();
  return b;
}

bool ChunkStream::finished() const {
  std::lock_guard lock(mu_);
  return done_ && blocks_.empty() && !error_;
}

std::optional<std::string> ChunkStream::error(bool& retryable) const {
  std::lock_guard lock(mu_);
  retryable = retryable_;
  return error_;
}

}  // namespace ferry::dump
