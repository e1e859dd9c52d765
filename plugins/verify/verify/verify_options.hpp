// VerifyOptions: what `verify-tables` compares, read from the task JSON core passes
// (--task-json): {"task", "upstream": {...}, "downstream": {...}, ...} where upstream is the
// config of the first phase's source and downstream that of the last phase's sink, as the
// plugins saw it (defaults applied, secrets resolved). The keys read are listed in
// docs/verify.md; the others are ignored, as they belong to the stages.
#pragma once

#include "verify/connection.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::verify {

inline constexpr uint64_t kDefaultChunkRows = 10000;
inline constexpr size_t kDefaultRowsShown = 20;

struct VerifyOptions {
  std::string task;
  ServerAddress upstream;
  ServerAddress downstream;
  std::vector<std::string> databases;  // upstream `databases`: every base table of these schemas
  std::vector<std::string> tables;     // upstream `tables`: "schema.table"
  std::string meta_schema = "dm_meta";  // downstream `meta-schema`: never compared
  // Command-line flags, not from the task.
  bool rows = false;
  uint64_t chunk_rows = kDefaultChunkRows;
  size_t rows_shown = kDefaultRowsShown;  // per table
};

// A task JSON that cannot be used: the message names the key and the stage (never a secret).
class OptionsError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Reads the task JSON. Throws OptionsError.
VerifyOptions read_verify_options(std::string_view task_json);

}  // namespace ferry::verify
