// CommitTracker: the low watermark moves only over a committed prefix; waits end on idle or
// failure.
#include "apply/commit_tracker.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace ferry::tidb {
namespace {

BinlogPoint at(uint64_t pos) { return BinlogPoint{"mysql-bin.000001", pos, "", FERRY_GTID_NONE}; }

TEST(CommitTracker, LowWatermarkMovesOnlyOverACommittedPrefix) {
  CommitTracker tracker(at(4));
  const uint64_t first = tracker.begin(at(100));
  const uint64_t second = tracker.begin(at(200));
  const uint64_t third = tracker.begin(at(300));
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  tracker.done({second});
  EXPECT_EQ(tracker.low(), at(4));  // the first is not in yet
  EXPECT_EQ(tracker.in_flight(), 3u);
  tracker.done({first});
  EXPECT_EQ(tracker.low(), at(200));  // over both
  EXPECT_EQ(tracker.in_flight(), 1u);
  tracker.done({third});
  EXPECT_EQ(tracker.low(), at(300));
  EXPECT_EQ(tracker.in_flight(), 0u);
}

TEST(CommitTracker, DoneTwiceOrUnknownChangesNothing) {
  CommitTracker tracker(at(4));
  const uint64_t first = tracker.begin(at(100));
  const uint64_t second = tracker.begin(at(200));
  tracker.done({second});
  tracker.done({second, 999});
  EXPECT_EQ(tracker.low(), at(4));
  EXPECT_EQ(tracker.in_flight(), 2u);
  tracker.done({first});
  EXPECT_EQ(tracker.low(), at(200));
}

TEST(CommitTracker, UnitWithoutAnEndKeepsTheLastPoint) {
  CommitTracker tracker(at(4));
  const uint64_t first = tracker.begin(at(100));
  const uint64_t second = tracker.begin(BinlogPoint{});
  tracker.done({first, second});
  EXPECT_EQ(tracker.low(), at(100));
}

TEST(CommitTracker, WaitIdleReturnsAtOnceWhenIdle) {
  CommitTracker tracker(at(4));
  EXPECT_EQ(tracker.wait_idle(), std::nullopt);
  tracker.done({tracker.begin(at(100))});
  EXPECT_EQ(tracker.wait_idle(), std::nullopt);
}

TEST(CommitTracker, WaitIdleReturnsTheFailure) {
  CommitTracker tracker(at(4));
  tracker.begin(at(100));  // never committed
  tracker.fail(ApplyFailure{42, "duplicate entry"});
  tracker.fail(ApplyFailure{7, "a later failure"});  // the first one is kept
  const auto failure = tracker.wait_idle();
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->code, 42u);
  EXPECT_EQ(failure->message, "duplicate entry");
  EXPECT_EQ(tracker.wait_below(1)->code, 42u);
}

TEST(CommitTracker, WaitIdleWakesWhenAWorkerCommits) {
  CommitTracker tracker(at(4));
  const uint64_t seq = tracker.begin(at(100));
  std::thread worker([&] { tracker.done({seq}); });
  EXPECT_EQ(tracker.wait_idle(), std::nullopt);
  worker.join();
  EXPECT_EQ(tracker.in_flight(), 0u);
  EXPECT_EQ(tracker.low(), at(100));
}

TEST(CommitTracker, WaitIdleWakesWhenAWorkerFails) {
  CommitTracker tracker(at(4));
  tracker.begin(at(100));
  std::thread worker([&] { tracker.fail(ApplyFailure{1, "lost connection"}); });
  const auto failure = tracker.wait_idle();
  worker.join();
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->message, "lost connection");
}

TEST(CommitTracker, WaitBelowCountsOnlyUncommittedUnits) {
  CommitTracker tracker(at(4));
  const uint64_t first = tracker.begin(at(100));
  const uint64_t second = tracker.begin(at(200));
  EXPECT_EQ(tracker.wait_below(3), std::nullopt);  // 2 < 3: at once
  tracker.done({second});
  // One unit waits for the prefix but is committed: it takes no room.
  EXPECT_EQ(tracker.in_flight(), 2u);
  EXPECT_EQ(tracker.wait_below(2), std::nullopt);
  std::thread worker([&] { tracker.done({first}); });
  EXPECT_EQ(tracker.wait_below(1), std::nullopt);  // returns once the worker committed
  worker.join();
  EXPECT_EQ(tracker.in_flight(), 0u);
}

TEST(CommitTracker, AbortWakesWaiters) {
  CommitTracker tracker(at(4));
  tracker.begin(at(100));
  std::thread destroyer([&] { tracker.abort(); });
  EXPECT_EQ(tracker.wait_idle(), std::nullopt);
  destroyer.join();
  EXPECT_EQ(tracker.in_flight(), 1u);
}

}  // namespace
}  // namespace ferry::tidb
