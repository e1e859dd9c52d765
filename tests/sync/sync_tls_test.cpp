// The downstream connection over TLS: a downstream user that REQUIRE SSL, a server certificate
// signed by a CA of the test's own, and ferry told only the CA (security.ssl-ca), so it also
// verifies the server's certificate. Without TLS the user could not log in at all.
#include "support/run_command.hpp"
#include "sync_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace ferry::testing {
namespace {

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv);
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

// A CA and a server certificate for 127.0.0.1 in `dir`.
void make_certificates(const std::filesystem::path& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string d = dir.string() + "/";
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ferry test CA", "-keyout",
           d + "ca-key.pem", "-out", d + "ca.pem"});
  openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", d + "server-key.pem", "-out",
           d + "server.csr"});
  {
    std::ofstream ext(d + "ext.cnf");
    ext << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  }
  openssl({"x509", "-req", "-in", d + "server.csr", "-CA", d + "ca.pem", "-CAkey", d + "ca-key.pem", "-CAcreateserial",
           "-days", "2", "-extfile", d + "ext.cnf", "-out", d + "server.pem"});
}

TEST(SyncTls, DownstreamOverVerifiedTls) {
  const auto certs = std::filesystem::path(SYNC_WORK_DIR) / "tls-certs";
  make_certificates(certs);
  SyncFixture f("sync_tls", {"user: tls_user", "password: tls_pass", "security: {ssl-ca: " + (certs / "ca.pem").string() + "}"},
                {}, {"ssl_ca=" + (certs / "ca.pem").string(), "ssl_cert=" + (certs / "server.pem").string(),
                     "ssl_key=" + (certs / "server-key.pem").string()});
  Connection down = f.down().connect();
  down.execute("CREATE USER tls_user@'127.0.0.1' IDENTIFIED BY 'tls_pass' REQUIRE SSL");
  down.execute("GRANT ALL PRIVILEGES ON *.* TO tls_user@'127.0.0.1'");
  Connection up = f.up().connect();
  up.execute("CREATE DATABASE secure");
  up.execute("CREATE TABLE secure.t (id INT PRIMARY KEY, v VARCHAR(10))");
  up.execute("INSERT INTO secure.t VALUES (1, 'tls'), (2, 'ok')");
  f.ferry().start();
  ASSERT_TRUE(f.wait_caught_up()) << f.log_tail();
  EXPECT_EQ(f.ferry().stop(), 0) << f.log_tail();
  EXPECT_EQ(table_fingerprint(down, "secure.t"), table_fingerprint(up, "secure.t"));
}

}  // namespace
}  // namespace ferry::testing
