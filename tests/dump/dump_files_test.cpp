// Dump directories both ways: a directory Debian's mydumper 0.10 wrote loads through the
// dump-files source exactly as myloader loads it; ferry's own dump-files sink writes a directory
// that loads back equal to the upstream (after a SIGKILL in the middle of writing it) and that
// myloader reads too; a directory without its metadata, or with one cut short, is refused with
// a message that says what to do.
#include "dump_data.hpp"
#include "dump_fixture.hpp"
#include "support/ferry_process.hpp"
#include "support/run_command.hpp"
#include "support/table_compare.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

namespace ferry::testing {
namespace {

namespace fs = std::filesystem;

// A task file of one full phase, `source` and `sink` as YAML flow mappings.
fs::path write_task(const fs::path& dir, const std::string& name, const std::string& source, const std::string& sink) {
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".yaml");
  std::ofstream(file) << "name: " << name << "\ntask-mode: full\ndata-dir: " << (dir / "ferry-data").string()
                      << "\nretry: {initial-backoff: 100ms, max-backoff: 1s, max-retries: 5}\nfull:\n  source: " << source
                      << "\n  sink: " << sink << "\n";
  return file;
}

std::string server_keys(const MariadbServer& s) {
  return "host: 127.0.0.1, port: " + std::to_string(s.port()) + ", user: " + s.user() + ", password: " + s.password();
}

FerryProcess ferry_run(const fs::path& task, const fs::path& log) {
  return FerryProcess(FERRY_BINARY, {"--plugin-dir", FERRY_PLUGIN_DIR, "run", task.string()}, log);
}

int run_to_exit(FerryProcess& p) {
  p.start();
  return p.wait(120000).value_or(-1);
}

fs::path work_dir(const std::string& name) {
  const fs::path dir = fs::path(DUMP_WORK_DIR) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<std::string> base_tables(Connection& c, const std::string& schema) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA = '" +
                               schema + "' ORDER BY 1")) {
    out.push_back(r[0].value_or(""));
  }
  return out;
}

// The columns of `table` whose values differ between the two sides (each column's values in a
// fixed order, hashed), leaving out `skip`.
std::string differing_columns(Connection& a, const std::string& a_schema, Connection& b, const std::string& b_schema,
                              const std::string& table, const std::set<std::string>& skip = {}) {
  std::string columns;
  for (const auto& col : a.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + a_schema +
                                 "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
    const std::string name = col[0].value_or("");
    if (skip.count(name)) continue;
    const std::string sql = "SELECT MD5(GROUP_CONCAT(IFNULL(HEX(`" + name + "`), 'N') ORDER BY 1 SEPARATOR ',')) FROM `";
    if (a.query_value(sql + a_schema + "`.`" + table + "`") != b.query_value(sql + b_schema + "`.`" + table + "`")) {
      columns += " " + name;
    }
  }
  return columns;
}

// Every table of `a_schema` on `a` equals its namesake in `b_schema` on `b`: exactly, or column
// by column without the `skip` columns.
void expect_same_tables(Connection& a, const std::string& a_schema, Connection& b, const std::string& b_schema,
                        const std::set<std::string>& skip = {}) {
  const auto tables = base_tables(a, a_schema);
  ASSERT_FALSE(tables.empty());
  EXPECT_EQ(base_tables(b, b_schema), tables);
  for (const auto& t : tables) {
    if (skip.empty()) {
      const TableComparison c = compare_table(a, a_schema, b, b_schema, t);
      if (c.equal()) continue;
      ADD_FAILURE() << a_schema << "." << t << " vs " << b_schema << "." << t << ": " << c.describe()
                    << " columns:" << differing_columns(a, a_schema, b, b_schema, t);
      continue;
    }
    const std::string count = "SELECT COUNT(*) FROM `";
    EXPECT_EQ(a.query_value(count + a_schema + "`.`" + t + "`"), b.query_value(count + b_schema + "`.`" + t + "`")) << t;
    EXPECT_EQ(differing_columns(a, a_schema, b, b_schema, t, skip), "") << a_schema << "." << t << " vs " << b_schema << "." << t;
  }
}

// Starts `dump` and SIGKILLs it once its dump-files sink has recorded at least `chunks` chunks in
// `files`/.ferry-chunks (polled at most 6000 times, 2 ms apart); a failure when it exited first.
::testing::AssertionResult kill_after_written_chunks(FerryProcess& dump, const fs::path& files, int chunks) {
  dump.start();
  for (int i = 0; i < 6000 && dump.running(); ++i) {
    std::ifstream in(files / ".ferry-chunks");
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    if (n >= chunks) {
      dump.signal(SIGKILL);
      dump.wait(10000);
      return ::testing::AssertionSuccess();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // bounds how late the kill lands
  }
  return ::testing::AssertionFailure() << "the dump wrote fewer than " << chunks << " chunks before it ended\n" << dump.log_tail();
}

// MariaDB's INET4, INET6 and UUID: mydumper 0.10 writes their text as plain strings under SET
// NAMES binary, where the server takes them for the raw value, so myloader loads other values
// than were dumped (ferry reads the text as text).
const std::set<std::string> kMyloaderMisreads = {"ip4", "ip6", "uid"};

TEST(DumpFiles, AMydumperDirectoryLoadsAsMyloaderLoadsIt) {
  DumpFixture f("files_mydumper", {});
  Connection up = f.up().connect();
  write_shapes(up);
  write_every_type(up, 150);
  const fs::path dir = work_dir("files_mydumper_dump");
  for (const char* schema : {"shapes", "types"}) {
    // Rows per file for `types` (several data files); none for `shapes`, whose BIGINT keys at
    // their extremes mydumper 0.10 cannot cut into row ranges (it never finishes).
    std::vector<std::string> argv = {"/usr/bin/mydumper", "-h", "127.0.0.1", "-P", std::to_string(f.up().port()), "-u",
                                     f.up().user(), "-p", f.up().password(), "-B", schema, "-o", (dir / schema).string()};
    if (std::string(schema) == "types") argv.insert(argv.end(), {"-r", "100"});
    const auto r = run_command(argv);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // ferry loads both directories; myloader loads them again under other names, to compare with.
  for (const char* schema : {"shapes", "types"}) {
    const fs::path task = write_task(dir, std::string("load_") + schema, "{plugin: dump-files, dir: " + (dir / schema).string() + "}",
                                     "{plugin: tidb-load, " + server_keys(f.down()) + ", pool-size: 2}");
    FerryProcess p = ferry_run(task, dir / (std::string(schema) + ".log"));
    ASSERT_EQ(run_to_exit(p), 0) << p.log_tail();
    const auto r = run_command({"/usr/bin/myloader", "-h", "127.0.0.1", "-P", std::to_string(f.down().port()), "-u", f.down().user(), "-p",
                                f.down().password(), "-d", (dir / schema).string(), "-B", std::string(schema) + "_myloader"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  Connection down = f.down().connect();
  expect_same_tables(down, "shapes", down, "shapes_myloader");
  expect_same_tables(down, "types", down, "types_myloader", kMyloaderMisreads);
  // Those three ferry loads as they were upstream; and the key shapes have no FLOAT (which
  // mydumper prints with 6 digits): equal to the upstream throughout.
  EXPECT_EQ(differing_columns(up, "types", down, "types", "every_type", {}).find(" ip"), std::string::npos);
  EXPECT_EQ(differing_columns(up, "types", down, "types", "every_type", {}).find(" uid"), std::string::npos);
  expect_same_tables(up, "shapes", down, "shapes");
}

TEST(DumpFiles, FerrysDirectoryLoadsBackEqualAfterAKillWhileWritingIt) {
  DumpFixture f("files_ferry", {});
  Connection up = f.up().connect();
  write_shapes(up);
  write_every_type(up, 300);
  up.execute("CREATE DATABASE bulk");
  up.execute("CREATE TABLE bulk.items (id INT PRIMARY KEY, note VARCHAR(200))");
  up.execute("INSERT INTO bulk.items SELECT seq, REPEAT(CHAR(65 + seq % 26), 150) FROM seq_1_to_60000");
  up.execute("ANALYZE TABLE bulk.items");
  const fs::path dir = work_dir("files_ferry_dump");
  const fs::path files = dir / "files";
  const fs::path dump_task = write_task(dir, "to_files", "{plugin: mysql-dump, " + server_keys(f.up()) +
                                                            ", databases: [shapes, types, bulk], rows: 2000, threads: 2}",
                                        "{plugin: dump-files, dir: " + files.string() + ", statement-size: 64KiB}");
  FerryProcess dump = ferry_run(dump_task, dir / "dump.log");
  // SIGKILL once some chunks are written, then finish the dump.
  ASSERT_TRUE(kill_after_written_chunks(dump, files, 3));
  EXPECT_FALSE(fs::exists(files / "metadata")) << "the killed dump must not look finished";
  FerryProcess again = ferry_run(dump_task, dir / "dump.log");
  ASSERT_EQ(run_to_exit(again), 0) << again.log_tail();
  ASSERT_TRUE(fs::exists(files / "metadata"));
  for (const auto& e : fs::directory_iterator(files)) {
    EXPECT_FALSE(e.path().filename().string().ends_with(".tmp")) << e.path();
  }

  const fs::path load_task = write_task(dir, "from_files", "{plugin: dump-files, dir: " + files.string() + "}",
                                        "{plugin: tidb-load, " + server_keys(f.down()) + ", pool-size: 2}");
  FerryProcess load = ferry_run(load_task, dir / "load.log");
  ASSERT_EQ(run_to_exit(load), 0) << load.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"shapes", "types", "bulk"});

  // myloader reads ferry's files too (every literal is plain SQL under SET NAMES binary).
  const auto r = run_command({"/usr/bin/myloader", "-h", "127.0.0.1", "-P", std::to_string(f.down().port()), "-u", f.down().user(), "-p",
                              f.down().password(), "-d", files.string(), "-s", "types", "-B", "types_myloader"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Connection down = f.down().connect();
  // All of them: ferry writes INET4/INET6/UUID text with a _utf8mb4 introducer.
  expect_same_tables(up, "types", down, "types_myloader");
}

TEST(DumpFiles, AResumedDumpsDirectoryHandsTheSyncItsSafeModeWindowAndItsLaterTables) {
  // A dump to files is killed after its first chunks; the upstream changes, a keyless table the
  // dump had not reached among them; the rerun reads the rest from a second snapshot. A sync
  // started from the directory (DM's load&sync: dump-files -> tidb-load, then mysql-binlog ->
  // tidb) starts at the first snapshot, replays in safe mode up to the second, and skips the
  // keyless table's changes up to its read (safe mode cannot make a keyless INSERT idempotent).
  const fs::path dir = work_dir("files_handover_dump");
  const fs::path files = dir / "files";
  DumpFixture f("files_handover", {.all = true, .dump = {"plugin: dump-files", "dir: " + files.string()}, .load = {"pool-size: 1"}});
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE hand");
  up.execute("USE hand");
  up.execute("CREATE TABLE a_items (id INT NOT NULL PRIMARY KEY, pad VARCHAR(100))");
  up.execute("INSERT INTO a_items SELECT seq, REPEAT('p', 50 + seq % 50) FROM seq_1_to_50000");
  up.execute("ANALYZE TABLE a_items");
  up.execute("CREATE TABLE z_late (a INT, b VARCHAR(10))");
  up.execute("INSERT INTO z_late VALUES (1, 'x'), (1, 'x'), (2, 'y'), (3, NULL)");
  const fs::path dump_task = write_task(dir, "to_files", "{plugin: mysql-dump, " + server_keys(f.up()) +
                                                            ", databases: [hand], rows: 50, threads: 1}",
                                        "{plugin: dump-files, dir: " + files.string() + "}");
  FerryProcess dump = ferry_run(dump_task, dir / "dump.log");
  ASSERT_TRUE(kill_after_written_chunks(dump, files, 1));
  ASSERT_FALSE(fs::exists(files / "hand.z_late.00000.sql")) << "z_late was dumped before the kill: the case does not arise";
  for (const char* sql : {"UPDATE a_items SET pad = 'changed' WHERE id = 1", "DELETE FROM a_items WHERE id = 50000",
                          "INSERT INTO a_items VALUES (50001, 'new')", "INSERT INTO z_late VALUES (1, 'x'), (4, 'new')",
                          "DELETE FROM z_late WHERE a = 2 LIMIT 1", "UPDATE z_late SET b = 'z' WHERE a = 3"}) {
    up.execute(sql);
  }
  FerryProcess again = ferry_run(dump_task, dir / "dump.log");
  ASSERT_EQ(run_to_exit(again), 0) << again.log_tail();
  std::ifstream metadata_file(files / "metadata");
  const std::string metadata((std::istreambuf_iterator<char>(metadata_file)), std::istreambuf_iterator<char>());
  EXPECT_NE(metadata.find("SHOW MASTER STATUS: /* AFTER CONNECTION POOL ESTABLISHED */"), std::string::npos) << metadata;
  EXPECT_NE(metadata.find("\thand.z_late@"), std::string::npos) << metadata;

  // Changes after the directory was finished, for the sync to carry as well.
  up.execute("INSERT INTO z_late VALUES (5, 'after')");
  up.execute("UPDATE a_items SET pad = 'later' WHERE id = 2");
  f.ferry().start();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_FALSE(f.log_lines("safe mode until").empty()) << f.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"hand"}, 2);
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();

  // myloader reads the directory as before (it never reads the metadata file).
  const auto r = run_command({"/usr/bin/myloader", "-h", "127.0.0.1", "-P", std::to_string(f.down().port()), "-u", f.down().user(), "-p",
                              f.down().password(), "-d", files.string(), "-s", "hand", "-B", "hand_myloader"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// The names of the files in `dir`, sorted.
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DumpFiles, CleanAfterLoadDeletesTheDataFilesOrTheDirectoryOnlyOnceTheLoadIsCommitted) {
  // DM's clean-dump-file: its loader deletes the data files (keeping metadata and schema files),
  // and in load&sync its sync deletes the whole directory.
  DumpFixture f("files_clean", {});
  Connection up = f.up().connect();
  write_shapes(up);
  const fs::path dir = work_dir("files_clean_dump");
  const fs::path files = dir / "files";
  FerryProcess dump = ferry_run(write_task(dir, "to_files", "{plugin: mysql-dump, " + server_keys(f.up()) + ", databases: [shapes], rows: 300}",
                                           "{plugin: dump-files, dir: " + files.string() + "}"),
                                dir / "dump.log");
  ASSERT_EQ(run_to_exit(dump), 0) << dump.log_tail();
  const fs::path copy = dir / "copy";
  fs::copy(files, copy, fs::copy_options::recursive);
  const std::vector<std::string> written = files_in(files);
  ASSERT_GT(std::count_if(written.begin(), written.end(), [](const std::string& n) { return n.ends_with(".00001.sql"); }), 0);
  auto load = [&](const std::string& name, const fs::path& from, const std::string& clean, const std::string& password) {
    return ferry_run(write_task(dir, name, "{plugin: dump-files, dir: " + from.string() + ", clean-after-load: " + clean + "}",
                                "{plugin: tidb-load, host: 127.0.0.1, port: " + std::to_string(f.down().port()) +
                                    ", user: " + f.down().user() + ", password: " + password + "}"),
                     dir / (name + ".log"));
  };

  // A load that fails deletes nothing.
  FerryProcess refused = load("refused", files, "all", "wrong");
  EXPECT_EQ(run_to_exit(refused), 1) << refused.log_tail();
  EXPECT_EQ(files_in(files), written);

  FerryProcess data_files = load("data_files", files, "data-files", f.down().password());
  ASSERT_EQ(run_to_exit(data_files), 0) << data_files.log_tail();
  expect_schemas_equal(f.up(), f.down(), {"shapes"}, 8);
  std::vector<std::string> kept;
  for (const auto& n : written) {
    if (n == "metadata" || n.starts_with(".") || n.ends_with("-schema.sql") || n.ends_with("-schema-create.sql")) kept.push_back(n);
  }
  kept.push_back(".ferry-data-files-removed");
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(files_in(files), kept);
  // Loaded again (a new task), the directory is refused rather than loaded without its rows.
  FerryProcess again = load("again", files, "none", f.down().password());
  EXPECT_EQ(run_to_exit(again), 1) << again.log_tail();
  EXPECT_NE(again.log_tail().find("were deleted after an earlier load"), std::string::npos) << again.log_tail();

  f.down().connect().execute("DROP DATABASE shapes");  // loaded again from the copy
  FerryProcess all = load("all", copy, "all", f.down().password());
  ASSERT_EQ(run_to_exit(all), 0) << all.log_tail();
  EXPECT_FALSE(fs::exists(copy));
  expect_schemas_equal(f.up(), f.down(), {"shapes"}, 8);
}

TEST(DumpFiles, MissingOrTruncatedMetadataIsRefusedSayingWhatToDo) {
  DumpFixture f("files_metadata", {});
  const fs::path dir = work_dir("files_metadata_dump");
  const fs::path files = dir / "files";
  fs::create_directories(files);
  std::ofstream(files / "shop-schema-create.sql") << "CREATE DATABASE `shop`;\n";
  const fs::path task = write_task(dir, "load", "{plugin: dump-files, dir: " + files.string() + "}",
                                   "{plugin: tidb-load, " + server_keys(f.down()) + "}");
  FerryProcess missing = ferry_run(task, dir / "missing.log");
  EXPECT_EQ(run_to_exit(missing), 1);
  EXPECT_NE(missing.log_tail().find("has no metadata file"), std::string::npos) << missing.log_tail();
  EXPECT_NE(missing.log_tail().find("dump again"), std::string::npos) << missing.log_tail();

  std::ofstream(files / "metadata") << "Started dump at: 2026-12-06 05:29:31\nSHOW MASTER STATUS:\n\tLog: binlog.0000";
  FerryProcess truncated = ferry_run(task, dir / "truncated.log");
  EXPECT_EQ(run_to_exit(truncated), 1);
  EXPECT_NE(truncated.log_tail().find("parse mydumper metadata error: EOF"), std::string::npos) << truncated.log_tail();
  Connection down = f.down().connect();
  EXPECT_EQ(down.query_value("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'"), "0")
      << "nothing is created from a dump that did not finish";
}

}  // namespace
}  // namespace ferry::testing
