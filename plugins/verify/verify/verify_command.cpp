#include "verify/verify_command.hpp"

#include "verify/report.hpp"
#include "verify/table_list.hpp"
#include "verify/table_verifier.hpp"
#include "verify/verify_options.hpp"

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>

namespace ferry::verify {
namespace {

constexpr int kExitBadInput = 2;

constexpr const char* kUsage =
    "usage: ferry verify TASK.yaml [--source SOURCE.yaml] [--rows] [--chunk-rows N]\n"
    "       (ferry verify-tables --task-json JSON [--rows] [--chunk-rows N] is what it runs)\n";

struct Arguments {
  std::string task_json;
  bool rows = false;
  uint64_t chunk_rows = kDefaultChunkRows;
};

// Parses the command's arguments; nullopt (after saying why) when they are wrong.
std::optional<Arguments> parse_arguments(const std::vector<std::string_view>& args) {
  Arguments a;
  bool have_json = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--task-json" && has_value) {
      a.task_json = std::string(args[++i]);
      have_json = true;
    } else if (arg == "--rows") {
      a.rows = true;
    } else if (arg == "--chunk-rows" && has_value) {
      const std::string_view v = args[++i];
      auto r = std::from_chars(v.data(), v.data() + v.size(), a.chunk_rows);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size() || a.chunk_rows == 0) {
        std::fprintf(stderr, "ferry verify: --chunk-rows must be a whole number of rows, at least 1, got '%.*s'\n",
                     static_cast<int>(v.size()), v.data());
        return std::nullopt;
      }
    } else {
      std::fprintf(stderr, "ferry verify: unexpected argument '%.*s'\n%s", static_cast<int>(arg.size()), arg.data(), kUsage);
      return std::nullopt;
    }
  }
  if (!have_json) {
    std::fprintf(stderr, "ferry verify: --task-json is missing\n%s", kUsage);
    return std::nullopt;
  }
  return a;
}

}  // namespace

int VerifyTablesCommand::run(const sdk::Host& host, const std::vector<std::string_view>& args) {
  const auto arguments = parse_arguments(args);
  if (!arguments) return kExitBadInput;
  VerifyOptions options;
  try {
    options = read_verify_options(arguments->task_json);
  } catch (const OptionsError& e) {
    std::fprintf(stderr, "ferry verify: %s\n", e.what());
    return kExitBadInput;
  }
  options.rows = arguments->rows;
  options.chunk_rows = arguments->chunk_rows;

  SqlConnection upstream;
  SqlConnection downstream;
  std::vector<TableName> tables;
  try {
    upstream.connect(options.upstream);
    downstream.connect(options.downstream);
    tables = tables_to_verify(upstream, options);
  } catch (const SqlError& e) {
    std::fprintf(stderr, "ferry verify: %s\n", e.what());
    return kExitBadInput;
  }
  host.debug("verifying task=" + options.task + " tables=" + std::to_string(tables.size()) +
            " chunk_rows=" + std::to_string(options.chunk_rows));
  Summary summary;
  for (const TableName& table : tables) {
    const TableResult result = verify_table(upstream, downstream, options, table);
    print_table_result(stdout, result);
    std::fflush(stdout);
    summary.add(result);
  }
  std::printf("%s\n", summary.line().c_str());
  std::fflush(stdout);
  return summary.exit_code();
}

}  // namespace ferry::verify
