// Base classes for plugin authors, and the thunks that adapt them to the C ABI. Every call into a
// plugin goes through a thunk that turns any exception into a status and a message, so nothing
// but C crosses the library's edge.
//
// A plugin class derives from exactly one of Source, Transform or Sink and provides:
//   static constexpr const char* kName;         // kebab-case, unique
//   static constexpr const char* kDescription;  // one line
//   static void describe(ferry::sdk::ConfigSchema& schema);
//   Plugin(const ferry::sdk::Host& host, const ferry::sdk::Config& config);  // may throw
// and optionally kVersion and kFlags (FERRY_SINK_OWNS_CHECKPOINT).
#pragma once

#include <ferry/abi/ferry_abi.h>
#include <ferry/sdk/config.hpp>
#include <ferry/sdk/events.hpp>
#include <ferry/sdk/host.hpp>
#include <ferry/sdk/schema.hpp>
#include <ferry/sdk/status.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ferry::sdk {

class Source {
 public:
  virtual ~Source() = default;
  // `start` is null when there is nothing to resume from.
  virtual Status open(const ferry_position* start) { (void)start; return Status::ok(); }
  // Append events while !out.full(); wait at most `max_wait` for the first.
  virtual Status poll(BatchWriter& out, std::chrono::milliseconds max_wait, bool stopping) = 0;
  virtual void ack(const ferry_position& pos) { (void)pos; }
};

class Transform {
 public:
  virtual ~Transform() = default;
  virtual Status process(ferry_batch& batch, const ferry_host_api& api) = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status open() { return Status::ok(); }
  virtual Status write(const ferry_batch& batch) = 0;
  // Only for sinks with FERRY_SINK_OWNS_CHECKPOINT.
  struct Checkpoint {
    OwnedPosition position;
    bool final = false;
  };
  virtual Status load_checkpoint(std::optional<Checkpoint>& out) { out.reset(); return Status::ok(); }
};

// Commands a library adds to the ferry command line. Each C provides
//   static constexpr const char* kName;         // `ferry NAME ...`
//   static constexpr const char* kDescription;
//   static int run(const ferry::sdk::Host& host, const std::vector<std::string_view>& args);
// and is listed once in FERRY_PLUGIN_LIBRARY as ferry::sdk::Commands<C1, C2>.
template <typename... C>
struct Commands {};

namespace detail {

template <typename T>
struct Holder {
  Host host;
  std::unique_ptr<T> impl;
  std::optional<Sink::Checkpoint> loaded;  // keeps load_checkpoint's strings alive
};

template <typename T>
Holder<T>* holder(ferry_instance* self) { return reinterpret_cast<Holder<T>*>(self); }

inline uint32_t report(const Host& host, const Status& s) {
  if (!s.is_ok() && !s.is_end()) {
    host.set_error(s.code() == FERRY_E_NONE ? FERRY_E_PLUGIN_FAILED : s.code(), s.message());
  }
  return s.status();
}

// Runs `fn` (returning Status) and converts exceptions into an error status.
template <typename Fn>
uint32_t guarded(const Host& host, Fn&& fn) {
  try {
    return report(host, fn());
  } catch (const PluginError& e) {
    host.set_error(e.code(), e.what());
  } catch (const std::exception& e) {
    host.set_error(FERRY_E_PLUGIN_FAILED, e.what());
  } catch (...) {
    host.set_error(FERRY_E_PLUGIN_FAILED, "unknown exception");
  }
  return FERRY_ERROR;
}

template <typename T>
ferry_instance* create(const ferry_host_api* api, ferry_host_ctx* ctx, const ferry_config_node* config) {
  Host host(api, ctx);
  try {
    auto h = std::make_unique<Holder<T>>(Holder<T>{host, nullptr, std::nullopt});
    h->impl = std::make_unique<T>(host, Config(api, config));
    return reinterpret_cast<ferry_instance*>(h.release());
  } catch (const PluginError& e) {
    host.set_error(e.code(), e.what());
  } catch (const std::exception& e) {
    host.set_error(FERRY_E_PLUGIN_CREATE, e.what());
  } catch (...) {
    host.set_error(FERRY_E_PLUGIN_CREATE, "unknown exception");
  }
  return nullptr;
}

template <typename T>
void destroy(ferry_instance* self) noexcept {
  try {
    delete holder<T>(self);
  } catch (...) {  // a destructor that throws must not take the host down
  }
}

template <typename T>
struct SourceThunks {
  static uint32_t open(ferry_instance* self, const ferry_position* start) {
    auto* h = holder<T>(self);
    return guarded(h->host, [&] { return h->impl->open(start); });
  }
  static uint32_t poll(ferry_instance* self, ferry_batch* batch, uint32_t max_wait_ms, uint32_t flags) {
    auto* h = holder<T>(self);
    return guarded(h->host, [&] {
      BatchWriter out(h->host.api(), batch);
      return h->impl->poll(out, std::chrono::milliseconds(max_wait_ms), (flags & FERRY_POLL_STOPPING) != 0);
    });
  }
  static void ack(ferry_instance* self, const ferry_position* pos) {
    auto* h = holder<T>(self);
    guarded(h->host, [&] { h->impl->ack(*pos); return Status::ok(); });
  }
  static constexpr ferry_source_api api{&open, &poll, &ack};
};

template <typename T>
struct TransformThunks {
  static uint32_t process(ferry_instance* self, ferry_batch* batch) {
    auto* h = holder<T>(self);
    return guarded(h->host, [&] { return h->impl->process(*batch, *h->host.api()); });
  }
  static constexpr ferry_transform_api api{&process};
};

template <typename T>
struct SinkThunks {
  static uint32_t open(ferry_instance* self) {
    auto* h = holder<T>(self);
    return guarded(h->host, [&] { return h->impl->open(); });
  }
  static uint32_t write(ferry_instance* self, const ferry_batch* batch) {
    auto* h = holder<T>(self);
    return guarded(h->host, [&] { return h->impl->write(*batch); });
  }
  static uint32_t load_checkpoint(ferry_instance* self, ferry_position* out, int* found, int* final) {
    auto* h = holder<T>(self);
    return guarded(h->host, [&] {
      Status s = h->impl->load_checkpoint(h->loaded);
      *found = h->loaded.has_value();
      *final = h->loaded && h->loaded->final;
      if (h->loaded) *out = h->loaded->position.as_abi();
      return s;
    });
  }
  static constexpr ferry_sink_api api{&open, &write, &load_checkpoint};
};

template <typename T, typename = void>
struct flags_of { static constexpr uint32_t value = 0; };
template <typename T>
struct flags_of<T, std::void_t<decltype(T::kFlags)>> { static constexpr uint32_t value = T::kFlags; };

template <typename T, typename = void>
struct version_of { static constexpr const char* value = "0"; };
template <typename T>
struct version_of<T, std::void_t<decltype(T::kVersion)>> { static constexpr const char* value = T::kVersion; };

// The plugin's definition, built once on first use and kept for the library's life.
template <typename T>
const ferry_plugin_def* definition() {
  static_assert(std::is_base_of_v<Source, T> + std::is_base_of_v<Transform, T> + std::is_base_of_v<Sink, T> == 1,
                "a plugin derives from exactly one of Source, Transform, Sink");
  static ConfigSchema schema;
  static const ferry_plugin_def def = [] {
    T::describe(schema);
    ferry_plugin_def d{};
    d.header = {sizeof(ferry_plugin_def), FERRY_ABI_MAJOR, FERRY_ABI_MINOR};
    d.name = T::kName;
    d.description = T::kDescription;
    d.version = version_of<T>::value;
    d.flags = flags_of<T>::value;
    d.config_field_count = schema.size();
    d.config_fields = schema.data();
    d.create = &create<T>;
    d.destroy = &destroy<T>;
    if constexpr (std::is_base_of_v<Source, T>) {
      d.kind = FERRY_KIND_SOURCE;
      d.source = &SourceThunks<T>::api;
    } else if constexpr (std::is_base_of_v<Transform, T>) {
      d.kind = FERRY_KIND_TRANSFORM;
      d.transform = &TransformThunks<T>::api;
    } else {
      d.kind = FERRY_KIND_SINK;
      d.sink = &SinkThunks<T>::api;
    }
    return d;
  }();
  return &def;
}

template <typename T>
struct is_commands : std::false_type {};
template <typename... C>
struct is_commands<Commands<C...>> : std::true_type {};

template <typename C>
int run_command(const ferry_host_api* api, ferry_host_ctx* ctx, int argc, const char* const* argv) {
  Host host(api, ctx);
  std::vector<std::string_view> args(argv + 1, argv + argc);
  try {
    return C::run(host, args);
  } catch (const std::exception& e) {
    host.error(std::string(C::kName) + ": " + e.what());
  } catch (...) {
    host.error(std::string(C::kName) + ": unknown exception");
  }
  return 1;
}

template <typename T>
struct command_defs {
  static const ferry_command_def* data() { return nullptr; }
  static constexpr uint32_t count = 0;
};
template <typename... C>
struct command_defs<Commands<C...>> {
  static const ferry_command_def* data() {
    static const ferry_command_def defs[] = {{C::kName, C::kDescription, &run_command<C>}...};
    return defs;
  }
  static constexpr uint32_t count = sizeof...(C);
};

// The library's manifest. `Items` are plugin classes and at most one Commands<...> list.
template <typename... Items>
const ferry_manifest* manifest(const char* library) {
  static const std::vector<const ferry_plugin_def*> defs = [] {
    std::vector<const ferry_plugin_def*> out;
    (
        [&] {
          if constexpr (!is_commands<Items>::value) out.push_back(definition<Items>());
        }(),
        ...);
    return out;
  }();
  static const ferry_manifest m = [library] {
    ferry_manifest r{{sizeof(ferry_manifest), FERRY_ABI_MAJOR, FERRY_ABI_MINOR}, library,
                     static_cast<uint32_t>(defs.size()), defs.data(), 0, nullptr};
    (
        [&] {
          if constexpr (is_commands<Items>::value) {
            r.command_count = command_defs<Items>::count;
            r.commands = command_defs<Items>::data();
          }
        }(),
        ...);
    return r;
  }();
  return &m;
}

}  // namespace detail
}  // namespace ferry::sdk
