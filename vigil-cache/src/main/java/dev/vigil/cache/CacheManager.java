package dev.vigil.cache;

import dev.vigil.cache.codec.Codec;
import dev.vigil.cache.codec.Envelope;
import dev.vigil.cache.codec.JsonCodec;
import dev.vigil.cache.internal.invalidation.GuardedL1;
import dev.vigil.cache.internal.invalidation.InvalidationMessage;
import dev.vigil.cache.internal.invalidation.PendingInvalidations;
import dev.vigil.cache.memoize.CachedProxy;
import dev.vigil.cache.memoize.Memoized;
import dev.vigil.cache.internal.memory.L1Entry;
import dev.vigil.cache.internal.memory.MemoryCache;
import dev.vigil.cache.internal.memory.TagIndex;
import dev.vigil.cache.internal.observe.L1Watch;
import dev.vigil.cache.internal.observe.LoadTracker;
import dev.vigil.cache.observe.KeyLoads;
import dev.vigil.cache.observe.L1Curve;
import dev.vigil.cache.observe.LoadEvent;
import dev.vigil.cache.redis.RedisCache;
import dev.vigil.cache.redis.RedisLink;
import dev.vigil.cache.redis.RedisOptions;
import dev.vigil.cache.redis.RedisUnavailableException;
import dev.vigil.cache.redis.ScanPage;
import dev.vigil.cache.internal.stampede.ClusterLock;
import dev.vigil.cache.stampede.EarlyRefresh;
import dev.vigil.cache.internal.stampede.SingleFlight;
import dev.vigil.cache.stats.CacheCounters;
import dev.vigil.cache.stats.CacheStats;
import dev.vigil.cache.stats.HitRate;
import dev.vigil.cache.stats.LevelStats;
import dev.vigil.cache.stats.RedisStatus;
import dev.vigil.cache.ttl.TtlProfiles;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache an application embeds: the documented {@code CacheManager} ({@code set, get, delete, exists,
 * clear, stats}) over up to three levels, the documented {@code CacheOrchestrator {l1, l2, l3}}: an
 * in-process Caffeine level, Redis, and the loader a read may pass.
 *
 * <pre>{@code
 * try (CacheManager cache = CacheManager.builder().redis(RedisOptions.of("redis://localhost:6379/0")).build()) {
 *   cache.set("user:123", user, Duration.ofMinutes(5));
 *   User u = cache.get("user:123", User.class, Duration.ofMinutes(5), k -> db.loadUser(123));
 * }
 * }</pre>
 *
 * <p><b>Failure model.</b> Redis being down, paused or unreachable never reaches a caller: reads and
 * writes go on from the in-process level and the loader, {@link #stats()} shows
 * {@code cache_type=in_memory, degraded=true}, a background probe reconnects, and then writes made
 * meanwhile are replayed as deletions and the in-process level is dropped, since it may have missed
 * invalidations. Loader failures, values that cannot be decoded, and Redis refusing a command (ACL,
 * wrong type) do reach the caller, as {@link CacheException}s naming the key.
 *
 * <p><b>Coherence.</b> Every change (set, delete, prefix, tag, clear) is announced on a Redis channel
 * with this node's id; other nodes drop the keys from their in-process level. The in-process level
 * only answers while that channel is proven live (see {@link RedisLink}), so a lost subscription
 * cannot make a node serve values another node replaced.
 *
 * <p><b>Keys.</b> Any non-empty string up to 1024 characters not starting with {@code __vigil__:}. The
 * part before the first colon is the key's namespace in stats. A value must not be null (use
 * {@link #delete}); a loader returning null is not cached.
 */
public final class CacheManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheManager.class);
  private static final int MAX_KEY_LENGTH = 1024;
  /** Most entries in the in-process level unless {@link Builder#maxEntries} says otherwise. */
  public static final long DEFAULT_MAX_ENTRIES = 10_000;
  /** Time to live of an entry set without one, unless {@link Builder#defaultTtl} says otherwise. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
  /** Prefix of every Redis key, channel and lock unless {@link Builder#keyPrefix} says otherwise. */
  public static final String DEFAULT_KEY_PREFIX = "vigil:cache:";
  private static final int MAX_LIST_LIMIT = 10_000;
  /** How soon after its value expired a reader's load counts as a reload after expiry, by default. */
  public static final Duration DEFAULT_RELOAD_WINDOW = Duration.ofSeconds(30);
  /** How often keys warmed ahead of expiry are checked. */
  public static final Duration WARM_CHECK = Duration.ofMillis(250);

  private final CacheMode mode;
  private final String nodeId;
  private final Clock clock;
  private final Codec codec;
  private final Duration defaultTtl;
  private final Duration l1MaxTtl;
  private final TtlProfiles ttlProfiles;
  private final EarlyRefresh earlyRefresh;
  private final List<String> trustedPackages;
  private final CacheCounters counters = new CacheCounters();
  private final GuardedL1 l1;
  private final TagIndex localTags = new TagIndex();
  private final SingleFlight flights = new SingleFlight();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
  private final ThreadPoolExecutor refresher;
  private final PendingInvalidations pending;
  private final RedisLink link;
  private final RedisCache redis;
  private final ClusterLock clusterLock;
  private final LongAdder invalidationsSent = new LongAdder();
  private final LongAdder invalidationsReceived = new LongAdder();
  private final Object keyCountLock = new Object();
  private final LoadTracker loads;
  private final L1Watch l1Watch;
  private final Map<String, Long> ttlOverrides = new ConcurrentHashMap<>();
  private final Set<String> warmed = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService warmer;
  private boolean closed;
  private long keyCountAt;
  private long keyCount;

  private CacheManager(Builder b) {
    this.nodeId = b.nodeId != null ? b.nodeId : UUID.randomUUID().toString().substring(0, 8);
    this.mode = b.redis == null ? CacheMode.IN_MEMORY : b.mode;
    this.clock = b.clock;
    this.codec = b.codec;
    this.defaultTtl = b.defaultTtl;
    this.l1MaxTtl = b.l1MaxTtl;
    this.ttlProfiles = b.ttlProfiles;
    this.earlyRefresh = b.earlyRefresh;
    this.trustedPackages = List.copyOf(b.trustedPackages);
    this.pending = new PendingInvalidations(b.maxPending);
    this.loads = new LoadTracker(clock, b.reloadWindow.toMillis());
    this.l1Watch = new L1Watch(clock, b.maxEntries, counters::l1Hits, counters.l1Misses::sum);
    MemoryCache memory = new MemoryCache(b.maxEntries, clock, counters.evictions, this::forgetTags,
        l1Watch.ghosts()::evicted);
    this.l1 = new GuardedL1(memory);
    AtomicInteger threads = new AtomicInteger();
    this.refresher = new ThreadPoolExecutor(b.refreshThreads, b.refreshThreads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(1024), r -> {
          Thread t = new Thread(r, "vigil-cache-refresh-" + nodeId + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    refresher.allowCoreThreadTimeOut(true);
    if (b.redis != null) {
      // pub/sub channels are shared by every database of a Redis server: the database number keeps
      // deployments on different databases from dropping each other's in-process entries
      String channel = b.keyPrefix + RedisCache.META + "invalidate:db" + b.redis.endpoint().database();
      this.link = new RedisLink(b.redis, nodeId, channel, mode == CacheMode.TWO_LEVEL, new LinkEvents());
      this.redis = new RedisCache(link, b.keyPrefix);
      this.clusterLock = b.clusterLock
          ? new ClusterLock(redis, nodeId, b.lockTtl, b.lockTtl.plus(b.redis.commandTimeout()), clock)
          : null;
      link.start();
    } else {
      this.link = null;
      this.redis = null;
      this.clusterLock = null;
    }
  }

  /** A builder; with no Redis configured the cache is in memory only. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------------------- writes

  /** Stores a value for the default TTL. */
  public void set(String key, Object value) {
    set(key, value, defaultTtl);
  }

  /** Stores a value for {@code ttl}. */
  public void set(String key, Object value, Duration ttl) {
    set(key, value, ttl, Set.of());
  }

  /** Stores a value for a jittered TTL of a category (see {@link TtlProfiles}), e.g. {@code market_prices}. */
  public void set(String key, Object value, String category) {
    set(key, value, ttlProfiles.ttl(category), Set.of());
  }

  /** Stores a value for {@code ttl}, tagged so {@link #invalidateTag} can drop it with its peers. */
  public void set(String key, Object value, Duration ttl, Set<String> tags) {
    checkKey(key);
    checkValue(key, value);
    long ttlMillis = ttlMillis(ttl);
    tags.forEach(CacheManager::checkTag);
    store(key, value, ttlMillis, 0, tags, true);
  }

  /** Stores many values for one TTL in pipelined batches (warming, bulk loads). */
  public void setAll(Map<String, ?> values, Duration ttl) {
    setAll(values, ttl, Set.of());
  }

  /** Stores many values for one TTL, all tagged with {@code tags}, in pipelined batches. */
  public void setAll(Map<String, ?> values, Duration ttl, Set<String> tags) {
    long ttlMillis = ttlMillis(ttl);
    tags.forEach(CacheManager::checkTag);
    values.forEach((k, v) -> {
      checkKey(k);
      checkValue(k, v);
    });
    long now = clock.millis();
    if (redisUp()) {
      Map<String, byte[]> encoded = new LinkedHashMap<>();
      values.forEach((k, v) -> encoded.put(k, envelope(v, now + ttlMillis, 0).toBytes()));
      try {
        redis.setAll(encoded, ttlMillis, tags);
        announce(InvalidationMessage.Kind.KEYS, List.copyOf(values.keySet()));
      } catch (RedisUnavailableException e) {
        values.keySet().forEach(pending::key);
      }
    } else if (redis != null) {
      values.keySet().forEach(pending::key);
    }
    values.forEach((k, v) -> putLocal(k, v, now, ttlMillis, 0, tags));
  }

  /** Deletes a key everywhere; returns whether any level held it. */
  public boolean delete(String key) {
    checkKey(key);
    boolean removed = false;
    if (redisUp()) {
      try {
        removed = redis.delete(key);
        announce(InvalidationMessage.Kind.KEYS, List.of(key));
      } catch (RedisUnavailableException e) {
        pending.key(key);
      }
    } else if (redis != null) {
      pending.key(key);
    }
    return l1.invalidate(key) || removed;
  }

  /** Deletes every key this cache owns (under its key prefix), on every node. */
  public void clear() {
    if (redisUp()) {
      try {
        redis.clear();
        announce(InvalidationMessage.Kind.CLEAR, List.of());
      } catch (RedisUnavailableException e) {
        pending.all();
      }
    } else if (redis != null) {
      pending.all();
    }
    l1.invalidateAll();
    localTags.clear();
  }

  /**
   * Deletes every key starting with {@code prefix} (SCAN + batched UNLINK in Redis, never KEYS), on every
   * node; returns how many keys the authoritative level deleted.
   */
  public long invalidatePrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    long removed = -1;
    if (redisUp()) {
      try {
        removed = redis.deleteByPrefix(prefix, batch -> { });
        announce(InvalidationMessage.Kind.PREFIX, List.of(prefix));
      } catch (RedisUnavailableException e) {
        pending.prefix(prefix);
      }
    } else if (redis != null) {
      pending.prefix(prefix);
    }
    int local = l1.invalidatePrefix(prefix);
    return removed >= 0 ? removed : local;
  }

  /** Deletes every key stored with {@code tag} (SSCAN of the tag set + batched UNLINK), on every node. */
  public long invalidateTag(String tag) {
    checkTag(tag);
    long removed = -1;
    if (redisUp()) {
      try {
        removed = redis.deleteByTag(tag, batch -> {
          batch.forEach(l1::invalidate);
          announce(InvalidationMessage.Kind.KEYS, batch);
        });
      } catch (RedisUnavailableException e) {
        pending.tag(tag);
      }
    } else if (redis != null) {
      pending.tag(tag);
    }
    List<String> localKeys = localTags.take(tag);
    localKeys.forEach(l1::invalidate);
    return removed >= 0 ? removed : localKeys.size();
  }

  // ----------------------------------------------------------------------------------------------- reads

  /** The value of a key in its natural decoded form (see {@link Builder#trustPackages}), if cached. */
  public Optional<Object> get(String key) {
    return get(key, Object.class);
  }

  /**
   * The value of a key as {@code type}, if cached. An in-process hit whose value already is a
   * {@code type} returns the entry's shared {@code Optional}, so it allocates nothing.
   */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> get(String key, Class<T> type) {
    checkKey(key);
    Class<?> target = boxed(type);
    boolean serving = l1Serving();
    if (serving) {
      L1Entry e = l1.memory().get(key);
      if (e != null) {
        e.namespace().l1Hit();
        l1Watch.hit();
        return target.isInstance(e.value()) ? (Optional<T>) (Optional<?>) e.present()
            : Optional.ofNullable((T) target.cast(adapt(key, e.value(), type)));
      }
      counters.l1Misses.increment();
      l1Watch.missed(key);
    }
    return Optional.ofNullable((T) target.cast(lookupBelowL1(key, type, 0, null, serving)));
  }

  /** The value of a key as a generic type (e.g. from a {@code ParameterizedType}), if cached. */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> get(String key, Type type) {
    if (type instanceof Class<?> c) {
      return (Optional<T>) get(key, c);
    }
    return Optional.ofNullable((T) lookup(key, type, 0, null));
  }

  /**
   * The value of a key, loading and storing it for {@code ttl} when no level has it. Concurrent misses
   * of one key in this process run the loader once (and once across nodes with
   * {@link Builder#clusterLock}); hot values are refreshed early, in the background, shortly before
   * they expire.
   *
   * @return the value, or null when the loader returned null (not cached)
   * @throws CacheLoadException when the loader throws
   */
  @SuppressWarnings("unchecked")
  public <T> T get(String key, Class<T> type, Duration ttl, Function<String, ? extends T> loader) {
    return (T) boxed(type).cast(get(key, (Type) type, ttl, loader));
  }

  /** As {@link #get(String, Class, Duration, Function)} for a generic type. */
  @SuppressWarnings("unchecked")
  public <T> T get(String key, Type type, Duration ttl, Function<String, ? extends T> loader) {
    Objects.requireNonNull(loader, "loader");
    long ttlMillis = key == null || ttlOverrides.isEmpty() ? ttlMillis(ttl)
        : ttlOverrides.getOrDefault(counters.namespaceName(key), ttlMillis(ttl));
    Object hit = lookup(key, type, ttlMillis, loader);
    if (hit != null) {
      return (T) hit;
    }
    return (T) adapt(key, flights.run(key, () -> loadThrough(key, type, ttlMillis, loader)), type);
  }

  /** Whether any level holds the key. */
  public boolean exists(String key) {
    checkKey(key);
    if (l1Serving() && l1.memory().get(key) != null) {
      return true;
    }
    if (redisUp()) {
      try {
        return redis.exists(key);
      } catch (RedisUnavailableException e) {
        return l1.memory().get(key) != null;
      }
    }
    return false;
  }

  /**
   * One page of exactly {@code limit} keys starting with {@code prefix} (fewer only on the last page),
   * SCAN-based on Redis, so it is safe on a large keyspace. While the keyspace holds still no key is
   * lost or repeated across pages; while keys change, a key may show up twice, as with SCAN.
   *
   * @param cursor {@code "0"} (or empty) for the first page, then the previous page's cursor
   * @param limit 1 to 10,000 keys
   */
  public KeyPage keys(String prefix, String cursor, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new IllegalArgumentException("limit must be within 1.." + MAX_LIST_LIMIT + ", got " + limit);
    }
    String from = cursor == null || cursor.isEmpty() ? "0" : cursor;
    if (redisUp() && !from.startsWith("m:")) {
      try {
        ScanPage page = redis.keys(prefix, from, limit);
        return new KeyPage(page.keys(), page.cursor());
      } catch (RedisUnavailableException e) {
        LOG.debug("listing keys from memory: {}", e.getMessage());
      }
    }
    String after = from.startsWith("m:") ? from.substring(2) : "";
    List<String> keys = l1.memory().keysAfter(prefix, after, limit);
    String next = keys.size() < limit ? "0" : "m:" + keys.get(keys.size() - 1);
    return new KeyPage(keys, next);
  }

  // ------------------------------------------------------------------------------------ memoize, proxies

  /**
   * Wraps a one-argument function so its results are cached under {@code keyPrefix:<arg>} (the documented
   * {@code @cached(ttl, key_prefix)}). Values read back from Redis are decoded as the class recorded
   * with them when that class is in a trusted package; prefer the typed overload for your own classes.
   */
  public <K, V> Memoized<K, V> memoize(String keyPrefix, Duration ttl, Function<? super K, ? extends V> loader) {
    return new Memoized<>(this, keyPrefix, ttl, Object.class, loader);
  }

  /** Wraps a one-argument function whose results are of {@code type} (see {@link Memoized}). */
  public <K, V> Memoized<K, V> memoize(String keyPrefix, Duration ttl, Class<V> type,
      Function<? super K, ? extends V> loader) {
    return new Memoized<>(this, keyPrefix, ttl, type, loader);
  }

  /**
   * A proxy of {@code target} whose {@link dev.vigil.cache.memoize.Cached @Cached} interface methods are
   * cached (see {@link CachedProxy} for the key derivation); other methods pass straight through.
   */
  public <T> T cached(Class<T> iface, T target) {
    return CachedProxy.create(this, iface, target);
  }

  /** A view of this cache whose keys all start with {@code name + ":"}. */
  public CacheNamespace namespace(String name) {
    return new CacheNamespace(this, name);
  }

  // --------------------------------------------------------------------------------------------- status

  /** What answers reads now: {@code in_memory}, {@code redis} or {@code two_level}. */
  public String cacheType() {
    return degraded() ? CacheMode.IN_MEMORY.label() : mode.label();
  }

  /** The configured mode (unchanged while degraded). */
  public CacheMode mode() {
    return mode;
  }

  /** Whether Redis is configured but unreachable, so the cache runs from memory. */
  public boolean degraded() {
    return link != null && !link.isUp();
  }

  /** This node's id, carried by its invalidation messages. */
  public String nodeId() {
    return nodeId;
  }

  /** The TTL profiles by category. */
  public TtlProfiles ttlProfiles() {
    return ttlProfiles;
  }

  /** The codec values go through. */
  public Codec codec() {
    return codec;
  }

  /** The live counters (for {@link dev.vigil.cache.stats.CacheMetrics}). */
  public CacheCounters counters() {
    return counters;
  }

  /** How many entries the in-process level holds at most. */
  public long l1Capacity() {
    return l1.memory().maximumSize();
  }

  /**
   * Resizes the in-process level (e.g. to a memory budget under RAM pressure); shrinking evicts the
   * least valuable entries at once. Redis, when used, keeps them.
   *
   * @throws IllegalArgumentException when {@code maxEntries} is below 1
   */
  public void resizeL1(long maxEntries) {
    l1.memory().maximumSize(maxEntries);
    l1Watch.resized(maxEntries);
  }

  /** Entries in the in-process level now. */
  public long localSize() {
    return l1.memory().size();
  }

  // ---------------------------------------------------------------------------------------- observation

  /**
   * What the cache saw of the loads of the most recently loaded keys (at most
   * {@value LoadTracker#MAX_KEYS}): reloads right after expiry, unchanged and changed reloads.
   */
  public List<KeyLoads> loadReports() {
    return loads.keys(Set.copyOf(warmed));
  }

  /** The loads of watched keys matching {@code keyMatches} in {@code [from, to)}. */
  public List<LoadEvent> loadEvents(Predicate<String> keyMatches, Instant from, Instant to) {
    return loads.events(keyMatches, from, to);
  }

  /** The in-process level's hit rate and, from its shadow entries, the hit rates larger sizes would get. */
  public L1Curve l1Curve() {
    return l1Watch.curve(l1Capacity());
  }

  /** In-process hit-rate samples (0–1, each over a stretch of reads) taken in {@code [from, to)}. */
  public double[] l1HitRateSamples(Instant from, Instant to) {
    return l1Watch.samples(from, to);
  }

  /**
   * Caches values loaded in {@code namespace} (keys {@code namespace:…}) for {@code ttl}, whatever TTL the
   * reads pass; values already cached keep theirs until they expire.
   *
   * @throws IllegalArgumentException for an empty namespace or a TTL that is not positive
   */
  public void ttlOverride(String namespace, Duration ttl) {
    if (namespace == null || namespace.isEmpty()) {
      throw new IllegalArgumentException("TTL override needs a namespace");
    }
    ttlOverrides.put(namespace, ttlMillis(Objects.requireNonNull(ttl, "ttl")));
  }

  /** Drops the TTL override of {@code namespace}; loads use the TTL their reads pass again. */
  public void clearTtlOverride(String namespace) {
    ttlOverrides.remove(namespace);
  }

  /** The TTL of loads in {@code namespace} when overridden. */
  public Optional<Duration> ttlOverride(String namespace) {
    return Optional.ofNullable(ttlOverrides.get(namespace)).map(Duration::ofMillis);
  }

  /**
   * Reloads {@code keys} in the background shortly before their values expire, with the loader and TTL
   * of their last load through {@link #get(String, Class, Duration, Function)}, so readers stop waiting
   * for them after each expiry. A key not loaded that way yet (e.g. after a restart) is warmed from its
   * first such load on.
   *
   * @throws IllegalStateException when the cache is closed
   */
  public void warmAhead(Collection<String> keys) {
    keys.forEach(CacheManager::checkKey);
    synchronized (warmed) {
      if (closed) {
        throw new IllegalStateException("cache is closed");
      }
      warmed.addAll(keys);
      if (warmer == null) {
        warmer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "vigil-cache-warm-" + nodeId);
          t.setDaemon(true);
          return t;
        });
        warmer.scheduleWithFixedDelay(this::warmDueQuietly, WARM_CHECK.toMillis(), WARM_CHECK.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Stops warming {@code keys}; they expire and load on a read again. */
  public void stopWarming(Collection<String> keys) {
    warmed.removeAll(keys);
  }

  /** The keys warmed ahead of expiry. */
  public Set<String> warmedKeys() {
    return Set.copyOf(warmed);
  }

  /**
   * Reloads now every warmed key whose value expires within its lead time (the larger of twice the check
   * interval plus twice its load time, and a tenth of its TTL, at most half its TTL); the warming thread
   * calls this every {@link #WARM_CHECK}.
   *
   * @return how many keys were reloaded
   */
  public int warmDue() {
    int reloaded = 0;
    long now = clock.millis();
    for (String key : warmed) {
      LoadTracker.Reload r = loads.reload(key);
      if (r == null) {
        continue;
      }
      long lead = Math.min(r.ttlMillis() / 2, Math.max(2 * WARM_CHECK.toMillis() + 2 * r.meanLoadMillis(),
          r.ttlMillis() / 10));
      if (now >= r.expiresAt() - lead) {
        refresh(key, r.ttlMillis(), r.loader());
        reloaded++;
      }
    }
    return reloaded;
  }

  private void warmDueQuietly() {
    try {
      warmDue();
    } catch (RuntimeException e) {
      LOG.warn("warming keys ahead of expiry failed; they load on the next read instead", e);
    }
  }

  /** A snapshot of the counters in the documented shape plus detail (see {@link CacheStats}). */
  public CacheStats stats() {
    boolean degraded = degraded();
    long l1Hits = counters.l1Hits();
    long l1Misses = counters.l1Misses.sum();
    long l2Hits = counters.l2Hits();
    long l2Misses = counters.l2Misses.sum();
    long misses = counters.misses();
    long hits = l1Hits + l2Hits;
    long localKeys = l1.memory().size();
    Map<String, LevelStats> levels = new LinkedHashMap<>();
    levels.put("l1", new LevelStats(l1Hits, l1Misses, HitRate.percent(l1Hits, l1Misses), localKeys,
        counters.evictions.sum()));
    long totalKeys = localKeys;
    RedisStatus status;
    if (redis != null) {
      long redisKeys = degraded ? -1 : redisKeyCount();
      if (redisKeys >= 0) {
        totalKeys = redisKeys;
      }
      levels.put("l2", new LevelStats(l2Hits, l2Misses, HitRate.percent(l2Hits, l2Misses), redisKeys, 0));
      status = new RedisStatus(link.isUp() ? "up" : "down", link.mode(), link.channelVerified(), link.outages(),
          link.channelLosses(), pending.size(), invalidationsSent.sum(), invalidationsReceived.sum());
    } else {
      status = new RedisStatus("not_configured", "none", false, 0, 0, 0, 0, 0);
    }
    return new CacheStats(cacheType(), totalKeys, hits, misses, hits + misses, HitRate.percent(hits, misses),
        degraded, levels, counters.namespaceSnapshot(), counters.loadSnapshot(), counters.evictions.sum(), status);
  }

  /** Stops the background threads and closes the Redis connections. */
  @Override
  public void close() {
    synchronized (warmed) {
      closed = true;
      if (warmer != null) {
        warmer.shutdownNow();
      }
    }
    refresher.shutdownNow();
    if (link != null) {
      link.close();
    }
  }

  // ------------------------------------------------------------------------------------------ internals

  private long redisKeyCount() {
    synchronized (keyCountLock) {
      long now = clock.millis();
      if (now - keyCountAt < 2_000 && keyCountAt != 0) {
        return keyCount;
      }
      try {
        keyCount = redis.countKeys();
        keyCountAt = now;
        return keyCount;
      } catch (RedisUnavailableException e) {
        return -1;
      }
    }
  }

  private void forgetTags(String key, L1Entry removed) {
    localTags.forget(key, removed, l1.memory().get(key));
  }

  private boolean redisUp() {
    return link != null && link.isUp();
  }

  /**
   * Whether the in-process level may answer reads now: always in memory mode; in two-level mode while
   * Redis is down (degraded) or the invalidation channel is verified live; in Redis mode only while
   * Redis is down.
   */
  private boolean l1Serving() {
    if (mode == CacheMode.IN_MEMORY) {
      return true;
    }
    if (mode == CacheMode.TWO_LEVEL) {
      return !link.isUp() || link.channelVerified();
    }
    return !link.isUp();
  }

  private Object lookup(String key, Type type, long ttlMillis, Function<String, ?> loader) {
    checkKey(key);
    boolean serving = l1Serving();
    if (serving) {
      L1Entry e = l1.memory().get(key);
      if (e != null) {
        e.namespace().l1Hit();
        l1Watch.hit();
        if (loader != null) {
          maybeRefresh(key, type, ttlMillis, loader, e.expiresAtMillis(), e.loadMillis());
        }
        return adapt(key, e.value(), type);
      }
      counters.l1Misses.increment();
      l1Watch.missed(key);
    }
    return lookupBelowL1(key, type, ttlMillis, loader, serving);
  }

  /** The rest of a read once the in-process level did not answer ({@code checkedL1}: it was asked). */
  private Object lookupBelowL1(String key, Type type, long ttlMillis, Function<String, ?> loader,
      boolean checkedL1) {
    if (redisUp()) {
      GuardedL1.Ticket ticket = l1.ticket(key);
      try {
        Envelope env = redis.get(key);
        if (env != null) {
          CacheCounters.Namespace ns = counters.namespaceOf(key);
          ns.l2Hit();
          Object value = decode(key, env, type);
          fillLocal(key, value, env, ns, ticket);
          if (loader != null) {
            maybeRefresh(key, type, ttlMillis, loader, env.expiresAtMillis(), env.loadMillis());
          }
          return value;
        }
        counters.l2Misses.increment();
      } catch (RedisUnavailableException e) {
        if (!checkedL1 && l1Serving()) {
          L1Entry local = l1.memory().get(key);
          if (local != null) {
            local.namespace().l1Hit();
            return adapt(key, local.value(), type);
          }
          counters.l1Misses.increment();
          l1Watch.missed(key);
        }
      }
    }
    counters.namespaceOf(key).miss();
    return null;
  }

  private Object loadThrough(String key, Type type, long ttlMillis, Function<String, ?> loader) {
    if (l1Serving()) {
      L1Entry e = l1.memory().get(key);
      if (e != null) {
        return e.value();
      }
    }
    if (redisUp()) {
      try {
        Envelope env = redis.get(key);
        if (env != null) {
          Object value = decode(key, env, type);
          fillLocal(key, value, env, counters.namespaceOf(key), l1.ticket(key));
          return value;
        }
        if (clusterLock != null) {
          return loadUnderClusterLock(key, type, ttlMillis, loader);
        }
      } catch (RedisUnavailableException e) {
        LOG.debug("loading {} without Redis: {}", key, e.getMessage());
      }
    }
    return loadAndStore(key, ttlMillis, loader, false);
  }

  private Object loadUnderClusterLock(String key, Type type, long ttlMillis, Function<String, ?> loader) {
    String token = clusterLock.newToken();
    ClusterLock.Outcome outcome = clusterLock.acquireOrAwait(key, token, () -> redis.exists(key));
    switch (outcome) {
      case ACQUIRED:
        try {
          return loadAndStore(key, ttlMillis, loader, false);
        } finally {
          releaseQuietly(key, token);
        }
      case VALUE_READY:
        Envelope env = redis.get(key);
        if (env != null) {
          Object value = decode(key, env, type);
          fillLocal(key, value, env, counters.namespaceOf(key), l1.ticket(key));
          return value;
        }
        return loadAndStore(key, ttlMillis, loader, false);
      default:
        return loadAndStore(key, ttlMillis, loader, false);
    }
  }

  private void releaseQuietly(String key, String token) {
    try {
      clusterLock.release(key, token);
    } catch (RedisUnavailableException e) {
      LOG.debug("stampede lock of {} not released, it expires by itself: {}", key, e.getMessage());
    }
  }

  private Object loadAndStore(String key, long ttlMillis, Function<String, ?> loader, boolean background) {
    long start = System.nanoTime();
    Object value;
    try {
      value = loader.apply(key);
    } catch (RuntimeException e) {
      counters.loadFailures.increment();
      counters.loadNanos.add(System.nanoTime() - start);
      throw new CacheLoadException(key, e);
    }
    long elapsed = System.nanoTime() - start;
    counters.loads.increment();
    counters.loadNanos.add(elapsed);
    if (value != null) {
      int loadMillis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(elapsed));
      store(key, value, ttlMillis, loadMillis, Set.of(), background);
      byte[] encoded = codec.encode(value);
      loads.loaded(key, counters.namespaceName(key), Arrays.hashCode(encoded) * 31L + encoded.length, ttlMillis,
          loadMillis, background, loader);
    }
    return value;
  }

  private void maybeRefresh(String key, Type type, long ttlMillis, Function<String, ?> loader,
      long expiresAtMillis, int loadMillis) {
    if (!earlyRefresh.enabled()) {
      return;
    }
    double u = 1.0 - ThreadLocalRandom.current().nextDouble();
    if (!earlyRefresh.shouldRefresh(clock.millis(), expiresAtMillis, ttlMillis, loadMillis, u)) {
      return;
    }
    if (!refreshing.add(key)) {
      return;
    }
    try {
      refresher.execute(() -> {
        try {
          refresh(key, ttlMillis, loader);
        } catch (RuntimeException e) {
          LOG.warn("early refresh of key '{}' failed; the current value stays until it expires", key, e);
        } finally {
          refreshing.remove(key);
        }
      });
    } catch (RejectedExecutionException e) {
      refreshing.remove(key);
      LOG.debug("early refresh of {} skipped: refresh queue full or closed", key);
    }
  }

  private void refresh(String key, long ttlMillis, Function<String, ?> loader) {
    if (flights.running(key)) {
      return;
    }
    flights.run(key, () -> {
      if (clusterLock != null && redisUp()) {
        String token = clusterLock.newToken();
        boolean mine;
        try {
          mine = clusterLock.tryAcquire(key, token);
        } catch (RedisUnavailableException e) {
          mine = true;
          token = null;
        }
        if (!mine) {
          return null;
        }
        try {
          counters.refreshes.increment();
          return loadAndStore(key, ttlMillis, loader, true);
        } finally {
          if (token != null) {
            releaseQuietly(key, token);
          }
        }
      }
      counters.refreshes.increment();
      return loadAndStore(key, ttlMillis, loader, true);
    });
  }

  private void store(String key, Object value, long ttlMillis, int loadMillis, Set<String> tags, boolean announce) {
    long now = clock.millis();
    if (redisUp()) {
      try {
        redis.set(key, envelope(value, now + ttlMillis, loadMillis), ttlMillis, tags);
        if (announce) {
          announce(InvalidationMessage.Kind.KEYS, List.of(key));
        }
      } catch (RedisUnavailableException e) {
        pending.key(key);
      }
    } else if (redis != null) {
      pending.key(key);
    }
    putLocal(key, value, now, ttlMillis, loadMillis, tags);
  }

  private void putLocal(String key, Object value, long now, long ttlMillis, int loadMillis, Set<String> tags) {
    long expiresAt = now + ttlMillis;
    if (l1Serving()) {
      long l1Expiry = mode == CacheMode.TWO_LEVEL && redisUp() ? Math.min(expiresAt, now + l1MaxTtl.toMillis())
          : expiresAt;
      if (!tags.isEmpty()) {
        localTags.add(key, tags);
      }
      l1.replace(key, new L1Entry(value, expiresAt, l1Expiry, loadMillis, counters.namespaceOf(key), tags));
    } else {
      l1.invalidate(key);
    }
  }

  private void fillLocal(String key, Object value, Envelope env, CacheCounters.Namespace ns, GuardedL1.Ticket ticket) {
    if (mode != CacheMode.TWO_LEVEL || !l1Serving()) {
      return;
    }
    long now = clock.millis();
    long expiresAt = env.expiresAtMillis() > 0 ? env.expiresAtMillis() : now + l1MaxTtl.toMillis();
    long l1Expiry = Math.min(expiresAt, now + l1MaxTtl.toMillis());
    if (l1Expiry <= now) {
      return;
    }
    l1.fill(key, new L1Entry(value, expiresAt, l1Expiry, env.loadMillis(), ns, Set.of()), ticket);
  }

  private Envelope envelope(Object value, long expiresAt, int loadMillis) {
    return new Envelope(codec.encode(value), expiresAt, loadMillis, value.getClass().getName());
  }

  private Object decode(String key, Envelope env, Type type) {
    Type target = type;
    if (type == Object.class && !env.className().isEmpty() && trusted(env.className())) {
      try {
        target = Class.forName(env.className(), false, Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader() : CacheManager.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        target = Object.class;
      }
    }
    try {
      return codec.decode(env.payload(), target);
    } catch (RuntimeException e) {
      throw new CacheException("cached value of key '" + key + "' cannot be decoded by the " + codec.name()
          + " codec: " + e.getMessage(), e);
    }
  }

  private boolean trusted(String className) {
    for (String p : trustedPackages) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private Object adapt(String key, Object value, Type type) {
    if (value == null || type == Object.class) {
      return value;
    }
    Class<?> raw = type instanceof Class<?> c ? boxed(c)
        : type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> r ? r : null;
    if (raw != null && raw.isInstance(value)) {
      return value;
    }
    try {
      return codec.convert(value, type);
    } catch (RuntimeException e) {
      throw new CacheException("cached value of key '" + key + "' is a " + value.getClass().getName()
          + " and cannot be read as " + type.getTypeName(), e);
    }
  }

  private void announce(InvalidationMessage.Kind kind, List<String> values) {
    for (int from = 0; from < Math.max(1, values.size()); from += 1000) {
      List<String> chunk = values.isEmpty() ? values : values.subList(from, Math.min(values.size(), from + 1000));
      link.publish(new InvalidationMessage(nodeId, kind, new ArrayList<>(chunk)).toBytes());
      invalidationsSent.increment();
    }
  }

  private void applyRemote(InvalidationMessage m) {
    switch (m.kind()) {
      case KEYS -> m.values().forEach(l1::invalidate);
      case PREFIX -> m.values().forEach(l1::invalidatePrefix);
      case CLEAR -> l1.invalidateAll();
      default -> throw new IllegalStateException("unknown invalidation kind " + m.kind());
    }
    invalidationsReceived.increment();
  }

  private long ttlMillis(Duration ttl) {
    Duration t = ttl == null ? defaultTtl : ttl;
    if (t.isNegative() || t.isZero()) {
      throw new IllegalArgumentException("TTL must be positive, got " + t);
    }
    return t.toMillis() == 0 ? 1 : t.toMillis();
  }

  private static void checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("cache key must not be null or empty");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("cache key longer than " + MAX_KEY_LENGTH + " characters: '"
          + key.substring(0, 60) + "...'");
    }
    if (key.startsWith(RedisCache.META)) {
      throw new IllegalArgumentException("cache key '" + key + "' uses the reserved prefix " + RedisCache.META);
    }
  }

  private static void checkValue(String key, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("value for key '" + key + "' is null; use delete(key) to remove a key");
    }
  }

  private static void checkTag(String tag) {
    if (tag == null || tag.isEmpty()) {
      throw new IllegalArgumentException("cache tag must not be null or empty");
    }
  }

  private static Class<?> boxed(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    } else if (c == long.class) {
      return Long.class;
    } else if (c == boolean.class) {
      return Boolean.class;
    } else if (c == double.class) {
      return Double.class;
    } else if (c == float.class) {
      return Float.class;
    } else if (c == short.class) {
      return Short.class;
    } else if (c == byte.class) {
      return Byte.class;
    } else if (c == char.class) {
      return Character.class;
    }
    return Void.class;
  }

  /** Reactions to the Redis link's state changes. */
  private final class LinkEvents implements RedisLink.Events {
    @Override
    public void onRecovered() {
      PendingInvalidations.Batch batch = pending.drain();
      if (!batch.isEmpty()) {
        try {
          replay(batch);
        } catch (RuntimeException e) {
          pending.restore(batch);
          throw e;
        }
      }
      l1.invalidateAll();
    }

    private void replay(PendingInvalidations.Batch batch) {
      if (batch.clearAll()) {
        redis.clear();
        announce(InvalidationMessage.Kind.CLEAR, List.of());
        return;
      }
      if (!batch.keys().isEmpty()) {
        redis.deleteAll(batch.keys());
        announce(InvalidationMessage.Kind.KEYS, batch.keys());
      }
      for (String prefix : batch.prefixes()) {
        redis.deleteByPrefix(prefix, b -> { });
        announce(InvalidationMessage.Kind.PREFIX, List.of(prefix));
      }
      for (String tag : batch.tags()) {
        redis.deleteByTag(tag, b -> announce(InvalidationMessage.Kind.KEYS, b));
      }
      LOG.info("replayed {} change(s) made while Redis was down", batch.keys().size() + batch.prefixes().size()
          + batch.tags().size());
    }

    @Override
    public void onHealthy() {
      if (pending.size() == 0) {
        return;
      }
      PendingInvalidations.Batch batch = pending.drain();
      try {
        replay(batch);
      } catch (RuntimeException e) {
        pending.restore(batch);
        throw e;
      }
    }

    @Override
    public void onChannelVerified() {
      l1.invalidateAll();
    }

    @Override
    public void onMessage(byte[] message) {
      InvalidationMessage m;
      try {
        m = InvalidationMessage.parse(message);
      } catch (IllegalArgumentException e) {
        LOG.warn("ignored a foreign message on the invalidation channel: {}",
            new String(message, 0, Math.min(80, message.length), StandardCharsets.UTF_8));
        return;
      }
      if (!nodeId.equals(m.node())) {
        applyRemote(m);
      }
    }
  }

  /**
   * Options of a {@link CacheManager}. With {@link #redis} set the cache is built for Redis (two-level by
   * default) and starts degraded, reconnecting in the background, if Redis is unreachable; without it
   * the cache is in memory.
   */
  public static final class Builder {
    private long maxEntries = DEFAULT_MAX_ENTRIES;
    private Duration defaultTtl = DEFAULT_TTL;
    private Duration l1MaxTtl = Duration.ofMinutes(1);
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private RedisOptions redis;
    private CacheMode mode = CacheMode.TWO_LEVEL;
    private Codec codec = new JsonCodec();
    private Clock clock = Clock.systemUTC();
    private String nodeId;
    private TtlProfiles ttlProfiles = TtlProfiles.defaults();
    private EarlyRefresh earlyRefresh = new EarlyRefresh(1.0, 0.05);
    private boolean clusterLock;
    private Duration lockTtl = Duration.ofSeconds(5);
    private List<String> trustedPackages = new ArrayList<>(List.of("java.lang.", "java.util.", "java.time.",
        "java.math."));
    private int maxPending = 100_000;
    private int refreshThreads = 2;
    private Duration reloadWindow = DEFAULT_RELOAD_WINDOW;

    private Builder() {
    }

    /**
     * How soon after its value expired a reader's load counts as a reload after expiry, in the load
     * observations (default 30 seconds).
     */
    public Builder reloadWindow(Duration window) {
      this.reloadWindow = positive("reloadWindow", window);
      return this;
    }

    /** Most entries in the in-process level (default 10,000). */
    public Builder maxEntries(long maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /** TTL of {@code set(key, value)} (default 5 minutes). */
    public Builder defaultTtl(Duration ttl) {
      this.defaultTtl = positive("defaultTtl", ttl);
      return this;
    }

    /** Longest an in-process copy of a Redis value lives in two-level mode (default 1 minute). */
    public Builder l1MaxTtl(Duration ttl) {
      this.l1MaxTtl = positive("l1MaxTtl", ttl);
      return this;
    }

    /** Prefix of every Redis key, channel, lock and tag set of this cache (default {@code vigil:cache:}). */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = Objects.requireNonNull(prefix, "keyPrefix");
      return this;
    }

    /** Use Redis as second level. */
    public Builder redis(RedisOptions options) {
      this.redis = Objects.requireNonNull(options, "redis");
      return this;
    }

    /** {@link CacheMode#TWO_LEVEL} (default) or {@link CacheMode#REDIS}; ignored without Redis. */
    public Builder mode(CacheMode mode) {
      if (mode == CacheMode.IN_MEMORY) {
        throw new IllegalArgumentException("in-memory mode is what you get without redis(...); choose REDIS or TWO_LEVEL");
      }
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The codec (default JSON). */
    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** The time source of expiries (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** This node's id (default random); must be unique among the nodes sharing a Redis. */
    public Builder nodeId(String nodeId) {
      if (nodeId == null || nodeId.isBlank() || nodeId.length() > 64) {
        throw new IllegalArgumentException("nodeId must be 1 to 64 characters, got '" + nodeId + "'");
      }
      this.nodeId = nodeId;
      return this;
    }

    /** TTL profiles by category (default {@link TtlProfiles#defaults()}). */
    public Builder ttlProfiles(TtlProfiles profiles) {
      this.ttlProfiles = Objects.requireNonNull(profiles, "ttlProfiles");
      return this;
    }

    /** Early refresh of hot keys (default beta 1, delta at least 5 % of the TTL); {@link EarlyRefresh#OFF} to disable. */
    public Builder earlyRefresh(EarlyRefresh policy) {
      this.earlyRefresh = Objects.requireNonNull(policy, "earlyRefresh");
      return this;
    }

    /** One load per key across all nodes through a short Redis lock (default off: one per node). */
    public Builder clusterLock(boolean on) {
      this.clusterLock = on;
      return this;
    }

    /** How long a stampede lock lives if its owner dies (default 5 s). */
    public Builder lockTtl(Duration ttl) {
      this.lockTtl = positive("lockTtl", ttl);
      return this;
    }

    /**
     * Packages (name prefixes) whose classes untyped reads may decode into, using the class recorded with
     * the value; default {@code java.lang., java.util., java.time., java.math.}.
     */
    public Builder trustPackages(String... prefixes) {
      for (String p : prefixes) {
        if (p == null || p.isBlank()) {
          throw new IllegalArgumentException("trusted package prefix must not be blank");
        }
        trustedPackages.add(p);
      }
      return this;
    }

    /** Most changes remembered while Redis is down before collapsing into a full clear (default 100,000). */
    public Builder maxPending(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPending must be >= 1, got " + max);
      }
      this.maxPending = max;
      return this;
    }

    /** Threads running early refreshes (default 2). */
    public Builder refreshThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("refreshThreads must be >= 1, got " + threads);
      }
      this.refreshThreads = threads;
      return this;
    }

    /**
     * Builds the cache. With Redis configured, waits at most the connect timeout for a first connection;
     * if Redis is unreachable the cache starts degraded and connects in the background.
     */
    public CacheManager build() {
      return new CacheManager(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
