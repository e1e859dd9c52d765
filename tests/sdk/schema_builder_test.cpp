#include <ferry/sdk/schema.hpp>
#include <gtest/gtest.h>

#include <string>

namespace {

namespace s = ferry::sdk;

TEST(SchemaBuilder, CompilesNestedFieldsToStableCArrays) {
  s::ConfigSchema schema;
  schema.add(s::string("host").required().describe("server"));
  schema.add(s::list("rules", s::object("rule", {s::string("pattern").required(), s::enumeration("action", {"hash", "mask"}).default_value("hash")})));
  schema.add(s::integer("port").default_value("3306").min(1).max(65535));
  ASSERT_EQ(schema.size(), 3u);
  const ferry_config_field* f = schema.data();
  EXPECT_STREQ(f[0].name, "host");
  EXPECT_EQ(f[0].flags, FERRY_CONFIG_REQUIRED);
  EXPECT_EQ(f[1].type, FERRY_CONFIG_LIST);
  ASSERT_EQ(f[1].child_count, 1u);
  const ferry_config_field& item = f[1].children[0];
  ASSERT_EQ(item.child_count, 2u);
  EXPECT_STREQ(item.children[1].name, "action");
  ASSERT_EQ(item.children[1].enum_count, 2u);
  EXPECT_STREQ(item.children[1].enum_values[1], "mask");
  EXPECT_STREQ(item.children[1].default_value, "hash");
  EXPECT_EQ(f[2].flags, FERRY_CONFIG_HAS_MIN | FERRY_CONFIG_HAS_MAX);
  EXPECT_EQ(f[2].max, 65535);
  EXPECT_EQ(schema.data(), f);  // compiled once, stable
}

}  // namespace
