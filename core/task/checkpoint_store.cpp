#include "task/checkpoint_store.hpp"

#include <ferry/sdk/atomic_file.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ferry::core {
namespace {

Failure io_failure(const std::filesystem::path& file, const std::string& what) {
  return Failure{FERRY_E_TASK_CHECKPOINT_IO, fmt::format("checkpoint file {}: {}", file.string(), what), true};
}

}  // namespace

std::optional<StoredCheckpoint> CheckpointStore::load(const std::string& phase, Failure& failure) const {
  const auto file = file_for(phase);
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    failure = io_failure(file, "not valid JSON; restore it or remove it to start the phase over");
    failure.retryable = false;
    return std::nullopt;
  }
  StoredCheckpoint cp;
  cp.position.binlog_file = j.value("binlog-file", "");
  cp.position.binlog_pos = j.value("binlog-pos", uint64_t{0});
  cp.position.gtid_set = j.value("gtid-set", "");
  cp.position.gtid_flavor = j.value("gtid-flavor", uint8_t{0});
  cp.position.timestamp_us = j.value("timestamp-us", int64_t{0});
  cp.position.token = j.value("token", "");
  cp.final = j.value("final", false);
  return cp;
}

Failure CheckpointStore::save(const std::string& phase, const StoredCheckpoint& cp) const {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return io_failure(dir_, ec.message());
  nlohmann::json j = {{"binlog-file", cp.position.binlog_file}, {"binlog-pos", cp.position.binlog_pos},
                      {"gtid-set", cp.position.gtid_set},       {"gtid-flavor", cp.position.gtid_flavor},
                      {"timestamp-us", cp.position.timestamp_us}, {"token", cp.position.token},
                      {"final", cp.final}};
  const std::string text = j.dump() + "\n";
  const auto file = file_for(phase);
  if (auto e = sdk::replace_file(file, text)) return io_failure(file, *e);
  return {};
}

Failure CheckpointStore::remove(const std::string& phase) const {
  std::error_code ec;
  std::filesystem::remove(file_for(phase), ec);
  if (ec) return io_failure(file_for(phase), ec.message());
  return {};
}

}  // namespace ferry::core
