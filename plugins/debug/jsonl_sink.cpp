#include "jsonl_sink.hpp"

#include <ferry/sdk/atomic_file.hpp>
#include <ferry/sdk/event_json.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ferry::plugins::debug {

void JsonlSink::describe(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("path").default_value("-").describe("output file, relative to the task file; - for stdout"));
  schema.add(sdk::boolean("include-position").default_value("true").describe("add each event's upstream position"));
}

JsonlSink::JsonlSink(const sdk::Host& host, const sdk::Config& config)
    : host_(host),
      path_(config.require_string("path")),
      include_position_(config.require_boolean("include-position")) {
  if (path_ != "-") {
    std::filesystem::path p(path_);
    if (p.is_relative()) p = std::filesystem::path(host.task_info("task-dir")) / p;
    path_ = p.string();
    checkpoint_path_ = path_ + ".checkpoint";
    if (host.task_info("remove-meta") == "true") {
      // Start over: the old output and its checkpoint go.
      std::error_code ec;
      std::filesystem::remove(checkpoint_path_, ec);
      std::filesystem::remove(path_, ec);
    }
  }
}

JsonlSink::~JsonlSink() {
  if (out_ != nullptr && out_ != stdout) std::fclose(out_);
}

// The checkpoint file's JSON: nullopt when there is none, a discarded value when it is corrupt.
std::optional<nlohmann::json> JsonlSink::read_checkpoint_file() const {
  if (checkpoint_path_.empty()) return std::nullopt;
  std::ifstream in(checkpoint_path_);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (!j.is_object() || !j.contains("size")) return nlohmann::json(nlohmann::json::value_t::discarded);
  return j;
}

sdk::Status JsonlSink::load_checkpoint(std::optional<Checkpoint>& out) {
  out.reset();
  auto j = read_checkpoint_file();
  if (!j) return sdk::Status::ok();
  if (j->is_discarded()) {
    return sdk::Status::error(FERRY_E_FILE_FORMAT, "checkpoint file " + checkpoint_path_ + " is corrupt; remove it and the output to start over");
  }
  Checkpoint cp;
  cp.position.binlog_file = j->value("file", "");
  cp.position.binlog_pos = j->value("offset", uint64_t{0});
  cp.position.gtid_set = j->value("gtid", "");
  cp.position.gtid_flavor = j->value("gtid-flavor", uint8_t{0});
  cp.position.token = j->value("token", "");
  cp.final = j->value("final", false);
  out = std::move(cp);
  return sdk::Status::ok();
}

sdk::Status JsonlSink::open() {
  if (path_ == "-") {
    out_ = stdout;
    return sdk::Status::ok();
  }
  // Cut what was written after the last checkpoint: it will be written again.
  auto j = read_checkpoint_file();
  if (j && j->is_discarded()) {
    return sdk::Status::error(FERRY_E_FILE_FORMAT, "checkpoint file " + checkpoint_path_ + " is corrupt; remove it and the output to start over");
  }
  const uint64_t keep = j ? j->value("size", uint64_t{0}) : 0;
  std::error_code ec;
  if (std::filesystem::exists(path_, ec)) {
    std::filesystem::resize_file(path_, keep, ec);
    if (ec) return sdk::Status::error(FERRY_E_FILE_IO, "cannot truncate " + path_ + ": " + ec.message());
  }
  out_ = std::fopen(path_.c_str(), "ab");
  if (out_ == nullptr) return sdk::Status::error(FERRY_E_FILE_IO, "cannot open " + path_ + ": " + std::strerror(errno));
  return sdk::Status::ok();
}

sdk::Status JsonlSink::persist_checkpoint(const ferry_event& e) {
  if (std::fflush(out_) != 0 || ::fsync(fileno(out_)) != 0) {
    return sdk::Status::error(FERRY_E_FILE_IO, "cannot flush " + path_ + ": " + std::strerror(errno));
  }
  const long size = std::ftell(out_);
  nlohmann::json j = {{"size", size},
                      {"file", std::string(sdk::view(e.pos.binlog_file))},
                      {"offset", e.pos.binlog_pos},
                      {"gtid", std::string(sdk::view(e.pos.gtid_set))},
                      {"gtid-flavor", e.pos.gtid_flavor},
                      {"token", std::string(sdk::view(e.pos.token))},
                      {"final", (e.flags & FERRY_EVENT_FINAL) != 0}};
  if (auto e = sdk::replace_file(checkpoint_path_, j.dump() + "\n")) return sdk::Status::error(FERRY_E_FILE_IO, *e);
  return sdk::Status::ok();
}

sdk::Status JsonlSink::write(const ferry_batch& batch) {
  for (uint32_t i = 0; i < batch.count; ++i) {
    const ferry_event& e = batch.events[i];
    line_ = sdk::json::event_to_json(e, include_position_);
    line_ += '\n';
    if (std::fwrite(line_.data(), 1, line_.size(), out_) != line_.size()) {
      return sdk::Status::error(FERRY_E_FILE_IO, "cannot write " + path_ + ": " + std::strerror(errno));
    }
    if (e.kind == FERRY_EVENT_CHECKPOINT) {
      if (checkpoint_path_.empty()) {
        std::fflush(out_);
      } else if (auto s = persist_checkpoint(e); !s.is_ok()) {
        return s;
      }
    }
  }
  return sdk::Status::ok();
}

}  // namespace ferry::plugins::debug
