package dev.vigil.backup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Several named databases backed up side by side (config {@code databases:}; {@code DATABASE_URL} is
 * the one named {@value DatabaseBackup#DEFAULT_NAME}). The default database keeps its backups in the
 * root backup directory, as documented; every other database in {@code <root>/<name>/}.
 */
public final class BackupCatalog implements AutoCloseable {
  private final Path root;
  private final Map<String, DatabaseBackup> databases;

  /** A catalog of already built backup managers, keyed by their names. */
  public BackupCatalog(Path root, List<DatabaseBackup> databases) {
    this.root = root.toAbsolutePath().normalize();
    Map<String, DatabaseBackup> m = new LinkedHashMap<>();
    for (DatabaseBackup d : databases) {
      if (d.name().equals("checkpoints")) {
        throw new IllegalArgumentException("'checkpoints' is reserved for checkpoint files; rename that database");
      }
      if (m.put(d.name(), d) != null) {
        throw new IllegalArgumentException("two databases are named " + d.name());
      }
    }
    if (m.isEmpty()) {
      throw new IllegalArgumentException("a backup catalog needs at least one database");
    }
    this.databases = m;
  }

  /**
   * Opens a backup manager per database.
   *
   * @param urls database URLs by name, in order
   * @param root the backup directory ({@code BACKUP_DIR})
   * @param options applied to each database's builder (compression, store, clock, retention, …)
   */
  public static BackupCatalog open(Map<String, String> urls, Path root, UnaryOperator<DatabaseBackup.Builder> options) {
    List<DatabaseBackup> opened = new ArrayList<>();
    try {
      urls.forEach((name, url) -> opened.add(options.apply(DatabaseBackup.builder(url, dirFor(root, name)).name(name))
          .build()));
      return new BackupCatalog(root, opened);
    } catch (RuntimeException e) {
      opened.forEach(DatabaseBackup::close);
      throw e;
    }
  }

  /** Where the backups of database {@code name} live under {@code root}. */
  public static Path dirFor(Path root, String name) {
    return DatabaseBackup.DEFAULT_NAME.equals(name) ? root : root.resolve(name);
  }

  /** The root backup directory. */
  public Path root() {
    return root;
  }

  /** The database names, in configuration order. */
  public Set<String> names() {
    return databases.keySet();
  }

  /**
   * The backups of database {@code name}.
   *
   * @throws IllegalArgumentException naming the configured databases when there is none of that name
   */
  public DatabaseBackup database(String name) {
    DatabaseBackup d = databases.get(Objects.requireNonNull(name, "name"));
    if (d == null) {
      throw new IllegalArgumentException("no database named '" + name + "'; configured: " + databases.keySet());
    }
    return d;
  }

  /** Every database's backups, in configuration order. */
  public List<DatabaseBackup> all() {
    return List.copyOf(databases.values());
  }

  /** Closes every backup manager. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (DatabaseBackup d : databases.values()) {
      try {
        d.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
