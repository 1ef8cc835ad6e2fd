package dev.vigil.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.cache.batch.BatchLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
  @Test
  void concurrentSingleLoadsBecomeBatchesOfAtMostOneHundred() throws Exception {
    List<List<Integer>> calls = new CopyOnWriteArrayList<>();
    try (BatchLoader<Integer, String> users = new BatchLoader<>("users", 100, Duration.ofMillis(200), 2, ids -> {
      calls.add(ids);
      Map<Integer, String> found = new HashMap<>();
      ids.stream().filter(id -> id % 7 != 0).forEach(id -> found.put(id, "user" + id));
      return found;
    })) {
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (int i = 1; i <= 250; i++) {
        futures.add(users.load(i));
      }
      futures.add(users.load(1));
      for (int i = 1; i <= 250; i++) {
        assertThat(futures.get(i - 1).get(5, TimeUnit.SECONDS)).isEqualTo(i % 7 == 0 ? null : "user" + i);
      }
      assertThat(futures.get(250).get()).isEqualTo("user1");
      assertThat(calls).hasSize(3);
      assertThat(calls).allMatch(c -> c.size() <= 100);
      assertThat(calls.stream().mapToInt(List::size).sum()).as("key 1 asked again after its batch ran").isEqualTo(251);
      assertThat(users.batches()).isEqualTo(3);
    }
  }

  @Test
  void theSeedsThreeLookupsAreOneCall() {
    List<List<String>> calls = new CopyOnWriteArrayList<>();
    try (BatchLoader<String, String> loader = new BatchLoader<>("seed", ids -> {
      calls.add(ids);
      Map<String, String> m = new HashMap<>();
      ids.forEach(id -> m.put(id, id.toUpperCase()));
      return m;
    })) {
      assertThat(loader.getAll(List.of("a", "b", "c"))).containsExactly(Map.entry("a", "A"), Map.entry("b", "B"),
          Map.entry("c", "C"));
      assertThat(calls).containsExactly(List.of("a", "b", "c"));
    }
  }

  @Test
  void aFailingBatchFailsEveryLoadWithItsCause() {
    try (BatchLoader<Integer, String> loader = new BatchLoader<>("broken", ids -> {
      throw new IllegalStateException("db unreachable");
    })) {
      assertThatThrownBy(() -> loader.get(1)).isInstanceOf(CacheException.class)
          .hasMessageContaining("broken").hasMessageContaining("key 1").hasRootCauseMessage("db unreachable");
    }
    assertThatThrownBy(() -> new BatchLoader<Integer, String>("x", 0, Duration.ZERO, 1, ids -> Map.of()))
        .hasMessageContaining("maxBatchSize");
  }
}
