package dev.vigil.cache.internal.stampede;

import dev.vigil.cache.CacheException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * At most one computation per key at a time in this process: the first caller runs it, callers arriving
 * meanwhile wait for and share its result (or its exception). Once it finishes the key is free again.
 */
public final class SingleFlight {
  private final ConcurrentHashMap<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();

  /**
   * Runs {@code work} for {@code key} unless it is already running, in which case waits for that run.
   *
   * @throws RuntimeException the computation's own unchecked exception, rethrown in every waiter
   */
  public Object run(String key, Supplier<?> work) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return await(key, running);
    }
    try {
      Object value = work.get();
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /** Whether a computation for the key is running now. */
  public boolean running(String key) {
    return inFlight.containsKey(key);
  }

  private static Object await(String key, CompletableFuture<Object> running) {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted while waiting for the load of key '" + key + "'", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new CacheException("load of key '" + key + "' failed", e.getCause());
    }
  }
}
