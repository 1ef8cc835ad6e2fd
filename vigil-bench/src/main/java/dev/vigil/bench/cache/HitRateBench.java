package dev.vigil.bench.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vigil.bench.BenchLine;
import dev.vigil.cache.CacheManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.stream.IntStream;

/**
 * {@code cache.hitrate.<trace>}: the hit rate of Vigil's in-process level (an in-memory
 * {@link CacheManager}: read, and on a miss store the value) on real access traces, against an LRU of the
 * same size ({@code LinkedHashMap} in access order) and, for reference, a plain Caffeine cache.
 *
 * <p>Traces are the LIRS traces shipped in Caffeine's simulator artifact
 * ({@code com.github.ben-manes.caffeine:simulator:3.1.8} on Maven Central): one integer key per line,
 * gzip-compressed, read straight from the jar given as first argument. When that jar is missing the
 * suite replays a synthetic trace instead and says so on the line ({@code trace_source=synthetic}):
 * 200,000 requests, 80 % from Zipf(0.9) over 5,000 hot keys and 20 % one-off scan keys, seed 7.
 *
 * <p>Usage: {@code java -cp $BENCH_JAR dev.vigil.bench.cache.HitRateBench <simulator.jar> [trace:size ...]}.
 */
public final class HitRateBench {
  private static final String LIRS = "com/github/benmanes/caffeine/cache/simulator/parser/lirs/";

  private HitRateBench() {
  }

  /** Runs every trace and prints one BENCH line each. */
  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args.length > 0 ? args[0] : "");
    String[] cases = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
        : new String[] {"gli:500", "loop:512", "multi1:1000", "sprite:1000"};
    if (!Files.isRegularFile(jar)) {
      System.err.println("Caffeine simulator jar not found at '" + jar + "'; replaying a synthetic trace instead");
      run("synthetic", synthetic(), 1000, "synthetic");
      return;
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String c : cases) {
        String[] parts = c.split(":");
        ZipEntry entry = zip.getEntry(LIRS + parts[0] + ".trace.gz");
        if (entry == null) {
          throw new IllegalArgumentException("no LIRS trace '" + parts[0] + "' in " + jar);
        }
        run(parts[0], read(zip, entry), Integer.parseInt(parts[1]), "caffeine-simulator-3.1.8");
      }
    }
  }

  private static int[] read(ZipFile zip, ZipEntry entry) throws IOException {
    IntStream.Builder keys = IntStream.builder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(zip.getInputStream(entry)),
        StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        String t = line.trim();
        if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
          keys.add(Integer.parseInt(t));
        }
      }
    }
    return keys.build().toArray();
  }

  private static int[] synthetic() {
    Zipf zipf = new Zipf(5_000, 0.9);
    int[] hot = zipf.sample(200_000, 7);
    SplittableRandom r = new SplittableRandom(7);
    int[] out = new int[200_000];
    int scan = 1_000_000;
    for (int i = 0; i < out.length; i++) {
      out[i] = r.nextInt(10) < 8 ? hot[i] : scan++;
    }
    return out;
  }

  private static void run(String name, int[] trace, int size, String source) {
    double vigil = vigilHitRate(trace, size);
    double lru = lruHitRate(trace, size);
    double caffeine = caffeineHitRate(trace, size);
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("caffeine", String.format(java.util.Locale.ROOT, "%.2f%%", caffeine));
    extras.put("size", size);
    extras.put("requests", trace.length);
    extras.put("trace_source", source);
    BenchLine.print("cache.hitrate." + name, vigil, lru, "%", BenchLine.Better.HIGHER, extras);
  }

  private static double vigilHitRate(int[] trace, int size) {
    try (CacheManager cache = CacheManager.builder().maxEntries(size).build()) {
      long hits = 0;
      for (int key : trace) {
        String k = Integer.toString(key);
        if (cache.get(k, Integer.class).isPresent()) {
          hits++;
        } else {
          cache.set(k, key, Duration.ofDays(1));
        }
      }
      return hits * 100.0 / trace.length;
    }
  }

  private static double caffeineHitRate(int[] trace, int size) {
    Cache<String, Integer> cache = Caffeine.newBuilder().maximumSize(size).build();
    long hits = 0;
    for (int key : trace) {
      String k = Integer.toString(key);
      if (cache.getIfPresent(k) != null) {
        hits++;
      } else {
        cache.put(k, key);
      }
    }
    return hits * 100.0 / trace.length;
  }

  private static double lruHitRate(int[] trace, int size) {
    Map<Integer, Boolean> lru = new LinkedHashMap<>(size * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
        return size() > size;
      }
    };
    long hits = 0;
    for (int key : trace) {
      if (lru.get(key) != null) {
        hits++;
      } else {
        lru.put(key, Boolean.TRUE);
      }
    }
    return hits * 100.0 / trace.length;
  }
}
