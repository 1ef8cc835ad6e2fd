package dev.vigil.alert.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.store.StateStore;
import dev.vigil.core.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobQueueTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  @TempDir Path dir;

  private static QueueOptions options() {
    return new QueueOptions(5, Duration.ofHours(1), Duration.ofSeconds(2), Duration.ofMinutes(1),
        Duration.ofSeconds(30), Duration.ofMillis(50));
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void priorityIdempotencyAndRunAt(StateStore.Kind kind) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      MutableClock clock = new MutableClock(T0);
      JobQueue q = new JobQueue(h.store(), clock, options(), () -> 0.5);
      assertThat(q.enqueue(JobRequest.of("a", "notify", "k-low", 1, "low"))).isTrue();
      assertThat(q.enqueue(JobRequest.of("a", "notify", "k-high", 9, "high"))).isTrue();
      assertThat(q.enqueue(JobRequest.of("a", "notify", "k-high", 9, "again"))).isFalse();
      assertThat(q.enqueue(new JobRequest("a", "notify", "k-later", 99, "later", T0.plusSeconds(60)))).isTrue();
      assertThat(q.enqueue(JobRequest.of("b", "notify", "k-other", 5, "other"))).isTrue();

      List<String> ran = new ArrayList<>();
      q.runDue("a", "me", job -> ran.add(job.payload()));
      assertThat(ran).containsExactly("high", "low");
      clock.advance(Duration.ofSeconds(61));
      q.runDue("a", "me", job -> ran.add(job.payload()));
      assertThat(ran).containsExactly("high", "low", "later");
      assertThat(q.jobs("b", Job.PENDING, 10)).extracting(Job::payload).containsExactly("other");
      assertThat(q.counts()).containsEntry(Job.DONE, 3L).containsEntry(Job.PENDING, 1L);
      assertThatThrownBy(() -> JobRequest.of("bad queue", "notify", "k", 0, "x"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad queue");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void transientFailuresBackOffThenDeadLetter(StateStore.Kind kind) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      MutableClock clock = new MutableClock(T0);
      JobQueue q = new JobQueue(h.store(), clock, options(), () -> 0.0);
      q.enqueue(JobRequest.of("r", "notify", "k1", 0, "p"));
      JobHandler failing = job -> {
        throw new java.io.IOException("connection refused by hooks.example.com");
      };
      assertThat(q.runDue("r", "me", failing)).isEqualTo(1);
      Job j = q.find("k1");
      assertThat(j.status()).isEqualTo(Job.PENDING);
      // jitter 0 -> half of 2 s
      assertThat(j.runAt()).isEqualTo(T0.plusSeconds(1));
      assertThat(q.runDue("r", "me", failing)).isZero();
      long[] expectedDelays = {2, 4, 8};
      for (long d : expectedDelays) {
        clock.advance(Duration.ofSeconds(d));
        assertThat(q.runDue("r", "me", failing)).isEqualTo(1);
      }
      clock.advance(Duration.ofMinutes(1));
      assertThat(q.runDue("r", "me", failing)).isEqualTo(1);
      j = q.find("k1");
      assertThat(j.status()).isEqualTo(Job.DEAD);
      assertThat(j.lastError()).startsWith("gave up after 5 attempts: connection refused");
      assertThat(q.attempts(j.id())).extracting(JobQueue.Attempt::outcome)
          .containsExactly("RETRY", "RETRY", "RETRY", "RETRY", "DEAD");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void permanentFailureDeadLettersAtOnce(StateStore.Kind kind) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      JobQueue q = new JobQueue(h.store(), new MutableClock(T0), options(), () -> 0.5);
      q.enqueue(JobRequest.of("mail", "notify", "k1", 0, "p"));
      q.runDue("mail", "me", job -> {
        throw new PermanentJobException("SMTP authentication failed for user vigil at mail.example.com:587");
      });
      Job j = q.find("k1");
      assertThat(j.status()).isEqualTo(Job.DEAD);
      assertThat(j.attempts()).isEqualTo(1);
      assertThat(q.attempts(j.id())).singleElement().satisfies(a -> assertThat(a.error())
          .isEqualTo("SMTP authentication failed for user vigil at mail.example.com:587"));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void maximumAgeDeadLetters(StateStore.Kind kind) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      MutableClock clock = new MutableClock(T0);
      QueueOptions o = new QueueOptions(1000, Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofMinutes(5),
          Duration.ofSeconds(30), Duration.ofMillis(50));
      JobQueue q = new JobQueue(h.store(), clock, o, () -> 0.99);
      q.enqueue(JobRequest.of("r", "notify", "k1", 0, "p"));
      for (int i = 0; i < 100 && q.find("k1").status().equals(Job.PENDING); i++) {
        q.runDue("r", "me", job -> {
          throw new IllegalStateException("HTTP 503");
        });
        clock.advance(Duration.ofMinutes(5));
      }
      Job j = q.find("k1");
      assertThat(j.status()).isEqualTo(Job.DEAD);
      assertThat(j.lastError()).startsWith("gave up at maximum age: HTTP 503");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void expiredLeaseIsTakenOverAndLateCompletionIsRefused(StateStore.Kind kind) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      MutableClock clock = new MutableClock(T0);
      JobQueue q = new JobQueue(h.store(), clock, options(), () -> 0.5);
      q.enqueue(JobRequest.of("r", "notify", "k1", 0, "p"));
      Job first = q.claim("r", "dead-worker", 10).get(0);
      assertThat(q.claim("r", "other", 10)).isEmpty();
      clock.advance(Duration.ofSeconds(31));
      Job again = q.claim("r", "other", 10).get(0);
      assertThat(again.id()).isEqualTo(first.id());
      assertThat(again.attempts()).isEqualTo(2);
      assertThat(q.complete(first, "dead-worker")).isFalse();
      assertThat(q.complete(again, "other")).isTrue();
      assertThat(q.find("k1").status()).isEqualTo(Job.DONE);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void concurrentClaimersNeverShareAJob(StateStore.Kind kind) throws Exception {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      JobQueue q = new JobQueue(h.store(), java.time.Clock.systemUTC(), options(), () -> 0.5);
      int n = 200;
      for (int i = 0; i < n; i++) {
        q.enqueue(JobRequest.of("r", "notify", "k" + i, i % 3, "p" + i));
      }
      Set<Long> seen = ConcurrentHashMap.newKeySet();
      List<Long> dupes = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String owner = "w" + t;
        fs.add(pool.submit(() -> {
          go.await();
          while (true) {
            List<Job> jobs = q.claim("r", owner, 5);
            if (jobs.isEmpty()) {
              return null;
            }
            for (Job j : jobs) {
              if (!seen.add(j.id())) {
                dupes.add(j.id());
              }
              q.complete(j, owner);
            }
          }
        }));
      }
      go.countDown();
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(dupes).isEmpty();
      assertThat(seen).hasSize(n);
      assertThat(q.counts()).containsEntry(Job.DONE, (long) n);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.vigil.core.testing.TestStores#kinds")
  void oneFailingQueueDoesNotDelayAnother(StateStore.Kind kind) {
    try (TestStores.Handle h = TestStores.open(kind, dir)) {
      JobQueue q = new JobQueue(h.store(), java.time.Clock.systemUTC(), options(), () -> 0.5);
      AtomicBoolean blocked = new AtomicBoolean(true);
      CountDownLatch stuck = new CountDownLatch(1);
      List<String> fast = Collections.synchronizedList(new ArrayList<>());
      try (QueueWorker slow = q.start("slow", job -> {
        stuck.countDown();
        while (blocked.get()) {
          Thread.sleep(10);
        }
      }); QueueWorker quick = q.start("quick", job -> fast.add(job.payload()))) {
        assertThat(quick.owner()).contains("quick");
        q.enqueue(JobRequest.of("slow", "notify", "s1", 0, "s"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stuck.getCount() == 0);
        for (int i = 0; i < 20; i++) {
          q.enqueue(JobRequest.of("quick", "notify", "q" + i, 0, "q" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.size() == 20);
        blocked.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> Job.DONE.equals(q.find("s1").status()));
      }
    }
  }
}
