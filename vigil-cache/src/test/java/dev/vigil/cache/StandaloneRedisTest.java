package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.redis.RedisOptions;
import dev.vigil.cache.testing.RedisAdmin;
import dev.vigil.cache.testing.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  @Test
  void deploymentsOnTwoDatabasesOfOneRedisKeepTheirOwnInvalidations() {
    String sharedPrefix = prefix;
    CacheManager onDb0 = nodeOn(0, "a", sharedPrefix);
    CacheManager onDb7 = nodeOn(7, "b", sharedPrefix);
    CacheManager alsoOnDb7 = nodeOn(7, "c", sharedPrefix);
    try {
      onDb0.set("k", "zero");
      assertThat(onDb0.get("k")).contains("zero");
      long before = onDb0.stats().redis().invalidationsReceived();
      long seenOnDb7 = alsoOnDb7.stats().redis().invalidationsReceived();
      onDb7.set("k", "seven");
      onDb7.delete("k");
      onDb7.clear();
      await().atMost(Duration.ofSeconds(5))
          .until(() -> alsoOnDb7.stats().redis().invalidationsReceived() >= seenOnDb7 + 3);
      assertThat(onDb0.stats().redis().invalidationsReceived()).isEqualTo(before);
      assertThat(onDb0.get("k")).contains("zero");
    } finally {
      onDb0.clear();
      onDb0.close();
      onDb7.close();
      alsoOnDb7.close();
    }
  }

  private CacheManager nodeOn(int db, String id, String keyPrefix) {
    CacheManager c = CacheManager.builder()
        .redis(RedisOptions.of("redis://127.0.0.1:" + server.port() + "/" + db)
            .withProbeInterval(Duration.ofMillis(100)).withCommandTimeout(Duration.ofSeconds(1)))
        .mode(CacheMode.TWO_LEVEL).keyPrefix(keyPrefix).nodeId(id + "-db" + db).build();
    await().atMost(Duration.ofSeconds(10)).until(() -> !c.degraded() && c.stats().redis().l1Trusted());
    return c;
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
