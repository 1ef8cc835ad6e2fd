package dev.vigil.proxy;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Set;

/**
 * A cache rule in force, as the proxy's summary lists it: from the configuration, or added at run time
 * (by the optimizer) with who added it and when.
 *
 * @param path path glob
 * @param methods methods answered from the cache
 * @param ttlSeconds freshness when the upstream does not say
 * @param tags tags its copies are purged by
 * @param perUser whether personal requests get per-caller copies
 * @param source {@value #CONFIG} or {@value #RUNTIME}
 * @param addedBy who added a run-time rule (e.g. {@code optimizer}), else null
 * @param addedAt when a run-time rule was added, else null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CacheRuleInfo(String path, Set<String> methods, long ttlSeconds, Set<String> tags, boolean perUser,
    String source, String addedBy, Instant addedAt) {
  /** Source of a rule from {@code proxy.cache.rules}. */
  public static final String CONFIG = "config";
  /** Source of a rule added while the proxy runs. */
  public static final String RUNTIME = "runtime";

  /** Copies the collections. */
  public CacheRuleInfo {
    methods = Set.copyOf(methods);
    tags = Set.copyOf(tags);
  }

  static CacheRuleInfo of(CacheRule r, String source, String addedBy, Instant addedAt) {
    return new CacheRuleInfo(r.path(), r.methods(), r.ttl().toSeconds(), r.tags(), r.perUser(), source, addedBy,
        addedAt);
  }
}
