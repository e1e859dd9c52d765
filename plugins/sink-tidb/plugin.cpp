// The tidb sink library. Declarations only; the logic lives in the folders beside this file:
// sql/ (row changes to SQL), apply/ (causality and DML workers), checkpoint/ (the meta tables),
// downstream/ (the connection), sink/ (the coordinator).
#include "sink/tidb_sink.hpp"

#include <ferry/sdk/export.hpp>

FERRY_PLUGIN_LIBRARY("ferry-tidb", ferry::tidb::TidbSink)
