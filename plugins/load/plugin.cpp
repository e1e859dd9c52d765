// The load library: the tidb-load sink. Declarations only; the logic lives in the folders beside
// this file: sql/ (rows to multi-row INSERTs), apply/ (the loader connections), checkpoint/ (the
// loader checkpoint table), sink/ (the coordinator), files/ (dump directories: the dump-files
// source and sink).
#include "files/dump_files_sink.hpp"
#include "files/dump_files_source.hpp"
#include "sink/tidb_load_sink.hpp"

#include <ferry/sdk/export.hpp>

FERRY_PLUGIN_LIBRARY("ferry-load", ferry::load::TidbLoadSink, ferry::load::DumpFilesSource, ferry::load::DumpFilesSink)
