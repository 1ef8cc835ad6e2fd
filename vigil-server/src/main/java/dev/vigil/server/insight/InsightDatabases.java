package dev.vigil.server.insight;

import dev.vigil.insight.DatabaseInsight;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The databases insight watches, by configured name, as the insight feature provides them to the
 * features started after it (the optimizer acts on their advice and measures with their history).
 *
 * @param databases insight per configured database, in configuration order
 */
public record InsightDatabases(Map<String, DatabaseInsight> databases) {
  /** Copies the map, keeping its order. */
  public InsightDatabases {
    databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
  }
}
