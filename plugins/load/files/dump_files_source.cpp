#include "files/dump_files_source.hpp"

#include "files/create_table.hpp"
#include "read/cell_value.hpp"

#include <ferry/sdk/handover.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <sstream>

namespace ferry::load {
namespace {

bool read_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

// The CREATE statement of a schema file (mydumper prefixes SET statements), without its ';',
// made IF NOT EXISTS.
std::string create_statement(const std::string& text, const char* what) {
  const auto at = text.find(std::string("CREATE ") + what);
  if (at == std::string::npos) return {};
  std::string s = text.substr(at);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == ';' || s.back() == '\r')) s.pop_back();
  const std::string head = std::string("CREATE ") + what + " ";
  if (s.find("IF NOT EXISTS") == std::string::npos) s.insert(head.size(), "IF NOT EXISTS ");
  return s;
}

// Cells a dump file writes as bare numbers where the dump source reads bytes or names: BIT as
// its value, ENUM as the member's index, SET as the bitmap (ferry's own files do that).
bool file_cell_value(const dump::DumpColumn& c, std::string_view text, bool quoted, ferry_value& v, std::string& error) {
  using dump::CellKind;
  if (!quoted && (c.kind == CellKind::Bit || c.kind == CellKind::Enum || c.kind == CellKind::Set)) {
    uint64_t n = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), n);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
      error = "column " + c.name + " (" + c.column_type + "): '" + std::string(text.substr(0, 64)) + "' is not a number";
      return false;
    }
    v = ferry_value{};
    v.num.u64 = n;
    if (c.kind == CellKind::Bit) {
      v.type = FERRY_VALUE_BIT;
      v.len = c.bit_width;
    } else if (c.kind == CellKind::Enum) {
      v.type = FERRY_VALUE_ENUM;
      if (n >= 1 && n <= c.members.size()) {
        v.data = c.members[n - 1].data();
        v.len = static_cast<uint32_t>(c.members[n - 1].size());
      }
    } else {
      v.type = FERRY_VALUE_SET;
    }
    return true;
  }
  return dump::cell_value(c, text, v, error);
}

}  // namespace

void DumpFilesSource::describe(sdk::ConfigSchema& schema) {
  schema.add(sdk::string("dir").required().describe("the dump directory; relative paths start at the task file's directory"));
  schema.add(sdk::enumeration("clean-after-load", {"none", "data-files", "all"}).default_value("none")
                 .describe("once the load is committed, delete the data files (keeping metadata and schema files, as DM's "
                           "loader does with clean-dump-file) or the whole directory (as DM's sync does when it starts)"));
}

DumpFilesSource::DumpFilesSource(const sdk::Host& host, const sdk::Config& config) : host_(host) {
  dir_ = std::string(config.require_string("dir"));
  if (dir_.is_relative()) dir_ = std::filesystem::path(host.task_info("task-dir")) / dir_;
  const std::string_view clean = config.require_string("clean-after-load");
  clean_ = clean == "data-files" ? CleanAfterLoad::DataFiles : clean == "all" ? CleanAfterLoad::All : CleanAfterLoad::None;
}

void DumpFilesSource::ack(const ferry_position& /*pos*/) {
  if (!finished_ || cleaned_ || clean_ == CleanAfterLoad::None) return;
  cleaned_ = true;
  std::string error;
  if (!clean_after_load(dir_, clean_, error)) {
    host_.warn("the load is committed, but the dump directory was not cleaned: " + error);  // as DM: a warning
    return;
  }
  host_.info(std::string("deleted the loaded dump ") + (clean_ == CleanAfterLoad::All ? "directory " : "directory's data files ") +
             dir_.string() + " (clean-after-load)");
}

std::string DumpFilesSource::token(const DataFile& f) const {
  return nlohmann::json{{"name", f.path.filename().string()}, {"file", f.path.filename().string()},
                        {"schema", f.schema}, {"table", f.table}}
      .dump();
}

sdk::Status DumpFilesSource::open(const ferry_position* start) {
  std::string error;
  if (std::filesystem::exists(dir_ / kDataFilesRemovedMarker)) {
    return sdk::Status::error(FERRY_E_FILE_FORMAT, "the data files of dump directory " + dir_.string() +
                                                       " were deleted after an earlier load (clean-after-load, DM's "
                                                       "clean-dump-file): dump again");
  }
  auto metadata = read_metadata(dir_, error);
  if (!metadata) return sdk::Status::error(FERRY_E_FILE_FORMAT, error);
  metadata_ = *metadata;
  DumpListing listing;
  if (!list_dump_directory(dir_, listing, error)) return sdk::Status::error(FERRY_E_FILE_FORMAT, error);
  for (const auto& s : listing.skipped) host_.warn("not loaded (views, triggers and routines are not yet): " + s);

  for (const auto& schema : listing.schemas) {
    std::string text;
    const auto path = schema_create_file(dir_, schema);
    if (!read_file(path, text)) return sdk::Status::error(FERRY_E_FILE_IO, "cannot read " + path.string());
    const std::string statement = create_statement(text, "DATABASE");
    if (statement.empty()) return sdk::Status::error(FERRY_E_FILE_FORMAT, path.string() + " holds no CREATE DATABASE");
    ddl_.push(statement, schema, "");
  }
  for (const auto& [schema, table] : listing.tables) {
    std::string text;
    const auto path = table_schema_file(dir_, schema, table);
    if (!read_file(path, text)) return sdk::Status::error(FERRY_E_FILE_IO, "cannot read " + path.string());
    const std::string statement = create_statement(text, "TABLE");
    dump::DumpTable& t = tables_.emplace_back();
    if (statement.empty() || !table_from_create(schema, statement, t, error)) {
      return sdk::Status::error(FERRY_E_FILE_FORMAT, path.string() + ": " + (statement.empty() ? "no CREATE TABLE" : error));
    }
    by_name_[{schema, table}] = &t;
    ddl_.push(statement, schema, table);
  }

  // Files a load sink already committed, by name.
  std::set<std::string> done;
  if (start != nullptr && start->token.len > 0) {
    const nlohmann::json j = nlohmann::json::parse(sdk::view(start->token), nullptr, false);
    if (!j.is_array()) {
      return sdk::Status::error(FERRY_E_TASK_INTERNAL, "the start position's token is not a list of loaded chunks (run with --remove-meta to load again)");
    }
    for (const auto& item : j) {
      const nlohmann::json t = item.is_string() ? nlohmann::json::parse(item.get<std::string>(), nullptr, false) : nlohmann::json();
      if (!t.is_object() || !t.contains("file")) {
        return sdk::Status::error(FERRY_E_TASK_INTERNAL, "a loaded chunk's token names no file: " + item.dump().substr(0, 200));
      }
      done.insert(t["file"].get<std::string>());
    }
  }
  for (auto& f : listing.data) {
    if (!by_name_.count({f.schema, f.table})) {
      return sdk::Status::error(FERRY_E_FILE_FORMAT, "data file " + f.path.string() + " has no " +
                                                         table_schema_file(dir_, f.schema, f.table).filename().string());
    }
    if (!done.count(f.path.filename().string())) files_.push_back(std::move(f));
  }
  host_.info("dump directory " + dir_.string() + " binlog=" + metadata_.start.file + ":" + std::to_string(metadata_.start.pos) +
             " tables=" + std::to_string(tables_.size()) + " files=" + std::to_string(listing.data.size()) +
             " already_loaded=" + std::to_string(done.size()));
  return sdk::Status::ok();
}

void DumpFilesSource::set_position(ferry_event& e, sdk::BatchWriter& out) {
  e.pos.binlog_file = out.copy(metadata_.start.file);
  e.pos.binlog_pos = metadata_.start.pos;
  e.pos.gtid_set = out.copy(metadata_.start.gtid);
  e.pos.gtid_flavor = metadata_.start.gtid.empty() ? FERRY_GTID_NONE
                      : metadata_.start.gtid.find(':') != std::string::npos ? FERRY_GTID_MYSQL
                                                                            : FERRY_GTID_MARIADB;
}

ferry_position DumpFilesSource::position_in(sdk::BatchWriter& out) {
  ferry_event probe{};
  set_position(probe, out);
  return probe.pos;
}

sdk::Status DumpFilesSource::open_file(const DataFile& f) {
  if (!read_file(f.path, text_)) return sdk::Status::error(FERRY_E_FILE_IO, "cannot read " + f.path.string());
  file_ = f;
  table_ = by_name_.at({f.schema, f.table});
  reader_.emplace(text_);
  statement_ = InsertStatement{};
  row_ = 0;
  began_ = false;
  return sdk::Status::ok();
}

sdk::Status DumpFilesSource::emit_rows(sdk::BatchWriter& out, bool& done) {
  done = false;
  const dump::DumpTable& t = *table_;
  const uint32_t n = static_cast<uint32_t>(t.columns.size());
  const ferry_str schema = out.copy(t.schema);
  const ferry_str table = out.copy(t.table);
  const ferry_position pos = position_in(out);
  while (out.room() >= 2) {
    if (row_ >= statement_.rows()) {
      std::string error;
      if (!reader_->next(statement_, error)) {
        if (!error.empty()) return sdk::Status::error(FERRY_E_FILE_FORMAT, file_->path.string() + " " + error);
        done = true;
        return sdk::Status::ok();
      }
      row_ = 0;
      // Which table column each cell fills: by the statement's column list, else in order.
      column_of_cell_.assign(statement_.width, -1);
      if (statement_.columns.empty()) {
        uint32_t cell = 0;
        for (uint32_t col : t.read_columns()) {
          if (cell < statement_.width) column_of_cell_[cell++] = static_cast<int>(col);
        }
        if (statement_.width != t.read_columns().size()) {
          return sdk::Status::error(FERRY_E_FILE_FORMAT, file_->path.string() + ": rows of " + std::to_string(statement_.width) +
                                                             " values for a table of " + std::to_string(t.read_columns().size()) +
                                                             " stored columns");
        }
      } else {
        for (uint32_t cell = 0; cell < statement_.columns.size(); ++cell) {
          for (uint32_t col = 0; col < n; ++col) {
            if (t.columns[col].name == statement_.columns[cell]) column_of_cell_[cell] = static_cast<int>(col);
          }
          if (column_of_cell_[cell] < 0) {
            return sdk::Status::error(FERRY_E_FILE_FORMAT, file_->path.string() + ": column `" + statement_.columns[cell] +
                                                               "` is not in " + t.schema + "." + t.table + "'s schema file");
          }
        }
      }
      if (statement_.table != t.table) {
        return sdk::Status::error(FERRY_E_FILE_FORMAT, file_->path.string() + " inserts into `" + statement_.table +
                                                           "`, not " + t.table);
      }
      continue;
    }
    ferry_event& e = out.append(FERRY_EVENT_ROW);
    e.pos = pos;
    ferry_row_event& r = e.u.row;
    r.op = FERRY_ROW_INSERT;
    r.table = &t.abi();
    r.target_schema = schema;
    r.target_table = table;
    ferry_value* values = out.values(n);
    uint8_t* present = out.bitmap(n);
    bool all = true;
    const size_t base = row_ * statement_.width;
    for (uint32_t cell = 0; cell < statement_.width; ++cell) {
      const auto& c = statement_.cells[base + cell];
      const uint32_t col = static_cast<uint32_t>(column_of_cell_[cell]);
      present[col / 8] |= static_cast<uint8_t>(1u << (col % 8));
      if (c.null) continue;
      const ferry_str text = out.copy(statement_.text(c));
      std::string error;
      if (!file_cell_value(t.columns[col], std::string_view(text.data ? text.data : "", text.len), c.quoted, values[col], error)) {
        return sdk::Status::error(FERRY_E_FILE_FORMAT, file_->path.string() + ": " + error);
      }
    }
    for (uint32_t col = 0; col < n; ++col) all = all && ((present[col / 8] >> (col % 8)) & 1u);
    r.after = values;
    r.after_present = all ? nullptr : present;
    ++row_;
    ++rows_done_;
  }
  return sdk::Status::ok();
}

sdk::Status DumpFilesSource::poll(sdk::BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) {
  (void)max_wait;
  if (finished_) return sdk::Status::end();
  if (!ddl_.empty() && !ddl_.emit(out, position_in(out))) return sdk::Status::ok();
  if (stopping) return sdk::Status::ok();
  while (out.room() >= 3) {
    if (!file_) {
      if (files_.empty()) {
        ferry_event& cp = out.append(FERRY_EVENT_CHECKPOINT);
        cp.flags = FERRY_EVENT_FINAL;
        set_position(cp, out);
        // The stretch whose changes may be in the files already, and the tables read later.
        if (const std::string note = handover_note(metadata_); !note.empty()) cp.pos.token = out.copy(note);
        host_.info("dump directory loaded files=" + std::to_string(files_done_) + " rows=" + std::to_string(rows_done_));
        finished_ = true;
        return sdk::Status::end();
      }
      if (auto s = open_file(files_.front()); !s.is_ok()) return s;
      files_.pop_front();
    }
    if (!began_) {
      ferry_event& b = out.append(FERRY_EVENT_TXN_BEGIN);
      set_position(b, out);
      b.pos.token = out.copy(token(*file_));
      began_ = true;
    }
    bool done = false;
    if (auto s = emit_rows(out, done); !s.is_ok()) return s;
    if (!done) return sdk::Status::ok();
    ferry_event& c = out.append(FERRY_EVENT_TXN_COMMIT);
    set_position(c, out);
    c.pos.token = out.copy(token(*file_));
    ++files_done_;
    file_.reset();
    text_.clear();
  }
  return sdk::Status::ok();
}

}  // namespace ferry::load
