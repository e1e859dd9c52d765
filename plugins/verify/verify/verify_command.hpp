// `verify-tables --task-json JSON [--rows] [--chunk-rows N]`: the command behind core's
// `ferry verify TASK.yaml`, which passes the task's upstream and downstream config as JSON
// (verify/verify_options.hpp). Compares every table (verify/table_list.hpp) chunk by chunk,
// prints the report (verify/report.hpp) to stdout and returns 0 when every table matches, 1
// when some differ or are missing, 2 on bad input or a server that cannot be used.
#pragma once

#include <ferry/sdk/host.hpp>

#include <string_view>
#include <vector>

namespace ferry::verify {

struct VerifyTablesCommand {
  static constexpr const char* kName = "verify-tables";
  static constexpr const char* kDescription =
      "compare upstream and downstream tables (run by 'ferry verify TASK.yaml', which passes --task-json)";
  static int run(const sdk::Host& host, const std::vector<std::string_view>& args);
};

}  // namespace ferry::verify
