package dev.vigil.cache.ttl;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TTLs by category. The defaults follow the caching guides: rarely changing data ({@code static_data}) one
 * hour, medium data ({@code trending_coins}, {@code default}) five minutes, fast-moving data
 * ({@code market_prices}) one minute; each with 10 % jitter.
 */
public final class TtlProfiles {
  /** The category used when none is named or an unknown one is asked for with {@link #ttlOrDefault}. */
  public static final String DEFAULT = "default";

  private final Map<String, TtlProfile> profiles;

  private TtlProfiles(Map<String, TtlProfile> profiles) {
    if (!profiles.containsKey(DEFAULT)) {
      throw new IllegalArgumentException("TTL profiles need a '" + DEFAULT + "' profile");
    }
    this.profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
  }

  /** The documented categories: {@code static_data}, {@code trending_coins}, {@code market_prices}, {@code default}. */
  public static TtlProfiles defaults() {
    return of(
        new TtlProfile("static_data", Duration.ofHours(1), 0.1),
        new TtlProfile("trending_coins", Duration.ofMinutes(5), 0.1),
        new TtlProfile("market_prices", Duration.ofMinutes(1), 0.1),
        new TtlProfile(DEFAULT, Duration.ofMinutes(5), 0.1));
  }

  /** Profiles from a list; one must be {@code default}; a category given twice is an error. */
  public static TtlProfiles of(TtlProfile... list) {
    Map<String, TtlProfile> map = new LinkedHashMap<>();
    for (TtlProfile p : list) {
      if (map.put(p.category(), p) != null) {
        throw new IllegalArgumentException("TTL profile '" + p.category() + "' is given twice");
      }
    }
    return new TtlProfiles(map);
  }

  /** These profiles with one added or replaced. */
  public TtlProfiles with(TtlProfile profile) {
    Map<String, TtlProfile> map = new LinkedHashMap<>(profiles);
    map.put(profile.category(), profile);
    return new TtlProfiles(map);
  }

  /** The profile of a category. @throws IllegalArgumentException naming the category and the known ones */
  public TtlProfile profile(String category) {
    TtlProfile p = profiles.get(category);
    if (p == null) {
      throw new IllegalArgumentException("unknown TTL category '" + category + "'; known: " + profiles.keySet());
    }
    return p;
  }

  /** A jittered TTL for a known category. @throws IllegalArgumentException for an unknown category */
  public Duration ttl(String category) {
    return profile(category).draw(ThreadLocalRandom.current().nextDouble());
  }

  /** A jittered TTL for the category, or for {@code default} when the category is unknown. */
  public Duration ttlOrDefault(String category) {
    TtlProfile p = profiles.getOrDefault(category, profiles.get(DEFAULT));
    return p.draw(ThreadLocalRandom.current().nextDouble());
  }

  /** All profiles in the order given. */
  public Collection<TtlProfile> all() {
    return profiles.values();
  }
}
