// DM task files: each golden/CASE/ holds a DM task.yaml and source.yaml and the `expected`
// outcome: every diagnostic (file:line:col: message, as `ferry check` prints them), or, for a
// file that translates, its warnings and the native task tree it becomes. The translation is
// checked against the real sync plugins (their schemas validate the values).
#include "config/dm/dm_task.hpp"
#include "support/run_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ferry::core::config::dm {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kGolden = DM_GOLDEN_DIR;
const std::filesystem::path kWork = WORK_DIR;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// Removes `dir/` from every path in `text`, so expected files name files as the case folder does.
std::string relative_to(std::string text, const std::filesystem::path& dir) {
  const std::string prefix = dir.string() + "/";
  for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  return text;
}

// The values the golden files take from the environment.
class DmTaskFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setenv("FERRY_DM_TEST_DOWN_PASSWORD", "down-secret", 1);
    setenv("FERRY_DM_TEST_UP_PASSWORD", "up-secret", 1);
    setenv("FERRY_DM_TEST_UP_PORT", "3307", 1);
    unsetenv("FERRY_DM_TEST_SURELY_UNSET");
  }

  static PluginRegistry registry() {
    PluginRegistry r;
    r.add_directory(PLUGIN_DIR);
    return r;
  }
};

// What `ferry check` would report for a case, or its warnings and native tree.
std::string outcome(const std::filesystem::path& dir, PluginRegistry& registry) {
  std::string got;
  try {
    DmTranslation t = translate_dm_task(dir / "task.yaml", dir / "source.yaml", registry);
    YAML::Emitter tree;
    tree << t.native;
    const auto warnings = t.warnings;
    load_task_root(t.native, dir / "task.yaml", registry, std::move(t.errors), &t.origins);
    for (const auto& w : warnings) got += "warning: " + w.to_string() + "\n";
    got += std::string(tree.c_str()) + "\n";
  } catch (const TaskFileError& e) {
    got = e.diagnostics().to_string();
  }
  return relative_to(got, dir);
}

class GoldenDmTaskFile : public DmTaskFile, public ::testing::WithParamInterface<std::string> {};

TEST_P(GoldenDmTaskFile, ReportsExactlyTheExpectedOutcome) {
  PluginRegistry r = registry();
  ASSERT_TRUE(r.failures().empty());
  const auto dir = kGolden / GetParam();
  const std::string got = outcome(dir, r);
  // FERRY_UPDATE_GOLDEN=1 rewrites `expected` from what the translation gives now (read the diff).
  if (const char* update = getenv("FERRY_UPDATE_GOLDEN"); update != nullptr && *update != '\0') {
    std::ofstream(dir / "expected") << got;
  }
  EXPECT_EQ(got, read(dir / "expected"));
}

std::vector<std::string> golden_cases() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kGolden)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenDmTaskFile, ::testing::ValuesIn(golden_cases()),
                         [](const auto& info) { return info.param; });

TEST_F(DmTaskFile, TranslatesToTheSyncPluginsWithTheirValuesExpanded) {
  PluginRegistry r = registry();
  TaskSpec spec = load_dm_task_file(kGolden / "valid" / "task.yaml", kGolden / "valid" / "source.yaml", r);
  EXPECT_EQ(spec.name, "orders");
  EXPECT_EQ(spec.mode, "incremental");
  EXPECT_EQ(spec.data_dir, kGolden / "valid" / "ferry-data" / "orders");
  EXPECT_EQ(spec.pipeline.queue.max_events, 512u * 8u);  // queue-size x the instance's syncer-thread
  ASSERT_EQ(spec.phases.size(), 1u);
  const PhaseSpec& phase = spec.phases[0];
  EXPECT_STREQ(phase.source.plugin->def->name, "mysql-binlog");
  EXPECT_STREQ(phase.sink.plugin->def->name, "tidb");
  EXPECT_TRUE(phase.transforms.empty());
  const ferry_config_node& src = *phase.source.config;
  EXPECT_EQ(src.find("port")->int_value, 3307);
  EXPECT_EQ(src.find("password")->text, "up-secret");
  EXPECT_EQ(src.find("binlog-pos")->int_value, 1234);
  EXPECT_EQ(src.find("checkpoint-interval")->int_value, 5000);
  const ferry_config_node& sink = *phase.sink.config;
  EXPECT_EQ(sink.find("password")->text, "down-secret");
  EXPECT_EQ(sink.find("source-id")->text, "mysql-01");
  EXPECT_EQ(sink.find("worker-count")->int_value, 8);
  EXPECT_EQ(sink.find("safe-mode-duration")->int_value, 120000);
  EXPECT_EQ(sink.find("max-allowed-packet")->int_value, 67108864);
  EXPECT_EQ(sink.find("session")->find("sql_mode")->text, "ANSI_QUOTES");
  EXPECT_EQ(sink.find("security")->find("ssl-ca")->text, "/etc/ferry/ca.pem");
  EXPECT_TRUE(sink.find("atomic-transactions")->bool_value);  // not a DM key: the plugin's default
  EXPECT_FALSE(src.find("enable-relay")->bool_value);
  EXPECT_EQ(src.find("relay-dir")->text, "./relay_log");
  EXPECT_EQ(src.find("relay-purge-remain-space")->int_value, 0) << "no relay: no purge";
  ASSERT_EQ(spec.warnings.size(), 2u);
}

// The relay log's keys: DM's purge in hours and GB, its default (purge under 15 GB free), its
// interval 0 (no automatic purge), and a misspelt purge key.
TEST_F(DmTaskFile, RelayKeysTranslateWithDmsPurgeDefaults) {
  PluginRegistry r = registry();
  const std::string task = read(kGolden / "valid" / "task.yaml");
  const std::string source = read(kGolden / "valid" / "source.yaml");
  const auto dir = kWork / "dm-relay";
  write(dir / "task.yaml", task);
  auto relay_source = [&](const std::string& purge) {
    std::string s = source;
    s.replace(s.find("enable-relay: false"), 19, "enable-relay: true");
    return s + purge;
  };
  auto source_config = [&](const std::string& purge) {
    write(dir / "source.yaml", relay_source(purge));
    TaskSpec spec = load_dm_task_file(dir / "task.yaml", dir / "source.yaml", r);
    return spec;
  };
  {
    TaskSpec spec = source_config("");
    const ferry_config_node& src = *spec.phases[0].source.config;
    EXPECT_TRUE(src.find("enable-relay")->bool_value);
    EXPECT_EQ(src.find("relay-purge-remain-space")->int_value, 15ll << 30);
    EXPECT_EQ(src.find("relay-purge-expires")->int_value, 0);
  }
  {
    TaskSpec spec = source_config("purge:\n  interval: 600\n  expires: 48\n  remain-space: 5\n");
    const ferry_config_node& src = *spec.phases[0].source.config;
    EXPECT_EQ(src.find("relay-purge-expires")->int_value, 48ll * 3600 * 1000);
    EXPECT_EQ(src.find("relay-purge-remain-space")->int_value, 5ll << 30);
  }
  {
    TaskSpec spec = source_config("purge:\n  interval: 0\n  expires: 48\n");
    const ferry_config_node& src = *spec.phases[0].source.config;
    EXPECT_EQ(src.find("relay-purge-expires")->int_value, 0) << "interval 0: DM purges nothing by itself";
    EXPECT_EQ(src.find("relay-purge-remain-space")->int_value, 0);
  }
  try {
    source_config("purge:\n  expire: 48\n");
    ADD_FAILURE() << "a misspelt purge key was accepted";
  } catch (const TaskFileError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown key 'purge.expire'")) << e.what();
  }
}

TEST_F(DmTaskFile, IsRecognisedByItsKeys) {
  EXPECT_TRUE(is_dm_task_file(kGolden / "valid" / "task.yaml"));
  EXPECT_TRUE(is_dm_task_file(kGolden / "missing_keys" / "task.yaml"));  // mysql-instances alone
  EXPECT_FALSE(is_dm_task_file(kGolden / "native_file" / "task.yaml"));
  EXPECT_FALSE(is_dm_task_file(kGolden / "valid" / "source.yaml"));
  EXPECT_FALSE(is_dm_task_file(kWork / "no-such-file.yaml"));
}

TEST_F(DmTaskFile, WithoutDmUnitsInThePluginDirectoriesItSaysWhatIsMissing) {
  const auto empty = kWork / "dm-units-none";
  std::filesystem::create_directories(empty);
  PluginRegistry r;
  r.add_directory(empty);
  try {
    translate_dm_task(kGolden / "defaults" / "task.yaml", kGolden / "defaults" / "source.yaml", r);
    FAIL() << "translated without dm-units.yaml";
  } catch (const TaskFileError& e) {
    EXPECT_EQ(relative_to(e.diagnostics().to_string(), kGolden / "defaults"),
              "task.yaml: no dm-units.yaml in the plugin directories (" + empty.string() +
                  "): it names the plugins that run DM's units (reinstall ferry's plugins, or add --plugin-dir)\n");
  }
}

TEST_F(DmTaskFile, APluginNameFromDmUnitsIsCheckedInThatFile) {
  const auto dir = kWork / "dm-units-bad";
  write(dir / "dm-units.yaml", "sync:\n  source: mysql-binlgo\n  sink: tidb\n");
  PluginRegistry r;
  r.add_directory(dir);  // searched first: its dm-units.yaml wins
  r.add_directory(PLUGIN_DIR);
  try {
    load_dm_task_file(kGolden / "defaults" / "task.yaml", kGolden / "defaults" / "source.yaml", r);
    FAIL() << "loaded an unknown plugin";
  } catch (const TaskFileError& e) {
    EXPECT_EQ(relative_to(e.diagnostics().to_string(), dir),
              "dm-units.yaml:2:11: unknown source plugin 'mysql-binlgo' in 'sync.source' (known: dump-files, generate, jsonl-source, "
              "mysql-binlog, mysql-dump)\n");
  }
  write(dir / "dm-units.yaml", "sync: {source: mysql-binlog}\n");
  try {
    translate_dm_task(kGolden / "defaults" / "task.yaml", kGolden / "defaults" / "source.yaml", r);
    FAIL() << "translated without a sink";
  } catch (const TaskFileError& e) {
    EXPECT_EQ(relative_to(e.diagnostics().to_string(), dir),
              "dm-units.yaml:1:7: 'sync.sink' must name the plugin that runs DM's sync unit (reinstall ferry's plugins)\n");
  }
}

// `ferry check` through the real binary, with the sample DM files.
ferry::testing::CommandResult check(const std::vector<std::string>& args) {
  std::vector<std::string> argv{FERRY_BINARY, "--plugin-dir", PLUGIN_DIR, "check"};
  argv.insert(argv.end(), args.begin(), args.end());
  return ferry::testing::run_command(argv);
}

class DmSamples : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : {"UPSTREAM_PORT", "DOWNSTREAM_PORT"}) setenv(v, "3306", 1);
    for (const char* v : {"UPSTREAM_USER", "UPSTREAM_PASSWORD", "DOWNSTREAM_USER", "DOWNSTREAM_PASSWORD"}) setenv(v, "x", 1);
    setenv("UPSTREAM_BINLOG_NAME", "mysql-bin.000001", 1);
    setenv("UPSTREAM_BINLOG_POS", "4", 1);
  }
  const std::string task_ = std::string(SAMPLES_DIR) + "/dm/task.yaml";
  const std::string source_ = std::string(SAMPLES_DIR) + "/dm/source.yaml";
};

TEST_F(DmSamples, FerryCheckAcceptsTheSampleDmFiles) {
  auto r = check({task_, "--source", source_});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, task_ + ": ok (task dm-sample, mode incremental; incremental: mysql-binlog -> tidb)\n");
}

TEST_F(DmSamples, ADmTaskFileWithoutItsSourceFileIsRefused) {
  auto r = check({task_});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output, task_ + ": a DM task file (it has mysql-instances or target-database) needs its DM source file: "
                              "add --source source.yaml\n");
}

TEST_F(DmSamples, OneSourcePerTask) {
  auto r = check({task_, "--source", source_, "--source", source_});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("2 --source files given: ferry runs one source per task for now"));
}

TEST_F(DmSamples, AnUnsetVariableIsReportedWhereItIsUsed) {
  unsetenv("UPSTREAM_PASSWORD");
  auto r = check({task_, "--source", source_});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("source.yaml:10:13: 'from.password' refers to environment variable UPSTREAM_PASSWORD "
                                  "which is not set\n"));
}

TEST_F(DmSamples, WarningsArePrintedAndTheCheckPasses) {
  const auto dir = kWork / "dm-warnings";
  const std::string task = read(task_);
  const std::string source = read(source_);
  auto next_line = [](const std::string& text) { return std::to_string(std::count(text.begin(), text.end(), '\n') + 1); };
  write(dir / "task.yaml", task + "enable-heartbeat: true\n");
  write(dir / "source.yaml", source + "relay-binlog-name: mysql-bin.000001\n");
  auto r = check({(dir / "task.yaml").string(), "--source", (dir / "source.yaml").string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("warning: " + (dir / "task.yaml").string() + ":" + next_line(task) +
                                  ":1: DM key 'enable-heartbeat' is ignored: deprecated in DM\n"));
  EXPECT_THAT(r.output, HasSubstr("warning: " + (dir / "source.yaml").string() + ":" + next_line(source) +
                                  ":1: DM key 'relay-binlog-name' is ignored: ferry's relay log starts where the task "
                                  "starts (its checkpoint, else the instance's meta)\n"));
}

}  // namespace
}  // namespace ferry::core::config::dm
