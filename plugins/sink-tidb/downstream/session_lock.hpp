// Session locks: named locks (GET_LOCK) that each downstream session of a task holds for as long
// as it lives, so that a restart never reads a checkpoint that a session of the previous run can
// still change.
//
// Why: when ferry dies (SIGKILL, a crash, a lost host), the downstream does not stop the
// statements it already received. A worker's last `START TRANSACTION; ...; checkpoint row;
// COMMIT` may still be executing, and commit, after the next run has read the checkpoint tables:
// that run would not know the transaction is in and would apply it again (a duplicate key, or a
// keyless row twice). The server ends such a session only once its command is done, and its
// named locks go with it. So every session takes its lock when it connects, and a starting run
// first waits until it can take every lock of its task (then releases them): from then on no
// session of an earlier run can commit anything.
//
// The same holds within one run: a worker that lost its connection mid-commit asks its
// checkpoint row whether the commit happened, and must first make sure its old session is gone
// (it kills it: the session is its own).
//
// Only a downstream that says it has no GET_LOCK ("no such function", or Galera's "not
// supported") runs without the guard, with a warning; any other error or a NULL answer is a
// lock wait to retry. TiDB before 5.x has GET_LOCK as a no-op, which this cannot detect.
#pragma once

#include "downstream/downstream_connection.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::tidb {

// How long a session waits for its lock, and a starting run for an earlier run's sessions: long
// enough for a statement the server already received to finish.
inline constexpr std::chrono::seconds kSessionLockWait{30};

class SessionLocks {
 public:
  // `scope` names what the sessions belong to: the meta schema, the task and the source id.
  SessionLocks(const std::string& meta_schema, const std::string& task, const std::string& source_id, std::string kind);

  // The lock name of session `role` ("c" the coordinator, "w0", "w1", ... workers, "l0", ...
  // loaders): "ferry:<kind>:<meta>.<task>:<source>:<role>", at most 64 characters (MySQL's and
  // MariaDB's limit); a longer or unusual scope is replaced by its hash.
  std::string name(const std::string& role) const;

  enum class Outcome { Held, Unsupported, Busy };
  struct Claim {
    Outcome outcome = Outcome::Held;
    std::string holder;  // Busy: the connection id holding it (IS_USED_LOCK)
  };
  // Takes the lock of `role` on `conn`, waiting up to `wait`. A transport error is returned as
  // is; Busy means another live session holds it after the wait. Errors are transient
  // (1205, lock wait timeout) when waiting longer may help.
  std::optional<DownstreamError> claim(DownstreamConnection& conn, const std::string& role, std::chrono::seconds wait,
                                       Claim& out) const;
  // Waits until every lock in `roles` is free (taking and releasing each): no session of an
  // earlier run is still working. Returns an error naming the holder if one stays busy;
  // `waited_for` gets the ids of the sessions it waited for.
  std::optional<DownstreamError> wait_free(DownstreamConnection& conn, const std::vector<std::string>& roles,
                                           std::chrono::seconds wait, bool& supported,
                                           std::vector<std::string>& waited_for) const;

  // For a session that takes its lock when it (re)connects: `previous_session` is the id of the
  // session it had before (0: none). If that old session still holds the lock (the connection
  // was lost, the server has not noticed yet), it is killed — it is our own — and waited for.
  // Any other holder is waited for up to `wait`, then reported. `supported` says whether the
  // downstream has named locks at all.
  std::optional<DownstreamError> hold(DownstreamConnection& conn, const std::string& role, uint64_t previous_session,
                                      std::chrono::seconds wait, bool& supported) const;

  // The message for a lock another session keeps.
  std::string busy_message(const std::string& role, const std::string& holder) const;

 private:
  std::string scope_;  // "ferry:<kind>:<meta>.<task>:<source>" or its hash
  std::string kind_;
};

}  // namespace ferry::tidb
