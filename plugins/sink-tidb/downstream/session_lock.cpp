#include "downstream/session_lock.hpp"

#include <ferry/sdk/stable_hash.hpp>

#include <cstdio>

namespace ferry::tidb {

namespace {

constexpr size_t kMaxLockName = 64;  // GET_LOCK's limit in MySQL 5.7+ and MariaDB
constexpr size_t kMaxRole = 6;       // ":" and a role: "c", "w0" .. "w9999", "l0" ..

bool plain(const std::string& s) {
  for (unsigned char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Only a clear "no such function" / "not supported" counts as a downstream without named locks
// (then ferry warns and goes on); anything else is an error, or the guard would switch itself off
// on a passing failure.
bool unsupported_function(unsigned code) {
  return code == 1305   // ER_SP_DOES_NOT_EXIST: FUNCTION GET_LOCK does not exist
         || code == 1235;  // ER_NOT_SUPPORTED_YET (Galera clusters refuse GET_LOCK)
}

constexpr unsigned kLockWaitTimeout = 1205;  // ER_LOCK_WAIT_TIMEOUT: transient, the caller retries

}  // namespace

SessionLocks::SessionLocks(const std::string& meta_schema, const std::string& task, const std::string& source_id,
                           std::string kind)
    : kind_(std::move(kind)) {
  // Names travel as plain '...' literals: anything outside [A-Za-z0-9_.:-] goes through the hash.
  // A part with '.' or ':' would make two scopes read alike: those go through the hash too.
  const auto separated = [](const std::string& part) { return part.find_first_of(".:") == std::string::npos; };
  const std::string readable = "ferry:" + kind_ + ":" + meta_schema + "." + task + ":" + source_id;
  if (plain(readable) && separated(meta_schema) && separated(task) && separated(source_id) &&
      readable.size() + kMaxRole <= kMaxLockName) {
    scope_ = readable;
  } else {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(sdk::stable_hash(meta_schema + '\0' + task + '\0' + source_id)));
    scope_ = "ferry:" + kind_ + ":" + hex;
  }
}

std::string SessionLocks::name(const std::string& role) const { return scope_ + ":" + role; }

std::optional<DownstreamError> SessionLocks::claim(DownstreamConnection& conn, const std::string& role,
                                                   std::chrono::seconds wait, Claim& out) const {
  out = Claim{};
  const std::string literal = "'" + name(role) + "'";
  ResultRows rows;
  if (auto e = conn.query("SELECT GET_LOCK(" + literal + ", " + std::to_string(wait.count()) + ")", rows)) {
    if (unsupported_function(e->code)) {
      out.outcome = Outcome::Unsupported;
      return std::nullopt;
    }
    return e;
  }
  if (rows.empty() || !rows[0][0]) {
    // NULL: the server reports an error (the waiting session was killed, say): try again.
    return DownstreamError{kLockWaitTimeout, "GET_LOCK(" + literal + ") returned NULL"};
  }
  if (*rows[0][0] == "1") return std::nullopt;
  out.outcome = Outcome::Busy;
  if (!conn.query("SELECT IS_USED_LOCK(" + literal + ")", rows) && !rows.empty() && rows[0][0]) out.holder = *rows[0][0];
  return std::nullopt;
}

std::optional<DownstreamError> SessionLocks::wait_free(DownstreamConnection& conn, const std::vector<std::string>& roles,
                                                       std::chrono::seconds wait, bool& supported,
                                                       std::vector<std::string>& waited_for) const {
  supported = true;
  waited_for.clear();
  if (roles.empty()) return std::nullopt;
  // Every lock tried at once without waiting (hundreds of roles in one round trip, not two each),
  // then those taken released at once; only the busy ones are waited for, one by one.
  std::string try_all = "SELECT ";
  std::string release = "DO ";
  for (size_t i = 0; i < roles.size(); ++i) {
    const std::string literal = "'" + name(roles[i]) + "'";
    try_all += (i ? ", GET_LOCK(" : "GET_LOCK(") + literal + ", 0)";
    release += (i ? ", RELEASE_LOCK(" : "RELEASE_LOCK(") + literal + ")";
  }
  ResultRows rows;
  if (auto e = conn.query(try_all, rows)) {
    if (unsupported_function(e->code)) {
      supported = false;
      return std::nullopt;
    }
    return e;
  }
  std::vector<std::string> busy;
  for (size_t i = 0; i < roles.size(); ++i) {
    const auto& cell = rows.empty() || i >= rows[0].size() ? std::optional<std::string>() : rows[0][i];
    if (!cell) return DownstreamError{kLockWaitTimeout, "GET_LOCK('" + name(roles[i]) + "') returned NULL"};
    if (*cell != "1") busy.push_back(roles[i]);
  }
  if (auto e = conn.execute(release)) return e;
  for (const auto& role : busy) {
    Claim c;
    if (auto e = claim(conn, role, std::chrono::seconds(0), c)) return e;
    if (c.outcome == Outcome::Busy) {
      waited_for.push_back(c.holder.empty() ? role : c.holder);
      if (auto e = claim(conn, role, wait, c)) return e;
    }
    if (c.outcome == Outcome::Busy) return DownstreamError{kLockWaitTimeout, busy_message(role, c.holder)};
    if (c.outcome == Outcome::Unsupported) return DownstreamError{0, "GET_LOCK stopped working on the downstream"};
    if (auto e = conn.execute("DO RELEASE_LOCK('" + name(role) + "')")) return e;
  }
  return std::nullopt;
}

std::optional<DownstreamError> SessionLocks::hold(DownstreamConnection& conn, const std::string& role,
                                                  uint64_t previous_session, std::chrono::seconds wait,
                                                  bool& supported) const {
  supported = true;
  Claim c;
  if (auto e = claim(conn, role, std::chrono::seconds(0), c)) return e;
  if (c.outcome == Outcome::Unsupported) supported = false;
  if (c.outcome != Outcome::Busy) return std::nullopt;
  if (previous_session != 0 && c.holder == std::to_string(previous_session)) {
    // 1094: it ended meanwhile.
    if (auto e = conn.execute("KILL " + c.holder); e && e->code != 1094) return e;
  }
  if (auto e = claim(conn, role, wait, c)) return e;
  if (c.outcome == Outcome::Busy) return DownstreamError{kLockWaitTimeout, busy_message(role, c.holder)};
  if (c.outcome == Outcome::Unsupported) return DownstreamError{0, "GET_LOCK stopped working on the downstream"};
  return std::nullopt;
}

std::string SessionLocks::busy_message(const std::string& role, const std::string& holder) const {
  return "downstream session " + (holder.empty() ? std::string("(unknown id)") : holder) + " holds ferry's lock '" +
         name(role) + "' of this task's " + kind_ + ": another ferry is running this task, or a session of an earlier run "
         "is still working (SHOW PROCESSLIST; if it is a leftover, KILL " + (holder.empty() ? "it" : holder) +
         ") — nothing was applied, so that no transaction is applied twice";
}

}  // namespace ferry::tidb
