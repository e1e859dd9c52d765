// What a DBA sees when the upstream refuses the dump: `ferry run` exits 1 at once with a message
// that names the upstream it could not reach, and never shows the password it was given.
#include "dump_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ferry::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(DumpErrors, WrongUpstreamPasswordExitsOneNamingTheUpstreamNotThePassword) {
  const std::string password = "Wr0ng-dump-S3cret";
  DumpFixture f("dump_bad_password", {.dump = {"password: " + password}, .load = {}});
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE shop");
  up.execute("CREATE TABLE shop.items (id INT PRIMARY KEY)");
  EXPECT_EQ(f.run_to_exit(60000), 1) << f.log_tail();
  const std::string log = f.log_tail(100000);
  EXPECT_THAT(log, HasSubstr("upstream"));
  EXPECT_THAT(log, HasSubstr("127.0.0.1:" + std::to_string(f.up().port())));
  EXPECT_THAT(log, HasSubstr("Access denied"));
  EXPECT_THAT(log, Not(HasSubstr(password)));
  EXPECT_THAT(log, Not(HasSubstr("S3cret")));
  // Nothing was created downstream.
  Connection down = f.down().connect();
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'"), "0");
}

}  // namespace
}  // namespace ferry::testing
