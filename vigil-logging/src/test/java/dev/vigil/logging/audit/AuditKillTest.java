package dev.vigil.logging.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kill -9} of a JVM auditing under load, several times over the same log: each restart opens
 * the log, every acknowledged record is still there, and the chain verifies. A kill can leave the end
 * of an unacknowledged batch half written; the second round also appends half a record after the kill,
 * as a power cut would leave it: verify reports it, the reopen truncates and records it.
 */
class AuditKillTest {

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void killMinus9UnderLoadThenRestartVerifies(StateStore.Kind kind, @TempDir Path dir) throws Exception {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      Path logDir = dir.resolve("logs");
      Path dataDir = dir.resolve("data");
      long acked = 0;
      for (int round = 0; round < 3; round++) {
        acked = Math.max(acked, runAndKill(logDir, dataDir, h.url(), 1500L * (round + 1) + acked));
        AuditOptions opts = AuditOptions.defaults("child", logDir, dataDir);
        long tornBytes = 0;
        if (round == 1) {
          String half = "{\"seq\":999999999,\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"event_type\":\"LO";
          Files.writeString(logDir.resolve("child_audit.log"), half, StandardOpenOption.APPEND);
          tornBytes = half.length();
          VerifyResult torn = AuditLog.verify(opts, h.store());
          assertThat(torn.ok()).isFalse();
          assertThat(torn.reason()).contains("torn last line");
        }
        try (AuditLog log = AuditLog.open(opts, h.store())) {
          // the kill itself may also leave the end of an unacknowledged batch half written (a batch larger
          // than the write buffer takes more than one write), which the reopen truncates the same way
          assertThat(log.repairedBytes()).isGreaterThanOrEqualTo(tornBytes);
          if (log.repairedBytes() > 0) {
            assertThat(log.report(new AuditQuery(null, null, null, "audit.repair", null, 0, 10)).records())
                .as("the repair is recorded as the newest record").isNotEmpty()
                .anySatisfy(r -> assertThat(r.seq()).isEqualTo(log.lastSeq()));
          }
          assertThat(log.lastSeq()).as("every acknowledged record survives the kill").isGreaterThanOrEqualTo(acked);
          VerifyResult v = log.verify();
          assertThat(v.ok()).as(v.summary()).isTrue();
          assertThat(log.files()).isNotEmpty();
        }
        VerifyResult offline = AuditLog.verify(opts, h.store());
        assertThat(offline.ok()).as(offline.summary()).isTrue();
      }
    }
  }

  /** Starts the child, waits until it acknowledged at least {@code target}, kills it with SIGKILL. */
  private static long runAndKill(Path logDir, Path dataDir, String url, long target) throws IOException,
      InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        AuditLoadChild.class.getName(), logDir.toString(), dataDir.toString(), url))
        .redirectErrorStream(true).start();
    long acked = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACKED ")) {
          acked = Long.parseLong(line.substring(6).trim());
          if (acked >= target) {
            break;
          }
        }
      }
      assertThat(acked).as("child reached seq %d before exiting (exit %s)", target, p.isAlive() ? "-" : p.exitValue())
          .isGreaterThanOrEqualTo(target);
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).isEqualTo(137);
    return acked;
  }
}
