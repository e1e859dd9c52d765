#include "task/retry_policy.hpp"

#include <gtest/gtest.h>

namespace ferry::core {
namespace {

TEST(RetryPolicy, DoublesUpToTheCap) {
  RetryPolicy p{std::chrono::milliseconds(100), std::chrono::milliseconds(1000), 10};
  EXPECT_EQ(p.backoff(1).count(), 100);
  EXPECT_EQ(p.backoff(2).count(), 200);
  EXPECT_EQ(p.backoff(4).count(), 800);
  EXPECT_EQ(p.backoff(5).count(), 1000);
  EXPECT_EQ(p.backoff(60).count(), 1000);
}

}  // namespace
}  // namespace ferry::core
