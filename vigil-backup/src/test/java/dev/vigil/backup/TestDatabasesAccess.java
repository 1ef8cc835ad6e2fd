package dev.vigil.backup;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/** Test fixtures of {@link TestDatabases} for tests in sub-packages. */
public final class TestDatabasesAccess {
  private TestDatabasesAccess() {
  }

  /** One database of each engine, filled, dropped on close. */
  public static Dbs threeEngines(Path dir) throws SQLException {
    Dbs d = new Dbs(TestDatabases.sqlite(dir), TestDatabases.postgres("cp"), TestDatabases.mariadb("cp"));
    for (TestDatabases.Db db : d.all()) {
      TestDatabases.fill(db, 30, 1, 20_000);
    }
    return d;
  }

  /** A database as seen by tests outside this package. */
  public interface Db {
    /** The Vigil database URL. */
    String url();
  }

  /** Three scratch databases. */
  public static final class Dbs implements AutoCloseable {
    private final TestDatabases.Db sqlite;
    private final TestDatabases.Db postgres;
    private final TestDatabases.Db mariadb;

    Dbs(TestDatabases.Db sqlite, TestDatabases.Db postgres, TestDatabases.Db mariadb) {
      this.sqlite = sqlite;
      this.postgres = postgres;
      this.mariadb = mariadb;
    }

    TestDatabases.Db[] all() {
      return new TestDatabases.Db[] {sqlite, postgres, mariadb};
    }

    /** The SQLite database. */
    public Db sqlite() {
      return sqlite::url;
    }

    /** The PostgreSQL database. */
    public Db postgres() {
      return postgres::url;
    }

    /** The MariaDB database. */
    public Db mariadb() {
      return mariadb::url;
    }

    /** Content hashes of each database. */
    public Map<String, SortedMap<String, String>> hashes() throws Exception {
      Map<String, SortedMap<String, String>> out = new LinkedHashMap<>();
      for (TestDatabases.Db db : all()) {
        out.put(db.url(), TestDatabases.contentHashes(db));
      }
      return out;
    }

    /** Deletes rows in every database. */
    public void damageAll() throws SQLException {
      for (TestDatabases.Db db : all()) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
          s.executeUpdate("DELETE FROM items WHERE id > 3");
        }
      }
    }

    @Override
    public void close() {
      postgres.close();
      mariadb.close();
    }
  }
}
