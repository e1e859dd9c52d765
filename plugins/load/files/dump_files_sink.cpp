#include "files/dump_files_sink.hpp"

#include <ferry/sdk/atomic_file.hpp>

#include "files/dump_directory.hpp"

#include <ferry/sdk/events.hpp>
#include <ferry/sdk/handover.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>

namespace ferry::load {
namespace {

constexpr const char* kChunksFile = ".ferry-chunks";
constexpr const char* kHeader =
    "/*!40101 SET NAMES binary*/;\n/*!40014 SET FOREIGN_KEY_CHECKS=0*/;\n/*!40103 SET TIME_ZONE='+00:00' */;\n";

std::string now_text() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
  return buf;
}


}  // namespace

void DumpFilesSink::describe(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("dir").required().describe("the dump directory (created); relative paths start at the task file's directory"));
  schema.add(sdk::size("statement-size").default_value("1MiB").min(1024).describe("bytes per INSERT statement in the data files"));
}

DumpFilesSink::DumpFilesSink(const sdk::Host& host, const sdk::Config& config)
    : host_(host), statement_bytes_(static_cast<size_t>(config.require_integer("statement-size"))) {
  dir_ = std::string(config.require_string("dir"));
  if (dir_.is_relative()) dir_ = std::filesystem::path(host.task_info("task-dir")) / dir_;
  // UTF-8 text is written as text; any other charset's bytes as hex (exact under SET NAMES binary).
  for (uint16_t id : {33, 83, 192}) charsets_.add(id, "utf8mb3", "");
  for (uint16_t id : {45, 46, 224, 246, 255, 1070}) charsets_.add(id, "utf8mb4", "");
  for (uint16_t id : {11, 65}) charsets_.add(id, "ascii", "");
}

DumpFilesSink::~DumpFilesSink() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ec;
    std::filesystem::remove(temp_, ec);  // a chunk never finished is not part of the dump
  }
}

sdk::Status DumpFilesSink::prepare() {
  if (prepared_) return sdk::Status::ok();
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return sdk::Status::error(FERRY_E_FILE_IO, "cannot create " + dir_.string() + ": " + ec.message());
  if (host_.task_info("remove-meta") == "true") {
    for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
      const std::string name = e.path().filename().string();
      if (name == "metadata" || name == kChunksFile || name == kDataFilesRemovedMarker || name.ends_with(".sql") ||
          name.ends_with(".tmp")) {
        std::filesystem::remove(e.path(), ec);
      }
    }
    host_.info("emptied dump directory " + dir_.string() + " (--remove-meta)");
  }
  // Data files already there: new chunks of a table number on after them.
  DumpListing listing;
  std::string error;
  if (list_dump_directory(dir_, listing, error)) {
    for (const auto& f : listing.data) {
      auto& next = next_number_[{f.schema, f.table}];
      next = std::max(next, f.number + 1);
    }
  }
  prepared_ = true;
  return sdk::Status::ok();
}

sdk::Status DumpFilesSink::load_checkpoint(std::optional<Checkpoint>& out) {
  out.reset();
  if (auto s = prepare(); !s.is_ok()) return s;
  if (std::filesystem::exists(dir_ / "metadata")) {
    std::string error;
    auto m = read_metadata(dir_, error);
    if (!m) return sdk::Status::error(FERRY_E_FILE_FORMAT, error);
    Checkpoint cp;
    cp.position.binlog_file = m->start.file;
    cp.position.binlog_pos = m->start.pos;
    cp.position.gtid_set = m->start.gtid;
    cp.position.token = handover_note(*m);
    cp.final = true;
    out = std::move(cp);
    return sdk::Status::ok();
  }
  std::ifstream in(dir_ / kChunksFile);
  nlohmann::json tokens = nlohmann::json::array();
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) tokens.push_back(line);
  }
  if (tokens.empty()) return sdk::Status::ok();
  Checkpoint cp;
  cp.position.token = tokens.dump();
  out = std::move(cp);
  return sdk::Status::ok();
}

sdk::Status DumpFilesSink::open() { return prepare(); }

sdk::Status DumpFilesSink::on_ddl(const ferry_event& e) {
  const ferry_ddl_event& d = e.u.ddl;
  const std::string schema(sdk::view(d.schema));
  const std::string table(sdk::view(d.table));
  if (schema.empty()) return sdk::Status::ok();
  const auto path = table.empty() ? schema_create_file(dir_, schema) : table_schema_file(dir_, schema, table);
  if (auto failed = sdk::replace_file(path, std::string(kHeader) + "\n" + std::string(sdk::view(d.statement)) + ";\n")) {
    return sdk::Status::error(FERRY_E_FILE_IO, *failed);
  }
  return sdk::Status::ok();
}

sdk::Status DumpFilesSink::append(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    return sdk::Status::error(FERRY_E_FILE_IO, "cannot write " + temp_.string() + ": " + std::strerror(errno));
  }
  return sdk::Status::ok();
}

sdk::Status DumpFilesSink::on_begin(const ferry_event& e) {
  if (file_ != nullptr) return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "a chunk began before the previous one ended");
  const nlohmann::json j = nlohmann::json::parse(sdk::view(e.pos.token), nullptr, false);
  if (!j.is_object() || !j.contains("schema") || !j.contains("table")) {
    return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "dump-files needs chunks whose token names their schema and table");
  }
  const std::string schema = j["schema"].get<std::string>(), table = j["table"].get<std::string>();
  final_ = data_file(dir_, schema, table, next_number_[{schema, table}]++);
  temp_ = dir_ / ("." + final_.filename().string() + ".tmp");
  file_ = std::fopen(temp_.c_str(), "wb");
  if (file_ == nullptr) return sdk::Status::error(FERRY_E_FILE_IO, "cannot create " + temp_.string() + ": " + std::strerror(errno));
  builder_.reset();
  builder_table_ = nullptr;
  return append(kHeader);
}

sdk::Status DumpFilesSink::on_row(const ferry_event& e) {
  const ferry_row_event& r = e.u.row;
  if (file_ == nullptr || r.op != FERRY_ROW_INSERT) {
    return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "dump-files takes inserted rows inside chunks only (a dump's output)");
  }
  if (builder_table_ != r.table) {
    if (builder_ && !builder_->empty()) {
      if (auto s = append(builder_->take() + ";\n"); !s.is_ok()) return s;
    }
    builder_ = std::make_unique<InsertBuilder>("INSERT", *r.table, sdk::view(r.target_schema), sdk::view(r.target_table),
                                               charsets_, tidb::LiteralStyle{}, statement_bytes_);
    builder_->omit_schema();
    builder_->introduce_text_without_charset();
    builder_table_ = r.table;
  }
  std::string error;
  if (!builder_->add(r, error)) return sdk::Status::error(FERRY_E_FILE_FORMAT, error);
  if (builder_->full()) return append(builder_->take() + ";\n");
  return sdk::Status::ok();
}

sdk::Status DumpFilesSink::on_commit(const ferry_event& e) {
  if (file_ == nullptr) return sdk::Status::error(FERRY_E_PLUGIN_CONTRACT, "a chunk ended that never began");
  if (builder_ && !builder_->empty()) {
    if (auto s = append(builder_->take() + ";\n"); !s.is_ok()) return s;
  }
  const bool ok = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
  std::fclose(file_);
  file_ = nullptr;
  if (!ok || std::rename(temp_.c_str(), final_.c_str()) != 0) {
    return sdk::Status::error(FERRY_E_FILE_IO, "cannot finish " + final_.string() + ": " + std::strerror(errno));
  }
  // The chunk is whole on disk: record it (one line, synced) so a rerun does not dump it again.
  const std::string line = std::string(sdk::view(e.pos.token)) + "\n";
  const int fd = ::open((dir_ / kChunksFile).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  const bool recorded = fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!recorded) return sdk::Status::error(FERRY_E_FILE_IO, "cannot record the chunk in " + (dir_ / kChunksFile).string());
  return sdk::Status::ok();
}

sdk::Status DumpFilesSink::on_final(const ferry_event& e) {
  DumpMetadata m;
  m.start = MetadataPoint{std::string(sdk::view(e.pos.binlog_file)), e.pos.binlog_pos, std::string(sdk::view(e.pos.gtid_set))};
  set_handover(m, sdk::view(e.pos.token));
  const std::string now = now_text();
  if (auto failed = sdk::replace_file(dir_ / "metadata", metadata_text(m, now, now))) {
    return sdk::Status::error(FERRY_E_FILE_IO, *failed);
  }
  host_.info("dump directory complete dir=" + dir_.string());
  return sdk::Status::ok();
}

sdk::Status DumpFilesSink::write(const ferry_batch& batch) {
  for (uint32_t i = 0; i < batch.count; ++i) {
    const ferry_event& e = batch.events[i];
    if (e.flags & FERRY_EVENT_DROPPED) continue;
    sdk::Status s = sdk::Status::ok();
    switch (e.kind) {
      case FERRY_EVENT_DDL: s = on_ddl(e); break;
      case FERRY_EVENT_TXN_BEGIN: s = on_begin(e); break;
      case FERRY_EVENT_ROW: s = on_row(e); break;
      case FERRY_EVENT_TXN_COMMIT: s = on_commit(e); break;
      case FERRY_EVENT_CHECKPOINT:
        if (e.flags & FERRY_EVENT_FINAL) s = on_final(e);
        break;
      default: break;
    }
    if (!s.is_ok()) return s;
  }
  return sdk::Status::ok();
}

}  // namespace ferry::load
