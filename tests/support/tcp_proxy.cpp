#include "support/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace ferry::testing {

TcpProxy::TcpProxy(uint16_t target_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // any free port
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("tcp proxy: cannot listen on loopback");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TcpProxy::~TcpProxy() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  cut();
  acceptor_.join();
  for (auto& t : threads_) t.join();
}

int TcpProxy::cut() {
  std::lock_guard lock(mu_);
  const int n = static_cast<int>(live_fds_.size()) / 2;
  for (int fd : live_fds_) ::shutdown(fd, SHUT_RDWR);  // the pump threads see EOF and close
  live_fds_.clear();
  frozen_fds_.clear();
  frozen_cv_.notify_all();
  return n;
}

int TcpProxy::freeze() {
  std::lock_guard lock(mu_);
  frozen_fds_.insert(frozen_fds_.end(), live_fds_.begin(), live_fds_.end());
  return static_cast<int>(live_fds_.size()) / 2;
}

void TcpProxy::accept_loop() {
  while (!stopping_) {
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (stopping_) return;
      continue;
    }
    int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(target_port_);
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(client);
      ::close(upstream);
      continue;
    }
    std::lock_guard lock(mu_);
    live_fds_.push_back(client);
    live_fds_.push_back(upstream);
    threads_.emplace_back([this, client, upstream] { pump(client, upstream); });
  }
}

// Copies both ways until either side closes, then closes both.
void TcpProxy::pump(int a, int b) {
  char buf[64 * 1024];
  pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
  auto frozen = [&] { return std::find(frozen_fds_.begin(), frozen_fds_.end(), a) != frozen_fds_.end(); };
  while (true) {
    // A frozen connection forwards nothing and closes only when cut or at the proxy's end. The
    // poll's timeout is how soon a freeze takes hold on a connection waiting for bytes.
    const int ready = ::poll(fds, 2, 50);
    if (ready < 0) break;
    {
      std::unique_lock lock(mu_);
      if (frozen()) {
        frozen_cv_.wait(lock, [&] { return !frozen() || stopping_; });
        break;  // only cut() or the end thaws it
      }
    }
    if (ready == 0) continue;
    bool done = false;
    for (int i = 0; i < 2 && !done; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        done = true;
        break;
      }
      ssize_t off = 0;
      while (off < n) {
        const ssize_t w = ::write(fds[1 - i].fd, buf + off, static_cast<size_t>(n - off));
        if (w <= 0) {
          done = true;
          break;
        }
        off += w;
      }
    }
    if (done) break;
  }
  {
    // Forget the descriptors before closing them, so a new connection reusing the numbers is
    // never mistaken for this one.
    std::lock_guard lock(mu_);
    live_fds_.erase(std::remove_if(live_fds_.begin(), live_fds_.end(), [&](int fd) { return fd == a || fd == b; }),
                    live_fds_.end());
  }
  ::shutdown(a, SHUT_RDWR);
  ::shutdown(b, SHUT_RDWR);
  ::close(a);
  ::close(b);
}

}  // namespace ferry::testing
