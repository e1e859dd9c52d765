#include "files/dump_directory.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ferry::load {
namespace {

// The header of ferry's section of tables read after the start.
constexpr std::string_view kTablesSection = "TABLES READ AFTER THE START:";

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<DumpMetadata> read_metadata(const std::filesystem::path& dir, std::string& error) {
  const auto path = dir / "metadata";
  std::ifstream in(path);
  if (!in) {
    error = "dump directory " + dir.string() + " has no metadata file: mydumper and dumpling write it when the dump "
            "finishes, so this dump did not finish or this is not a dump directory; dump again";
    return std::nullopt;
  }
  DumpMetadata m;
  std::optional<MetadataPoint>* target = nullptr;
  std::optional<MetadataPoint> master, after;
  bool finished = false;
  bool tables = false;  // in ferry's section of tables read after the start
  for (std::string raw; std::getline(in, raw);) {
    const std::string line = trim(raw);
    if (line.starts_with(kTablesSection)) {
      tables = true;
      target = nullptr;
    } else if (tables) {
      if (line.empty()) {
        tables = false;
        continue;
      }
      // Read back through the hand-over note's own parser: "<schema>.<table>@<file>:<offset>".
      auto note = sdk::parse_safe_until(std::string(sdk::kSafeUntilPrefix) + "-:0;table=" + line);
      if (!note || note->tables.size() != 1) {
        error = path.string() + ": cannot read the table read position '" + line + "'";
        return std::nullopt;
      }
      m.tables.push_back(std::move(note->tables.front()));
    } else if (line.starts_with("SHOW MASTER STATUS:")) {
      target = line.find("AFTER") != std::string::npos ? &after : &master;
      *target = MetadataPoint{};
    } else if (line.starts_with("SHOW SLAVE STATUS:") || line.starts_with("Started dump")) {
      target = nullptr;
    } else if (line.starts_with("Finished dump")) {
      finished = true;
      target = nullptr;
    } else if (target != nullptr && line.starts_with("Log:")) {
      (*target)->file = trim(line.substr(4));
    } else if (target != nullptr && line.starts_with("Pos:")) {
      try {
        (*target)->pos = std::stoull(trim(line.substr(4)));
      } catch (const std::exception&) {
        error = path.string() + ": 'Pos:' is not a number: " + line;
        return std::nullopt;
      }
    } else if (target != nullptr && line.starts_with("GTID:")) {
      (*target)->gtid = trim(line.substr(5));
    } else if (target != nullptr && !line.empty() && (*target)->gtid.size() > 0 && line.find(':') != std::string::npos) {
      (*target)->gtid += trim(line);  // MySQL GTID sets continue on the next lines
    }
  }
  if (!master || master->file.empty() || !finished) {
    error = "metadata file " + path.string() + " is incomplete (" +
            (!master || master->file.empty() ? std::string("no 'Log:' and 'Pos:' under 'SHOW MASTER STATUS:'")
                                             : std::string("no 'Finished dump at:' line")) +
            "; DM reports this as \"parse mydumper metadata error: EOF\"): the dump did not finish, or the upstream "
            "writes no binlog. Dump again (with log_bin on upstream if a sync is to follow)";
    return std::nullopt;
  }
  m.start = *master;
  m.after = after;
  return m;
}

std::string metadata_text(const DumpMetadata& m, const std::string& started, const std::string& finished) {
  std::string out = "Started dump at: " + started + "\n";
  if (!m.tables.empty()) {
    out += std::string(kTablesSection) + " /* ferry: read whole after the start; the sync skips their changes up to here */\n";
    for (const auto& t : m.tables) {
      out += "\t" + sdk::handover_detail::encode_name(t.schema) + "." + sdk::handover_detail::encode_name(t.table) + "@" +
             t.file + ":" + std::to_string(t.pos) + "\n";
    }
    out += "\n";
  }
  out += "SHOW MASTER STATUS:\n\tLog: " + m.start.file + "\n\tPos: " + std::to_string(m.start.pos) + "\n\tGTID:" + m.start.gtid + "\n\n";
  if (m.after) {
    out += "SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED */\n\tLog: " + m.after->file +
           "\n\tPos: " + std::to_string(m.after->pos) + "\n\tGTID:" + m.after->gtid + "\n\n";
  }
  return out + "Finished dump at: " + finished + "\n";
}

std::string handover_note(const DumpMetadata& m) {
  if (!m.after || (m.after->file == m.start.file && m.after->pos == m.start.pos)) return {};
  return sdk::format_safe_until(sdk::SafeUntil{m.after->file, m.after->pos, m.after->gtid, m.tables});
}

void set_handover(DumpMetadata& m, std::string_view token) {
  m.after.reset();
  m.tables.clear();
  if (auto note = sdk::parse_safe_until(token)) {
    m.after = MetadataPoint{note->file, note->pos, note->gtid};
    m.tables = std::move(note->tables);
  }
}

bool clean_after_load(const std::filesystem::path& dir, CleanAfterLoad how, std::string& error) {
  std::error_code ec;
  if (how == CleanAfterLoad::All) {
    std::filesystem::remove_all(dir, ec);
    if (ec) error = "cannot delete " + dir.string() + ": " + ec.message();
    return !ec;
  }
  if (how != CleanAfterLoad::DataFiles) return true;
  DumpListing listing;
  if (!list_dump_directory(dir, listing, error)) return false;
  // The marker first: a directory left half-cleaned by a crash is refused, never loaded short.
  std::ofstream(dir / kDataFilesRemovedMarker) << "the data files of this dump were deleted after it was loaded "
                                                  "(clean-after-load: data-files, DM's clean-dump-file)\n";
  for (const auto& f : listing.data) {
    std::filesystem::remove(f.path, ec);
    if (ec) {
      error = "cannot delete " + f.path.string() + ": " + ec.message();
      return false;
    }
  }
  return true;
}

std::filesystem::path schema_create_file(const std::filesystem::path& dir, const std::string& schema) {
  return dir / (schema + "-schema-create.sql");
}

std::filesystem::path table_schema_file(const std::filesystem::path& dir, const std::string& schema, const std::string& table) {
  return dir / (schema + "." + table + "-schema.sql");
}

std::filesystem::path data_file(const std::filesystem::path& dir, const std::string& schema, const std::string& table,
                                uint64_t number) {
  char n[16];
  std::snprintf(n, sizeof n, "%05llu", static_cast<unsigned long long>(number));
  return dir / (schema + "." + table + "." + n + ".sql");
}

bool list_dump_directory(const std::filesystem::path& dir, DumpListing& out, std::string& error) {
  out = DumpListing{};
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file()) names.push_back(e.path().filename().string());
  }
  if (ec) {
    error = "cannot list dump directory " + dir.string() + ": " + ec.message();
    return false;
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    if (name == "metadata" || name.starts_with(".")) continue;
    if (name.ends_with(".sql.gz") || name.ends_with(".sql.zst") || name.ends_with(".csv")) {
      error = "dump directory " + dir.string() + " holds " + name +
              ": compressed and CSV dumps are not read yet; dump again without --compress / with --filetype sql";
      return false;
    }
    if (!name.ends_with(".sql")) continue;
    const std::string stem = name.substr(0, name.size() - 4);
    if (stem.ends_with("-schema-create")) {
      out.schemas.push_back(stem.substr(0, stem.size() - 14));
    } else if (stem.ends_with("-schema-view") || stem.ends_with("-schema-triggers") || stem.ends_with("-schema-post") ||
               stem.ends_with("-schema-sequence")) {
      out.skipped.push_back(name);
    } else if (stem.ends_with("-schema")) {
      const std::string qualified = stem.substr(0, stem.size() - 7);
      const auto dot = qualified.find('.');
      if (dot == std::string::npos) {
        error = "cannot tell the schema and table of " + name + " in " + dir.string();
        return false;
      }
      out.tables.emplace_back(qualified.substr(0, dot), qualified.substr(dot + 1));
    } else {
      DataFile f;
      f.path = dir / name;
      std::string qualified = stem;
      const auto last = stem.rfind('.');
      if (last != std::string::npos && all_digits(stem.substr(last + 1))) {
        f.number = std::stoull(stem.substr(last + 1));
        qualified = stem.substr(0, last);
      }
      const auto dot = qualified.find('.');
      if (dot == std::string::npos) {
        error = "cannot tell the schema and table of " + name + " in " + dir.string();
        return false;
      }
      f.schema = qualified.substr(0, dot);
      f.table = qualified.substr(dot + 1);
      out.data.push_back(std::move(f));
    }
  }
  std::sort(out.data.begin(), out.data.end(), [](const DataFile& a, const DataFile& b) {
    return std::tie(a.schema, a.table, a.number) < std::tie(b.schema, b.table, b.number);
  });
  return true;
}

}  // namespace ferry::load
