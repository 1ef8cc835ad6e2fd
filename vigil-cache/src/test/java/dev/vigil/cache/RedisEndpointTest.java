package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.cache.redis.RedisEndpoint;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {
  @Test
  void parsesTheThreeTopologiesAndNeverShowsThePassword() {
    RedisEndpoint standalone = RedisEndpoint.parse("redis://app:s3cret@cache.local:6380/2");
    assertThat(standalone.mode()).isEqualTo(RedisEndpoint.Mode.STANDALONE);
    assertThat(standalone.uris().get(0).getDatabase()).isEqualTo(2);
    assertThat(standalone.toString()).isEqualTo("standalone[cache.local:6380/2]").doesNotContain("s3cret");

    RedisEndpoint sentinel = RedisEndpoint.parse("redis-sentinel://s3cret@10.0.0.1:26379,10.0.0.2:26379/0#mymaster");
    assertThat(sentinel.mode()).isEqualTo(RedisEndpoint.Mode.SENTINEL);
    assertThat(sentinel.uris().get(0).getSentinelMasterId()).isEqualTo("mymaster");
    assertThat(sentinel.uris().get(0).getSentinels()).hasSize(2);
    assertThat(sentinel.toString()).isEqualTo("sentinel[10.0.0.1:26379,10.0.0.2:26379/0#mymaster]").doesNotContain("s3cret");

    RedisEndpoint cluster = RedisEndpoint.parse("redis-cluster://u:s3cret@10.0.0.1:7000,10.0.0.2:7001");
    assertThat(cluster.mode()).isEqualTo(RedisEndpoint.Mode.CLUSTER);
    assertThat(cluster.uris()).hasSize(2);
    assertThat(cluster.uris().get(1).getPort()).isEqualTo(7001);
    assertThat(cluster.uris().get(1).getUsername()).isEqualTo("u");
    assertThat(cluster.toString()).isEqualTo("cluster[10.0.0.1:7000,10.0.0.2:7001]");

    RedisEndpoint seed = RedisEndpoint.standalone("localhost", 6379, 0, "pw");
    assertThat(String.valueOf(seed.uris().get(0).getPassword())).isEqualTo("pw");
    assertThat(seed.toString()).doesNotContain("pw");
  }

  @Test
  void badUrisAreRefusedWithoutEchoingSecrets() {
    assertThatThrownBy(() -> RedisEndpoint.parse("memcached://x:1")).hasMessageContaining("'memcached'");
    assertThatThrownBy(() -> RedisEndpoint.parse("localhost:6379")).hasMessageContaining("no scheme");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis-cluster://u:s3cret@")).hasMessageContaining("no host")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisEndpoint.standalone("h", 70000, 0, null)).hasMessageContaining("70000");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis://:s3cr@t@cache.local:6380/2"))
        .hasMessageContaining("cannot read user, host and port").hasMessageNotContaining("s3cr");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis://cache.local:http/2")).hasMessageContaining("a port must be");
    assertThatThrownBy(() -> RedisEndpoint.parse("redis-cluster://u:s3cr@t@10.0.0.1:7000,10.0.0.2:7001"))
        .hasMessageNotContaining("s3cr");
  }
}
