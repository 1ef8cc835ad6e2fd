package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.cache.testing.LoadGenerator;
import dev.vigil.cache.testing.RedisAdmin;
import dev.vigil.cache.testing.RedisClusterProcess;
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
 * The multi-node contract over a private 3-master Redis Cluster on free loopback ports, plus a pause of every
 * master under load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRedisTest extends DistributedCacheContract {
  private Path dir;
  private RedisClusterProcess cluster;
  private RedisAdmin admin;

  @BeforeAll
  void startCluster() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("vigil-cache-cluster");
    cluster = RedisClusterProcess.start(dir);
    admin = new RedisAdmin(0, cluster.ports());
  }

  @AfterAll
  void stopCluster() throws IOException, InterruptedException {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    RedisProcess.deleteTree(dir);
  }

  @Override
  protected String uri(String userInfo) {
    return cluster.uri(userInfo);
  }

  @Override
  protected RedisAdmin admin() {
    return admin;
  }

  @Override
  protected int firstPort() {
    return cluster.ports().get(0);
  }

  @Test
  void everyMasterPausedUnderLoadReachesNoCallerAndServiceComesBack() throws Exception {
    CacheManager a = node("a", true, CacheMode.TWO_LEVEL);
    CacheManager b = node("b", false, CacheMode.REDIS);
    LoadGenerator load = new LoadGenerator(List.of(a, b), 3, "load:");
    try {
      await().until(() -> load.operations() > 500);
      admin.pauseAll(10_000);
      await().atMost(Duration.ofSeconds(5)).until(() -> a.degraded() && b.degraded());
      assertThat(a.cacheType()).isEqualTo("in_memory");
      assertThat(b.stats().degraded()).isTrue();
      long during = load.operations();
      await().atMost(Duration.ofSeconds(30)).until(() -> !a.degraded() && !b.degraded()
          && a.stats().redis().l1Trusted());
      assertThat(load.operations()).as("callers kept being served during the pause").isGreaterThan(during);
    } finally {
      load.close();
    }
    assertThat(load.errors()).isEmpty();
    a.set("after", "ok");
    await().until(() -> b.get("after", String.class).orElse("").equals("ok"));
    assertThat(a.cacheType()).isEqualTo("two_level");
    assertThat(b.cacheType()).isEqualTo("redis");
  }
}
