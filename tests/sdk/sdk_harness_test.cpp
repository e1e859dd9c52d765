// Plugins under the SDK's harness: thunks turn exceptions into statuses, insertions and drops
// land where the ABI says, config defaults reach the plugin.
#include <ferry/sdk/testing/harness.hpp>
#include <gtest/gtest.h>

#include <cctype>

namespace {

namespace s = ferry::sdk;
using ferry::sdk::testing::Harness;
using ferry::sdk::testing::List;

// Upper-cases the configured column; drops rows whose id is in `drop-ids`; after each DDL inserts
// a copy of it with a comment.
class Upper final : public s::Transform {
 public:
  static constexpr const char* kName = "upper";
  static constexpr const char* kDescription = "test transform";
  static void describe(s::ConfigSchema& schema) {
    schema.add(s::string("column").default_value("name"));
    schema.add(s::list("drop-ids", s::integer("id")));
    schema.add(s::duration("budget").default_value("2s"));
  }
  Upper(const s::Host&, const s::Config& c) : column_(c.require_string("column")), budget_ms_(c.require_integer("budget")) {
    auto ids = c.child("drop-ids");
    for (uint32_t i = 0; i < ids.size(); ++i) drop_.push_back(*ids.at(i).integer());
  }
  s::Status process(ferry_batch& batch, const ferry_host_api& api) override {
    s::BatchWriter out(&api, &batch);
    const uint32_t n = batch.count;
    for (uint32_t i = 0; i < n; ++i) {
      ferry_event& e = batch.events[i];
      if (e.kind == FERRY_EVENT_DDL) {
        ferry_event copy = e;
        copy.u.ddl.statement = out.copy("/* seen */ " + std::string(s::view(e.u.ddl.statement)));
        api.batch_insert_after(&batch, i, &copy);
        continue;
      }
      if (e.kind != FERRY_EVENT_ROW) continue;
      const ferry_table_schema& t = *e.u.row.table;
      if (std::find(drop_.begin(), drop_.end(), e.u.row.after[0].num.i64) != drop_.end()) {
        e.flags |= FERRY_EVENT_DROPPED;
        continue;
      }
      for (uint32_t c = 0; c < t.column_count; ++c) {
        if (s::view(t.columns[c].name) != column_) continue;
        ferry_value* after = out.values(t.column_count);
        std::copy(e.u.row.after, e.u.row.after + t.column_count, after);
        std::string text(s::view({after[c].data, after[c].len}));
        for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        after[c] = s::text_value(FERRY_VALUE_STRING, out.copy(text));
        e.u.row.after = after;
      }
    }
    return s::Status::ok();
  }
  int64_t budget_ms() const { return budget_ms_; }

 private:
  std::string column_;
  int64_t budget_ms_;
  std::vector<int64_t> drop_;
};

class Throws final : public s::Transform {
 public:
  static constexpr const char* kName = "throws";
  static constexpr const char* kDescription = "test transform that throws";
  static void describe(s::ConfigSchema&) {}
  Throws(const s::Host&, const s::Config&) {}
  s::Status process(ferry_batch&, const ferry_host_api&) override { throw std::out_of_range("vector::at"); }
};

TEST(Harness, RunsATransformWithDropsInsertsAndRewrites) {
  Harness<Upper> h({{"drop-ids", List{"2"}}});
  const auto& users = h.table("app", "users", {{"id", FERRY_VALUE_INT}, {"name", FERRY_VALUE_STRING}}, {"id"});
  h.insert(users, {h.i64(1), h.text("ada")});
  h.insert(users, {h.i64(2), h.text("bob")});
  h.ddl("app", "users", "ALTER TABLE users ADD x INT");
  h.control(FERRY_EVENT_TXN_COMMIT);
  EXPECT_EQ(h.run_transform(), (std::vector<std::string>{
                                   R"({"kind":"row","op":"insert","schema":"app","table":"users","after":{"id":1,"name":"ADA"}})",
                                   R"({"kind":"ddl","schema":"app","table":"users","statement":"ALTER TABLE users ADD x INT"})",
                                   R"({"kind":"ddl","schema":"app","table":"users","statement":"/* seen */ ALTER TABLE users ADD x INT"})",
                                   R"({"kind":"commit"})",
                               }));
}

TEST(Harness, PartialImagesCarryAPresentBitmap) {
  Harness<Upper> h;
  const auto& users = h.table("app", "users", {{"id", FERRY_VALUE_INT}, {"name", FERRY_VALUE_STRING}, {"bio", FERRY_VALUE_STRING}});
  h.update(users, {h.i64(1), h.absent(), h.absent()}, {h.i64(1), h.text("eve"), h.absent()});
  EXPECT_EQ(h.run_transform(), (std::vector<std::string>{
                                   R"({"kind":"row","op":"update","schema":"app","table":"users","before":{"id":1},"after":{"id":1,"name":"EVE"}})",
                               }));
}

TEST(Harness, AnExceptionBecomesAnErrorStatusWithTheMessage) {
  Harness<Throws> h;
  h.control(FERRY_EVENT_HEARTBEAT);
  try {
    h.run_transform();
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "vector::at");
  }
  EXPECT_EQ(h.context().error_code, FERRY_E_PLUGIN_FAILED);
}

TEST(Harness, RefusesConfigKeysThePluginDidNotDeclare) {
  const ferry::sdk::testing::Map config{{"colour", "red"}};
  EXPECT_THROW(Harness<Upper>{config}, std::invalid_argument);
}

}  // namespace
