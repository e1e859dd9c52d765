#include "kill_workload.hpp"

#include <random>
#include <stdexcept>

namespace ferry::testing {

const std::vector<std::string>& KillWorkload::tables() {
  static const std::vector<std::string> t = {"kill_db.accounts", "kill_db.ledger", "kill_db.codes"};
  return t;
}

KillWorkload::KillWorkload(const MariadbServer& upstream, uint32_t seed) : upstream_(upstream), seed_(seed) {}

KillWorkload::~KillWorkload() { stop(); }

void KillWorkload::create_schema() {
  Connection c = upstream_.connect();
  c.execute("CREATE DATABASE kill_db");
  c.execute("CREATE TABLE kill_db.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL, note VARCHAR(40))");
  c.execute("CREATE TABLE kill_db.ledger (account INT, amount INT, memo VARCHAR(20))");  // no key at all
  c.execute("CREATE TABLE kill_db.codes (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, n INT, UNIQUE KEY (code))");
}

void KillWorkload::start() {
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void KillWorkload::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (!error_.empty()) throw std::runtime_error("workload failed: " + error_);
}

void KillWorkload::wait_committed(uint64_t n) {
  std::unique_lock lock(mu_);
  progress_.wait(lock, [&] { return committed_.load() >= n || stopping_.load(); });
}

void KillWorkload::run() {
  try {
    Connection c = upstream_.connect();
    std::mt19937 rng(seed_);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    int next_id = 1;
    while (!stopping_) {
      c.execute("BEGIN");
      const int statements = pick(1, 5);
      for (int s = 0; s < statements; ++s) {
        const int id = pick(1, std::max(1, next_id));
        switch (pick(0, 9)) {
          case 0:
          case 1:
            c.execute("INSERT INTO kill_db.accounts VALUES (" + std::to_string(next_id++) + ", " +
                      std::to_string(pick(0, 1000)) + ", 'n" + std::to_string(pick(0, 99)) + "')");
            break;
          case 2:
          case 3:
            c.execute("UPDATE kill_db.accounts SET balance = balance + " + std::to_string(pick(-50, 50)) +
                      " WHERE id = " + std::to_string(id));
            break;
          case 4:  // the primary key moves
            c.execute("UPDATE IGNORE kill_db.accounts SET id = " + std::to_string(next_id++) + " WHERE id = " + std::to_string(id));
            break;
          case 5:
            c.execute("DELETE FROM kill_db.accounts WHERE id = " + std::to_string(id));
            break;
          case 6:  // identical rows on purpose: duplicates must stay exactly as many
            c.execute("INSERT INTO kill_db.ledger VALUES (" + std::to_string(pick(1, 20)) + ", " +
                      std::to_string(pick(1, 3)) + ", 'm')");
            break;
          case 7:
            c.execute("DELETE FROM kill_db.ledger WHERE account = " + std::to_string(pick(1, 20)) + " LIMIT 1");
            break;
          case 8:  // a unique key value moves between rows
            c.execute("REPLACE INTO kill_db.codes VALUES (" + std::to_string(pick(1, 50)) + ", 'c" +
                      std::to_string(pick(1, 60)) + "', " + std::to_string(pick(0, 9)) + ")");
            break;
          default:
            c.execute("UPDATE kill_db.ledger SET amount = amount + 1 WHERE account = " + std::to_string(pick(1, 20)) +
                      " LIMIT 1");
            break;
        }
      }
      if (pick(0, 19) == 0) {
        c.execute("ROLLBACK");
        continue;
      }
      c.execute("COMMIT");
      ++committed_;
      progress_.notify_all();
    }
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  stopping_ = true;
  progress_.notify_all();
}

}  // namespace ferry::testing
