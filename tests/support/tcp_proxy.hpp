// TcpProxy: a loopback TCP proxy for tests that need a connection to fail on cue. It forwards
// every accepted connection to the target port; cut() closes all live connections at once (as a
// network failure or a crashed peer would), freeze() stops them forwarding without closing them
// (as a network partition would: nothing arrives, nothing says so); new connections keep being
// accepted and flow either way.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace ferry::testing {

class TcpProxy {
 public:
  explicit TcpProxy(uint16_t target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  uint16_t port() const { return port_; }
  // Closes every connection open now; returns how many there were.
  int cut();
  // Stops every connection open now from forwarding, for good (cut() or the proxy's end closes
  // them); returns how many there were.
  int freeze();

 private:
  void accept_loop();
  void pump(int from, int to);

  uint16_t target_port_;
  uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::vector<int> live_fds_;
  std::vector<int> frozen_fds_;
  std::condition_variable frozen_cv_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace ferry::testing
