package dev.vigil.core.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * The real services tests run against (PostgreSQL, MariaDB, Redis on loopback). Under {@code CI=true}
 * an unreachable service fails the test loudly; elsewhere the test is skipped with a message saying
 * what to start.
 */
public final class LocalServices {
  /** PostgreSQL on 127.0.0.1:5432, trust auth, user postgres. */
  public static final String POSTGRES_HOST = "127.0.0.1";
  /** PostgreSQL port. */
  public static final int POSTGRES_PORT = 5432;
  /** MariaDB port on 127.0.0.1 (root, empty password). */
  public static final int MARIADB_PORT = 3306;
  /** Redis port on 127.0.0.1. */
  public static final int REDIS_PORT = 6379;

  private LocalServices() {
  }

  /** Requires PostgreSQL. */
  public static void requirePostgres() {
    require("PostgreSQL", POSTGRES_PORT,
        "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
  }

  /** Requires MariaDB. */
  public static void requireMariaDb() {
    require("MariaDB", MARIADB_PORT, "start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
  }

  /** Requires Redis. */
  public static void requireRedis() {
    require("Redis", REDIS_PORT,
        "start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no");
  }

  /** Requires something listening on 127.0.0.1:{@code port}. */
  public static void require(String service, int port, String howToStart) {
    if (reachable(port)) {
      return;
    }
    String message = service + " is not reachable on 127.0.0.1:" + port + "; " + howToStart;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
  }

  /** Whether a TCP connection to 127.0.0.1:{@code port} succeeds within a second. */
  public static boolean reachable(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
