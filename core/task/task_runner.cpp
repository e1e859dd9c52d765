#include "task/task_runner.hpp"

#include "log/log.hpp"
#include "task/task_lock.hpp"

#include <ferry/sdk/events.hpp>
#include <fmt/format.h>

namespace ferry::core {
namespace {

std::string describe(const sdk::OwnedPosition& p) {
  std::string s = p.binlog_file.empty() ? "(start)" : fmt::format("{}:{}", p.binlog_file, p.binlog_pos);
  if (!p.gtid_set.empty()) s += " gtid=" + p.gtid_set;
  return s;
}

}  // namespace

TaskRunner::TaskRunner(const config::TaskSpec& spec, Metrics* metrics, StopSignal& stop)
    : spec_(spec), metrics_(metrics), stop_(stop), store_(spec.data_dir) {}

std::string TaskRunner::current_phase() const {
  std::lock_guard lock(mu_);
  return phase_;
}

std::optional<StoredCheckpoint> TaskRunner::load_checkpoint(const config::PhaseSpec& phase, PluginInstance& sink,
                                                            Failure& failure) {
  if (!(sink.def().flags & FERRY_SINK_OWNS_CHECKPOINT)) return store_.load(phase.name, failure);
  ferry_position pos{};
  int found = 0;
  int final = 0;
  uint32_t status = sink.def().sink->load_checkpoint(sink.self(), &pos, &found, &final);
  if (status != FERRY_OK) {
    failure = sink.failure(status, "load_checkpoint");
    return std::nullopt;
  }
  if (!found) return std::nullopt;
  return StoredCheckpoint{sdk::OwnedPosition::from(pos), final != 0};
}

TaskResult TaskRunner::run() {
  auto logger = log::get("task");
  std::error_code ec;
  std::filesystem::create_directories(spec_.data_dir, ec);
  if (ec) {
    return {TaskResult::Outcome::Paused,
            Failure{FERRY_E_FILE_IO, fmt::format("cannot create data directory {}: {}", spec_.data_dir.string(), ec.message()), false},
            "", std::nullopt};
  }
  TaskLock lock;
  if (Failure f = lock.acquire(spec_.data_dir, spec_.name)) return {TaskResult::Outcome::Paused, std::move(f), "", std::nullopt};
  const InstanceEnv env{spec_.name, spec_.data_dir.string(), spec_.task_dir.string(), metrics_, spec_.remove_meta};
  if (spec_.remove_meta) {
    // DM's --remove-meta: the host's own checkpoints go too (sinks drop theirs when they open).
    for (const auto& phase : spec_.phases) {
      if (Failure f = store_.remove(phase.name)) {
        TaskResult result;
        result.outcome = TaskResult::Outcome::Paused;
        result.failure = std::move(f);
        return result;
      }
    }
    logger->info("removed the task's checkpoints task={} (--remove-meta)", spec_.name);
  }
  std::optional<sdk::OwnedPosition> handover;
  TaskResult result;

  // A phase starts again from its checkpoint, with fresh instances, after a backoff, when a
  // plugin asks for it (it lost work it cannot redo in place) or when starting the phase met a
  // transient error (a downstream still coming up); `restarts` in a row at most.
  size_t restarts = 0;
  auto restart = [&](const Failure& f, const std::string& phase_name) -> std::optional<TaskResult::Outcome> {
    if (!(f.code == FERRY_E_TASK_RESTART_PHASE || f.retryable) || restarts >= spec_.pipeline.retry.max_retries) {
      return std::nullopt;
    }
    ++restarts;
    const auto wait = spec_.pipeline.retry.backoff(static_cast<uint32_t>(restarts));
    logger->warn("phase restarts from its checkpoint task={} phase={} restart={} backoff_ms={} error=\"{}\"", spec_.name,
                 phase_name, restarts, wait.count(), f.message);
    if (stop_.wait_for(wait)) return TaskResult::Outcome::Stopped;
    return TaskResult::Outcome::Finished;  // go again
  };

  for (size_t index = 0; index < spec_.phases.size(); ++index) {
    const config::PhaseSpec& phase = spec_.phases[index];
    {
      std::lock_guard lock(mu_);
      phase_ = phase.name;
    }
    result.phase = phase.name;
    Failure failure;
    auto make = [&](const config::StageSpec& stage) -> std::unique_ptr<PluginInstance> {
      if (failure) return nullptr;
      auto created = PluginInstance::create(*stage.plugin, config::clone(*stage.config), env);
      if (auto* f = std::get_if<Failure>(&created)) {
        failure = std::move(*f);
        return nullptr;
      }
      return std::get<std::unique_ptr<PluginInstance>>(std::move(created));
    };
    // Sink first: it may hold the checkpoint that says whether this phase is already done.
    auto sink = make(phase.sink);
    std::optional<StoredCheckpoint> checkpoint;
    if (sink) checkpoint = load_checkpoint(phase, *sink, failure);
    if (!failure && checkpoint && checkpoint->final) {
      logger->info("phase already finished task={} phase={} pos={}", spec_.name, phase.name, describe(checkpoint->position));
      handover = checkpoint->position;
      result.position = checkpoint;
      continue;
    }
    auto source = make(phase.source);
    std::vector<std::unique_ptr<PluginInstance>> transforms;
    std::vector<PluginInstance*> chain;
    for (const auto& t : phase.transforms) {
      transforms.push_back(make(t));
      chain.push_back(transforms.back().get());
    }
    if (failure) {
      if (auto again = restart(failure, phase.name)) {
        if (*again == TaskResult::Outcome::Stopped) {
          result.outcome = TaskResult::Outcome::Stopped;
          return result;
        }
        --index;  // the same phase again
        continue;
      }
      result.outcome = TaskResult::Outcome::Paused;
      result.failure = std::move(failure);
      return result;
    }

    std::optional<sdk::OwnedPosition> start;
    if (checkpoint) {
      start = checkpoint->position;
    } else if (handover) {
      start = handover;
    }
    logger->info("phase starting task={} phase={} source={} sink={} transforms={} start={}", spec_.name, phase.name,
                 source->name(), sink->name(), chain.size(), start ? describe(*start) : "(default)");

    CheckpointPersister persist;
    if (!(sink->def().flags & FERRY_SINK_OWNS_CHECKPOINT)) {
      persist = [this, name = phase.name](const StoredCheckpoint& cp) { return store_.save(name, cp); };
    }
    counters_.events_polled = 0;
    counters_.events_written = 0;
    counters_.rows_written = 0;
    Pipeline pipeline(*source, chain, *sink, spec_.pipeline, persist, stop_, counters_);
    ferry_position start_abi{};
    if (start) start_abi = start->as_abi();
    PipelineResult r = pipeline.run(start ? &start_abi : nullptr);
    result.position = r.last_checkpoint ? r.last_checkpoint : checkpoint;
    if (r.last_checkpoint && (!checkpoint || describe(r.last_checkpoint->position) != describe(checkpoint->position))) {
      restarts = 0;  // it got somewhere: restarts count in a row
    }

    switch (r.outcome) {
      case PipelineResult::Outcome::Failed:
        if (auto again = restart(r.failure, phase.name)) {
          if (*again == TaskResult::Outcome::Stopped) {
            result.outcome = TaskResult::Outcome::Stopped;
            return result;
          }
          --index;  // the same phase again
          break;
        }
        logger->error("task paused task={} phase={} code={} error=\"{}\" checkpoint={}", spec_.name, phase.name,
                      r.failure.code, r.failure.message, result.position ? describe(result.position->position) : "(none)");
        result.outcome = TaskResult::Outcome::Paused;
        result.failure = r.failure;
        return result;
      case PipelineResult::Outcome::Stopped:
        logger->info("task stopped task={} phase={} checkpoint={}", spec_.name, phase.name,
                     result.position ? describe(result.position->position) : "(none)");
        result.outcome = TaskResult::Outcome::Stopped;
        return result;
      case PipelineResult::Outcome::Finished:
        logger->info("phase finished task={} phase={} pos={}", spec_.name, phase.name,
                     r.last_checkpoint ? describe(r.last_checkpoint->position) : "(none)");
        if (!r.last_checkpoint || !r.last_checkpoint->final) {
          result.outcome = TaskResult::Outcome::Paused;
          result.failure = Failure{FERRY_E_TASK_NO_HANDOVER,
                                   fmt::format("phase '{}' ended without a final checkpoint", phase.name), false};
          return result;
        }
        handover = r.last_checkpoint->position;
        restarts = 0;
        break;
    }
  }
  result.outcome = TaskResult::Outcome::Finished;
  return result;
}

}  // namespace ferry::core
