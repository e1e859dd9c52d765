// A pass-through pipeline through the real plugin boundary: the `generate` source, three `count`
// transforms and the `discard` sink, each loaded from the debug plugin library with Boost.DLL,
// joined by the bounded queue on two threads. Events per second by batch size (the source's poll
// capacity and the sink's write size). Row events carry 4 values (sysbench's id, k, c, pad).
#include "config/task_file.hpp"
#include "pipeline/pipeline.hpp"
#include "plugin/plugin_instance.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

namespace ferry::core {
namespace {

void BM_PassThroughPipeline(benchmark::State& state) {
  const int64_t batch = state.range(0);
  constexpr int64_t kRows = 5'000'000;
  const auto dir = std::filesystem::temp_directory_path() / "ferry_pipeline_bench";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "task.yaml") << "name: bench\ntask-mode: incremental\n"
                                      "queue: {batch-events: " << batch << "}\n"
                                      "incremental:\n"
                                      "  source: {plugin: generate, rows: " << kRows << ", tables: 8, checkpoint-every: 100000}\n"
                                      "  transforms: [{plugin: count}, {plugin: count}, {plugin: count}]\n"
                                      "  sink: {plugin: discard}\n";
  PluginRegistry registry;
  registry.add_directory(DEBUG_PLUGIN_DIR);
  config::TaskSpec spec = config::load_task_file(dir / "task.yaml", registry);
  const auto& phase = spec.phases[0];
  uint64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    InstanceEnv env{"bench", dir.string(), dir.string(), nullptr};
    auto make = [&](const config::StageSpec& s) {
      return std::get<std::unique_ptr<PluginInstance>>(PluginInstance::create(*s.plugin, config::clone(*s.config), env));
    };
    auto source = make(phase.source);
    auto sink = make(phase.sink);
    std::vector<std::unique_ptr<PluginInstance>> transforms;
    std::vector<PluginInstance*> chain;
    for (const auto& t : phase.transforms) {
      transforms.push_back(make(t));
      chain.push_back(transforms.back().get());
    }
    StopSignal stop;
    PipelineCounters counters;
    Pipeline pipeline(*source, chain, *sink, spec.pipeline, nullptr, stop, counters);
    state.ResumeTiming();
    PipelineResult r = pipeline.run(nullptr);
    if (r.outcome != PipelineResult::Outcome::Finished) state.SkipWithError(r.failure.message.c_str());
    events += counters.events_written.load();
  }
  state.SetItemsProcessed(static_cast<int64_t>(events));
}
BENCHMARK(BM_PassThroughPipeline)->Arg(64)->Arg(256)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace ferry::core
