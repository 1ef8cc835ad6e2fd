package dev.vigil.cache.redis;

import dev.vigil.cache.codec.Envelope;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The Redis level: values under {@code <keyPrefix><key>}, tag sets and stampede locks under
 * {@code <keyPrefix>__vigil__:}. Bulk deletes walk the keyspace with SCAN (or a tag set with SSCAN) and
 * delete in batches with UNLINK; {@code KEYS} is never used, so the cache works for an ACL user without it
 * and never blocks Redis on a large keyspace. Every method may throw {@link RedisUnavailableException}.
 */
public final class RedisCache {
  /** Keys under this marker (after the key prefix) belong to Vigil, not to callers. */
  public static final String META = "__vigil__:";
  private static final int BATCH = 500;
  /** COUNT of every SCAN step of a key listing; fixed, so a step run again covers the same slots. */
  private static final int SCAN_STEP = 1000;
  private static final String UNLOCK_SCRIPT =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  private final RedisLink link;
  private final String keyPrefix;
  private final String metaPrefix;

  /**
   * Creates the level.
   *
   * @param link the connection
   * @param keyPrefix prefix of every key this cache owns (may be empty: then it owns the whole database)
   */
  public RedisCache(RedisLink link, String keyPrefix) {
    this.link = Objects.requireNonNull(link, "link");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    this.metaPrefix = keyPrefix + META;
  }

  /** The connection. */
  public RedisLink link() {
    return link;
  }

  /** The value of a key, or null when absent. */
  public Envelope get(String key) {
    byte[] raw = link.call("GET " + key, cmd -> cmd.get(keyPrefix + key));
    return raw == null ? null : Envelope.parse(raw);
  }

  /** The raw stored bytes of a key, or null; for benchmarks and diagnostics. */
  public byte[] getRaw(String key) {
    return link.call("GET " + key, cmd -> cmd.get(keyPrefix + key));
  }

  /**
   * Stores a value with its TTL and adds the key to each tag's set (whose own TTL is stretched to cover
   * the longest-lived member), in one pipelined round trip.
   */
  public void set(String key, Envelope value, long ttlMillis, Collection<String> tags) {
    byte[] bytes = value.toBytes();
    if (tags.isEmpty()) {
      link.call("SET " + key, cmd -> cmd.set(keyPrefix + key, bytes, SetArgs.Builder.px(ttlMillis)));
      return;
    }
    link.pipeline("SET " + key + " with tags " + tags, cmd -> {
      List<RedisFuture<?>> f = new ArrayList<>();
      f.add(cmd.set(keyPrefix + key, bytes, SetArgs.Builder.px(ttlMillis)));
      addTags(cmd, f, List.of(key), ttlMillis, tags);
      return f;
    });
  }

  /** Stores many values with one TTL and the same tags, pipelined in batches. */
  public void setAll(Map<String, byte[]> values, long ttlMillis, Collection<String> tags) {
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>(values.entrySet());
    for (int from = 0; from < entries.size(); from += BATCH) {
      List<Map.Entry<String, byte[]>> chunk = entries.subList(from, Math.min(entries.size(), from + BATCH));
      link.pipeline("SET of " + chunk.size() + " keys", cmd -> {
        List<RedisFuture<?>> f = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : chunk) {
          f.add(cmd.set(keyPrefix + e.getKey(), e.getValue(), SetArgs.Builder.px(ttlMillis)));
          keys.add(e.getKey());
        }
        addTags(cmd, f, keys, ttlMillis, tags);
        return f;
      });
    }
  }

  private void addTags(RedisClusterAsyncCommands<String, byte[]> cmd,
      List<RedisFuture<?>> f, List<String> keys, long ttlMillis, Collection<String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    byte[][] members = new byte[keys.size()][];
    for (int i = 0; i < members.length; i++) {
      members[i] = keys.get(i).getBytes(StandardCharsets.UTF_8);
    }
    for (String tag : tags) {
      String tagKey = tagKey(tag);
      f.add(cmd.sadd(tagKey, members));
      f.add(cmd.pexpire(tagKey, ttlMillis, ExpireArgs.Builder.nx()));
      f.add(cmd.pexpire(tagKey, ttlMillis, ExpireArgs.Builder.gt()));
    }
  }

  /** Deletes a key; returns whether it existed. */
  public boolean delete(String key) {
    Long n = link.call("UNLINK " + key, cmd -> cmd.unlink(keyPrefix + key));
    return n != null && n > 0;
  }

  /** Deletes keys (any number, batched); returns how many existed. */
  public long deleteAll(List<String> keys) {
    long removed = 0;
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + BATCH));
      String[] full = chunk.stream().map(k -> keyPrefix + k).toArray(String[]::new);
      Long n = link.call("UNLINK of " + full.length + " keys", cmd -> cmd.unlink(full));
      removed += n == null ? 0 : n;
    }
    return removed;
  }

  /** Whether a key exists. */
  public boolean exists(String key) {
    Long n = link.call("EXISTS " + key, cmd -> cmd.exists(keyPrefix + key));
    return n != null && n > 0;
  }

  /**
   * Deletes every caller key starting with {@code prefix} (SCAN + batched UNLINK).
   *
   * @param onBatch told the caller keys of each deleted batch (to drop them from memory and tell other nodes)
   * @return keys deleted
   */
  public long deleteByPrefix(String prefix, Consumer<List<String>> onBatch) {
    return deleteMatching(keyPrefix + escapeGlob(prefix) + "*", onBatch);
  }

  /** Deletes every key this cache owns, its tag sets and locks included; returns keys deleted. */
  public long clear() {
    return deleteMatching(escapeGlob(keyPrefix) + "*", batch -> { });
  }

  private long deleteMatching(String pattern, Consumer<List<String>> onBatch) {
    long deleted = 0;
    String cursor = "0";
    do {
      ScanPage page = link.scan(cursor, pattern, 1000);
      cursor = page.cursor();
      if (!page.keys().isEmpty()) {
        String[] full = page.keys().toArray(String[]::new);
        Long n = link.call("UNLINK of " + full.length + " keys", cmd -> cmd.unlink(full));
        deleted += n == null ? 0 : n;
        List<String> callerKeys = new ArrayList<>();
        for (String k : full) {
          if (k.startsWith(keyPrefix) && !k.startsWith(metaPrefix)) {
            callerKeys.add(k.substring(keyPrefix.length()));
          }
        }
        if (!callerKeys.isEmpty()) {
          onBatch.accept(callerKeys);
        }
      }
    } while (!"0".equals(cursor));
    return deleted;
  }

  /**
   * Deletes every key tagged with {@code tag} (SSCAN of the tag set + batched UNLINK), then the set.
   *
   * @param onBatch told the caller keys of each deleted batch
   * @return keys deleted
   */
  public long deleteByTag(String tag, Consumer<List<String>> onBatch) {
    String tagKey = tagKey(tag);
    long deleted = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      ScanCursor from = cursor;
      ValueScanCursor<byte[]> page = link.call("SSCAN " + tagKey,
          cmd -> cmd.sscan(tagKey, from, ScanArgs.Builder.limit(1000)));
      List<String> keys = new ArrayList<>(page.getValues().size());
      for (byte[] member : page.getValues()) {
        keys.add(new String(member, StandardCharsets.UTF_8));
      }
      if (!keys.isEmpty()) {
        deleted += deleteAll(keys);
        onBatch.accept(keys);
      }
      cursor = page;
    } while (!cursor.isFinished());
    link.call("UNLINK " + tagKey, cmd -> cmd.unlink(tagKey));
    return deleted;
  }

  /**
   * One page of exactly {@code limit} caller keys starting with {@code prefix} (fewer only on the last
   * page). A SCAN step cannot be split, so when a page ends inside a step the cursor says where: the
   * step's cursor and the last key returned, and the next page runs that step again (same COUNT, so it
   * covers the same slots) and continues after that key in key order. No key is lost or repeated while
   * the keyspace holds still.
   *
   * @param cursor {@code "0"} to start, then the cursor of the previous page
   */
  public ScanPage keys(String prefix, String cursor, int limit) {
    String pattern = keyPrefix + escapeGlob(prefix) + "*";
    List<String> keys = new ArrayList<>(Math.min(limit, 1024));
    String step = cursor;
    String after = null;
    int bar = cursor.indexOf('|');
    if (bar >= 0) {
      step = cursor.substring(0, bar);
      try {
        after = new String(Base64.getUrlDecoder().decode(cursor.substring(bar + 1)), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("malformed key listing cursor '" + cursor + "'", e);
      }
    }
    while (true) {
      ScanPage page = link.scan(step, pattern, SCAN_STEP);
      List<String> found = new ArrayList<>(page.keys().size());
      for (String k : page.keys()) {
        if (!k.startsWith(metaPrefix)) {
          found.add(k.substring(keyPrefix.length()));
        }
      }
      Collections.sort(found);
      for (int i = 0; i < found.size(); i++) {
        String k = found.get(i);
        if (after != null && k.compareTo(after) <= 0) {
          continue;
        }
        keys.add(k);
        if (keys.size() == limit) {
          boolean stepDone = i == found.size() - 1;
          String next = stepDone ? page.cursor()
              : step + "|" + Base64.getUrlEncoder().withoutPadding().encodeToString(k.getBytes(StandardCharsets.UTF_8));
          return new ScanPage(keys, next);
        }
      }
      after = null;
      step = page.cursor();
      if ("0".equals(step)) {
        return new ScanPage(keys, "0");
      }
    }
  }

  /**
   * Keys held now: DBSIZE when this cache owns the whole database (tag sets and locks included), else a
   * SCAN count of the caller keys under the prefix (O(keys); callers should not ask often).
   */
  public long countKeys() {
    if (keyPrefix.isEmpty()) {
      Long all = link.call("DBSIZE", cmd -> cmd.dbsize());
      return all == null ? 0 : all;
    }
    long n = 0;
    String cursor = "0";
    do {
      ScanPage page = link.scan(cursor, escapeGlob(keyPrefix) + "*", 1000);
      for (String k : page.keys()) {
        if (!k.startsWith(metaPrefix)) {
          n++;
        }
      }
      cursor = page.cursor();
    } while (!"0".equals(cursor));
    return n;
  }

  /** Takes the stampede lock of a key for {@code ttlMillis} if nobody holds it. */
  public boolean tryLock(String key, String token, long ttlMillis) {
    byte[] owner = token.getBytes(StandardCharsets.UTF_8);
    String ok = link.call("SET NX lock " + key,
        cmd -> cmd.set(lockKey(key), owner, SetArgs.Builder.nx().px(ttlMillis)));
    return "OK".equals(ok);
  }

  /** Releases the stampede lock of a key only if {@code token} still owns it (atomic, by Lua). */
  public boolean unlock(String key, String token) {
    byte[] owner = token.getBytes(StandardCharsets.UTF_8);
    Long n = link.call("unlock " + key, cmd -> cmd.eval(UNLOCK_SCRIPT, ScriptOutputType.INTEGER,
        new String[] {lockKey(key)}, owner));
    return n != null && n > 0;
  }

  /** Whether anybody holds the stampede lock of a key. */
  public boolean locked(String key) {
    Long n = link.call("EXISTS lock " + key, cmd -> cmd.exists(lockKey(key)));
    return n != null && n > 0;
  }

  private String tagKey(String tag) {
    return metaPrefix + "tag:" + tag;
  }

  private String lockKey(String key) {
    return metaPrefix + "lock:" + key;
  }

  /** Escapes SCAN MATCH glob characters so a prefix matches literally. */
  public static String escapeGlob(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
