package dev.vigil.backup.engine;

import dev.vigil.backup.BackupException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB through {@code mariadb-dump} (or {@code mysqldump}) with
 * {@code --single-transaction --quick --routines --triggers --events}, restored with the
 * {@code mariadb}/{@code mysql} client. Credentials reach the tools in a 0600
 * {@code --defaults-extra-file}. Row counts are read from the dump stream itself
 * ({@link MysqlRowCounter}), so they come from the dump's own snapshot. MySQL commits DDL
 * implicitly, so a restore cannot be one transaction: each table's rows load in one transaction
 * ({@code --no-autocommit} dumps) and the caller keeps a safety backup to fall back on.
 */
public final class MysqlEngine implements DumpEngine {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final DatabaseUrl url;
  private final Tools tools;
  private final Redactor redactor;
  private final Path credentialsDir;
  private final DatabaseUrl verifyUrl;

  MysqlEngine(DatabaseUrl url, Tools tools, Path credentialsDir, DatabaseUrl verifyUrl) {
    this.url = url;
    this.tools = tools;
    this.redactor = Redactor.of(url).and(verifyUrl);
    this.credentialsDir = credentialsDir;
    this.verifyUrl = verifyUrl;
  }

  @Override
  public DatabaseUrl url() {
    return url;
  }

  @Override
  public DumpFormat format() {
    return DumpFormat.PLAIN;
  }

  @Override
  public Preflight preflight() {
    Path dump = dumpTool();
    String out = ChildProcess.output(List.of(dump.toString(), "--version"), redactor).strip();
    String server;
    long dataBytes;
    try (Connection c = connect(url.database()); PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables WHERE table_schema = ?")) {
      server = Sql.one(c, "SELECT VERSION()");
      ps.setString(1, url.database());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        dataBytes = rs.getLong(1);
      }
    } catch (SQLException e) {
      throw connectFailure(url.database(), e);
    }
    Map<String, String> versions = new LinkedHashMap<>();
    Matcher m = Pattern.compile("Distrib ([^,\\s]+)").matcher(out);
    versions.put(dump.getFileName().toString(), m.find() ? m.group(1) : out);
    versions.put("server", server);
    return new Preflight(versions, dataBytes);
  }

  @Override
  public boolean exists() {
    try (Connection c = connect(null); PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      ps.setString(1, url.database());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw connectFailure("(server)", e);
    }
  }

  @Override
  public DumpResult dump(DumpSink sink) {
    List<String> argv;
    MysqlRowCounter counter = new MysqlRowCounter(sink.out());
    try (CredentialFile options = optionFile()) {
      argv = List.of(dumpTool().toString(), "--defaults-extra-file=" + options.path(), "--single-transaction", "--quick",
          "--routines", "--triggers", "--events", "--hex-blob", "--no-autocommit", "--default-character-set=utf8mb4",
          url.database());
      try (ChildProcess p = ChildProcess.start(argv, noPasswordEnv(), ChildProcess.Io.READ_STDOUT,
          redactor)) {
        p.drainTo(counter, "dumping " + url);
      }
    }
    return DumpResult.of(counter.counts(), false);
  }

  @Override
  public void restore(InputStream raw, DumpFormat format) {
    admin("CREATE DATABASE IF NOT EXISTS " + Sql.backtick(url.database()) + " CHARACTER SET utf8mb4");
    load(raw, url.database(), "restoring into " + url);
  }

  @Override
  public SortedMap<String, Long> testRestore(InputStream raw, DumpFormat format, Path workDir) {
    byte[] b = new byte[5];
    RANDOM.nextBytes(b);
    String scratch = "vigil_verify_" + HexFormat.of().formatHex(b);
    admin("CREATE DATABASE " + Sql.backtick(scratch) + " CHARACTER SET utf8mb4");
    try {
      load(raw, scratch, "test-restoring into scratch database " + scratch);
      try (Connection c = connect(scratch)) {
        List<String[]> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables "
            + "WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
          ps.setString(1, scratch);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              tables.add(new String[] {rs.getString(1), Sql.backtick(rs.getString(1))});
            }
          }
        }
        return Sql.count(c, tables);
      } catch (SQLException e) {
        throw connectFailure(scratch, e);
      }
    } finally {
      admin("DROP DATABASE IF EXISTS " + Sql.backtick(scratch));
    }
  }

  private void load(InputStream raw, String database, String action) {
    try (CredentialFile options = optionFile()) {
      List<String> argv = List.of(tools.restoreTool(EngineKind.MYSQL, "mariadb", "mysql").toString(),
          "--defaults-extra-file=" + options.path(), "--default-character-set=utf8mb4", "--binary-mode", database);
      try (ChildProcess p = ChildProcess.start(argv, noPasswordEnv(), ChildProcess.Io.WRITE_STDIN,
          redactor)) {
        p.fillFrom(raw, action);
      }
    }
  }

  private static Map<String, String> noPasswordEnv() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("MYSQL_PWD", null);
    return env;
  }

  private Path dumpTool() {
    return tools.dumpTool(EngineKind.MYSQL);
  }

  private void admin(String sql) {
    try (Connection c = connect(null); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new BackupException("on MySQL " + url.host() + ":" + url.port() + ", " + sql + " failed: "
          + redactor.redact(e.getMessage()), e);
    }
  }

  private Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", url.user() == null ? "root" : url.user());
    if (url.password() != null) {
      props.setProperty("password", url.password());
    }
    props.setProperty("connectTimeout", "10000");
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    String db = database == null ? "" : URLEncoder.encode(database, StandardCharsets.UTF_8);
    return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + url.port() + "/" + db, props);
  }

  private BackupException connectFailure(String database, SQLException e) {
    return new BackupException("MySQL database " + database + " at " + url.host() + ":" + url.port() + ": "
        + redactor.redact(e.getMessage()), e);
  }

  private CredentialFile optionFile() {
    StringBuilder sb = new StringBuilder("[client]\n");
    sb.append("user=").append(optionValue(url.user() == null ? "root" : url.user())).append('\n');
    if (url.password() != null) {
      sb.append("password=").append(optionValue(url.password())).append('\n');
    }
    sb.append("host=").append(optionValue(url.host())).append('\n');
    sb.append("port=").append(url.port()).append('\n');
    sb.append("protocol=TCP\n");
    return CredentialFile.create(credentialsDir, "my.cnf", sb.toString());
  }

  private static String optionValue(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
