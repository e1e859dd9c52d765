#include "cli/commands.hpp"

#include "cli/progress_reporter.hpp"
#include "config/dm/dm_task.hpp"
#include "config/schema_validator.hpp"
#include "config/task_file.hpp"
#include "errors/error_table.hpp"
#include "log/log.hpp"
#include "metrics/metrics.hpp"
#include "plugin/host_api.hpp"
#include "plugin/plugin_registry.hpp"
#include "task/task_runner.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

namespace ferry::cli {
namespace {

std::filesystem::path build_plugin_dir() {
  std::error_code ec;
#ifdef FERRY_BUILD_PLUGIN_DIR
  if (std::filesystem::is_directory(FERRY_BUILD_PLUGIN_DIR, ec)) return FERRY_BUILD_PLUGIN_DIR;
#endif
  // Installed layout: <prefix>/bin/ferry and <prefix>/lib/ferry/plugins.
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto dir = exe.parent_path().parent_path() / "lib" / "ferry" / "plugins";
    if (std::filesystem::is_directory(dir, ec)) return dir;
  }
  return {};
}


// Prints the registry's loading problems; returns true when there were any.
bool report_registry_failures(const core::PluginRegistry& registry) {
  for (const auto& f : registry.failures()) std::fprintf(stderr, "error: %s\n", f.describe().c_str());
  return !registry.failures().empty();
}


// Loads the task file (ferry's own, or DM's with its source file), printing every diagnostic
// and warning. Returns nullopt on failure.
std::optional<core::config::TaskSpec> load(const std::filesystem::path& file, const TaskOptions& options,
                                           core::PluginRegistry& registry) {
  namespace dm = core::config::dm;
  if (options.dm_sources.size() > 1) {
    std::fprintf(stderr, "error: %zu --source files given: ferry runs one source per task for now (one --source, "
                 "and one mysql-instances entry in the task file)\n", options.dm_sources.size());
    return std::nullopt;
  }
  try {
    std::optional<core::config::TaskSpec> spec;
    if (!options.dm_sources.empty()) {
      spec = dm::load_dm_task_file(file, options.dm_sources.front(), registry);
    } else if (dm::is_dm_task_file(file)) {
      std::fprintf(stderr, "%s: a DM task file (it has mysql-instances or target-database) needs its DM source file: "
                   "add --source source.yaml\n", file.string().c_str());
      return std::nullopt;
    } else {
      spec = core::config::load_task_file(file, registry);
    }
    spec->remove_meta = options.remove_meta;
    for (const auto& w : spec->warnings) std::fprintf(stderr, "warning: %s\n", w.to_string().c_str());
    if (report_registry_failures(registry)) return std::nullopt;
    return spec;
  } catch (const core::config::TaskFileError& e) {
    report_registry_failures(registry);
    std::fputs(e.diagnostics().to_string().c_str(), stderr);
    std::string files = file.string();  // and any other file with problems (a DM source file)
    for (const auto& d : e.diagnostics().items()) {
      if (d.file != e.diagnostics().file() && files.find(d.file) == std::string::npos) files += " and " + d.file;
    }
    std::fprintf(stderr, "%zu problem(s) in %s\n", e.diagnostics().items().size(), files.c_str());
    return std::nullopt;
  }
}

// Turns SIGINT/SIGTERM into a stop request for as long as it lives. The signals are blocked in
// every thread (main blocks them before any thread starts) and taken here with sigwait.
class SignalWatcher {
 public:
  explicit SignalWatcher(core::StopSignal& stop) : stop_(stop) {
    thread_ = std::thread([this] {
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGINT);
      sigaddset(&set, SIGTERM);
      sigaddset(&set, SIGUSR1);  // our own wake-up at the end
      int sig = 0;
      int count = 0;
      while (sigwait(&set, &sig) == 0) {
        if (sig == SIGUSR1) return;
        if (++count == 1) {
          core::log::get("task")->warn("stop requested signal={}; draining (again to force)", sig);
          stop_.request();
        } else {
          _exit(130);  // a second signal: the operator wants out now; checkpoints stay consistent
        }
      }
    });
  }
  ~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }

 private:
  core::StopSignal& stop_;
  std::thread thread_;
};

}  // namespace

std::optional<core::config::TaskSpec> load_task(const std::filesystem::path& file, const TaskOptions& options,
                                                core::PluginRegistry& registry) {
  return load(file, options, registry);
}

core::PluginRegistry discover_plugins(const CommonOptions& common) {
  core::PluginRegistry registry;
  for (const auto& d : common.plugin_dirs) registry.add_directory(d);
  for (const auto& d : core::PluginRegistry::default_directories(build_plugin_dir())) registry.add_directory(d);
  return registry;
}

int run_plugin_command(const core::CommandEntry& command, const std::vector<std::string>& args) {
  // A command handles no signals itself: let SIGINT and SIGTERM end it as they end any tool.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  ferry_host_ctx ctx;
  ctx.plugin = command.def->name;
  ctx.logger = core::log::get("command");
  std::vector<const char*> argv{command.def->name};
  for (const auto& a : args) argv.push_back(a.c_str());
  return command.def->run(core::host_api(), &ctx, static_cast<int>(argv.size()), argv.data());
}

void block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int run_task(const std::filesystem::path& task_file, const TaskOptions& options, const CommonOptions& common) {
  auto registry = discover_plugins(common);
  auto spec = load(task_file, options, registry);
  if (!spec) return kExitBadInput;
  core::Metrics metrics;
  core::StopSignal stop;
  SignalWatcher watcher(stop);
  core::TaskRunner runner(*spec, &metrics, stop);
  ProgressReporter progress(runner, &metrics, isatty(STDERR_FILENO) != 0, std::chrono::seconds(10));
  progress.start();
  core::TaskResult result = runner.run();
  progress.stop();
  switch (result.outcome) {
    case core::TaskResult::Outcome::Finished:
      std::fprintf(stderr, "task %s finished\n", spec->name.c_str());
      return kExitOk;
    case core::TaskResult::Outcome::Stopped:
      std::fprintf(stderr, "task %s stopped; run again to resume from its checkpoint\n", spec->name.c_str());
      return kExitOk;
    case core::TaskResult::Outcome::Paused:
      if (result.phase.empty()) {  // refused before any phase began (its data directory, its lock)
        std::fprintf(stderr, "task %s did not start: %s\n", spec->name.c_str(), result.failure.describe().c_str());
        return kExitPaused;
      }
      std::fprintf(stderr, "task %s paused in phase %s: %s\n", spec->name.c_str(), result.phase.c_str(),
                   result.failure.describe().c_str());
      if (result.position) {
        std::fprintf(stderr, "last checkpoint: %s:%llu %s\n", result.position->position.binlog_file.c_str(),
                     static_cast<unsigned long long>(result.position->position.binlog_pos),
                     result.position->position.gtid_set.c_str());
      }
      std::fprintf(stderr, "fix the cause and run the task again to resume from its last checkpoint\n");
      return kExitPaused;
  }
  return kExitPaused;
}

int check_task(const std::filesystem::path& task_file, const TaskOptions& options, const CommonOptions& common) {
  auto registry = discover_plugins(common);
  auto spec = load(task_file, options, registry);
  if (!spec) return kExitBadInput;
  std::printf("%s: ok (task %s, mode %s", task_file.string().c_str(), spec->name.c_str(), spec->mode.c_str());
  for (const auto& phase : spec->phases) {
    std::printf("; %s: %s", phase.name.c_str(), phase.source.plugin->def->name);
    for (const auto& t : phase.transforms) std::printf(" -> %s", t.plugin->def->name);
    std::printf(" -> %s", phase.sink.plugin->def->name);
  }
  std::printf(")\n");
  return kExitOk;
}

int list_plugins(const CommonOptions& common) {
  auto registry = discover_plugins(common);
  std::printf("%-22s %-10s %-8s %s\n", "NAME", "KIND", "VERSION", "DESCRIPTION");
  for (const auto* p : registry.all()) {
    std::printf("%-22s %-10s %-8s %s\n", p->def->name, core::plugin_kind_name(p->def->kind), p->def->version ? p->def->version : "",
                p->def->description ? p->def->description : "");
  }
  return report_registry_failures(registry) ? kExitBadInput : kExitOk;
}

namespace {

void print_fields(const ferry_config_field* fields, uint32_t count, const std::string& prefix) {
  for (uint32_t i = 0; i < count; ++i) {
    const auto& f = fields[i];
    std::string type = core::config::type_name(f.type);
    if (f.type == FERRY_CONFIG_ENUM) {
      type += "(";
      for (uint32_t j = 0; j < f.enum_count; ++j) type += (j ? "|" : "") + std::string(f.enum_values[j]);
      type += ")";
    }
    if ((f.type == FERRY_CONFIG_LIST || f.type == FERRY_CONFIG_MAP) && f.child_count == 1) {
      type += fmt::format(" of {}", core::config::type_name(f.children[0].type));
    }
    std::string bounds;
    if (f.flags & FERRY_CONFIG_HAS_MIN) bounds += fmt::format(">={}", f.min);
    if (f.flags & FERRY_CONFIG_HAS_MAX) bounds += fmt::format("{}<={}", bounds.empty() ? "" : " ", f.max);
    std::string def = (f.flags & FERRY_CONFIG_REQUIRED) ? "required" : f.default_value ? f.default_value : "-";
    if (f.flags & FERRY_CONFIG_SECRET) def += " (secret)";
    std::printf("%-32s %-24s %-14s %-10s %s\n", (prefix + f.name).c_str(), type.c_str(), def.c_str(), bounds.c_str(),
                f.description ? f.description : "");
    if (f.type == FERRY_CONFIG_OBJECT) {
      print_fields(f.children, f.child_count, prefix + f.name + ".");
    } else if (f.child_count == 1 && f.children[0].type == FERRY_CONFIG_OBJECT) {
      print_fields(f.children[0].children, f.children[0].child_count, prefix + f.name + "[].");
    }
  }
}

}  // namespace

int describe_plugin(const std::string& name, const CommonOptions& common) {
  auto registry = discover_plugins(common);
  const auto found = registry.find_all(name);
  if (found.empty()) {
    std::fprintf(stderr, "error: no plugin named '%s'; 'ferry plugins list' shows the loaded ones\n", name.c_str());
    report_registry_failures(registry);
    return kExitBadInput;
  }
  for (size_t i = 0; i < found.size(); ++i) {
    const core::PluginEntry* p = found[i];
    if (i > 0) std::printf("\n");
    std::printf("%s (%s, version %s)\n%s\nlibrary: %s\n\n", p->def->name, core::plugin_kind_name(p->def->kind),
                p->def->version, p->def->description, p->file.string().c_str());
    if (p->def->config_field_count == 0) {
      std::printf("no config keys\n");
      continue;
    }
    std::printf("%-32s %-24s %-14s %-10s %s\n", "KEY", "TYPE", "DEFAULT", "BOUNDS", "DESCRIPTION");
    print_fields(p->def->config_fields, p->def->config_field_count, "");
  }
  return kExitOk;
}

int list_errors() {
  std::printf("%-6s %-24s %-10s %-9s %s\n", "CODE", "NAME", "CLASS", "RETRYABLE", "MESSAGE / WORKAROUND");
  for (const auto& e : core::all_errors()) {
    std::printf("%-6u %-24.*s %-10.*s %-9s %.*s\n%52s workaround: %.*s\n", e.code, static_cast<int>(e.symbol.size()),
                e.symbol.data(), static_cast<int>(e.error_class.size()), e.error_class.data(), e.retryable ? "yes" : "no",
                static_cast<int>(e.message.size()), e.message.data(), "", static_cast<int>(e.workaround.size()),
                e.workaround.data());
  }
  return kExitOk;
}

}  // namespace ferry::cli
