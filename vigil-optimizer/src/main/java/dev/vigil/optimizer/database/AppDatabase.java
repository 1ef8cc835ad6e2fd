package dev.vigil.optimizer.database;

import dev.vigil.backup.engine.DatabaseUrl;
import dev.vigil.backup.engine.EngineKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The application database the database tunings change: a data source for its URL and the one way
 * statements are run on it (autocommit, since concurrent index builds and VACUUM cannot run inside a
 * transaction block; the statement in every error).
 */
final class AppDatabase {
  private AppDatabase() {
  }

  /** A data source for {@code url} (no statement timeout: index builds and VACUUM take as long as they take). */
  static DataSource of(DatabaseUrl url) {
    return switch (url.engine()) {
      case POSTGRESQL -> {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {url.host()});
        ds.setPortNumbers(new int[] {url.port()});
        ds.setDatabaseName(url.database());
        if (url.user() != null) {
          ds.setUser(url.user());
        }
        if (url.password() != null) {
          ds.setPassword(url.password());
        }
        ds.setApplicationName("vigil-optimizer");
        url.params().forEach((k, v) -> {
          try {
            ds.setProperty(k, v);
          } catch (SQLException e) {
            throw new IllegalArgumentException("database url " + url.redacted() + ": unsupported parameter " + k
                + ": " + e.getMessage(), e);
          }
        });
        yield ds;
      }
      case MYSQL -> {
        MariaDbDataSource ds = new MariaDbDataSource();
        try {
          ds.setUrl("jdbc:mariadb://" + url.host() + ":" + url.port() + "/" + url.database());
          if (url.user() != null) {
            ds.setUser(url.user());
          }
          if (url.password() != null) {
            ds.setPassword(url.password());
          }
        } catch (SQLException e) {
          throw new IllegalArgumentException("database url " + url.redacted() + ": " + e.getMessage(), e);
        }
        yield ds;
      }
      case SQLITE -> {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + url.sqlitePath());
        yield ds;
      }
    };
  }

  /** The dialect of IndexTuning for an engine. */
  static IndexTuning.Dialect dialect(EngineKind engine) {
    return switch (engine) {
      case POSTGRESQL -> IndexTuning.Dialect.POSTGRESQL;
      case MYSQL -> IndexTuning.Dialect.MYSQL;
      case SQLITE -> IndexTuning.Dialect.SQLITE;
    };
  }

  /**
   * Runs one statement in autocommit mode.
   *
   * @throws SQLException with the statement in its message
   */
  static void execute(DataSource database, String sql) throws SQLException {
    try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(true); // CONCURRENTLY and VACUUM cannot run inside a transaction block
      s.execute(sql);
    } catch (SQLException e) {
      throw new SQLException(sql + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }
}
