package dev.vigil.backup.engine;

import dev.vigil.backup.BackupException;
import dev.vigil.backup.internal.fs.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * SQLite through the online backup API ({@code sqlite3_backup_*} via sqlite-jdbc): a consistent copy
 * of a live database without stopping its writers. Restore writes the copy to a temp file beside the
 * database, checks it with {@code PRAGMA integrity_check}, removes the old WAL and journal, and renames
 * the temp file over the database in one step. Stop the application's writers first: a connection
 * that stays open keeps reading the replaced file.
 */
public final class SqliteEngine implements DumpEngine {
  private static final int BACKUP_SLEEP_MS = 100;
  private static final int BACKUP_RETRIES = 50;
  private final DatabaseUrl url;
  private final Path file;

  SqliteEngine(DatabaseUrl url) {
    this.url = url;
    this.file = url.sqlitePath();
  }

  @Override
  public DatabaseUrl url() {
    return url;
  }

  @Override
  public DumpFormat format() {
    return DumpFormat.SQLITE;
  }

  @Override
  public Preflight preflight() {
    requireFile();
    Map<String, String> versions = new LinkedHashMap<>();
    try (Connection c = open(file)) {
      versions.put("sqlite", Sql.one(c, "SELECT sqlite_version()"));
      versions.put("sqlite-jdbc", c.getMetaData().getDriverVersion());
    } catch (SQLException e) {
      throw failure("opening", e);
    }
    try {
      return new Preflight(versions, Files.size(file));
    } catch (IOException e) {
      throw new BackupException("cannot read the size of SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists() {
    return Files.isRegularFile(file);
  }

  @Override
  public DumpResult dump(DumpSink sink) {
    requireFile();
    boolean direct = sink.directFile() != null;
    Path copy = direct ? sink.directFile() : AtomicFiles.tempFor(sink.workDir().resolve(file.getFileName() + ".copy"));
    try {
      try (Connection c = open(file)) {
        int rc = ((SQLiteConnection) c).getDatabase().backup("main", copy.toString(), null, BACKUP_SLEEP_MS,
            BACKUP_RETRIES, -1);
        if (rc != 0) {
          throw new BackupException("SQLite backup API returned code " + rc + " while copying " + file + " to " + copy);
        }
      } catch (SQLException e) {
        throw failure("copying", e);
      }
      SortedMap<String, Long> counts;
      try (Connection c = open(copy)) {
        counts = Sql.count(c, tables(c));
      } catch (SQLException e) {
        throw failure("counting rows of the copy of", e);
      }
      if (!direct) {
        try (InputStream in = Files.newInputStream(copy)) {
          in.transferTo(sink.out());
        } catch (IOException e) {
          throw new BackupException("writing the backup of SQLite database " + file + " failed: " + e.getMessage(), e);
        }
      }
      return DumpResult.of(counts, direct);
    } finally {
      if (!direct) {
        delete(copy);
      }
    }
  }

  @Override
  public void restore(InputStream raw, DumpFormat format) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new BackupException("cannot create directory " + dir + " for SQLite database " + file + ": " + e, e);
    }
    Path tmp = AtomicFiles.tempFor(file);
    try {
      write(raw, tmp);
      integrityCheck(tmp);
      // the old content (WAL included) is in the safety backup; a stale WAL or journal must not be
      // applied to the new file, so they go before the rename
      for (String suffix : List.of("-wal", "-shm", "-journal")) {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
      }
      AtomicFiles.rename(tmp, file);
      AtomicFiles.fsyncDirectory(dir);
    } catch (IOException e) {
      throw new BackupException("restoring SQLite database " + file + " failed: " + e.getMessage(), e);
    } finally {
      delete(tmp);
    }
  }

  @Override
  public SortedMap<String, Long> testRestore(InputStream raw, DumpFormat format, Path workDir) {
    Path tmp = AtomicFiles.tempFor(workDir.resolve("vigil_verify.sqlite"));
    try {
      try {
        AtomicFiles.createPrivate(tmp);
      } catch (IOException e) {
        throw new BackupException("cannot create the test copy " + tmp + ": " + e.getMessage(), e);
      }
      write(raw, tmp);
      integrityCheck(tmp);
      try (Connection c = open(tmp)) {
        return Sql.count(c, tables(c));
      } catch (SQLException e) {
        throw new BackupException("counting rows of the test copy " + tmp + " failed: " + e.getMessage(), e);
      }
    } finally {
      delete(tmp);
    }
  }

  /** Writes {@code raw} to {@code target}, a new file or an empty one just created private. */
  private static void write(InputStream raw, Path target) {
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      raw.transferTo(out);
    } catch (IOException e) {
      throw new BackupException("writing SQLite copy " + target + " failed: " + e.getMessage()
          + " (a damaged or truncated backup, or a full disk)", e);
    }
    try {
      AtomicFiles.fsync(target);
    } catch (IOException e) {
      throw new BackupException("flushing SQLite copy " + target + " failed: " + e.getMessage(), e);
    }
  }

  private static void integrityCheck(Path db) {
    try (Connection c = open(db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      List<String> problems = new ArrayList<>();
      while (rs.next()) {
        problems.add(rs.getString(1));
      }
      if (!problems.equals(List.of("ok"))) {
        throw new BackupException("SQLite integrity check of " + db + " failed: "
            + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
      }
    } catch (SQLException e) {
      throw new BackupException("SQLite integrity check of " + db + " failed: " + e.getMessage(), e);
    }
  }

  private static List<String[]> tables(Connection c) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
      while (rs.next()) {
        out.add(new String[] {rs.getString(1), Sql.quote(rs.getString(1))});
      }
    }
    return out;
  }

  /** Opens an existing database file (never creates one). */
  private static Connection open(Path db) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    config.setBusyTimeout(15_000);
    return DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath(), config.toProperties());
  }

  private void requireFile() {
    if (!Files.isRegularFile(file)) {
      throw new BackupException("SQLite database file " + file + " does not exist");
    }
  }

  private BackupException failure(String action, SQLException e) {
    return new BackupException(action + " SQLite database " + file + " failed: " + e.getMessage(), e);
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new BackupException("cannot delete temp file " + p + ": " + e.getMessage(), e);
    }
  }
}
