package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cache.testing.RedisAdmin;
import dev.vigil.cache.testing.RedisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The multi-node contract through a {@code redis-sentinel://} URI: a private master and a Sentinel watching
 * it, both {@code redis-server} processes on free loopback ports. The cache finds the master through
 * Sentinel; admin commands go to the master directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SentinelRedisTest extends DistributedCacheContract {
  private static final String MASTER = "vigilmaster";
  private static final int DB = 3;
  private Path dir;
  private RedisProcess master;
  private RedisProcess sentinel;
  private RedisAdmin admin;

  @BeforeAll
  void startServers() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("vigil-cache-sentinel");
    master = new RedisProcess(RedisProcess.freePort(), dir.resolve("master"), List.of()).start();
    sentinel = RedisProcess.sentinel(RedisProcess.freePort(), dir.resolve("sentinel"), MASTER, master.port()).start();
    admin = new RedisAdmin(DB, List.of(master.port()));
  }

  @AfterAll
  void stopServers() throws IOException, InterruptedException {
    if (admin != null) {
      admin.close();
    }
    if (sentinel != null) {
      sentinel.close();
    }
    if (master != null) {
      master.close();
    }
    RedisProcess.deleteTree(dir);
  }

  @Override
  protected String uri(String userInfo) {
    return "redis-sentinel://" + userInfo + "127.0.0.1:" + sentinel.port() + "/" + DB + "#" + MASTER;
  }

  @Override
  protected RedisAdmin admin() {
    return admin;
  }

  @Override
  protected int firstPort() {
    return master.port();
  }

  @Test
  void statsNameTheSentinelMode() {
    CacheManager a = node("a", false, CacheMode.TWO_LEVEL);
    assertThat(a.stats().redis().mode()).isEqualTo("sentinel");
    a.set("k", "v");
    assertThat(admin.count(prefix + "k")).isEqualTo(1);
  }
}
