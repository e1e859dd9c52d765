// The schema validator: nested objects and lists, defaults, bounds, secrets, maps.
#include "config/schema_validator.hpp"

#include <ferry/sdk/schema.hpp>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace ferry::core::config {
namespace {

namespace s = ferry::sdk;

struct Validated {
  ConfigNodePtr node;
  std::string diagnostics;
};

Validated validate(s::ConfigSchema& schema, const std::string& yaml) {
  Diagnostics diag("t.yaml");
  auto node = validate_object(YAML::Load(yaml), {schema.data(), schema.size()}, diag, {"plugin 'p'", {}, ""});
  return {std::move(node), diag.to_string()};
}

TEST(SchemaValidator, FillsDefaultsInsideListItems) {
  s::ConfigSchema schema;
  schema.add(s::list("rules", s::object("rule", {s::string("schema-pattern").required(),
                                                 s::string("table-pattern").default_value("*")})));
  auto v = validate(schema, "rules:\n  - schema-pattern: shop\n  - schema-pattern: crm\n    table-pattern: users\n");
  ASSERT_EQ(v.diagnostics, "");
  const ferry_config_node* rules = v.node->find("rules");
  ASSERT_EQ(rules->items.size(), 2u);
  EXPECT_EQ(rules->items[0]->find("table-pattern")->text, "*");
  EXPECT_EQ(rules->items[1]->find("table-pattern")->text, "users");
}

TEST(SchemaValidator, ReportsRequiredKeysMissingFromListItemsAtTheItem) {
  s::ConfigSchema schema;
  schema.add(s::list("rules", s::object("rule", {s::string("schema-pattern").required()})));
  auto v = validate(schema, "rules:\n  - table-pattern: x\n");
  EXPECT_EQ(v.diagnostics,
            "t.yaml:2:5: unknown key 'rules[0].table-pattern' in plugin 'p'\n"
            "t.yaml:2:5: missing required key 'rules[0].schema-pattern' in plugin 'p'\n");
}

TEST(SchemaValidator, NeverEchoesASecret) {
  s::ConfigSchema schema;
  schema.add(s::integer("password").secret());
  auto v = validate(schema, "password: hunter2\n");
  EXPECT_EQ(v.diagnostics, "t.yaml:1:11: 'password' must be an integer, got <secret>\n");
}

TEST(SchemaValidator, ReadsDurationsAndSizesInTheirUnits) {
  s::ConfigSchema schema;
  schema.add(s::duration("timeout").min(100));
  schema.add(s::size("buffer"));
  auto v = validate(schema, "timeout: 1m30s\nbuffer: 4MiB\n");
  ASSERT_EQ(v.diagnostics, "");
  EXPECT_EQ(v.node->find("timeout")->int_value, 90'000);
  EXPECT_EQ(v.node->find("buffer")->int_value, 4 << 20);
  auto low = validate(schema, "timeout: 50ms\n");
  EXPECT_EQ(low.diagnostics, "t.yaml:1:10: 'timeout' must be at least 100 ms, got 50 ms\n");
}

TEST(SchemaValidator, MapsTakeFreeKeysWithTypedValues) {
  s::ConfigSchema schema;
  schema.add(s::map("session", s::string("value")));
  auto v = validate(schema, "session:\n  sql_mode: ''\n  time_zone: '+00:00'\n");
  ASSERT_EQ(v.diagnostics, "");
  const ferry_config_node* session = v.node->find("session");
  ASSERT_EQ(session->entries.size(), 2u);
  EXPECT_EQ(session->entries[1].first, "time_zone");
  EXPECT_EQ(session->entries[1].second->text, "+00:00");
}

TEST(SchemaValidator, ExpandsEnvironmentVariablesWithAnEscapeForALiteral) {
  ::setenv("FERRY_TEST_HOST", "db.internal", 1);
  s::ConfigSchema schema;
  schema.add(s::string("host"));
  schema.add(s::string("pattern"));
  auto v = validate(schema, "host: ${FERRY_TEST_HOST}:3306\npattern: '$${not_a_var}'\n");
  ASSERT_EQ(v.diagnostics, "");
  EXPECT_EQ(v.node->find("host")->text, "db.internal:3306");
  EXPECT_EQ(v.node->find("pattern")->text, "${not_a_var}");
}

TEST(SchemaValidator, RejectsDuplicateKeys) {
  s::ConfigSchema schema;
  schema.add(s::string("a"));
  auto v = validate(schema, "{a: x, a: y}");
  EXPECT_NE(v.diagnostics.find("duplicate key 'a'"), std::string::npos) << v.diagnostics;
}

TEST(SchemaCheck, FindsAuthorMistakes) {
  {
    s::ConfigSchema schema;
    schema.add(s::string("Bad_Name"));
    EXPECT_EQ(check_schema({schema.data(), schema.size()}).value_or(""), "field #1: name 'Bad_Name' is not kebab-case");
  }
  {
    s::ConfigSchema schema;
    schema.add(s::integer("n").required().default_value("3"));
    EXPECT_EQ(check_schema({schema.data(), schema.size()}).value_or(""), "'n' is required and has a default");
  }
  {
    s::ConfigSchema schema;
    schema.add(s::integer("n").default_value("three"));
    EXPECT_EQ(check_schema({schema.data(), schema.size()}).value_or(""),
              "'n' has an invalid default: 'n' must be an integer, got 'three'");
  }
  {
    s::ConfigSchema schema;
    schema.add(s::object("o", {s::string("x"), s::string("x")}));
    EXPECT_EQ(check_schema({schema.data(), schema.size()}).value_or(""), "'o.x' is declared twice");
  }
  {
    s::ConfigSchema schema;
    schema.add(s::string("path").default_value("-"));
    EXPECT_EQ(check_schema({schema.data(), schema.size()}), std::nullopt);
  }
}

}  // namespace
}  // namespace ferry::core::config
