// The bounded queue alone: one producer thread pushing ready batches, the consumer popping sink
// batches of the same size and releasing them. Events per second by batch size.
#include "pipeline/bounded_queue.hpp"

#include <benchmark/benchmark.h>

#include <thread>

namespace ferry::core {
namespace {

void BM_QueueThroughput(benchmark::State& state) {
  const uint32_t batch_events = static_cast<uint32_t>(state.range(0));
  constexpr uint64_t kEvents = 4'000'000;
  const uint64_t batches = kEvents / batch_events;
  // Pre-built batches, recycled through the queue: measures the queue, not allocation.
  std::vector<std::shared_ptr<EventBatch>> pool;
  for (int i = 0; i < 64; ++i) {
    auto b = std::make_shared<EventBatch>(batch_events);
    for (uint32_t k = 0; k < batch_events; ++k) b->append_host_event().kind = FERRY_EVENT_ROW;
    pool.push_back(b);
  }
  for (auto _ : state) {
    BoundedQueue q({65536, 64ull << 20, 0.5});
    std::thread producer([&] {
      for (uint64_t i = 0; i < batches; ++i) {
        q.wait_for_room();
        q.push(pool[i % pool.size()]);
      }
      q.close();
    });
    uint64_t seen = 0;
    while (auto s = q.pop(batch_events)) {
      seen += s->count();
      q.release(std::move(*s));
    }
    producer.join();
    benchmark::DoNotOptimize(seen);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batches * batch_events));
}
BENCHMARK(BM_QueueThroughput)->Arg(16)->Arg(64)->Arg(256)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ferry::core
