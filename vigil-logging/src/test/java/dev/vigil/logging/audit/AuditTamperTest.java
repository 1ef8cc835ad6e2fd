package dev.vigil.logging.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of tampering with a closed audit log is detected at the right seq, on both store engines. */
class AuditTamperTest {
  private static final int RECORDS = 50;

  private static AuditOptions options(Path dir) {
    return AuditOptions.defaults("vigil", dir.resolve("logs"), dir.resolve("data"))
        .withCheckpoints(10, Duration.ofHours(1));
  }

  private static List<String> writeAndClose(Path dir, StateStore store) throws IOException {
    try (AuditLog log = AuditLog.open(options(dir), store)) {
      for (int i = 1; i <= RECORDS; i++) {
        log.log("TEST", "user" + (i % 3), "thing.update", "thing:" + i, Map.of("n", i, "ok", true), "10.0.0." + i);
      }
      assertThat(log.verify().ok()).isTrue();
    }
    return new ArrayList<>(Files.readAllLines(dir.resolve("logs/vigil_audit.log")));
  }

  private static void rewrite(Path dir, List<String> lines) throws IOException {
    Files.write(dir.resolve("logs/vigil_audit.log"), lines, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void anIntactLogVerifiesAndReopensContinuingTheChain(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      writeAndClose(dir, h.store());
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.ok()).as(v.summary()).isTrue();
      assertThat(v.records()).isEqualTo(RECORDS);
      assertThat(v.checkpoints()).isEqualTo(6);
      try (AuditLog log = AuditLog.open(options(dir), h.store())) {
        AuditRecord r = log.log("TEST", "u", "thing.create", null, null, null);
        assertThat(r.seq()).isEqualTo(RECORDS + 1);
        assertThat(log.verify().ok()).isTrue();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void oneChangedByteIsAHashMismatchAtItsSeq(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      lines.set(16, lines.get(16).replace("\"thing:17\"", "\"thing:18\""));
      rewrite(dir, lines);
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.ok()).isFalse();
      assertThat(v.firstBadSeq()).isEqualTo(17);
      assertThat(v.reason()).contains("hash mismatch");
      assertThatThrownBy(() -> AuditLog.open(options(dir), h.store())).isInstanceOf(AuditException.class)
          .hasMessageContaining("seq 17");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void aDeletedRecordIsAMissingSeq(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      lines.remove(29);
      rewrite(dir, lines);
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.firstBadSeq()).isEqualTo(30);
      assertThat(v.reason()).contains("expected seq 30 but found seq 31");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void twoSwappedRecordsAreOutOfOrder(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      Collections.swap(lines, 7, 8);
      rewrite(dir, lines);
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.firstBadSeq()).isEqualTo(8);
      assertThat(v.reason()).contains("expected seq 8 but found seq 9");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void aCutTailIsSeenByTheCheckpoint(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      rewrite(dir, lines.subList(0, 45));
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.firstBadSeq()).isEqualTo(46);
      assertThat(v.reason()).contains("tail cut").contains("checkpoint vouches for seq 50");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void aTailCutAfterTheLastCheckpointIsSeenByTheIndex(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      eraseCheckpointsAbove(dir, h.store(), 40);
      rewrite(dir, lines.subList(0, 47));
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.firstBadSeq()).isEqualTo(48);
      assertThat(v.reason()).contains("tail cut").contains("index holds records up to seq 50");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void aFileRewrittenWithARecomputedChainIsPinnedToTheFirstChangedRecord(StateStore.Kind kind, @TempDir Path dir)
      throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      List<String> forged = recomputeChain(lines, 22, "mallory");
      rewrite(dir, forged);
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.ok()).isFalse();
      assertThat(v.firstBadSeq()).isEqualTo(23);
      assertThat(v.reason()).contains("recomputed chain").contains("checkpoint at seq 30");

      h.store().jdbi().useHandle(x -> x.execute("DELETE FROM vigil_audit_event"));
      VerifyResult withoutIndex = AuditLog.verify(options(dir), h.store());
      assertThat(withoutIndex.firstBadSeq()).isEqualTo(21);
      assertThat(withoutIndex.reason()).contains("chain rewritten between seq 21 and 30");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void aRecomputedChainAfterTheLastCheckpointDiffersFromTheIndex(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      eraseCheckpointsAbove(dir, h.store(), 40);
      rewrite(dir, recomputeChain(lines, 43, "mallory"));
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.firstBadSeq()).isEqualTo(44);
      assertThat(v.reason()).contains("after the last checkpoint");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void aForgedCheckpointHasAWrongMac(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      writeAndClose(dir, h.store());
      h.store().jdbi().useHandle(x -> x.execute("UPDATE vigil_audit_checkpoint SET hash = '"
          + "f".repeat(64) + "' WHERE seq = 20"));
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.firstBadSeq()).isEqualTo(20);
      assertThat(v.reason()).contains("wrong MAC");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void erasingTheStoresCheckpointsAloneDoesNotHideACutTail(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      h.store().jdbi().useHandle(x -> x.execute("DELETE FROM vigil_audit_checkpoint"));
      h.store().jdbi().useHandle(x -> x.execute("DELETE FROM vigil_audit_event"));
      rewrite(dir, lines.subList(0, 35));
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.ok()).isFalse();
      assertThat(v.firstBadSeq()).isEqualTo(36);
      assertThat(v.reason()).contains("tail cut").contains("checkpoint vouches for seq 50");
      assertThat(v.file()).endsWith("vigil_audit.log");
      assertThat(v.line()).isEqualTo(35);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void anOldChainWithNoCheckpointAtAllIsFlagged(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      List<String> lines = writeAndClose(dir, h.store());
      eraseCheckpointsAbove(dir, h.store(), -1);
      h.store().jdbi().useHandle(x -> x.execute("DELETE FROM vigil_audit_event"));
      rewrite(dir, lines.subList(0, 30));
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.ok()).isFalse();
      assertThat(v.reason()).contains("no keyed checkpoint at all for a chain of 30 records");
      assertThatThrownBy(() -> AuditLog.open(options(dir), h.store())).isInstanceOf(AuditException.class)
          .hasMessageContaining("no keyed checkpoint");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void aForgedLineInTheCheckpointFileIsNamed(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      writeAndClose(dir, h.store());
      Path file = dir.resolve("logs/vigil_audit.checkpoints");
      List<String> cps = new ArrayList<>(Files.readAllLines(file));
      cps.set(2, cps.get(2).replaceFirst(" [0-9a-f]{64} ", " " + "e".repeat(64) + " "));
      Files.write(file, cps);
      VerifyResult v = AuditLog.verify(options(dir), h.store());
      assertThat(v.ok()).isFalse();
      assertThat(v.reason()).contains("vigil_audit.checkpoints").contains("line 3");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void aRewriteInARotatedSegmentIsNamedByFileAndLine(StateStore.Kind kind, @TempDir Path dir) throws IOException {
    AuditOptions small = options(dir).withMaxFileBytes(4096);
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      try (AuditLog log = AuditLog.open(small, h.store())) {
        for (int i = 1; i <= RECORDS; i++) {
          log.log("TEST", "user" + (i % 3), "thing.update", "thing:" + i, Map.of("n", i, "ok", true), "10.0.0." + i);
        }
      }
      Path first = dir.resolve("logs/vigil_audit.log.1");
      assertThat(first).exists();
      List<Path> segments = new ArrayList<>();
      for (int n = 1; Files.exists(dir.resolve("logs/vigil_audit.log." + n)); n++) {
        segments.add(dir.resolve("logs/vigil_audit.log." + n));
      }
      segments.add(dir.resolve("logs/vigil_audit.log"));
      List<String> all = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      for (Path p : segments) {
        List<String> l = Files.readAllLines(p);
        sizes.add(l.size());
        all.addAll(l);
      }
      assertThat(sizes.get(0)).isGreaterThan(3);
      List<String> forged = recomputeChain(all, 2, "mallory");
      int at = 0;
      for (int k = 0; k < segments.size(); k++) {
        Files.write(segments.get(k), forged.subList(at, at + sizes.get(k)), StandardCharsets.UTF_8);
        at += sizes.get(k);
      }
      VerifyResult v = AuditLog.verify(small, h.store());
      assertThat(v.ok()).isFalse();
      assertThat(v.firstBadSeq()).isEqualTo(3);
      assertThat(v.file()).isEqualTo(first.toString());
      assertThat(v.line()).isEqualTo(3);
      assertThat(v.summary()).contains("vigil_audit.log.1 line 3");
    }
  }

  /** What an attacker does to hide a cut: deletes the checkpoints above {@code seq} from the store and the file. */
  private static void eraseCheckpointsAbove(Path dir, StateStore store, long seq) throws IOException {
    store.jdbi().useHandle(x -> x.execute("DELETE FROM vigil_audit_checkpoint WHERE seq > " + seq));
    Path file = dir.resolve("logs/vigil_audit.checkpoints");
    List<String> kept = Files.readAllLines(file).stream().filter(l -> Long.parseLong(l.split(" ")[0]) <= seq).toList();
    if (kept.isEmpty()) {
      Files.delete(file);
    } else {
      Files.write(file, kept);
    }
  }

  /** Changes {@code user_id} of line {@code index} and recomputes every hash and link from there on. */
  static List<String> recomputeChain(List<String> lines, int index, String to) {
    List<String> out = new ArrayList<>(lines.subList(0, index));
    String prev = AuditRecord.parse(lines.get(index - 1)).hash();
    for (int i = index; i < lines.size(); i++) {
      AuditRecord r = AuditRecord.parse(lines.get(i));
      String user = i == index ? to : r.userId();
      AuditRecord draft = new AuditRecord(r.seq(), r.timestamp(), r.eventType(), user, r.action(), r.resource(),
          r.details(), r.ipAddress(), prev, null);
      String hash = RecordLine.hashOf(draft.body());
      AuditRecord forged = new AuditRecord(r.seq(), r.timestamp(), r.eventType(), user, r.action(), r.resource(),
          r.details(), r.ipAddress(), prev, hash);
      String line = forged.toLine();
      out.add(line.substring(0, line.length() - 1));
      prev = hash;
    }
    return out;
  }
}
