package dev.vigil.cache.internal.stampede;

import dev.vigil.cache.redis.RedisCache;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One load per key across every node: a short Redis lock ({@code SET NX PX}) whose value is an owner
 * token, released by a Lua script only if the token still matches, so a node whose lock expired can never
 * release another node's lock. A node that does not get the lock waits for the value to appear in Redis,
 * re-trying the lock if it vanishes without a value (the owner failed), and loads by itself after
 * {@code maxWait} rather than hang.
 */
public final class ClusterLock {
  /** How a contender ended. */
  public enum Outcome {
    /** This node holds the lock and must load, store, then {@link #release}. */
    ACQUIRED,
    /** Another node stored the value meanwhile: read it from Redis. */
    VALUE_READY,
    /** Waited {@code maxWait} without a value: load locally without the lock. */
    GAVE_UP
  }

  private final RedisCache redis;
  private final String nodeId;
  private final Duration lockTtl;
  private final Duration maxWait;
  private final Clock clock;

  /**
   * Creates the lock helper.
   *
   * @param redis the Redis level
   * @param nodeId this node's id, part of every owner token
   * @param lockTtl how long a lock lives if its owner dies
   * @param maxWait how long a contender waits for the owner's value
   */
  public ClusterLock(RedisCache redis, String nodeId, Duration lockTtl, Duration maxWait, Clock clock) {
    this.redis = redis;
    this.nodeId = nodeId;
    this.lockTtl = lockTtl;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  /** A fresh owner token. */
  public String newToken() {
    return nodeId + ":" + UUID.randomUUID();
  }

  /**
   * Takes the lock or waits for whoever holds it to store the value.
   *
   * @param key the cache key
   * @param token this attempt's owner token
   * @param valuePresent whether Redis holds the value now
   */
  public Outcome acquireOrAwait(String key, String token, BooleanSupplier valuePresent) {
    long deadline = clock.millis() + maxWait.toMillis();
    long pause = 2;
    while (true) {
      if (redis.tryLock(key, token, lockTtl.toMillis())) {
        if (valuePresent.getAsBoolean()) {
          release(key, token);
          return Outcome.VALUE_READY;
        }
        return Outcome.ACQUIRED;
      }
      if (valuePresent.getAsBoolean()) {
        return Outcome.VALUE_READY;
      }
      if (clock.millis() >= deadline) {
        return Outcome.GAVE_UP;
      }
      sleep(pause);
      pause = Math.min(50, pause * 2);
    }
  }

  /** Takes the lock without waiting (for background refreshes: if someone else refreshes, skip). */
  public boolean tryAcquire(String key, String token) {
    return redis.tryLock(key, token, lockTtl.toMillis());
  }

  /** Releases the lock if {@code token} still owns it. */
  public void release(String key, String token) {
    redis.unlock(key, token);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.vigil.cache.CacheException("interrupted while waiting for another node to load", e);
    }
  }
}
