package dev.vigil.cache;

import dev.vigil.cache.testing.RedisAdmin;
import dev.vigil.core.testing.LocalServices;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The multi-node contract over the shared Redis on 127.0.0.1:6379, database 9, a key prefix per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneRedisTest extends DistributedCacheContract {
  private static final int DB = 9;
  private RedisAdmin admin;

  @BeforeAll
  void connect() {
    LocalServices.requireRedis();
    admin = new RedisAdmin(DB, List.of(LocalServices.REDIS_PORT));
  }

  @AfterAll
  void disconnect() {
    if (admin != null) {
      admin.close();
    }
  }

  @Override
  protected String uri(String userInfo) {
    return "redis://" + userInfo + "127.0.0.1:" + LocalServices.REDIS_PORT + "/" + DB;
  }

  @Override
  protected RedisAdmin admin() {
    return admin;
  }

  @Override
  protected int firstPort() {
    return LocalServices.REDIS_PORT;
  }
}
