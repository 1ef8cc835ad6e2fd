package dev.vigil.cache.testing;

import dev.vigil.cache.CacheManager;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that keep reading, loading, writing and deleting through cache managers, recording every
 * exception that reaches them (there must be none).
 */
public final class LoadGenerator implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong operations = new AtomicLong();
  private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads;

  /** Starts {@code threadsPerCache} threads on each cache, over keys {@code <prefix>0..49}. */
  public LoadGenerator(List<CacheManager> caches, int threadsPerCache, String prefix) {
    this.threads = caches.stream().flatMap(c -> java.util.stream.IntStream.range(0, threadsPerCache)
        .mapToObj(i -> new Thread(() -> loop(c, prefix), "load-" + c.nodeId() + "-" + i))).toList();
    threads.forEach(Thread::start);
  }

  private void loop(CacheManager cache, String prefix) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (running.get()) {
      String key = prefix + r.nextInt(50);
      try {
        switch (r.nextInt(10)) {
          case 0 -> cache.set(key, r.nextInt(), Duration.ofMinutes(5));
          case 1 -> cache.delete(key);
          case 2 -> cache.exists(key);
          default -> cache.get(key, Integer.class, Duration.ofMinutes(5), k -> k.hashCode());
        }
        operations.incrementAndGet();
      } catch (Throwable t) {
        errors.add(t);
      }
    }
  }

  /** Operations completed so far. */
  public long operations() {
    return operations.get();
  }

  /** Exceptions that reached callers. */
  public List<Throwable> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(10_000);
    }
  }
}
