package dev.vigil.core.config;

import java.util.List;

/**
 * The config keys core itself reads: where data lives, how the server listens, the state store, and
 * {@code DATABASE_URL} (the loader validates it and the {@code backup.databases.<name>} URLs into
 * {@link VigilConfig#databases()}). Each server feature declares its own keys beside its code; the
 * loader validates these and theirs together, and {@code vigil config} prints them.
 */
public final class Settings {
  private Settings() {
  }

  /** Directory for the state store, tokens and keys. */
  public static final Setting<String> DATA_DIR = Setting.of("data_dir", ValueParser.text(), "./vigil-data",
      "directory for the state store, the admin token and keys", "VIGIL_DATA_DIR");
  /** Address the HTTP server binds to. */
  public static final Setting<String> SERVER_BIND = Setting.of("server.bind",
      ValueParser.matching("[0-9A-Za-z.:\\-\\[\\]]{1,253}", "a host name or IP address such as 127.0.0.1 or 0.0.0.0"),
      "127.0.0.1", "address the HTTP server binds to", "VIGIL_BIND");
  /** HTTP port. */
  public static final Setting<Integer> SERVER_PORT = Setting.of("server.port", ValueParser.integer(0, 65535), "8080",
      "HTTP port (0 picks a free one)", "VIGIL_PORT");
  /** Largest request body accepted. */
  public static final Setting<Long> SERVER_MAX_BODY = Setting.of("server.max_body_bytes", ValueParser.bytes(1024),
      "1MB", "largest request body accepted; larger gets 413");
  /** Whether requests are rate limited. */
  public static final Setting<Boolean> RATE_LIMIT_ENABLED = Setting.of("server.rate_limit.enabled", ValueParser.bool(),
      "true", "rate limiting per token and per client IP");
  /** Sustained requests per second allowed per client IP. */
  public static final Setting<Integer> RATE_LIMIT_IP = Setting.of("server.rate_limit.ip_per_second",
      ValueParser.integer(1, 10_000_000), "200", "requests per second per client IP (bursts of twice that)");
  /** Sustained requests per second allowed per token. */
  public static final Setting<Integer> RATE_LIMIT_TOKEN = Setting.of("server.rate_limit.token_per_second",
      ValueParser.integer(1, 10_000_000), "1000", "requests per second per API token (bursts of twice that)");
  /** Where the state store lives; empty means SQLite in the data dir. */
  public static final Setting<String> STORE_URL = Setting.of("store.url",
      ValueParser.matching("(jdbc:)?(postgresql|postgres|sqlite):.+",
          "a postgresql://user:pass@host:port/db or sqlite:path URL"), null,
      "state store: SQLite under the data dir when empty, or a PostgreSQL URL", "VIGIL_STORE_URL")
      .masked(Setting.Secret.URL_PASSWORD);

  /** The default database to back up. */
  public static final Setting<String> DATABASE_URL = Setting.of("backup.database_url",
      ValueParser.matching("(postgresql|postgres|mysql|mariadb|sqlite):.+",
          "a postgresql://, mysql://, mariadb:// or sqlite: URL"), null,
      "the database backed up by default", "DATABASE_URL").masked(Setting.Secret.URL_PASSWORD);

  /** Prefix of map-valued keys: {@code backup.databases.<name>: <url>}. */
  public static final String BACKUP_DATABASES = "backup.databases";

  /** The keys core itself reads, in the order {@code vigil config} prints them (features add theirs after). */
  public static final List<Setting<?>> ALL = List.of(DATA_DIR, SERVER_BIND, SERVER_PORT, SERVER_MAX_BODY,
      RATE_LIMIT_ENABLED, RATE_LIMIT_IP, RATE_LIMIT_TOKEN, STORE_URL, DATABASE_URL);
}
