// The debug plugin library: sources, transforms and sinks for trying pipelines out, testing and
// benchmarking. Declarations only; the logic lives in the files beside this one.
#include "count_transform.hpp"
#include "discard_sink.hpp"
#include "generate_source.hpp"
#include "jsonl_sink.hpp"
#include "jsonl_source.hpp"

#include <ferry/sdk/export.hpp>

FERRY_PLUGIN_LIBRARY("ferry-debug",
                     ferry::plugins::debug::GenerateSource,
                     ferry::plugins::debug::JsonlSource,
                     ferry::plugins::debug::CountTransform,
                     ferry::plugins::debug::JsonlSink,
                     ferry::plugins::debug::DiscardSink)
