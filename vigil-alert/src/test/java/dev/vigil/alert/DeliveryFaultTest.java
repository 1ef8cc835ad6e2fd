package dev.vigil.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.MutableClock;
import dev.vigil.core.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver that fails for 10 minutes of injected time gets the notification once after it recovers. */
class DeliveryFaultTest {
  static WireMockServer wm;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
  }

  @AfterAll
  static void stop() {
    wm.stop();
  }

  @Test
  void http500ForTenMinutesThenOnce() {
    outageThenRecovery(aResponse().withStatus(500).withBody("upstream exploded"), "answered HTTP 500");
  }

  @Test
  void timeoutsForTenMinutesThenOnce() {
    outageThenRecovery(aResponse().withStatus(200).withFixedDelay(1500), "timed out");
  }

  private void outageThenRecovery(ResponseDefinitionBuilder failure, String expectedError) {
    wm.resetAll();
    wm.stubFor(post("/hook").willReturn(failure));
    wm.stubFor(post("/other").willReturn(aResponse().withStatus(200)));
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    String yaml = """
        builtin: {enabled: false}
        receivers:
          hook: {type: webhook, url: "http://127.0.0.1:%1$d/hook", timeout: 300ms}
          other: {type: webhook, url: "http://127.0.0.1:%1$d/other"}
        route:
          receiver: hook
          group_wait: 0s
          routes: [{matchers: ['team="other"'], receiver: other}]
        """.formatted(wm.port());
    try (StateStore store = StateStore.open(null, dir);
        AlertEngine engine = new AlertEngine(Fixtures.config(yaml, Map.of()), store, new Fixtures.Values(), clock)) {
      engine.raise("ErpDown", "critical", Map.of(), "ERP is down");
      engine.raise("ErpDown", "critical", Map.of("team", "other"), "ERP is down");
      clock.advance(Duration.ofSeconds(1));
      engine.evaluate();
      Instant end = clock.instant().plus(Duration.ofMinutes(10));
      while (clock.instant().isBefore(end)) {
        engine.deliverDue("hook");
        engine.deliverDue("other");
        clock.advance(Duration.ofSeconds(5));
      }
      // the other receiver was not held up
      wm.verify(1, postRequestedFor(urlEqualTo("/other")));
      int failedAttempts = wm.findAll(postRequestedFor(urlEqualTo("/hook"))).size();
      assertThat(failedAttempts).isBetween(4, 12);
      Job pending = engine.queue().jobs("hook", null, 10).get(0);
      assertThat(pending.status()).isEqualTo(Job.PENDING);
      assertThat(pending.lastError()).contains(expectedError);
      wm.resetAll();
      wm.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
      for (int i = 0; i < 100 && !Job.DONE.equals(engine.queue().jobs("hook", null, 10).get(0).status()); i++) {
        clock.advance(Duration.ofSeconds(10));
        engine.deliverDue("hook");
      }
      // keep running a while: nothing more is sent
      for (int i = 0; i < 60; i++) {
        clock.advance(Duration.ofMinutes(1));
        engine.deliverDue("hook");
      }
      wm.verify(1, postRequestedFor(urlEqualTo("/hook")));
      Job done = engine.queue().jobs("hook", null, 10).get(0);
      assertThat(done.status()).isEqualTo(Job.DONE);
      assertThat(engine.queue().attempts(done.id())).hasSize(failedAttempts + 1);
    }
  }
}
