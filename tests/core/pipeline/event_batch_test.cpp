#include "pipeline/event_batch.hpp"

#include <gtest/gtest.h>

namespace ferry::core {
namespace {

// Appends an event whose binlog_pos tags it, so order can be checked.
void add(EventBatch& b, uint16_t kind, uint64_t tag) {
  ferry_event& e = b.append_host_event();
  e.kind = kind;
  e.pos.binlog_pos = tag;
}

std::vector<uint64_t> tags(const EventBatch& b) {
  std::vector<uint64_t> out;
  for (uint32_t i = 0; i < b.count(); ++i) out.push_back(b.events()[i].pos.binlog_pos);
  return out;
}

TEST(EventBatch, InsertionsLandAfterTheirIndexInTheOrderMade) {
  EventBatch b(4);
  add(b, FERRY_EVENT_ROW, 10);
  add(b, FERRY_EVENT_ROW, 20);
  ferry_event e{};
  e.kind = FERRY_EVENT_ROW;
  e.pos.binlog_pos = 11;
  b.queue_insert(0, e);
  e.pos.binlog_pos = 12;
  b.queue_insert(0, e);
  e.pos.binlog_pos = 1;
  b.queue_insert(UINT32_MAX, e);
  e.pos.binlog_pos = 21;
  b.queue_insert(1, e);
  b.apply_inserts();
  EXPECT_EQ(tags(b), (std::vector<uint64_t>{1, 10, 11, 12, 20, 21}));
  EXPECT_GE(b.abi()->capacity, b.count());
  EXPECT_EQ(b.abi()->events, b.events());
}

TEST(EventBatch, CompactRemovesDroppedEventsKeepingOrder) {
  EventBatch b(8);
  for (uint64_t i = 0; i < 6; ++i) add(b, FERRY_EVENT_ROW, i);
  b.events()[1].flags |= FERRY_EVENT_DROPPED;
  b.events()[4].flags |= FERRY_EVENT_DROPPED;
  b.compact();
  EXPECT_EQ(tags(b), (std::vector<uint64_t>{0, 2, 3, 5}));
}

TEST(EventBatch, GrowsPastCapacityOnlyForHostEvents) {
  EventBatch b(2);
  add(b, FERRY_EVENT_ROW, 1);
  add(b, FERRY_EVENT_ROW, 2);
  add(b, FERRY_EVENT_CHECKPOINT, 3);
  EXPECT_EQ(tags(b), (std::vector<uint64_t>{1, 2, 3}));
  b.reset();
  EXPECT_EQ(b.count(), 0u);
}

}  // namespace
}  // namespace ferry::core
