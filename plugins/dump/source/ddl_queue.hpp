// DdlQueue: the CREATE statements a full-phase source emits before its rows, in order, as DDL
// events. Shared by the mysql-dump and dump-files sources.
#pragma once

#include <ferry/sdk/events.hpp>

#include <deque>
#include <string>

namespace ferry::dump {

class DdlQueue {
 public:
  // `table` empty for a CREATE DATABASE.
  void push(std::string statement, std::string schema, std::string table) {
    pending_.push_back(Ddl{std::move(statement), std::move(schema), std::move(table)});
  }
  bool empty() const { return pending_.empty(); }

  // Emits what fits in `out`, each event at `pos` (strings already in the batch's arena).
  // True when every statement has been emitted.
  bool emit(sdk::BatchWriter& out, const ferry_position& pos) {
    while (!pending_.empty() && out.room() > 0) {
      const Ddl& d = pending_.front();
      ferry_event& e = out.append(FERRY_EVENT_DDL);
      e.pos = pos;
      e.u.ddl.statement = out.copy(d.statement);
      e.u.ddl.default_schema = out.copy(d.schema);
      e.u.ddl.schema = out.copy(d.schema);
      e.u.ddl.table = out.copy(d.table);
      pending_.pop_front();
    }
    return pending_.empty();
  }

 private:
  struct Ddl {
    std::string statement, schema, table;
  };
  std::deque<Ddl> pending_;
};

}  // namespace ferry::dump
