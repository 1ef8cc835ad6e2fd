package dev.vigil.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The configuration: defaults, the {@code proxy:} section, and errors naming the key. */
class ProxyConfigTest {
  static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws IOException {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void theSectionOfTheIssueParses() throws Exception {
    ProxyConfig c = ProxyConfig.fromJson(json("{'upstream':'http://127.0.0.1:5000','listen':'127.0.0.1:8081',"
        + "'routes':['/api/projects/{id}/tasks/{task}'],'cache':{'rules':[{'path':'/api/projects/*','ttl':'30s','tags':['projects']},"
        + "{'path':'/static/**','ttl':'1d'}]}}"));
    assertThat(c.upstream().toString()).isEqualTo("http://127.0.0.1:5000");
    assertThat(c.listenPort()).isEqualTo(8081);
    assertThat(c.cacheRules()).hasSize(2);
    assertThat(c.cacheRules().get(0).ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.cacheRules().get(0).tags()).containsExactly("projects");
    assertThat(c.cacheRules().get(1).ttl()).isEqualTo(Duration.ofDays(1));
    assertThat(c.cacheRules().get(1).methods()).containsExactlyInAnyOrder("GET", "HEAD");
    assertThat(c.maxCacheObjectBytes()).isEqualTo(ProxyConfig.DEFAULT_MAX_CACHE_OBJECT_BYTES);
    assertThat(c.compressMinBytes()).isEqualTo(1024);
  }

  @Test
  void defaultsLiveInTheLibrary() {
    ProxyConfig c = ProxyConfig.builder("http://127.0.0.1:5000").build();
    assertThat(c.listenHost()).isEqualTo(ProxyConfig.DEFAULT_LISTEN_HOST);
    assertThat(c.listenPort()).isEqualTo(ProxyConfig.DEFAULT_LISTEN_PORT);
    assertThat(c.readTimeout()).isEqualTo(ProxyConfig.DEFAULT_READ_TIMEOUT);
    assertThat(c.trustedProxies()).isEmpty();
    assertThat(c.requestBufferBytes()).isEqualTo(ProxyConfig.DEFAULT_REQUEST_BUFFER_BYTES);
    assertThat(c.minUploadRate()).isEqualTo(ProxyConfig.DEFAULT_MIN_UPLOAD_RATE);
    assertThat(c.requestBufferTotalBytes()).isEqualTo(ProxyConfig.DEFAULT_REQUEST_BUFFER_TOTAL_BYTES);
  }

  @Test
  void uploadSettingsParseAndAreValidated() throws Exception {
    ProxyConfig c = ProxyConfig.fromJson(json("{'upstream':'http://a:1','request_buffer_bytes':1000,"
        + "'request_buffer_total_bytes':50000,'limits':{'min_upload_rate':0}}"));
    assertThat(c.requestBufferBytes()).isEqualTo(1000);
    assertThat(c.requestBufferTotalBytes()).isEqualTo(50_000);
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','request_buffer_total_bytes':100}")))
        .hasMessageContaining("proxy.request_buffer_total_bytes").hasMessageContaining("65536");
    assertThat(c.minUploadRate()).isZero();
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','request_buffer_bytes':-1}")))
        .hasMessageContaining("proxy.request_buffer_bytes");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','limits':{'min_upload_rate':'fast'}}")))
        .hasMessageContaining("proxy.limits.min_upload_rate");
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'listen':'127.0.0.1:1'}")))
        .hasMessageContaining("proxy.upstream is required");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'ftp://x'}")))
        .hasMessageContaining("proxy.upstream");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','listen':'nope'}")))
        .hasMessageContaining("proxy.listen");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','bogus':1}")))
        .hasMessageContaining("proxy.bogus is not a known setting");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','cache':{'rules':[{'path':'/x','ttl':'soon'}]}}")))
        .hasMessageContaining("proxy.cache.rules[0].ttl");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','cache':{'rules':[{'path':'/x','ttl':'1s','methods':['POST']}]}}")))
        .hasMessageContaining("proxy.cache.rules[0]").hasMessageContaining("only GET and HEAD");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','cache':{'rules':[{'path':'x','ttl':'1s'}]}}")))
        .hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','trusted_proxies':['example.com']}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://a:1','limits':{'initial_concurrency':0}}")))
        .hasMessageContaining("initial_concurrency");
    assertThatThrownBy(() -> ProxyConfig.fromJson(json("{'upstream':'http://user:pw@a:1'}")))
        .hasMessageContaining("user info");
  }

  @Test
  void aTakenPortIsNamedInTheError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      ProxyConfig c = ProxyConfig.builder("http://127.0.0.1:1").listen("127.0.0.1", taken.getLocalPort()).build();
      assertThatThrownBy(() -> AppProxy.start(c, null, null, Clock.systemUTC()))
          .isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void cacheRulesWithoutACacheManagerAreRefused() {
    ProxyConfig c = ProxyConfig.builder("http://127.0.0.1:1").listen("127.0.0.1", 0)
        .cacheRule(CacheRule.of("/x", Duration.ofSeconds(1))).build();
    assertThatThrownBy(() -> AppProxy.start(c, null, null, Clock.systemUTC())).hasMessageContaining("CacheManager");
  }
}
