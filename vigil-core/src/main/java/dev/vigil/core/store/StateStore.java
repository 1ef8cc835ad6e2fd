package dev.vigil.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.core.fs.FileModes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;

/**
 * Vigil's own persistent state (tokens, roll-ups, audit index, backup records, locks): SQLite in the
 * data dir by default, PostgreSQL for a fleet. Each module owns its tables and migrates them with
 * {@link #migrate(String)}, from {@code classpath:db/vigil/<component>/<kind>} where {@code kind} is
 * {@code sqlite} or {@code postgresql}; each component keeps its own Flyway history table.
 */
public final class StateStore implements AutoCloseable {
  private final Kind kind;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final String description;
  // the SQLite database file and its write-ahead log; empty for PostgreSQL
  private final Path[] sqliteFiles;

  private static final int MIGRATE_ATTEMPTS = 10;

  /** The engine behind the store. */
  public enum Kind {
    SQLITE, POSTGRESQL;

    /** The folder name under {@code db/vigil/<component>/} that holds this engine's migrations. */
    public String folder() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private StateStore(StoreUrl url) {
    this.kind = url.kind();
    this.description = url.toString();
    Path file = url.sqliteFile();
    this.sqliteFiles = file == null ? new Path[0]
        : new Path[] {file, file.resolveSibling(file.getFileName() + "-wal")};
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url.jdbcUrl());
    hc.setPoolName("vigil-store");
    if (url.user() != null) {
      hc.setUsername(url.user());
    }
    if (url.password() != null) {
      hc.setPassword(url.password());
    }
    if (kind == Kind.SQLITE) {
      hc.setMaximumPoolSize(4);
      hc.addDataSourceProperty("journal_mode", "WAL");
      hc.addDataSourceProperty("busy_timeout", "15000");
      hc.addDataSourceProperty("foreign_keys", "true");
      hc.addDataSourceProperty("synchronous", "NORMAL");
      hc.setConnectionInitSql("PRAGMA busy_timeout=15000");
    } else {
      hc.setMaximumPoolSize(8);
    }
    hc.setInitializationFailTimeout(3_000);
    try {
      this.dataSource = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open state store " + description + ": " + rootMessage(e), e);
    }
    this.jdbi = Jdbi.create(dataSource);
    migrate("core");
  }

  /**
   * Opens the store named by {@code url}, or SQLite in {@code dataDir} when {@code url} is null or
   * blank. Creates the data dir when needed and applies the core migrations.
   *
   * @throws StoreException when the store cannot be reached or migrated
   */
  public static StateStore open(String url, Path dataDir) {
    return open(url, dataDir, FileModes.PRIVATE);
  }

  /**
   * Like {@link #open(String, Path)}; the data dir (also when it existed) and the SQLite files
   * ({@code vigil.db} and its WAL) get {@code modes}: owner only, or readable by a group.
   *
   * @throws StoreException when the store cannot be reached or migrated
   * @throws UncheckedIOException naming the data dir when it cannot be created or protected
   */
  public static StateStore open(String url, Path dataDir, FileModes modes) {
    if (url == null || url.isBlank()) {
      modes.directory(dataDir);
      Path db = dataDir.resolve(StoreUrl.SQLITE_FILE);
      try {
        if (!Files.exists(db)) {
          modes.newFile(db);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create state store file " + db + ": " + e.getMessage(), e);
      }
      StateStore store = new StateStore(StoreUrl.sqliteIn(dataDir));
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        modes.fileIfExists(dataDir.resolve(StoreUrl.SQLITE_FILE + suffix));
      }
      return store;
    }
    return new StateStore(StoreUrl.parse(url));
  }

  /** Opens the store at an already parsed location. */
  public static StateStore open(StoreUrl url) {
    return new StateStore(url);
  }

  /**
   * Applies the migrations of {@code component} found under {@code db/vigil/<component>/<kind>/} on
   * the classpath, tracked in the table {@code vigil_<component>_schema_history}.
   *
   * @throws StoreException naming the component when a migration fails
   */
  public void migrate(String component) {
    if (!component.matches("[a-z][a-z0-9_]{0,30}")) {
      throw new IllegalArgumentException("component name must be lower-case letters, digits or '_': " + component);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Flyway.configure(getClass().getClassLoader())
            .dataSource(dataSource)
            .table("vigil_" + component + "_schema_history")
            .locations("classpath:db/vigil/" + component + "/" + kind.folder())
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .failOnMissingLocations(true)
            .load()
            .migrate();
        return;
      } catch (FlywayException e) {
        // SQLite has one writer: a migration whose snapshot another connection wrote past (a feature
        // already running) is rolled back whole and can simply run again
        if (kind == Kind.SQLITE && attempt < MIGRATE_ATTEMPTS && rootMessage(e).contains("SQLITE_BUSY")) {
          pause(attempt);
          continue;
        }
        throw new StoreException("migrating " + component + " in state store " + description + " failed: "
            + rootMessage(e), e);
      }
    }
  }

  private void pause(int attempt) {
    try {
      Thread.sleep(20L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while migrating state store " + description, e);
    }
  }

  /** JDBI over the store's pool: plain SQL. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** The pooled data source. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Which engine this store runs on. */
  public Kind kind() {
    return kind;
  }

  /**
   * A number that changes when a commit reaches the store's files, read without querying: for SQLite,
   * from the sizes and modification times of the database file and its write-ahead log, so a poller can
   * skip its query while nothing was written. Empty for PostgreSQL (and an in-memory SQLite), whose
   * changes are only seen by querying. File times are coarse and a restarted log may keep its size, so
   * an unchanged stamp makes a change unlikely, not impossible: pollers still query now and then.
   *
   * @throws UncheckedIOException naming the file when its attributes cannot be read
   */
  public OptionalLong changeStamp() {
    if (sqliteFiles.length == 0) {
      return OptionalLong.empty();
    }
    long stamp = 17;
    for (Path p : sqliteFiles) {
      long size = 0;
      long modified = 0;
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        size = a.size();
        modified = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
      } catch (NoSuchFileException e) {
        // no write-ahead log yet (or any more): it counts as empty
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the attributes of state store file " + p + ": " + e.getMessage(), e);
      }
      stamp = 31 * (31 * stamp + size) + modified;
    }
    return OptionalLong.of(stamp);
  }

  /** Where the store is, without credentials. */
  @Override
  public String toString() {
    return description;
  }

  /** Closes the pool. */
  @Override
  public void close() {
    dataSource.close();
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
