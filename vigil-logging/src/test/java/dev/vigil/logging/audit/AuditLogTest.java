package dev.vigil.logging.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AuditLogTest {

  private static AuditOptions options(Path dir) {
    return AuditOptions.defaults("app", dir.resolve("logs"), dir.resolve("data"));
  }

  @Test
  void recordsCarryTheSeedFieldsAndAChain(@TempDir Path dir) throws IOException {
    Clock clock = Clock.fixed(Instant.parse("2025-11-06T15:33:00Z"), ZoneOffset.UTC);
    try (StateStore store = StateStore.open(null, dir.resolve("data"));
        AuditLog log = AuditLog.open(options(dir).withClock(clock), store)) {
      AuditRecord a = log.log("USER_LOGIN", "123", "LOGIN", "authentication",
          Map.of("method", "password", "success", true, "2fa_enabled", false), "192.168.1.100");
      AuditRecord b = log.log("BOQ_UPDATE", "456", "UPDATE", "boq/789",
          Map.of("field", "quantity", "old_value", 100, "new_value", 150), "192.168.1.101");
      assertThat(a.seq()).isEqualTo(1);
      assertThat(a.prevHash()).isEqualTo(AuditRecord.GENESIS);
      assertThat(b.prevHash()).isEqualTo(a.hash());
      List<String> lines = Files.readAllLines(log.file());
      assertThat(lines.get(0)).isEqualTo("{\"seq\":1,\"timestamp\":\"2025-11-06T15:33:00.000Z\",\"event_type\":\"USER_LOGIN\","
          + "\"user_id\":\"123\",\"action\":\"LOGIN\",\"resource\":\"authentication\",\"details\":{\"2fa_enabled\":false,"
          + "\"method\":\"password\",\"success\":true},\"ip_address\":\"192.168.1.100\",\"prev_hash\":\""
          + AuditRecord.GENESIS + "\",\"hash\":\"" + a.hash() + "\"}");
      assertThat(AuditRecord.parse(lines.get(1))).isEqualTo(b);
      assertThat(Files.getPosixFilePermissions(dir.resolve("data/audit.key")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void reportsFilterByTimeUserActionAndTypeWithPages(StateStore.Kind kind, @TempDir Path dir) {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (TestStores.Handle h = TestStores.open(kind, dir);
        AuditLog log = AuditLog.open(options(dir).withClock(clock), h.store())) {
      for (int i = 0; i < 30; i++) {
        clock.now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * i);
        log.log(i % 2 == 0 ? "TOKEN" : "CACHE", i % 3 == 0 ? "alice" : "bob", i % 2 == 0 ? "token.create" : "cache.clear",
            "r:" + i, Map.of("i", i), "127.0.0.1");
      }
      Instant from = Instant.parse("2026-01-01T00:10:00Z");
      Instant to = Instant.parse("2026-01-01T00:20:00Z");
      AuditPage all = log.report(new AuditQuery(from, to, null, null, null, 0, 1000));
      assertThat(all.records()).extracting(AuditRecord::seq).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L,
          19L, 20L);
      assertThat(all.nextCursor()).isNull();
      AuditPage alice = log.report(new AuditQuery(null, null, "alice", "token.create", null, 0, 1000));
      assertThat(alice.records()).extracting(AuditRecord::seq).containsExactly(1L, 7L, 13L, 19L, 25L);
      assertThat(alice.records().get(0).details()).containsEntry("i", 0);
      assertThat(log.report(new AuditQuery(null, null, null, null, "CACHE", 0, 1000)).records()).hasSize(15);
      AuditPage p1 = log.report(new AuditQuery(null, null, null, null, null, 0, 12));
      AuditPage p2 = log.report(new AuditQuery(null, null, null, null, null, p1.nextCursor(), 12));
      AuditPage p3 = log.report(new AuditQuery(null, null, null, null, null, p2.nextCursor(), 12));
      assertThat(p1.records()).hasSize(12);
      assertThat(p3.records()).hasSize(6);
      assertThat(p3.nextCursor()).isNull();
      assertThat(AuditLog.report(h.store(), "app", new AuditQuery(null, null, "bob", null, null, 0, 1000)).records())
          .hasSize(20);
      assertThatThrownBy(() -> new AuditQuery(to, from, null, null, null, 0, 10))
          .hasMessageContaining("before");
    }
  }

  @Test
  void rotationKeepsEverySegmentAndTheChainRunsAcrossThem(@TempDir Path dir) throws IOException {
    AuditOptions opts = options(dir).withMaxFileBytes(4096);
    try (StateStore store = StateStore.open(null, dir.resolve("data"))) {
      try (AuditLog log = AuditLog.open(opts, store)) {
        for (int i = 0; i < 200; i++) {
          log.log("TEST", "u", "thing.update", "thing:" + i, Map.of("i", i), null);
        }
        assertThat(log.files()).hasSizeGreaterThan(5);
        assertThat(log.files().get(0).getFileName().toString()).isEqualTo("app_audit.log.1");
        for (Path f : log.files()) {
          assertThat(Files.size(f)).isLessThanOrEqualTo(4096);
        }
        VerifyResult v = log.verify();
        assertThat(v.ok()).as(v.summary()).isTrue();
        assertThat(v.records()).isEqualTo(200);
      }
      Path second = dir.resolve("logs/app_audit.log.2");
      long firstSeqOfSecond = AuditRecord.parse(Files.readAllLines(second).get(0)).seq();
      Files.delete(second);
      VerifyResult v = AuditLog.verify(opts, store);
      assertThat(v.firstBadSeq()).isEqualTo(firstSeqOfSecond);
      assertThat(v.reason()).contains("records missing");
    }
  }

  @Test
  void concurrentAppendersGetDistinctGaplessSeqs(@TempDir Path dir) throws Exception {
    try (StateStore store = StateStore.open(null, dir.resolve("data"));
        AuditLog log = AuditLog.open(options(dir).withMaxFileBytes(64 * 1024), store)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          List<CompletableFuture<AuditRecord>> inFlight = new ArrayList<>();
          for (int i = 0; i < 500; i++) {
            inFlight.add(log.append("LOAD", "t" + thread, "load.write", null, Map.of("i", i), null));
          }
          List<Long> seqs = new ArrayList<>();
          for (CompletableFuture<AuditRecord> f : inFlight) {
            seqs.add(f.join().seq());
          }
          return seqs;
        }));
      }
      Set<Long> seqs = new HashSet<>();
      for (Future<List<Long>> f : futures) {
        seqs.addAll(f.get());
      }
      pool.shutdown();
      assertThat(seqs).hasSize(4000);
      assertThat(seqs).allMatch(s -> s >= 1 && s <= 4000);
      VerifyResult v = log.verify();
      assertThat(v.ok()).as(v.summary()).isTrue();
      assertThat(log.report(new AuditQuery(null, null, "t3", null, null, 0, 1000)).records()).hasSize(500);
    }
  }

  @Test
  void twoWritersOnOneLogKeepOneChain(@TempDir Path dir) {
    AuditOptions opts = options(dir).withMaxFileBytes(8192);
    try (StateStore store = StateStore.open(null, dir.resolve("data"));
        AuditLog server = AuditLog.open(opts, store)) {
      for (int i = 0; i < 60; i++) {
        server.log("TEST", "server", "thing.update", null, Map.of("i", i), null);
        if (i % 20 == 10) {
          try (AuditLog cli = AuditLog.open(opts, store)) {
            assertThat(cli.log("TOKEN_CREATE", "cli", "token.create", "token:x", Map.of(), null).seq())
                .isEqualTo(server.lastSeq() + 1);
          }
        }
      }
      VerifyResult v = server.verify();
      assertThat(v.ok()).as(v.summary()).isTrue();
      assertThat(v.records()).isEqualTo(63);
      assertThat(server.report(new AuditQuery(null, null, "cli", null, null, 0, 100)).records()).hasSize(3);
    }
  }

  @Test
  void aTornLastLineIsReportedThenRepairedOnOpen(@TempDir Path dir) throws IOException {
    AuditOptions opts = options(dir);
    try (StateStore store = StateStore.open(null, dir.resolve("data"))) {
      try (AuditLog log = AuditLog.open(opts, store)) {
        for (int i = 0; i < 5; i++) {
          log.log("TEST", "u", "thing.update", null, Map.of(), null);
        }
      }
      Files.writeString(dir.resolve("logs/app_audit.log"), "{\"seq\":6,\"timestamp\":\"2026-",
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      VerifyResult torn = AuditLog.verify(opts, store);
      assertThat(torn.ok()).isFalse();
      assertThat(torn.firstBadSeq()).isEqualTo(6);
      assertThat(torn.reason()).contains("torn last line");
      try (AuditLog log = AuditLog.open(opts, store)) {
        assertThat(log.repairedBytes()).isEqualTo(27);
        AuditPage repair = log.report(new AuditQuery(null, null, null, "audit.repair", null, 0, 10));
        assertThat(repair.records()).singleElement().satisfies(r -> {
          assertThat(r.seq()).isEqualTo(6);
          assertThat(r.details()).containsEntry("torn_bytes", 27);
        });
        assertThat(log.verify().ok()).isTrue();
      }
    }
  }

  @Test
  void aMissingKeyWithExistingCheckpointsRefusesToOpen(@TempDir Path dir) throws IOException {
    try (StateStore store = StateStore.open(null, dir.resolve("data"))) {
      try (AuditLog log = AuditLog.open(options(dir), store)) {
        log.log("TEST", "u", "thing.update", null, Map.of(), null);
      }
      Files.delete(dir.resolve("data/audit.key"));
      assertThatThrownBy(() -> AuditLog.verify(options(dir), store)).isInstanceOf(AuditException.class)
          .hasMessageContaining("audit.key does not exist");
      assertThatThrownBy(() -> AuditLog.open(options(dir), store)).isInstanceOf(AuditException.class)
          .hasMessageContaining("wrong MAC");
    }
  }

  @Test
  void aCheckpointIsWrittenAfterTheIntervalEvenWithFewRecords(@TempDir Path dir) {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    AuditOptions opts = options(dir).withCheckpoints(1_000_000, Duration.ofMillis(200)).withClock(clock);
    try (StateStore store = StateStore.open(null, dir.resolve("data"));
        AuditLog log = AuditLog.open(opts, store)) {
      for (int i = 0; i < 3; i++) {
        log.log("TEST", "u", "thing.update", null, Map.of(), null);
      }
      clock.now = clock.now.plusSeconds(1);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> store.jdbi().withHandle(h ->
          h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM vigil_audit_checkpoint").mapTo(Long.class).one()) == 3L);
    }
  }

  @Test
  void badInputIsRefusedWithTheReason(@TempDir Path dir) {
    assertThatThrownBy(() -> AuditOptions.defaults("../x", dir, dir)).hasMessageContaining("app name");
    try (StateStore store = StateStore.open(null, dir.resolve("data"));
        AuditLog log = AuditLog.open(options(dir), store)) {
      assertThatThrownBy(() -> log.log("T", "u", "a", null, Map.of("big", "x".repeat(70_000)), null))
          .hasMessageContaining("at most 32768");
      assertThat(log.log("T", "u", "a", null, null, null).seq()).isEqualTo(1);
    }
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
