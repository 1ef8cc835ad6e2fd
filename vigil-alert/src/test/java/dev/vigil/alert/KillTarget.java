package dev.vigil.alert;

import dev.vigil.alert.queue.QueueOptions;
import dev.vigil.core.store.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The child JVM of {@link KillRestartTest}: args {@code <data dir> <webhook url> <enqueue count>};
 * enqueues that many test notifications (when count > 0), starts delivering and prints READY.
 */
public final class KillTarget {
  private KillTarget() {
  }

  /** Runs until killed. */
  public static void main(String[] args) throws Exception {
    StateStore store = StateStore.open(null, Path.of(args[0]));
    AlertEngine engine = new AlertEngine(config(args[1]), store, metric -> java.util.List.of(), Clock.systemUTC(),
        options());
    int n = Integer.parseInt(args[2]);
    for (int i = 0; i < n; i++) {
      engine.test("hook", "kill-test");
    }
    engine.start();
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  static QueueOptions options() {
    return new QueueOptions(25, Duration.ofHours(1), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(2),
        Duration.ofMillis(100));
  }

  static AlertsConfig config(String url) {
    return Fixtures.config("""
        builtin: {enabled: false}
        receivers: {hook: {type: webhook, url: "%s"}}
        route: {receiver: hook}
        """.formatted(url), Map.of());
  }
}
