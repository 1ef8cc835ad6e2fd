package dev.vigil.backup;

import dev.vigil.core.testing.LocalServices;
import dev.vigil.core.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Throw-away databases of each engine for tests, filled with awkward content (bytea/blob with zero
 * bytes and quotes, Arabic text, nulls, big rows), and per-table content hashes to compare a
 * database before and after a backup round trip.
 */
final class TestDatabases {
  static final String ARABIC = "مرحبا بالعالم — نسخة احتياطية";

  private TestDatabases() {
  }

  /** A scratch database of some engine; dropped on close. */
  interface Db extends AutoCloseable {
    /** The Vigil database URL. */
    String url();

    /** A JDBC connection. */
    Connection connect() throws SQLException;

    /** Drops the database. */
    @Override
    void close();
  }

  static Db postgres(String prefix) {
    TestPostgres pg = TestPostgres.create(prefix);
    return new Db() {
      @Override
      public String url() {
        return pg.url();
      }

      @Override
      public Connection connect() throws SQLException {
        return pg.connect();
      }

      @Override
      public void close() {
        pg.close();
      }

      @Override
      public String toString() {
        return pg.name();
      }
    };
  }

  static Db mariadb(String prefix) {
    LocalServices.requireMariaDb();
    String name = "vigil_test_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    mariaAdmin("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
    return new Db() {
      @Override
      public String url() {
        return "mysql://root@127.0.0.1:3306/" + name;
      }

      @Override
      public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + name, "root", "");
      }

      @Override
      public void close() {
        mariaAdmin("DROP DATABASE IF EXISTS `" + name + "`");
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  static Db sqlite(Path dir) {
    Path file = dir.resolve("app-" + UUID.randomUUID().toString().substring(0, 8) + ".db");
    return new Db() {
      @Override
      public String url() {
        return "sqlite:///" + file.toAbsolutePath().toString().substring(1);
      }

      @Override
      public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
      }

      @Override
      public void close() {
        // the file lives in the test's temp dir
      }

      @Override
      public String toString() {
        return file.toString();
      }
    };
  }

  static void mariaAdmin(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("MariaDB admin statement failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** Creates {@code items} (awkward values) and {@code big} (large rows) and fills them. */
  static void fill(Db db, int rows, int bigRows, int bigBytes) throws SQLException {
    boolean mysql = db.url().startsWith("mysql");
    boolean sqlite = db.url().startsWith("sqlite");
    String blob = mysql ? "LONGBLOB" : sqlite ? "BLOB" : "BYTEA";
    String suffix = mysql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : "";
    Random random = new Random(42);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, data " + blob + ", note TEXT, price DECIMAL(12,2))"
          + suffix);
      s.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, payload " + blob + ")" + suffix);
      s.execute("CREATE TABLE empty_one (id INTEGER PRIMARY KEY)" + suffix);
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= rows; i++) {
          ps.setInt(1, i);
          ps.setString(2, i % 11 == 0 ? null : ARABIC + " " + i + " 'quote' \"dq\" \\ back (paren) ;");
          if (i % 7 == 0) {
            ps.setNull(3, java.sql.Types.BINARY);
          } else {
            byte[] b = new byte[random.nextInt(600)];
            random.nextBytes(b);
            if (b.length > 3) {
              b[0] = 0;
              b[1] = '\'';
              b[2] = '(';
            }
            ps.setBytes(3, b);
          }
          ps.setString(4, i % 5 == 0 ? null : "line1\nline2\ttab " + i);
          ps.setBigDecimal(5, java.math.BigDecimal.valueOf(i * 1234L, 2));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO big VALUES (?, ?)")) {
        for (int i = 1; i <= bigRows; i++) {
          byte[] b = new byte[bigBytes];
          random.nextBytes(b);
          ps.setInt(1, i);
          ps.setBytes(2, b);
          ps.executeUpdate();
        }
      }
      c.commit();
    }
  }

  /** SHA-256 of every user table's rows (ordered by the first column), keyed by table name. */
  static SortedMap<String, String> contentHashes(Db db) throws Exception {
    SortedMap<String, String> out = new TreeMap<>();
    try (Connection c = db.connect()) {
      DatabaseMetaData md = c.getMetaData();
      String schema = db.url().startsWith("postgresql") ? "public" : null;
      String catalog = db.url().startsWith("mysql") ? c.getCatalog() : null;
      try (ResultSet rs = md.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String t = rs.getString("TABLE_NAME");
          if (!t.startsWith("sqlite_")) {
            out.put(t, hashTable(c, t));
          }
        }
      }
    }
    return out;
  }

  private static String hashTable(Connection c, String table) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
      ResultSetMetaData md = rs.getMetaData();
      long rows = 0;
      while (rs.next()) {
        rows++;
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object o = rs.getObject(i);
          byte[] v = o instanceof byte[] b ? b : String.valueOf(o).getBytes(StandardCharsets.UTF_8);
          if (o == null) {
            sha.update((byte) 0xFF);
          } else {
            sha.update(String.valueOf(v.length).getBytes(StandardCharsets.US_ASCII));
            sha.update(v);
          }
        }
      }
      return rows + ":" + HexFormat.of().formatHex(sha.digest());
    }
  }
}
