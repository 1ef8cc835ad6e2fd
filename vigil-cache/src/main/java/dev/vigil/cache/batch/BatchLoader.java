package dev.vigil.cache.batch;

import dev.vigil.cache.CacheException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Coalesces single-key loads into one call of a batch function, like the documented {@code DataLoader}
 * ({@code maxBatchSize: 100}, a 10 ms window): the first {@link #load} of an empty batch opens a window;
 * loads arriving within it join the batch (a key asked twice is loaded once); the batch runs when the
 * window closes or when it reaches the maximum size, whichever comes first.
 *
 * <pre>{@code
 * BatchLoader<Long, User> users = new BatchLoader<>("users", ids -> db.loadUsersByIds(ids));
 * User a = users.get(1L);   // from many threads at once: one query
 * }</pre>
 *
 * <p>Keys the batch function leaves out of its map resolve to null. If it throws, every load of that
 * batch fails with its exception. Combine with {@code cache.memoize("user", ttl, users::get)} to cache
 * the results.
 *
 * @param <K> key type (with proper {@code equals}/{@code hashCode})
 * @param <V> value type
 */
public final class BatchLoader<K, V> implements AutoCloseable {
  /** The documented largest batch. */
  public static final int DEFAULT_MAX_BATCH = 100;
  /** The documented window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(10);

  private final String name;
  private final int maxBatchSize;
  private final long windowNanos;
  private final Function<List<K>, Map<K, V>> batchFunction;
  private final ScheduledExecutorService timer;
  private final ExecutorService runner;
  private final Object lock = new Object();
  private final LongAdder batches = new LongAdder();
  private final LongAdder keysLoaded = new LongAdder();
  private LinkedHashMap<K, CompletableFuture<V>> open = new LinkedHashMap<>();
  private ScheduledFuture<?> openTimer;

  /** A loader with the documented defaults (100 keys, 10 ms). */
  public BatchLoader(String name, Function<List<K>, Map<K, V>> batchFunction) {
    this(name, DEFAULT_MAX_BATCH, DEFAULT_WINDOW, 2, batchFunction);
  }

  /**
   * A loader.
   *
   * @param name shown in thread names and errors
   * @param maxBatchSize most keys per call of the batch function
   * @param window how long a batch stays open for more keys
   * @param threads how many batches may run at once
   * @param batchFunction loads a list of distinct keys; returns what it found
   */
  public BatchLoader(String name, int maxBatchSize, Duration window, int threads,
      Function<List<K>, Map<K, V>> batchFunction) {
    this.name = Objects.requireNonNull(name, "name");
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("batch loader '" + name + "': maxBatchSize must be >= 1, got " + maxBatchSize);
    }
    if (window == null || window.isNegative()) {
      throw new IllegalArgumentException("batch loader '" + name + "': window must be >= 0, got " + window);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("batch loader '" + name + "': threads must be >= 1, got " + threads);
    }
    this.maxBatchSize = maxBatchSize;
    this.windowNanos = window.toNanos();
    this.batchFunction = Objects.requireNonNull(batchFunction, "batchFunction");
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vigil-batch-" + name + "-timer"));
    AtomicInteger n = new AtomicInteger();
    this.runner = Executors.newFixedThreadPool(threads, r -> daemon(r, "vigil-batch-" + name + "-" + n.incrementAndGet()));
  }

  private static Thread daemon(Runnable r, String threadName) {
    Thread t = new Thread(r, threadName);
    t.setDaemon(true);
    return t;
  }

  /** Queues a key into the open batch; the future completes when its batch has run. */
  public CompletableFuture<V> load(K key) {
    Objects.requireNonNull(key, "key");
    LinkedHashMap<K, CompletableFuture<V>> full = null;
    CompletableFuture<V> future;
    synchronized (lock) {
      future = open.get(key);
      if (future != null) {
        return future;
      }
      future = new CompletableFuture<>();
      open.put(key, future);
      if (open.size() >= maxBatchSize) {
        full = takeOpen();
      } else if (open.size() == 1) {
        LinkedHashMap<K, CompletableFuture<V>> batch = open;
        openTimer = timer.schedule(() -> closeWindow(batch), windowNanos, TimeUnit.NANOSECONDS);
      }
    }
    if (full != null) {
      dispatch(full);
    }
    return future;
  }

  /** Loads one key through a batch and waits for it. @throws CacheException naming the key if the batch failed */
  public V get(K key) {
    try {
      return load(key).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted while batch loader '" + name + "' loaded key " + key, e);
    } catch (ExecutionException e) {
      throw new CacheException("batch loader '" + name + "' failed for key " + key + ": " + e.getCause(), e.getCause());
    }
  }

  /** Loads several keys (through as many batches as needed) and waits; missing keys are left out. */
  public Map<K, V> getAll(Collection<K> keys) {
    Map<K, CompletableFuture<V>> futures = new LinkedHashMap<>();
    for (K k : keys) {
      futures.put(k, load(k));
    }
    Map<K, V> out = new LinkedHashMap<>();
    futures.forEach((k, f) -> {
      V v = join(k, f);
      if (v != null) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** Calls of the batch function so far. */
  public long batches() {
    return batches.sum();
  }

  /** Keys passed to the batch function so far. */
  public long keysLoaded() {
    return keysLoaded.sum();
  }

  private V join(K key, CompletableFuture<V> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw new CacheException("batch loader '" + name + "' failed for key " + key + ": " + e.getCause(), e.getCause());
    }
  }

  private LinkedHashMap<K, CompletableFuture<V>> takeOpen() {
    LinkedHashMap<K, CompletableFuture<V>> batch = open;
    open = new LinkedHashMap<>();
    if (openTimer != null) {
      openTimer.cancel(false);
      openTimer = null;
    }
    return batch;
  }

  private void closeWindow(LinkedHashMap<K, CompletableFuture<V>> batch) {
    synchronized (lock) {
      if (open != batch || batch.isEmpty()) {
        return;
      }
      takeOpen();
    }
    dispatch(batch);
  }

  private void dispatch(LinkedHashMap<K, CompletableFuture<V>> batch) {
    try {
      runner.execute(() -> run(batch));
    } catch (RejectedExecutionException e) {
      CacheException closed = new CacheException("batch loader '" + name + "' is closed", e);
      batch.values().forEach(f -> f.completeExceptionally(closed));
    }
  }

  private void run(LinkedHashMap<K, CompletableFuture<V>> batch) {
    List<K> keys = new ArrayList<>(batch.keySet());
    batches.increment();
    keysLoaded.add(keys.size());
    Map<K, V> found;
    try {
      found = batchFunction.apply(keys);
    } catch (RuntimeException | Error e) {
      batch.values().forEach(f -> f.completeExceptionally(e));
      return;
    }
    batch.forEach((k, f) -> f.complete(found == null ? null : found.get(k)));
  }

  /** Fails loads still waiting in an open batch and stops the threads. */
  @Override
  public void close() {
    LinkedHashMap<K, CompletableFuture<V>> rest;
    synchronized (lock) {
      rest = takeOpen();
    }
    CacheException closed = new CacheException("batch loader '" + name + "' closed before the batch ran");
    rest.values().forEach(f -> f.completeExceptionally(closed));
    timer.shutdownNow();
    runner.shutdown();
  }
}
