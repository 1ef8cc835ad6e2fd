package dev.vigil.server.audit;

import java.util.Objects;

/**
 * Who did an audited action outside an HTTP request: a person at the CLI ({@code cli:<os user>}) or a
 * background job of the server ({@code job:<name>}).
 *
 * @param user the audit record's user
 * @param ip the client address, or {@code null} when there is none
 */
public record Actor(String user, String ip) {
  /** Validates the record. */
  public Actor {
    Objects.requireNonNull(user, "user");
  }

  /** The operating-system user running this CLI command. */
  public static Actor cli() {
    return new Actor("cli:" + System.getProperty("user.name", "unknown"), null);
  }

  /** A background job of the server, e.g. {@code backup-scheduler}. */
  public static Actor job(String name) {
    return new Actor("job:" + name, null);
  }

  /** The server itself (first start, shutdown). */
  public static Actor system() {
    return new Actor("system", null);
  }
}
