package dev.vigil.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Every config key Vigil knows, with the seed's environment variable names where the seed has
 * them. This is the one list that {@link ConfigLoader} validates against and {@code vigil config}
 * prints, so a key is added here or nowhere.
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
  /**
   * Reverse proxies whose {@code X-Forwarded-For}/{@code Forwarded} headers are believed (CIDRs); empty:
   * the client is always the TCP peer.
   */
  public static final Setting<String> TRUSTED_PROXIES = Setting.of("server.trusted_proxies",
      ValueParser.matching("[0-9A-Fa-f:.]+(/[0-9]{1,3})?(\\s*,\\s*[0-9A-Fa-f:.]+(/[0-9]{1,3})?)*",
          "comma-separated IP addresses or CIDRs such as 127.0.0.1/32, 10.0.0.0/8"), null,
      "reverse proxies (CIDRs) whose X-Forwarded-For/Forwarded headers name the client; empty: none");
  /** Sustained cost units per second of expensive routes per caller. */
  public static final Setting<Integer> RATE_LIMIT_EXPENSIVE = Setting.of("server.rate_limit.expensive_per_second",
      ValueParser.integer(1, 1_000_000), "10", "cost units per second of expensive routes (processes?top=, "
          + "backups, audit verify) per token or client IP (bursts of twice that)");
  /** Where the state store lives; empty means SQLite in the data dir. */
  public static final Setting<String> STORE_URL = Setting.of("store.url",
      ValueParser.matching("(jdbc:)?(postgresql|postgres|sqlite):.+",
          "a postgresql://user:pass@host:port/db or sqlite:path URL"), null,
      "state store: SQLite under the data dir when empty, or a PostgreSQL URL", "VIGIL_STORE_URL")
      .masked(Setting.Secret.URL_PASSWORD);

  /** Whether host monitoring runs. */
  public static final Setting<Boolean> MONITORING_ENABLED = Setting.of("monitoring.enabled", ValueParser.bool(), "true",
      "host monitoring on or off", "ENABLE_MONITORING");
  /** Sampling interval. */
  public static final Setting<Duration> MONITORING_INTERVAL = Setting.of("monitoring.interval",
      ValueParser.duration(Duration.ofMillis(200), Duration.ofHours(1)), "5s",
      "sampling interval (bare number = seconds)", "MONITORING_INTERVAL");
  /** How much sample history is kept in memory. */
  public static final Setting<Duration> MONITORING_HISTORY = Setting.of("monitoring.history",
      ValueParser.duration(Duration.ofMinutes(1), Duration.ofDays(1)), "1h", "in-memory sample history");
  /** CPU warning threshold. */
  public static final Setting<Double> CPU_WARNING = Setting.of("monitoring.cpu_threshold", ValueParser.decimal(0, 100),
      "80", "CPU % at which health is warning", "MONITORING_CPU_THRESHOLD");
  /** RAM warning threshold. */
  public static final Setting<Double> RAM_WARNING = Setting.of("monitoring.ram_threshold", ValueParser.decimal(0, 100),
      "85", "RAM % at which health is warning", "MONITORING_RAM_THRESHOLD");
  /** Disk warning threshold. */
  public static final Setting<Double> DISK_WARNING = Setting.of("monitoring.disk_threshold",
      ValueParser.decimal(0, 100), "90", "disk % at which health is warning", "MONITORING_DISK_THRESHOLD");
  /** CPU critical threshold. */
  public static final Setting<Double> CPU_CRITICAL = Setting.of("monitoring.cpu_critical", ValueParser.decimal(0, 100),
      "95", "CPU % at which health is critical", "MONITORING_CPU_CRITICAL");
  /** RAM critical threshold. */
  public static final Setting<Double> RAM_CRITICAL = Setting.of("monitoring.ram_critical", ValueParser.decimal(0, 100),
      "95", "RAM % at which health is critical", "MONITORING_RAM_CRITICAL");
  /** Disk critical threshold. */
  public static final Setting<Double> DISK_CRITICAL = Setting.of("monitoring.disk_critical",
      ValueParser.decimal(0, 100), "95", "disk % at which health is critical", "MONITORING_DISK_CRITICAL");

  /** Queries slower than this are logged as a warning by the performance monitor. */
  public static final Setting<Duration> SLOW_QUERY = Setting.of("monitoring.slow_query",
      ValueParser.duration(Duration.ofMillis(1), Duration.ofHours(1)), "500ms", "queries slower than this are logged",
      "MONITORING_SLOW_QUERY");
  /** Operations slower than this are logged as a warning by the performance monitor. */
  public static final Setting<Duration> SLOW_OPERATION = Setting.of("monitoring.slow_operation",
      ValueParser.duration(Duration.ofMillis(1), Duration.ofHours(1)), "1s", "operations slower than this are logged",
      "MONITORING_SLOW_OPERATION");
  /** Robust score above which a reading is flagged as an anomaly. */
  public static final Setting<Double> ANOMALY_BOUND = Setting.of("monitoring.anomaly_bound",
      ValueParser.decimal(1, 100), "4.5", "robust score (median/MAD) above which a reading is an anomaly",
      "MONITORING_ANOMALY_BOUND");

  /** Whether the cache uses Redis as its second level. */
  public static final Setting<Boolean> USE_REDIS = Setting.of("cache.use_redis", ValueParser.bool(), "false",
      "use Redis as the L2 cache", "USE_REDIS_CACHE");
  /** Redis host. */
  public static final Setting<String> REDIS_HOST = Setting.of("cache.redis.host", ValueParser.text(), "localhost",
      "Redis host", "REDIS_HOST");
  /** Redis port. */
  public static final Setting<Integer> REDIS_PORT = Setting.of("cache.redis.port", ValueParser.integer(1, 65535),
      "6379", "Redis port", "REDIS_PORT");
  /** Redis logical database. */
  public static final Setting<Integer> REDIS_DB = Setting.of("cache.redis.db", ValueParser.integer(0, 15), "0",
      "Redis database number", "REDIS_DB");
  /** Redis password. */
  public static final Setting<String> REDIS_PASSWORD = Setting.of("cache.redis.password", ValueParser.text(), null,
      "Redis password", "REDIS_PASSWORD").masked(Setting.Secret.WHOLE);
  /** A full Redis URI (standalone, Sentinel or Cluster); wins over host/port/db. */
  public static final Setting<String> REDIS_URI = Setting.of("cache.redis.uri",
      ValueParser.matching("(redis|rediss|redis-sentinel|redis-cluster)://.+",
          "a redis://, rediss://, redis-sentinel:// or redis-cluster:// URI"), null,
      "Redis URI for Sentinel or Cluster; wins over host/port/db", "REDIS_URL")
      .masked(Setting.Secret.URL_PASSWORD);
  /** L1 capacity. */
  public static final Setting<Integer> CACHE_MAX_ENTRIES = Setting.of("cache.max_entries",
      ValueParser.integer(1, 100_000_000), "10000", "most entries kept in the in-process L1 cache");
  /** Default time to live. */
  public static final Setting<Duration> CACHE_DEFAULT_TTL = Setting.of("cache.default_ttl",
      ValueParser.duration(Duration.ofSeconds(1), Duration.ofDays(365)), "300s", "default time to live of an entry");
  /** Prefix of the cache's Redis keys, so several deployments (or tests) can share one Redis database. */
  public static final Setting<String> CACHE_KEY_PREFIX = Setting.of("cache.key_prefix",
      ValueParser.matching("[A-Za-z0-9_.:-]{1,64}", "1 to 64 letters, digits, '_', '.', ':' or '-'"), "vigil:cache:",
      "prefix of every Redis key, channel and lock of the cache");

  /** Log directory. */
  public static final Setting<String> LOG_DIR = Setting.of("logging.dir", ValueParser.text(), "logs",
      "directory of the log files", "LOG_DIR");
  /** Log level. */
  public static final Setting<String> LOG_LEVEL = Setting.of("logging.level",
      ValueParser.oneOf("trace", "debug", "info", "warning", "warn", "error", "critical"), "info",
      "lowest level written", "LOG_LEVEL");
  /** JSON log records. */
  public static final Setting<Boolean> LOG_JSON = Setting.of("logging.json", ValueParser.bool(), "true",
      "JSON records (false: plain text)", "LOG_JSON_FORMAT");
  /** Log file size before rotation. */
  public static final Setting<Long> LOG_MAX_BYTES = Setting.of("logging.max_bytes", ValueParser.bytes(1024), "10MB",
      "size of a log file before it rotates", "LOG_MAX_BYTES");
  /** Rotated files kept. */
  public static final Setting<Integer> LOG_BACKUP_COUNT = Setting.of("logging.backup_count",
      ValueParser.integer(1, 10_000), "10", "rotated files kept per log", "LOG_BACKUP_COUNT");
  /** Console logging. */
  public static final Setting<Boolean> LOG_CONSOLE = Setting.of("logging.console", ValueParser.bool(), "true",
      "also log to the console", "LOG_CONSOLE");
  /** File logging. */
  public static final Setting<Boolean> LOG_FILES = Setting.of("logging.files", ValueParser.bool(), "true",
      "write the log files in logging.dir (the server only; other commands log to the console)", "LOG_FILES");
  /** Requests at least this slow are flagged in the request log. */
  public static final Setting<Duration> LOG_SLOW_REQUEST = Setting.of("logging.slow_request",
      ValueParser.duration(Duration.ofMillis(1), Duration.ofHours(1)), "1s",
      "requests taking this long or longer are flagged \"slow\": true in the request log", "LOG_SLOW_REQUEST");

  /** The default database to back up. */
  public static final Setting<String> DATABASE_URL = Setting.of("backup.database_url",
      ValueParser.matching("(postgresql|postgres|mysql|mariadb|sqlite):.+",
          "a postgresql://, mysql://, mariadb:// or sqlite: URL"), null,
      "the database backed up by default", "DATABASE_URL").masked(Setting.Secret.URL_PASSWORD);
  /** Where backups are written; empty means {@code <data_dir>/backups}. */
  public static final Setting<String> BACKUP_DIR = Setting.of("backup.dir", ValueParser.text(), null,
      "directory of the backups (default <data_dir>/backups)", "BACKUP_DIR");
  /** Backups kept by count. */
  public static final Setting<Integer> MAX_BACKUPS = Setting.of("backup.max_backups", ValueParser.integer(1, 100_000),
      "7", "newest backups kept per database", "MAX_BACKUPS");
  /** Compression of backups. */
  public static final Setting<String> BACKUP_COMPRESSION = Setting.of("backup.compression",
      ValueParser.oneOf("gzip", "zstd", "none"), "gzip", "compression of backup files");
  /** Whether scheduled backups run. */
  public static final Setting<Boolean> BACKUP_SCHEDULER = Setting.of("backup.scheduler.enabled", ValueParser.bool(),
      "true", "run scheduled backups", "ENABLE_BACKUP_SCHEDULER");
  /** Hour of the daily backup. */
  public static final Setting<Integer> BACKUP_HOUR = Setting.of("backup.scheduler.hour", ValueParser.integer(0, 23),
      "2", "hour of the daily backup", "BACKUP_HOUR");
  /** Minute of the daily backup. */
  public static final Setting<Integer> BACKUP_MINUTE = Setting.of("backup.scheduler.minute",
      ValueParser.integer(0, 59), "0", "minute of the daily backup", "BACKUP_MINUTE");

  /** Extra backup every N hours (0: off). */
  public static final Setting<Integer> BACKUP_EVERY_HOURS = Setting.of("backup.scheduler.every_hours",
      ValueParser.integer(0, 8760), "0", "also back up every N hours (0: off)");
  /** Extra backups on a Unix cron expression. */
  public static final Setting<String> BACKUP_CRON = Setting.of("backup.scheduler.cron", ValueParser.matching(
      "\\S+( \\S+){4}", "a five-field Unix cron expression such as '0 */6 * * *'"), null,
      "also back up on this Unix cron expression");
  /** Whether the newest backup is verified on a schedule. */
  public static final Setting<Boolean> BACKUP_VERIFY = Setting.of("backup.verify.enabled", ValueParser.bool(), "true",
      "verify the newest backup on a schedule (test restore)");
  /** When the newest backup is verified. */
  public static final Setting<String> BACKUP_VERIFY_CRON = Setting.of("backup.verify.cron", ValueParser.matching(
      "\\S+( \\S+){4}", "a five-field Unix cron expression such as '0 4 * * *'"), "0 4 * * *",
      "when the newest backup is verified (Unix cron)");
  /** Daily slots kept by retention (restic semantics). */
  public static final Setting<Integer> KEEP_DAILY = Setting.of("backup.retention.daily", ValueParser.integer(0, 100_000),
      "0", "also keep the newest backup of each of the last N days");
  /** Weekly slots kept by retention. */
  public static final Setting<Integer> KEEP_WEEKLY = Setting.of("backup.retention.weekly",
      ValueParser.integer(0, 100_000), "0", "also keep the newest backup of each of the last N weeks");
  /** Monthly slots kept by retention. */
  public static final Setting<Integer> KEEP_MONTHLY = Setting.of("backup.retention.monthly",
      ValueParser.integer(0, 100_000), "0", "also keep the newest backup of each of the last N months");
  /** Yearly slots kept by retention. */
  public static final Setting<Integer> KEEP_YEARLY = Setting.of("backup.retention.yearly",
      ValueParser.integer(0, 100_000), "0", "also keep the newest backup of each of the last N years");
  /** PostgreSQL dump format. */
  public static final Setting<String> BACKUP_PG_FORMAT = Setting.of("backup.postgres_format",
      ValueParser.oneOf("custom", "plain"), "custom", "pg_dump format: custom archive or plain SQL");

  /** Prefix of map-valued keys: {@code backup.databases.<name>: <url>}. */
  public static final String BACKUP_DATABASES = "backup.databases";

  /** All keys, in the order {@code vigil config} prints them. */
  public static final List<Setting<?>> ALL = List.of(DATA_DIR, SERVER_BIND, SERVER_PORT, SERVER_MAX_BODY,
      RATE_LIMIT_ENABLED, RATE_LIMIT_IP, RATE_LIMIT_TOKEN, RATE_LIMIT_EXPENSIVE, TRUSTED_PROXIES, STORE_URL,
      MONITORING_ENABLED, MONITORING_INTERVAL, MONITORING_HISTORY, CPU_WARNING, RAM_WARNING, DISK_WARNING,
      CPU_CRITICAL, RAM_CRITICAL, DISK_CRITICAL, SLOW_QUERY, SLOW_OPERATION, ANOMALY_BOUND,
      USE_REDIS, REDIS_HOST, REDIS_PORT, REDIS_DB, REDIS_PASSWORD, REDIS_URI, CACHE_MAX_ENTRIES, CACHE_DEFAULT_TTL,
      CACHE_KEY_PREFIX,
      LOG_DIR, LOG_LEVEL, LOG_JSON, LOG_MAX_BYTES, LOG_BACKUP_COUNT, LOG_CONSOLE, LOG_FILES, LOG_SLOW_REQUEST,
      DATABASE_URL, BACKUP_DIR, MAX_BACKUPS, BACKUP_COMPRESSION, BACKUP_SCHEDULER, BACKUP_HOUR, BACKUP_MINUTE,
      BACKUP_EVERY_HOURS, BACKUP_CRON, BACKUP_VERIFY, BACKUP_VERIFY_CRON, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY,
      KEEP_YEARLY, BACKUP_PG_FORMAT);
}
