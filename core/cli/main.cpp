// ferry: the command line. Parses arguments with CLI11 and hands over to cli/commands.cpp.
#include "cli/commands.hpp"
#include "cli/verify_command.hpp"
#include "log/log.hpp"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  ferry::cli::block_stop_signals();

  CLI::App app{"ferry: migrate a MySQL or MariaDB database into TiDB and keep it in sync"};
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the subcommand too
  std::string log_level = "info";
  std::string log_format = "text";
  ferry::cli::CommonOptions common;
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--log-format", log_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--plugin-dir", common.plugin_dirs, "more plugin directories (before FERRY_PLUGIN_PATH)");

  std::string task_file;
  ferry::cli::TaskOptions task_options;
  auto* run = app.add_subcommand("run", "run a task in the foreground until it finishes or is stopped");
  run->add_option("task", task_file, "task file (ferry's own, or DM's with --source)")->required();
  run->add_option("--source", task_options.dm_sources, "DM source file, for a DM task file")->allow_extra_args(false);
  run->add_flag("--remove-meta", task_options.remove_meta, "drop the task's checkpoints and start over (DM's start-task --remove-meta)");
  auto* check = app.add_subcommand("check", "validate a task file and its plugins' config");
  check->add_option("task", task_file, "task file (ferry's own, or DM's with --source)")->required();
  check->add_option("--source", task_options.dm_sources, "DM source file, for a DM task file")->allow_extra_args(false);

  ferry::cli::VerifyFlags verify_flags;
  auto* verify = app.add_subcommand("verify", "compare the task's upstream and downstream tables (chunked checksums)");
  verify->add_option("task", task_file, "task file (ferry's own, or DM's with --source)")->required();
  verify->add_option("--source", task_options.dm_sources, "DM source file, for a DM task file")->allow_extra_args(false);
  verify->add_flag("--rows", verify_flags.rows, "list the differing rows (20 a table at most)");
  verify->add_option("--chunk-rows", verify_flags.chunk_rows, "rows per checksummed chunk (default 10000)");

  auto* plugins = app.add_subcommand("plugins", "inspect the plugins ferry can load");
  plugins->require_subcommand(1);
  auto* plugins_list = plugins->add_subcommand("list", "list every plugin with its kind");
  std::string plugin_name;
  auto* plugins_describe = plugins->add_subcommand("describe", "show a plugin's config keys");
  plugins_describe->add_option("name", plugin_name, "plugin name")->required();

  auto* errors = app.add_subcommand("errors", "list ferry's error codes with their workarounds");

  // Commands that plugin libraries add (`ferry binlog decode ...`). They are found before the
  // command line is parsed, so only --plugin-dir given before them counts.
  ferry::cli::CommonOptions discovery;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string_view(argv[i]) == "--plugin-dir") discovery.plugin_dirs.emplace_back(argv[i + 1]);
  }
  auto registry = ferry::cli::discover_plugins(discovery);
  std::vector<std::pair<CLI::App*, const ferry::core::CommandEntry*>> plugin_commands;
  for (const auto* c : registry.commands()) {
    bool builtin = true;  // built-ins win over a plugin command of the same name
    try {
      app.get_subcommand(c->def->name);
    } catch (const CLI::OptionNotFound&) {
      builtin = false;
    }
    if (builtin) continue;
    auto* sub = app.add_subcommand(c->def->name, c->def->description);
    sub->prefix_command();  // everything after the name belongs to the command
    sub->fallthrough(false);
    plugin_commands.emplace_back(sub, c);
  }

  CLI11_PARSE(app, argc, argv);
  ferry::core::log::configure(log_level, log_format == "json" ? ferry::core::log::Format::Json
                                                               : ferry::core::log::Format::Text);

  if (*run) return ferry::cli::run_task(task_file, task_options, common);
  if (*check) return ferry::cli::check_task(task_file, task_options, common);
  if (*verify) return ferry::cli::verify_task(task_file, task_options, common, verify_flags);
  if (*plugins_list) return ferry::cli::list_plugins(common);
  if (*plugins_describe) return ferry::cli::describe_plugin(plugin_name, common);
  if (*errors) return ferry::cli::list_errors();
  for (auto& [sub, command] : plugin_commands) {
    if (*sub) return ferry::cli::run_plugin_command(*command, sub->remaining());
  }
  return ferry::cli::kExitBadInput;
}
