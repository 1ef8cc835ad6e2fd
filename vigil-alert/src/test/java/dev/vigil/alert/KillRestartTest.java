package dev.vigil.alert;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.receiver.WebhookReceiver;
import dev.vigil.core.store.StateStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a JVM with 100 notifications pending: all delivered after restart, none twice to the receiver. */
class KillRestartTest {
  @TempDir Path dir;

  @Test
  void killedWithPendingNotificationsDeliversAllAfterRestart() throws Exception {
    WireMockServer wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
    try {
      wm.stubFor(post("/hook").willReturn(aResponse().withStatus(200).withFixedDelay(40)));
      String url = "http://127.0.0.1:" + wm.port() + "/hook";
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), KillTarget.class.getName(),
          dir.toString(), url, "100").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
          line = out.readLine();
        } while (line != null && !line.equals("READY"));
        assertThat(line).as("child JVM said READY").isEqualTo("READY");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
            .until(() -> wm.findAll(postRequestedFor(urlEqualTo("/hook"))).size() >= 10);
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      int beforeRestart = wm.findAll(postRequestedFor(urlEqualTo("/hook"))).size();
      assertThat(beforeRestart).isLessThan(100);
      try (StateStore store = StateStore.open(null, dir);
          AlertEngine engine = new AlertEngine(KillTarget.config(url), store, metric -> List.of(), Clock.systemUTC(),
              KillTarget.options())) {
        assertThat(engine.queue().counts().get(Job.PENDING) + engine.queue().counts().get(Job.RUNNING)).isPositive();
        engine.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.queue().counts().get(Job.DONE) == 100);
      }
      Map<String, Integer> perKey = new HashMap<>();
      for (LoggedRequest r : wm.findAll(postRequestedFor(urlEqualTo("/hook")))) {
        perKey.merge(r.getHeader(WebhookReceiver.IDEMPOTENCY_HEADER), 1, Integer::sum);
      }
      // every notification reached the receiver; a key seen twice is the one in flight at the kill,
      // which the receiver drops by its idempotency key
      assertThat(perKey).hasSize(100);
      assertThat(perKey.values().stream().filter(c -> c > 1).count()).isLessThanOrEqualTo(1);
    } finally {
      wm.stop();
    }
  }
}
