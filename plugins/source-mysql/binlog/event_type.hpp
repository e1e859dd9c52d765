// Binlog event type codes, MySQL's and MariaDB's, as they appear in the event header.
#pragma once

#include <cstdint>

namespace ferry::mysql {

enum class EventType : uint8_t {
  Unknown = 0,
  StartV3 = 1,
  Query = 2,
  Stop = 3,
  Rotate = 4,
  Intvar = 5,
  Slave = 7,
  AppendBlock = 9,
  DeleteFile = 11,
  Rand = 13,
  UserVar = 14,
  FormatDescription = 15,
  Xid = 16,
  BeginLoadQuery = 17,
  ExecuteLoadQuery = 18,
  TableMap = 19,
  WriteRowsV0 = 20,
  UpdateRowsV0 = 21,
  DeleteRowsV0 = 22,
  WriteRowsV1 = 23,
  UpdateRowsV1 = 24,
  DeleteRowsV1 = 25,
  Incident = 26,
  Heartbeat = 27,
  Ignorable = 28,
  RowsQuery = 29,
  WriteRowsV2 = 30,
  UpdateRowsV2 = 31,
  DeleteRowsV2 = 32,
  MysqlGtid = 33,
  AnonymousGtid = 34,
  PreviousGtids = 35,
  TransactionContext = 36,
  ViewChange = 37,
  XaPrepare = 38,
  PartialUpdateRows = 39,
  TransactionPayload = 40,
  HeartbeatV2 = 41,
  // MariaDB
  AnnotateRows = 160,
  BinlogCheckpoint = 161,
  MariadbGtid = 162,
  GtidList = 163,
  StartEncryption = 164,
  QueryCompressed = 165,
  WriteRowsCompressedV1 = 166,
  UpdateRowsCompressedV1 = 167,
  DeleteRowsCompressedV1 = 168,
  WriteRowsCompressed = 169,
  UpdateRowsCompressed = 170,
  DeleteRowsCompressed = 171,
};

// "WRITE_ROWS_V1", ... for messages and `ferry binlog decode`; "UNKNOWN_<n>" for others.
const char* event_type_name(uint8_t type);

enum class RowsKind { None, Write, Update, Delete };

struct RowsEventInfo {
  RowsKind kind = RowsKind::None;
  bool v2 = false;            // has the extra-data block
  bool compressed = false;    // MariaDB's zlib-compressed row data
  bool partial_json = false;  // MySQL's PARTIAL_UPDATE_ROWS: after images may log JSON diffs
};

// Whether `type` is a rows event, and which.
RowsEventInfo rows_event_info(uint8_t type);

}  // namespace ferry::mysql
