package dev.vigil.backup.engine;

import java.util.Map;

/**
 * What an engine found before a dump: the versions for the manifest and the size of the data, to
 * check free space.
 *
 * @param toolVersions dump tool and server versions
 * @param dataBytes size of the database's user data in bytes
 */
public record Preflight(Map<String, String> toolVersions, long dataBytes) {
  /** Copies the versions. */
  public Preflight {
    toolVersions = Map.copyOf(toolVersions);
  }
}
