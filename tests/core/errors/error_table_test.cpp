#include "errors/error_table.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ferry::core {
namespace {

TEST(ErrorTable, CodesAreUniqueAndEveryEntryIsComplete) {
  std::set<uint32_t> codes;
  for (const ErrorInfo& e : all_errors()) {
    EXPECT_TRUE(codes.insert(e.code).second) << "duplicate code " << e.code;
    EXPECT_FALSE(e.message.empty()) << e.symbol;
    EXPECT_FALSE(e.workaround.empty()) << e.symbol;
    EXPECT_EQ(find_error(e.code), &e);
  }
  EXPECT_GT(codes.size(), 20u);
  EXPECT_EQ(find_error(99999), nullptr);
}

TEST(ErrorTable, DescribeAddsTheNameAndWorkaround) {
  Failure f{FERRY_E_PLUGIN_ABI_MAJOR, "plugin x.so was built for ABI 2.0", false};
  EXPECT_EQ(f.describe(),
            "[code=11002 PLUGIN_ABI_MAJOR] plugin x.so was built for ABI 2.0 "
            "(workaround: rebuild the plugin against this ferry's SDK)");
  EXPECT_EQ((Failure{424242, "odd", false}).describe(), "[code=424242] odd");
}

}  // namespace
}  // namespace ferry::core
