// A small write workload for the kill and restart tests: keyed, keyless and unique-keyed tables,
// multi-statement transactions, primary-key changes and deletes, on a thread of its own. Every
// transaction it reports as committed is committed upstream.
#pragma once

#include "support/mariadb_server.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ferry::testing {

class KillWorkload {
 public:
  static constexpr const char* kSchema = "kill_db";
  static const std::vector<std::string>& tables();  // schema.table of every table it writes

  explicit KillWorkload(const MariadbServer& upstream, uint32_t seed);
  ~KillWorkload();

  void create_schema();
  void start();  // runs transactions until stop()
  void stop();
  uint64_t committed() const { return committed_.load(); }
  // Blocks until at least `n` transactions are committed.
  void wait_committed(uint64_t n);

 private:
  void run();

  const MariadbServer& upstream_;
  uint32_t seed_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> committed_{0};
  std::mutex mu_;
  std::condition_variable progress_;
  std::thread thread_;
  std::string error_;
};

}  // namespace ferry::testing
