#include "config/dm/native_task.hpp"

#include "errors/error_table.hpp"

#include <ferry/sdk/units.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace ferry::core::config::dm {
namespace {

// DM's defaults (dm/config/task.go), written into the tree so a DM task behaves as DM's whatever
// a plugin's own defaults are.
constexpr int64_t kDefaultWorkerCount = 16;
constexpr int64_t kDefaultBatch = 100;
constexpr int64_t kDefaultCheckpointFlushSeconds = 30;
constexpr const char* kDefaultMetaSchema = "dm_meta";
constexpr int64_t kDefaultDumpThreads = 4;
constexpr int64_t kDefaultPoolSize = 16;
constexpr int64_t kDefaultRelayPurgeIntervalSeconds = 3600;  // DM's purge.interval
constexpr int64_t kDefaultRelayRemainSpaceGb = 15;            // DM's purge.remain-space

// One stage's map being filled: each value placed is recorded with the DM file and key it came from.
class StageBuilder {
 public:
  // A stage of plugin `plugin` (named by dm-units.yaml at `unit_key`); a problem with the stage
  // as a whole (a required key missing) is reported at DM key `key` of `file`, at `located`.
  StageBuilder(NodeOrigins& origins, const DmUnits& units, const YAML::Node& plugin, const std::string& unit_key,
               const std::string& file, const std::string& key, const YAML::Node& located)
      : origins_(origins) {
    origins_.add(node_, file, key, located.Mark());  // before it has members: they have origins of their own
    node_["plugin"] = plugin;
    origins_.add(node_["plugin"], units.file, unit_key);
  }

  // `native` takes the DM value `value` (DM key `key` of `file`) when it is there.
  void copy(const char* native, const YAML::Node& value, const std::string& file, const std::string& key) {
    if (!value.IsDefined() || value.IsNull()) return;
    node_[native] = value;
    origins_.add(value, file, key);
  }

  // `native` takes a value the translation wrote; `from` (a DM value, or undefined) is what it
  // was computed from, for messages.
  void set(const char* native, const std::string& text, const YAML::Node* from = nullptr, const std::string& file = {},
           const std::string& key = {}) {
    YAML::Node value(text);
    node_[native] = value;
    if (from != nullptr && from->IsDefined()) origins_.add(node_[native], file, key, from->Mark());
  }

  const YAML::Node& node() const { return node_; }

 private:
  NodeOrigins& origins_;
  YAML::Node node_{YAML::NodeType::Map};
};

// A member of `map`, or an undefined node when `map` is not a mapping or lacks it.
YAML::Node member(const YAML::Node& map, const char* key) {
  const YAML::Node& m = map;
  if (m.IsMap() && m[key]) return m[key];
  return YAML::Node(YAML::NodeType::Undefined);
}

// DM's dump unit: the upstream, and the mydumper config (threads, rows, --consistency).
YAML::Node build_dump_source(DmFile& task_file, const DmTask& task, DmFile& source_file, const DmSource& source,
                             const DmUnits& units, NodeOrigins& origins) {
  const std::string& tf = task_file.name();
  const std::string& sf = source_file.name();
  StageBuilder dump(origins, units, units.dump_source, "dump.source", sf, "from", source.from);
  for (const char* key : {"host", "port", "user", "password"}) dump.copy(key, member(source.from, key), sf, std::string("from.") + key);
  auto key = [&](const char* k) { return task.mydumper_key + "." + k; };
  // threads: the instance's mydumper-thread wins when not 0 (DM's rule); 0 or nothing is DM's 4.
  const YAML::Node thread = member(task.instance, "mydumper-thread");
  const YAML::Node threads = member(task.mydumper, "threads");
  if (thread.IsDefined() && task_file.integer(thread, task.instance_key + ".mydumper-thread").value_or(0) > 0) {
    dump.copy("threads", thread, tf, task.instance_key + ".mydumper-thread");
  } else if (threads.IsDefined() && task_file.integer(threads, key("threads")).value_or(0) > 0) {
    dump.copy("threads", threads, tf, key("threads"));
  } else {
    dump.set("threads", std::to_string(kDefaultDumpThreads));
  }
  // Chunk size, DM's way: `rows` when above 0, else `chunk-filesize` (MB, DM's default 64), which
  // the dump turns into rows per table by the average row size.
  const YAML::Node rows = member(task.mydumper, "rows");
  const YAML::Node filesize = member(task.mydumper, "chunk-filesize");
  if (rows.IsDefined() && task_file.integer(rows, key("rows")).value_or(0) > 0) {
    dump.copy("rows", rows, tf, key("rows"));
    if (filesize.IsDefined()) {
      task_file.warnings().add(filesize.Mark(), FERRY_E_CONFIG_UNSUPPORTED,
                               fmt::format("DM key '{}' is ignored: 'rows' is set and sizes the chunks", key("chunk-filesize")));
    }
  } else if (filesize.IsDefined()) {
    const std::string mb = task_file.text(filesize, key("chunk-filesize")).value_or("64");
    dump.set("chunk-size", mb + "MiB", &filesize, tf, key("chunk-filesize"));
  } else {
    dump.set("chunk-size", "64MiB");
  }
  const YAML::Node extra = member(task.mydumper, "extra-args");
  if (extra.IsDefined()) {
    const std::string text = task_file.text(extra, key("extra-args")).value_or("");
    const auto space = text.find_first_of(" =");
    if (space != std::string::npos) {
      std::string value = text.substr(space + 1);
      while (!value.empty() && value.front() == ' ') value.erase(value.begin());
      while (!value.empty() && value.back() == ' ') value.pop_back();
      dump.set("consistency", value, &extra, tf, key("extra-args"));
    }
  }
  return dump.node();
}

// DM's load unit: the target database, the loader config (pool-size, on-duplicate).
YAML::Node build_load_sink(DmFile& task_file, const DmTask& task, DmFile& source_file, const DmSource& source,
                           const DmUnits& units, NodeOrigins& origins) {
  (void)source;
  const std::string& tf = task_file.name();
  const std::string& sf = source_file.name();
  StageBuilder load(origins, units, units.dump_sink, "dump.sink", tf, "target-database", task.target);
  for (const char* key : {"host", "port", "user", "password", "max-allowed-packet", "session", "security"}) {
    load.copy(key, member(task.target, key), tf, std::string("target-database.") + key);
  }
  const YAML::Node meta_schema = member(task.root, "meta-schema");
  if (meta_schema.IsDefined() && !task_file.text(meta_schema, "meta-schema").value_or("").empty()) {
    load.copy("meta-schema", meta_schema, tf, "meta-schema");
  } else {
    load.set("meta-schema", kDefaultMetaSchema);
  }
  load.copy("source-id", member(source_file.root(), "source-id"), sf, "source-id");
  auto key = [&](const char* k) { return task.loader_key + "." + k; };
  const YAML::Node thread = member(task.instance, "loader-thread");
  const YAML::Node pool = member(task.loader, "pool-size");
  if (thread.IsDefined() && task_file.integer(thread, task.instance_key + ".loader-thread").value_or(0) > 0) {
    load.copy("pool-size", thread, tf, task.instance_key + ".loader-thread");
  } else if (pool.IsDefined() && task_file.integer(pool, key("pool-size")).value_or(0) > 0) {
    load.copy("pool-size", pool, tf, key("pool-size"));
  } else {
    load.set("pool-size", std::to_string(kDefaultPoolSize));
  }
  // on-duplicate-logical, or its deprecated name; DM's default is replace.
  const YAML::Node dup = member(task.loader, "on-duplicate-logical");
  const YAML::Node old_dup = member(task.loader, "on-duplicate");
  if (dup.IsDefined()) {
    load.copy("on-duplicate", dup, tf, key("on-duplicate-logical"));
  } else if (old_dup.IsDefined()) {
    load.copy("on-duplicate", old_dup, tf, key("on-duplicate"));
  } else {
    load.set("on-duplicate", "replace");
  }
  return load.node();
}

// The relay log: enable-relay and relay-dir as they are; DM's purge (hours, GB) as durations
// and sizes. DM purges by default when the disk has under 15 GB free (purge.remain-space), unless
// purge.interval is 0; ferry checks at every file the relay completes rather than on an interval.
void add_relay_keys(StageBuilder& src, DmFile& source_file, const DmSource& source) {
  const std::string& sf = source_file.name();
  const YAML::Node enable = member(source.root, "enable-relay");
  src.copy("enable-relay", enable, sf, "enable-relay");
  src.copy("relay-dir", member(source.root, "relay-dir"), sf, "relay-dir");
  if (!enable.IsDefined() || source_file.boolean(enable, "enable-relay") != true) return;
  const YAML::Node purge = member(source.root, "purge");
  auto number = [&](const char* key, int64_t fallback) {
    const YAML::Node n = member(purge, key);
    if (!n.IsDefined()) return fallback;
    const auto v = source_file.integer(n, std::string("purge.") + key);
    if (v && *v < 0) source_file.error(n, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'purge.{}' must be at least 0, got {}", key, *v));
    return v.value_or(fallback);
  };
  if (number("interval", kDefaultRelayPurgeIntervalSeconds) == 0) return;  // DM: no automatic purge
  if (const int64_t hours = number("expires", 0); hours > 0) {
    const YAML::Node at = member(purge, "expires");
    src.set("relay-purge-expires", fmt::format("{}h", hours), &at, sf, "purge.expires");
  }
  if (const int64_t gb = number("remain-space", kDefaultRelayRemainSpaceGb); gb > 0) {
    const YAML::Node at = member(purge, "remain-space");
    src.set("relay-purge-remain-space", fmt::format("{}GiB", gb), at.IsDefined() ? &at : nullptr, sf, "purge.remain-space");
  }
}

}  // namespace

YAML::Node build_native_task(DmFile& task_file, const DmTask& task, DmFile& source_file, const DmSource& source,
                             const DmUnits& units, NodeOrigins& origins) {
  const std::string& tf = task_file.name();
  const std::string& sf = source_file.name();
  const YAML::Node& t = task.root;
  const YAML::Node& syncer = task.syncer;
  auto syncer_key = [&](const char* key) { return task.syncer_key + "." + key; };

  // A syncer count where 0 (or nothing) means DM's default: nullopt then, and when it is wrong (reported).
  auto count = [&](const YAML::Node& node, const char* key) -> std::optional<int64_t> {
    if (!node.IsDefined()) return std::nullopt;
    auto v = task_file.integer(node, syncer_key(key));
    if (v && *v < 0) task_file.error(node, FERRY_E_CONFIG_INVALID_VALUE, fmt::format("'{}' must be at least 0, got {}", syncer_key(key), *v));
    if (!v || *v <= 0) return std::nullopt;
    return v;
  };

  // checkpoint-flush-interval: whole seconds.
  const YAML::Node flush = member(syncer, "checkpoint-flush-interval");
  const int64_t flush_seconds = count(flush, "checkpoint-flush-interval").value_or(kDefaultCheckpointFlushSeconds);

  // The source: the upstream of the source file, from the instance's meta position.
  StageBuilder src(origins, units, units.sync_source, "sync.source", sf, "from", source.from);
  for (const char* key : {"host", "port", "user", "password"}) src.copy(key, member(source.from, key), sf, std::string("from.") + key);
  // TLS and session variables go to the source when asked for: a source plugin without them refuses them by name.
  for (const char* key : {"security", "session"}) {
    const YAML::Node value = member(source.from, key);
    if (value.IsDefined() && source_file.turns_on(value)) src.copy(key, value, sf, std::string("from.") + key);
  }
  src.copy("server-id", member(source.root, "server-id"), sf, "server-id");
  src.copy("enable-gtid", member(source.root, "enable-gtid"), sf, "enable-gtid");
  add_relay_keys(src, source_file, source);
  const YAML::Node meta = member(task.instance, "meta");
  for (const char* key : {"binlog-name", "binlog-pos", "binlog-gtid"}) {
    src.copy(key, member(meta, key), tf, task.instance_key + ".meta." + key);
  }
  src.set("checkpoint-interval", fmt::format("{}s", flush_seconds), &flush, tf, syncer_key("checkpoint-flush-interval"));

  // The sink: the target database, with the syncer config.
  StageBuilder sink(origins, units, units.sync_sink, "sync.sink", tf, "target-database", task.target);
  for (const char* key : {"host", "port", "user", "password", "max-allowed-packet", "session", "security"}) {
    sink.copy(key, member(task.target, key), tf, std::string("target-database.") + key);
  }
  sink.copy("timezone", member(t, "timezone"), tf, "timezone");
  const YAML::Node meta_schema = member(t, "meta-schema");
  if (meta_schema.IsDefined() && !task_file.text(meta_schema, "meta-schema").value_or("").empty()) {
    sink.copy("meta-schema", meta_schema, tf, "meta-schema");
  } else {
    sink.set("meta-schema", kDefaultMetaSchema);  // DM: empty is the default too
  }
  sink.copy("source-id", member(source.root, "source-id"), sf, "source-id");

  // worker-count: the instance's syncer-thread wins when not 0 (DM's rule).
  const YAML::Node threads = member(task.instance, "syncer-thread");
  const bool by_threads =
      threads.IsDefined() && task_file.integer(threads, task.instance_key + ".syncer-thread").value_or(0) != 0;
  const YAML::Node workers = by_threads ? threads : member(syncer, "worker-count");  // a copy shares, never rebinds
  const std::string workers_key = by_threads ? task.instance_key + ".syncer-thread" : syncer_key("worker-count");
  if (workers.IsDefined()) {
    sink.copy("worker-count", workers, tf, workers_key);
  } else {
    sink.set("worker-count", std::to_string(kDefaultWorkerCount));
  }
  if (member(syncer, "batch").IsDefined()) {
    sink.copy("batch", member(syncer, "batch"), tf, syncer_key("batch"));
  } else {
    sink.set("batch", std::to_string(kDefaultBatch));
  }
  for (const char* key : {"multiple-rows", "compact"}) sink.copy(key, member(syncer, key), tf, syncer_key(key));
  const YAML::Node safe_mode = member(syncer, "safe-mode");
  if (safe_mode.IsDefined()) {
    sink.copy("safe-mode", safe_mode, tf, syncer_key("safe-mode"));
  } else {
    sink.set("safe-mode", "false");
  }
  // safe-mode-duration: empty = twice the checkpoint flush interval; "0s" with safe-mode on
  // contradicts itself (DM refuses it too).
  const YAML::Node duration = member(syncer, "safe-mode-duration");
  const std::optional<std::string> duration_text =
      duration.IsDefined() ? task_file.text(duration, syncer_key("safe-mode-duration")) : std::optional<std::string>("");
  if (duration_text && !duration_text->empty()) {
    sink.copy("safe-mode-duration", duration, tf, syncer_key("safe-mode-duration"));
    const bool safe = safe_mode.IsDefined() && task_file.boolean(safe_mode, syncer_key("safe-mode")).value_or(false);
    if (safe && sdk::units::parse_duration_ms(*duration_text) == 0) {
      task_file.error(duration, FERRY_E_CONFIG_INVALID_VALUE,
                      fmt::format("'{}' is 0 with safe-mode on: the two contradict each other (DM refuses it too)",
                                  syncer_key("safe-mode-duration")));
    }
  } else if (duration_text) {
    sink.set("safe-mode-duration", fmt::format("{}s", 2 * flush_seconds), &flush, tf, syncer_key("checkpoint-flush-interval"));
  }

  YAML::Node native(YAML::NodeType::Map);
  if (t["name"]) native["name"] = t["name"];
  const std::string mode = task.mode.empty() ? "incremental" : task.mode;
  // DM's dump, load and load&sync go through a dump directory (loaders.dir); full and all stream.
  const bool files_out = mode == "dump";
  const bool files_in = mode == "load" || mode == "load&sync";
  const bool syncs = mode == "incremental" || mode == "all" || mode == "load&sync";
  native["task-mode"] = mode == "dump" || mode == "load" ? "full" : mode == "load&sync" ? "all" : mode;
  if (mode != "incremental") {
    const bool dump_units = files_in ? units.dump_sink.IsDefined() : units.dump_source.IsDefined();
    const bool file_units = !(files_in || files_out) || units.files_source.IsDefined();
    if (!dump_units || !file_units) {
      task_file.error(t["task-mode"], FERRY_E_CONFIG_FILE,
                      fmt::format("task-mode '{}' needs the plugins of DM's dump and load units{}, and {} does not name them "
                                  "(reinstall ferry's plugins)", mode, files_in || files_out ? " and of dump directories" : "",
                                  units.file));
    } else {
      const YAML::Node dir = member(task.loader, "dir");
      if (!files_in && !files_out && dir.IsDefined()) {
        task_file.warnings().add(dir.Mark(), FERRY_E_CONFIG_UNSUPPORTED,
                                 fmt::format("DM key '{}.dir' is ignored: ferry streams the dump into the load in task-mode {}",
                                             task.loader_key, mode));
      }
      auto files_stage = [&](const YAML::Node& plugin, const char* unit_key) {
        StageBuilder files(origins, units, plugin, unit_key, task_file.name(), task.loader_key.empty() ? "task-mode" : task.loader_key,
                           t["task-mode"]);
        if (dir.IsDefined()) {
          files.copy("dir", dir, task_file.name(), task.loader_key + ".dir");
        } else {
          files.set("dir", "./dumped_data");  // DM's default loaders.dir
        }
        if (files_in) {
          // clean-dump-file (DM's default true), once the load is committed: DM's loader deletes
          // the data files, and in load&sync its sync deletes the rest when it starts.
          const YAML::Node clean = member(t, "clean-dump-file");
          const bool cleans = !clean.IsDefined() || task_file.boolean(clean, "clean-dump-file").value_or(true);
          files.set("clean-after-load", !cleans ? "none" : syncs ? "all" : "data-files", &clean, task_file.name(),
                    "clean-dump-file");
        }
        return files.node();
      };
      native["full"]["source"] = files_in ? files_stage(units.files_source, "files.source")
                                          : build_dump_source(task_file, task, source_file, source, units, origins);
      native["full"]["sink"] = files_out ? files_stage(units.files_sink, "files.sink")
                                         : build_load_sink(task_file, task, source_file, source, units, origins);
    }
  }
  native["data-dir"] = "ferry-data";
  // queue-size: DM's per-worker job queue (0 = DM's default); ferry has one queue between source
  // and sink, so it holds what DM's workers together would.
  const YAML::Node queue_size = member(syncer, "queue-size");
  if (auto q = count(queue_size, "queue-size")) {
    const int64_t worker_count =
        workers.IsDefined() ? std::max<int64_t>(1, task_file.integer(workers, workers_key).value_or(1)) : kDefaultWorkerCount;
    native["queue"]["max-events"] = std::to_string(*q * worker_count);
    origins.add(native["queue"]["max-events"], tf, syncer_key("queue-size"), queue_size.Mark());
  }
  if (syncs) {
    native["incremental"]["source"] = src.node();
    native["incremental"]["sink"] = sink.node();
  }
  if (native["name"]) origins.add(native["name"], tf, "name");
  return native;
}

}  // namespace ferry::core::config::dm
