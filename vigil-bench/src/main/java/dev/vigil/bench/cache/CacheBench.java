package dev.vigil.bench.cache;

import dev.vigil.bench.BenchLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the cache suite's JMH benchmarks ({@link L1GetBenchmark}, {@link L2GetBenchmark},
 * {@link TwoLevelZipfBenchmark}) with short iterations (1 fork, 2 x 1 s warm-up, 3 x 2 s measurement;
 * {@code l1_get} as three rounds of 3 x 1 s alternating baseline and Vigil) and prints one BENCH line
 * per case: {@code cache.l1_get}, {@code cache.l2_get}, {@code cache.two_level_zipf} (throughput in
 * ops/s, ratio = Vigil / baseline).
 *
 * <p>Usage: {@code java -cp $BENCH_JAR dev.vigil.bench.cache.CacheBench [case ...]}, cases among
 * {@code l1_get l2_get two_level_zipf} (default all); needs Redis ({@code $REDIS_URL}, default
 * {@code redis://127.0.0.1:6379/14}).
 */
public final class CacheBench {
  private static final int L1_ROUNDS = 3;

  private CacheBench() {
  }

  /** Runs the benchmarks of the cases named in {@code args} (all when none) and prints their lines. */
  public static void main(String[] args) throws RunnerException, IOException {
    Map<String, Class<?>> benchmarks = new LinkedHashMap<>();
    benchmarks.put("l1_get", L1GetBenchmark.class);
    benchmarks.put("l2_get", L2GetBenchmark.class);
    benchmarks.put("two_level_zipf", TwoLevelZipfBenchmark.class);
    Set<String> cases = args.length == 0 ? benchmarks.keySet() : new LinkedHashSet<>(List.of(args));
    for (String c : cases) {
      if (!benchmarks.containsKey(c)) {
        throw new IllegalArgumentException("unknown cache benchmark case '" + c + "'; known: " + benchmarks.keySet());
      }
    }
    if (cases.contains("l1_get")) {
      printL1Get();
    }
    Set<String> rest = new LinkedHashSet<>(cases);
    rest.remove("l1_get");
    if (rest.isEmpty()) {
      return;
    }
    Path hitRates = Files.createTempFile("vigil-bench-zipf", ".txt");
    try {
      OptionsBuilder builder = new OptionsBuilder();
      for (String c : rest) {
        builder.include(benchmarks.get(c).getName() + "\\.");
      }
      Options options = builder
          .forks(1)
          .warmupIterations(2).warmupTime(TimeValue.seconds(1))
          .measurementIterations(3).measurementTime(TimeValue.seconds(2))
          .timeUnit(TimeUnit.SECONDS)
          .mode(org.openjdk.jmh.annotations.Mode.Throughput)
          .jvmArgsAppend("-Xmx2g", "-Dvigil.bench.out=" + hitRates)
          .shouldFailOnError(true)
          .build();
      Collection<RunResult> results = new Runner(options).run();
      Map<String, Double> score = new LinkedHashMap<>();
      for (RunResult r : results) {
        String label = r.getParams().getBenchmark();
        String param = r.getParams().getParam("mode");
        score.put(label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1)
            + (param == null ? "" : ":" + param), r.getPrimaryResult().getScore());
      }
      if (cases.contains("l2_get")) {
        print("cache.l2_get", score.get("L2GetBenchmark.vigil"), score.get("L2GetBenchmark.baseline"),
            Map.of("threads", 1));
      }
      if (cases.contains("two_level_zipf")) {
        printZipf(hitRates, score);
      }
    } finally {
      Files.deleteIfExists(hitRates);
      if (cases.contains("two_level_zipf")) {
        try (dev.vigil.cache.CacheManager cleaner = BenchRedis.cache(dev.vigil.cache.CacheMode.REDIS, 1000, "bench-clean")) {
          cleaner.invalidatePrefix("z:");
        }
      }
    }
  }

  /**
   * {@code cache.l1_get} in {@value #L1_ROUNDS} rounds, each running the baseline and Vigil back to back
   * (alternating which goes first), so both sides of a round see about the same machine load; prints the
   * round with the median ratio and lists every round's ratio. A hit costs tens of nanoseconds, so a
   * single pair is at the mercy of whatever else the shared cores run.
   */
  private static void printL1Get() throws RunnerException {
    List<double[]> rounds = new ArrayList<>();
    for (int round = 0; round < L1_ROUNDS; round++) {
      String first = round % 2 == 0 ? "baseline" : "vigil";
      String second = round % 2 == 0 ? "vigil" : "baseline";
      Map<String, Double> score = new LinkedHashMap<>();
      for (String method : List.of(first, second)) {
        Options options = new OptionsBuilder()
            .include(L1GetBenchmark.class.getName() + "\\." + method + "$")
            .forks(1)
            .warmupIterations(2).warmupTime(TimeValue.seconds(1))
            .measurementIterations(3).measurementTime(TimeValue.seconds(1))
            .timeUnit(TimeUnit.SECONDS)
            .mode(org.openjdk.jmh.annotations.Mode.Throughput)
            .jvmArgsAppend("-Xmx1g")
            .shouldFailOnError(true)
            .build();
        for (RunResult r : new Runner(options).run()) {
          score.put(method, r.getPrimaryResult().getScore());
        }
      }
      if (!score.containsKey("vigil") || !score.containsKey("baseline")) {
        throw new IllegalStateException("benchmark results missing for cache.l1_get round " + (round + 1));
      }
      rounds.add(new double[] {score.get("vigil"), score.get("baseline")});
    }
    List<double[]> byRatio = new ArrayList<>(rounds);
    byRatio.sort(Comparator.comparingDouble(r -> r[0] / r[1]));
    double[] median = byRatio.get(byRatio.size() / 2);
    StringBuilder ratios = new StringBuilder();
    for (double[] r : rounds) {
      ratios.append(ratios.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.2f", r[0] / r[1]));
    }
    Map<String, Object> l1 = new LinkedHashMap<>();
    l1.put("threads", 2);
    l1.put("stats", "on");
    l1.put("baseline_cfg", "caffeine_bounded+expiry+recordStats");
    l1.put("rounds", L1_ROUNDS);
    l1.put("round_ratios", ratios);
    print("cache.l1_get", median[0], median[1], l1);
  }

  private static void printZipf(Path hitRates, Map<String, Double> score) throws IOException {
    Map<String, Object> zipf = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(hitRates);
    for (String line : lines) {
      if (line.startsWith("two_level ")) {
        for (String kv : line.substring("two_level ".length()).split(" ")) {
          String[] p = kv.split("=");
          zipf.put(p[0], p[0].endsWith("rate") ? p[1] + "%" : p[1]);
        }
      }
    }
    zipf.put("keys", 1_000_000);
    zipf.put("l1_size", 10_000);
    zipf.put("threads", 2);
    print("cache.two_level_zipf", score.get("TwoLevelZipfBenchmark.read:two_level"),
        score.get("TwoLevelZipfBenchmark.read:redis"), zipf);
  }

  private static void print(String name, Double vigil, Double baseline, Map<String, ?> extras) {
    if (vigil == null || baseline == null) {
      throw new IllegalStateException("benchmark results missing for " + name);
    }
    BenchLine.print(name, vigil, baseline, "ops/s", BenchLine.Better.HIGHER, new LinkedHashMap<>(extras));
  }
}
