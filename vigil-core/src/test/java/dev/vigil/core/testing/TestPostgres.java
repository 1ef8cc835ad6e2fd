package dev.vigil.core.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away PostgreSQL database for one test: created on the local server, dropped on close.
 */
public final class TestPostgres implements AutoCloseable {
  private final String name;

  private TestPostgres(String name) {
    this.name = name;
  }

  /** Creates a database named {@code vigil_test_<prefix>_<random>}; requires PostgreSQL. */
  public static TestPostgres create(String prefix) {
    LocalServices.requirePostgres();
    String name = ("vigil_test_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    admin("CREATE DATABASE " + name);
    return new TestPostgres(name);
  }

  /** The database name. */
  public String name() {
    return name;
  }

  /** {@code postgresql://postgres@127.0.0.1:5432/<name>}. */
  public String url() {
    return "postgresql://postgres@" + LocalServices.POSTGRES_HOST + ":" + LocalServices.POSTGRES_PORT + "/" + name;
  }

  /** The JDBC URL of the database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + LocalServices.POSTGRES_HOST + ":" + LocalServices.POSTGRES_PORT + "/" + name;
  }

  /** Opens a JDBC connection as {@code postgres}. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "postgres", "");
  }

  /** Drops the database, ending its sessions first. */
  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void admin(String sql) {
    String url = "jdbc:postgresql://" + LocalServices.POSTGRES_HOST + ":" + LocalServices.POSTGRES_PORT + "/postgres";
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL admin statement failed: " + sql + ": " + e.getMessage(), e);
    }
  }
}
