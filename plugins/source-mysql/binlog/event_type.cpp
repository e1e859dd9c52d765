#include "binlog/event_type.hpp"

#include <array>
#include <cstdio>

namespace ferry::mysql {

const char* event_type_name(uint8_t type) {
  switch (static_cast<EventType>(type)) {
    case EventType::StartV3: return "START_V3";
    case EventType::Query: return "QUERY";
    case EventType::Stop: return "STOP";
    case EventType::Rotate: return "ROTATE";
    case EventType::Intvar: return "INTVAR";
    case EventType::Rand: return "RAND";
    case EventType::UserVar: return "USER_VAR";
    case EventType::FormatDescription: return "FORMAT_DESCRIPTION";
    case EventType::Xid: return "XID";
    case EventType::TableMap: return "TABLE_MAP";
    case EventType::WriteRowsV1: return "WRITE_ROWS_V1";
    case EventType::UpdateRowsV1: return "UPDATE_ROWS_V1";
    case EventType::DeleteRowsV1: return "DELETE_ROWS_V1";
    case EventType::Incident: return "INCIDENT";
    case EventType::Heartbeat: return "HEARTBEAT";
    case EventType::Ignorable: return "IGNORABLE";
    case EventType::RowsQuery: return "ROWS_QUERY";
    case EventType::WriteRowsV2: return "WRITE_ROWS";
    case EventType::UpdateRowsV2: return "UPDATE_ROWS";
    case EventType::DeleteRowsV2: return "DELETE_ROWS";
    case EventType::MysqlGtid: return "GTID";
    case EventType::AnonymousGtid: return "ANONYMOUS_GTID";
    case EventType::PreviousGtids: return "PREVIOUS_GTIDS";
    case EventType::TransactionContext: return "TRANSACTION_CONTEXT";
    case EventType::ViewChange: return "VIEW_CHANGE";
    case EventType::XaPrepare: return "XA_PREPARE";
    case EventType::PartialUpdateRows: return "PARTIAL_UPDATE_ROWS";
    case EventType::TransactionPayload: return "TRANSACTION_PAYLOAD";
    case EventType::HeartbeatV2: return "HEARTBEAT_V2";
    case EventType::AnnotateRows: return "ANNOTATE_ROWS";
    case EventType::BinlogCheckpoint: return "BINLOG_CHECKPOINT";
    case EventType::MariadbGtid: return "MARIADB_GTID";
    case EventType::GtidList: return "GTID_LIST";
    case EventType::StartEncryption: return "START_ENCRYPTION";
    case EventType::QueryCompressed: return "QUERY_COMPRESSED";
    case EventType::WriteRowsCompressedV1: return "WRITE_ROWS_COMPRESSED_V1";
    case EventType::UpdateRowsCompressedV1: return "UPDATE_ROWS_COMPRESSED_V1";
    case EventType::DeleteRowsCompressedV1: return "DELETE_ROWS_COMPRESSED_V1";
    case EventType::WriteRowsCompressed: return "WRITE_ROWS_COMPRESSED";
    case EventType::UpdateRowsCompressed: return "UPDATE_ROWS_COMPRESSED";
    case EventType::DeleteRowsCompressed: return "DELETE_ROWS_COMPRESSED";
    default: break;
  }
  // A small fixed table of names for the rest, built once; no allocation per call.
  static const std::array<std::array<char, 16>, 256> kNames = [] {
    std::array<std::array<char, 16>, 256> names{};
    for (int i = 0; i < 256; ++i) std::snprintf(names[i].data(), names[i].size(), "UNKNOWN_%d", i);
    return names;
  }();
  return kNames[type].data();
}

RowsEventInfo rows_event_info(uint8_t type) {
  switch (static_cast<EventType>(type)) {
    case EventType::WriteRowsV1: return {RowsKind::Write, false, false};
    case EventType::UpdateRowsV1: return {RowsKind::Update, false, false};
    case EventType::DeleteRowsV1: return {RowsKind::Delete, false, false};
    case EventType::WriteRowsV2: return {RowsKind::Write, true, false};
    case EventType::UpdateRowsV2: return {RowsKind::Update, true, false};
    case EventType::DeleteRowsV2: return {RowsKind::Delete, true, false};
    case EventType::PartialUpdateRows: return {RowsKind::Update, true, false, true};
    case EventType::WriteRowsCompressedV1: return {RowsKind::Write, false, true};
    case EventType::UpdateRowsCompressedV1: return {RowsKind::Update, false, true};
    case EventType::DeleteRowsCompressedV1: return {RowsKind::Delete, false, true};
    case EventType::WriteRowsCompressed: return {RowsKind::Write, true, true};
    case EventType::UpdateRowsCompressed: return {RowsKind::Update, true, true};
    case EventType::DeleteRowsCompressed: return {RowsKind::Delete, true, true};
    default: return {};
  }
}

}  // namespace ferry::mysql
