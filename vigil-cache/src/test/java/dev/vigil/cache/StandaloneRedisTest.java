package dev.vigil.cache;

import dev.vigil.cache.testing.RedisAdmin;
import dev.vigil.cache.testing.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The multi-node contract over a standalone Redis: a private {@code redis-server} on a free loopback port,
 * since the contract kills pub/sub connections and creates ACL users, which must never happen on the
 * shared server on 6379.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneRedisTest extends DistributedCacheContract {
  private static final int DB = 9;
  private Path dir;
  private RedisProcess server;
  private RedisAdmin admin;

  @BeforeAll
  void startServer() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("vigil-cache-standalone");
    server = new RedisProcess(RedisProcess.freePort(), dir, List.of()).start();
    admin = new RedisAdmin(DB, List.of(server.port()));
  }

  @AfterAll
  void stopServer() throws IOException, InterruptedException {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
    RedisProcess.deleteTree(dir);
  }

  @Override
  protected String uri(String userInfo) {
    return "redis://" + userInfo + "127.0.0.1:" + server.port() + "/" + DB;
  }

  @Override
  protected RedisAdmin admin() {
    return admin;
  }

  @Override
  protected int firstPort() {
    return server.port();
  }
}
