package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.auth.Role;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil cache stats|clear|keys|delete} against a running server. */
class CacheCliTest {
  @TempDir
  static Path dir;
  static TestServer s;
  static String url;

  @BeforeAll
  static void start() {
    s = TestServer.start(dir);
    url = "http://127.0.0.1:" + s.server.port();
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  private static CliTest.Result cache(String token, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "cache";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--server";
    all[args.length + 2] = url;
    all[args.length + 3] = "--token";
    all[args.length + 4] = token;
    return CliTest.run(all);
  }

  @Test
  void statsKeysDeleteAndClearInEveryFormat() throws Exception {
    String viewer = s.token(Role.VIEWER);
    String operator = s.token(Role.OPERATOR);
    s.get("/api/openapi.json", viewer);
    s.get("/api/openapi.json", viewer);

    CliTest.Result table = cache(viewer, "stats");
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).contains("STAT").contains("cache_type").contains("in_memory").contains("hit_rate")
        .contains("LEVEL").contains("l1").contains("NAMESPACE").contains("system");
    assertThat(cache(viewer, "stats", "--format", "json").out()).contains("\"cache_type\" : \"in_memory\"")
        .contains("\"total_keys\" : 1");
    assertThat(cache(viewer, "stats", "--format", "summary").out().strip())
        .isEqualTo("in_memory: 1 keys, hit rate 50.0% (1 of 2 requests)");

    CliTest.Result denied = cache(viewer, "keys");
    assertThat(denied.code()).isEqualTo(1);
    assertThat(denied.err()).contains("/api/cache/keys");
    CliTest.Result keys = cache(operator, "keys", "--prefix", "system:");
    assertThat(keys.code()).as(keys.err()).isZero();
    String key = keys.lines().get(1).strip();
    assertThat(key).startsWith("system:openapi:");
    assertThat(cache(operator, "keys", "--prefix", "none:", "--format", "summary").out().strip())
        .isEqualTo("0 keys starting with 'none:'");
    assertThat(cache(operator, "keys", "--limit", "0").err()).contains("limit");

    assertThat(cache(operator, "delete", key).out()).contains("Deleted cache key " + key);
    CliTest.Result gone = cache(operator, "delete", key);
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).contains("not found").contains(key);

    s.get("/api/openapi.json", viewer);
    assertThat(cache(operator, "clear", "--prefix", "system:", "--format", "summary").out().strip())
        .isEqualTo("Cache cleared successfully (prefix 'system:', removed 1)");
    assertThat(cache(operator, "clear", "--tag", "t").out()).contains("tag 't'").contains("0");
    assertThat(cache(operator, "clear", "--format", "json").out()).contains("\"success\" : true")
        .contains("Cache cleared successfully");
    CliTest.Result both = cache(operator, "clear", "--prefix", "a", "--tag", "b");
    assertThat(both.code()).isEqualTo(1);
    assertThat(both.err()).contains("either --prefix or --tag");
    assertThat(cache(viewer, "clear").code()).isEqualTo(1);
  }
}
