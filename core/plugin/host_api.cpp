#include "plugin/host_api.hpp"

#include "config/config_node.hpp"
#include "metrics/metrics.hpp"
#include "pipeline/event_batch.hpp"

#include <fmt/format.h>

#include <string_view>

namespace ferry::core {
namespace {

void host_log(ferry_host_ctx* ctx, uint32_t level, const char* msg, uint32_t len) {
  spdlog::level::level_enum l = spdlog::level::info;
  switch (level) {
    case FERRY_LOG_TRACE: l = spdlog::level::trace; break;
    case FERRY_LOG_DEBUG: l = spdlog::level::debug; break;
    case FERRY_LOG_INFO: l = spdlog::level::info; break;
    case FERRY_LOG_WARN: l = spdlog::level::warn; break;
    default: l = spdlog::level::err; break;
  }
  if (ctx->logger->should_log(l)) {
    ctx->logger->log(l, "{} task={} plugin={}", std::string_view(msg, len), ctx->task, ctx->plugin);
  }
}

void host_set_error(ferry_host_ctx* ctx, uint32_t code, const char* msg, uint32_t len) {
  std::lock_guard lock(ctx->error_mu);
  ctx->error_code = code;
  ctx->error_message.assign(msg, len);
}

void* host_arena_alloc(ferry_batch* batch, size_t size, size_t align) {
  return EventBatch::from(batch)->arena().alloc(size, align);
}

uint32_t host_batch_insert_after(ferry_batch* batch, uint32_t index, const ferry_event* event) {
  EventBatch* b = EventBatch::from(batch);
  if (index != UINT32_MAX && index >= b->count()) return FERRY_ERROR;
  b->queue_insert(index, *event);
  return FERRY_OK;
}

void host_metric(ferry_host_ctx* ctx, uint32_t kind, const char* name, double value) {
  if (ctx->metrics == nullptr) return;
  if (kind == FERRY_METRIC_COUNTER) {
    ctx->metrics->counter_add(name, ctx->task, ctx->plugin, value);
  } else {
    ctx->metrics->gauge_set(name, ctx->task, ctx->plugin, value);
  }
}

const char* host_task_info(ferry_host_ctx* ctx, const char* key) {
  std::string_view k(key);
  if (k == "task") return ctx->task.c_str();
  if (k == "data-dir") return ctx->data_dir.c_str();
  if (k == "task-dir") return ctx->task_dir.c_str();
  if (k == "remove-meta") return ctx->remove_meta ? "true" : "false";
  return nullptr;
}

ferry_host_api make_api() {
  ferry_host_api api{};
  api.header = {sizeof(ferry_host_api), FERRY_ABI_MAJOR, FERRY_ABI_MINOR};
  api.log = &host_log;
  api.set_error = &host_set_error;
  api.arena_alloc = &host_arena_alloc;
  api.batch_insert_after = &host_batch_insert_after;
  config::fill_config_readers(api);
  api.metric = &host_metric;
  api.task_info = &host_task_info;
  return api;
}

}  // namespace

const ferry_host_api* host_api() {
  static const ferry_host_api api = make_api();  // constant table, no mutable state
  return &api;
}

Failure take_plugin_failure(ferry_host_ctx& ctx, uint32_t status, const char* operation) {
  std::lock_guard lock(ctx.error_mu);
  Failure f;
  f.retryable = status == FERRY_RETRYABLE;
  if (ctx.error_code == 0 && ctx.error_message.empty()) {
    f.code = FERRY_E_PLUGIN_FAILED;
    f.message = fmt::format("plugin '{}' failed in {} without saying why (status {})", ctx.plugin, operation, status);
  } else {
    f.code = ctx.error_code != 0 ? ctx.error_code : static_cast<uint32_t>(FERRY_E_PLUGIN_FAILED);
    f.message = fmt::format("plugin '{}' failed in {}: {}", ctx.plugin, operation, ctx.error_message);
  }
  ctx.error_code = 0;
  ctx.error_message.clear();
  return f;
}

}  // namespace ferry::core
