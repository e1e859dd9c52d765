#include "pipeline/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace ferry::core {
namespace {

// A batch of `kinds`, each event tagged with its sequence number from `first`.
std::shared_ptr<EventBatch> batch(std::initializer_list<uint16_t> kinds, uint64_t first) {
  auto b = std::make_shared<EventBatch>(static_cast<uint32_t>(kinds.size()));
  for (uint16_t k : kinds) {
    ferry_event& e = b->append_host_event();
    e.kind = k;
    e.pos.binlog_pos = first++;
  }
  return b;
}

std::vector<uint64_t> tags(const SinkBatch& s) {
  std::vector<uint64_t> out;
  for (uint32_t i = 0; i < s.count(); ++i) out.push_back(s.abi()->events[i].pos.binlog_pos);
  return out;
}

constexpr uint16_t R = FERRY_EVENT_ROW;
constexpr uint16_t C = FERRY_EVENT_CHECKPOINT;
constexpr uint16_t D = FERRY_EVENT_DDL;
constexpr uint16_t B = FERRY_EVENT_TXN_BEGIN;
constexpr uint16_t X = FERRY_EVENT_TXN_COMMIT;

TEST(BoundedQueue, PopClosesRightAfterABarrier) {
  BoundedQueue q({});
  q.push(batch({B, R, X, C, R, D, R}, 0));
  auto a = q.pop(100);
  EXPECT_EQ(tags(*a), (std::vector<uint64_t>{0, 1, 2, 3}));  // through the checkpoint
  q.release(std::move(*a));
  auto b = q.pop(100);
  EXPECT_EQ(tags(*b), (std::vector<uint64_t>{4, 5}));  // through the DDL
  q.release(std::move(*b));
  auto c = q.pop(100);
  EXPECT_EQ(tags(*c), (std::vector<uint64_t>{6}));
}

TEST(BoundedQueue, PopClosesWhenFullAndWhenIdle) {
  BoundedQueue q({});
  q.push(batch({R, R, R, R, R}, 0));
  auto a = q.pop(3);
  EXPECT_EQ(tags(*a), (std::vector<uint64_t>{0, 1, 2}));
  q.release(std::move(*a));
  auto b = q.pop(100);  // idle: only two are there, it does not wait for more
  EXPECT_EQ(tags(*b), (std::vector<uint64_t>{3, 4}));
}

TEST(BoundedQueue, PopMergesAcrossBatchesInOrder) {
  BoundedQueue q({});
  q.push(batch({R, R}, 0));
  q.push(batch({R, R, C, R}, 2));
  auto a = q.pop(100);
  EXPECT_EQ(tags(*a), (std::vector<uint64_t>{0, 1, 2, 3, 4}));
  q.release(std::move(*a));
  q.close();
  auto b = q.pop(100);
  EXPECT_EQ(tags(*b), (std::vector<uint64_t>{5}));
  q.release(std::move(*b));
  EXPECT_FALSE(q.pop(100).has_value());  // closed and drained
}

TEST(BoundedQueue, BytesAreHeldUntilTheSinkReleases) {
  BoundedQueue q({});
  auto b = batch({R, R}, 0);
  const uint64_t bytes = b->bytes();
  q.push(b);
  b.reset();
  auto s = q.pop(100);
  EXPECT_EQ(q.stats().events, 0u);
  EXPECT_EQ(q.stats().bytes, bytes);
  auto recyclable = q.release(std::move(*s));
  EXPECT_EQ(q.stats().bytes, 0u);
  EXPECT_EQ(recyclable.size(), 1u);
}

TEST(BoundedQueue, AProducerOverTheCapWaitsUntilTheLowWatermark) {
  BoundedQueue q({/*max_events=*/4, /*max_bytes=*/1ull << 40, /*low_watermark=*/0.5});
  q.push(batch({R, R, R, R}, 0));  // at the cap
  std::atomic<bool> resumed{false};
  std::thread producer([&] {
    EXPECT_TRUE(q.wait_for_room());
    resumed = true;
  });
  // Taking one event leaves 3 > 2 (the low watermark): the producer must still be waiting.
  auto a = q.pop(1);
  q.release(std::move(*a));
  EXPECT_FALSE(resumed.load());
  auto b = q.pop(1);  // 2 left: at the low watermark, it may go on
  q.release(std::move(*b));
  producer.join();
  EXPECT_TRUE(resumed.load());
  EXPECT_EQ(q.stats().peak_events, 4u);
}

TEST(BoundedQueue, AbortWakesAWaitingProducerAndConsumer) {
  BoundedQueue q({1, 1ull << 40, 0.5});
  q.push(batch({R}, 0));
  std::thread producer([&] { EXPECT_FALSE(q.wait_for_room()); });
  q.abort();
  producer.join();
  EXPECT_FALSE(q.pop(10).has_value());
}

}  // namespace
}  // namespace ferry::core
