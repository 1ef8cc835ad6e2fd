package dev.vigil.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestPostgres;
import dev.vigil.server.TestServer;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.Role;
import dev.vigil.server.auth.TokenStore;
import dev.vigil.server.http.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A revoked token stops working at once on the server that revoked it, within one second on every
 * server sharing its PostgreSQL store, and its open event streams end.
 */
class RevocationTest {
  private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "revocation-test-stream-reader");
    t.setDaemon(true);
    return t;
  });

  @TempDir
  Path dir;

  private static String create(TestServer s, String name, Role role) throws Exception {
    HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.uri("/api/tokens"))
        .header("Authorization", "Bearer " + s.adminToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"role\":\"" + role.label() + "\"}"))
        .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Json.MAPPER.readTree(r.body()).path("token").asText();
  }

  private static String id(String token) {
    return token.substring(4, 14);
  }

  private static HttpResponse<String> revoke(TestServer s, String token) throws Exception {
    return s.send(HttpRequest.newBuilder(s.uri("/api/tokens/" + id(token)))
        .header("Authorization", "Bearer " + s.adminToken).DELETE().build());
  }

  private static CompletableFuture<Void> openStream(TestServer s, String token, List<String> lines) {
    return s.client.sendAsync(HttpRequest.newBuilder(s.uri("/api/stream?max_seconds=3600"))
            .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofLines()).thenAcceptAsync(r -> {
          // read on a pool thread: when the answer is already there, thenAccept would read the endless
          // stream on the caller's thread and never return
          try (Stream<String> body = r.body()) {
            body.forEach(lines::add);
          }
        }, READERS);
  }

  @Test
  void aRevokedTokenFailsAtOnceHereAndItsStreamEnds() throws Exception {
    try (TestServer s = TestServer.start(dir, Map.of("ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "200ms"))) {
      String admin2 = create(s, "second admin", Role.ADMIN);
      String viewer = create(s, "viewer", Role.VIEWER);
      assertThat(s.get("/api/tokens", admin2).statusCode()).isEqualTo(200); // now remembered by the authenticator
      assertThat(s.get("/api/info", viewer).statusCode()).isEqualTo(200);
      List<String> lines = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> stream = openStream(s, viewer, lines);
      await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith("event: sample")));

      assertThat(revoke(s, admin2).statusCode()).isEqualTo(200);
      HttpResponse<String> mint = s.send(HttpRequest.newBuilder(s.uri("/api/tokens"))
          .header("Authorization", "Bearer " + admin2).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sneaky\",\"role\":\"admin\"}")).build());
      assertThat(mint.statusCode()).as("a just-revoked admin token minting a token").isEqualTo(401);

      assertThat(revoke(s, viewer).statusCode()).isEqualTo(200);
      assertThat(s.get("/api/info", viewer).statusCode()).isEqualTo(401);
      await().atMost(Duration.ofSeconds(2)).until(stream::isDone);
    }
  }

  @Test
  void serversSharingAPostgresStoreSeeARevocationWithinOneSecond() throws Exception {
    try (TestPostgres pg = TestPostgres.create("revoke");
        TestServer a = TestServer.start(dir.resolve("a"), Map.of("VIGIL_STORE_URL", pg.url(),
            "ENABLE_MONITORING", "true", "MONITORING_INTERVAL", "200ms"));
        StateStore otherStore = StateStore.open(pg.url(), dir.resolve("b"))) {
      // a second server of the fleet: its own authenticator over the same store
      TokenStore otherTokens = new TokenStore(otherStore, Clock.systemUTC());
      try (Authenticator other = new Authenticator(otherTokens)) {
        List<String> heard = new CopyOnWriteArrayList<>();
        other.onRevoked(heard::addAll);
        String viewer = create(a, "fleet viewer", Role.VIEWER);
        assertThat(other.authenticate(viewer)).isPresent();
        assertThat(revoke(a, viewer).statusCode()).isEqualTo(200);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
            .until(() -> other.authenticate(viewer).isEmpty());
        System.out.println("BENCH-INFO revocation: seen by the other server after "
            + (System.nanoTime() - t0) / 1_000_000 + " ms");
        // listeners are told right after the token stops working, on the poller's thread
        await().atMost(Duration.ofSeconds(1)).until(() -> heard.contains(id(viewer)));

        // revoked by another server (straight in the store): this server's API and open stream follow
        String watcher = create(a, "watcher", Role.VIEWER);
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> stream = openStream(a, watcher, lines);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith("event: sample")));
        assertThat(otherTokens.revoke(id(watcher))).isTrue();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
            .until(() -> a.get("/api/info", watcher).statusCode() == 401);
        await().atMost(Duration.ofSeconds(1)).until(stream::isDone);
      }
    }
  }
}
