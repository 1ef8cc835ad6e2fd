package dev.vigil.backup.engine;

import dev.vigil.backup.BackupException;
import dev.vigil.backup.jobs.JobPriority;
import dev.vigil.backup.jobs.JobSettings;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(MysqlEngine.class);
  private final DatabaseUrl url;
  private final Tools tools;
  private final Redactor redactor;
  private final Path credentialsDir;
  private final DatabaseUrl verifyUrl;
  private final Clock clock;
  private final JobSettings jobs;

  MysqlEngine(DatabaseUrl url, Tools tools, Path credentialsDir, DatabaseUrl verifyUrl, Clock clock, JobSettings jobs) {
    this.url = url;
    this.tools = tools;
    this.redactor = Redactor.of(url).and(verifyUrl);
    this.credentialsDir = credentialsDir;
    this.verifyUrl = verifyUrl;
    this.clock = clock;
    this.jobs = jobs;
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
    try (Connection c = connect(url, url.database()); PreparedStatement ps = c.prepareStatement(
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
    try (Connection c = connect(url, null); PreparedStatement ps = c.prepareStatement(
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
    try (CredentialFile options = optionFile(url)) {
      argv = List.of(dumpTool().toString(), "--defaults-extra-file=" + options.path(), "--single-transaction", "--quick",
          "--routines", "--triggers", "--events", "--hex-blob", "--no-autocommit", "--default-character-set=utf8mb4",
          url.database());
      try (ChildProcess p = ChildProcess.start(argv, noPasswordEnv(), ChildProcess.Io.READ_STDOUT,
          redactor, jobs.priority())) {
        p.drainTo(counter, "dumping " + url);
      }
    }
    return DumpResult.of(counter.counts(), false);
  }

  @Override
  public void restore(InputStream raw, DumpFormat format) {
    admin(url, "CREATE DATABASE IF NOT EXISTS " + Sql.backtick(url.database()) + " CHARACTER SET utf8mb4");
    load(url, raw, url.database(), "restoring into " + url, JobPriority.NORMAL);
  }

  @Override
  public SortedMap<String, Long> testRestore(InputStream raw, DumpFormat format, Path workDir) {
    DatabaseUrl server = verifyUrl != null ? verifyUrl : url;
    dropOrphanScratchDatabases(server);
    String scratch = ScratchNames.fresh(clock);
    try (Connection c = connect(server, null); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + Sql.backtick(scratch) + " CHARACTER SET utf8mb4");
    } catch (SQLException e) {
      String user = server.user() == null ? "root" : server.user();
      if (e.getErrorCode() == 1044 || e.getErrorCode() == 1227) {
        throw new BackupException("test restore needs the CREATE privilege on new databases: user " + user
            + " may not create the scratch database " + scratch + " on MySQL " + server.host() + ":" + server.port()
            + " (GRANT ALL ON `vigil\\_verify\\_%`.* TO the user, or set backup.verify.url to a scratch server where "
            + "it may)", e);
      }
      throw new BackupException("on MySQL " + server.host() + ":" + server.port() + ", creating scratch database "
          + scratch + " failed: " + redactor.redact(e.getMessage()), e);
    }
    try {
      load(server, raw, scratch, "test-restoring into scratch database " + scratch, jobs.priority());
      try (Connection c = connect(server, scratch)) {
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
        throw new BackupException("MySQL scratch database " + scratch + " at " + server.host() + ":" + server.port()
            + ": " + redactor.redact(e.getMessage()), e);
      }
    } finally {
      admin(server, "DROP DATABASE IF EXISTS " + Sql.backtick(scratch));
    }
  }

  /** Drops scratch databases of interrupted test restores: older than {@link ScratchNames#ORPHAN_AGE}, unused. */
  private void dropOrphanScratchDatabases(DatabaseUrl server) {
    List<String> orphans = new ArrayList<>();
    try (Connection c = connect(server, null); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT schema_name FROM information_schema.schemata "
            + "WHERE schema_name LIKE 'vigil\\_verify\\_%' AND schema_name NOT IN "
            + "(SELECT db FROM information_schema.processlist WHERE db IS NOT NULL)")) {
      while (rs.next()) {
        if (ScratchNames.isOrphan(rs.getString(1), clock)) {
          orphans.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new BackupException("on MySQL " + server.host() + ":" + server.port()
          + ", listing leftover scratch databases failed: " + redactor.redact(e.getMessage()), e);
    }
    for (String orphan : orphans) {
      admin(server, "DROP DATABASE IF EXISTS " + Sql.backtick(orphan));
      LOG.info("dropped leftover scratch database {} of an interrupted test restore on {}:{}", orphan, server.host(),
          server.port());
    }
  }

  private void load(DatabaseUrl server, InputStream raw, String database, String action, JobPriority priority) {
    try (CredentialFile options = optionFile(server)) {
      List<String> argv = List.of(tools.restoreTool(EngineKind.MYSQL, "mariadb", "mysql").toString(),
          "--defaults-extra-file=" + options.path(), "--default-character-set=utf8mb4", "--binary-mode", database);
      try (ChildProcess p = ChildProcess.start(argv, noPasswordEnv(), ChildProcess.Io.WRITE_STDIN,
          redactor, priority)) {
        p.fillFrom(raw, action);
      }
    }
  }

  private static Map<String, String> noPasswordEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("MYSQL_PWD", null);
    return env;
  }

  private Path dumpTool() {
    return tools.dumpTool(EngineKind.MYSQL);
  }

  private void admin(DatabaseUrl server, String sql) {
    try (Connection c = connect(server, null); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new BackupException("on MySQL " + server.host() + ":" + server.port() + ", " + sql + " failed: "
          + redactor.redact(e.getMessage()), e);
    }
  }

  private Connection connect(DatabaseUrl server, String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", server.user() == null ? "root" : server.user());
    if (server.password() != null) {
      props.setProperty("password", server.password());
    }
    props.setProperty("connectTimeout", "10000");
    String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
    String db = database == null ? "" : URLEncoder.encode(database, StandardCharsets.UTF_8);
    return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + server.port() + "/" + db, props);
  }

  private BackupException connectFailure(String database, SQLException e) {
    return new BackupException("MySQL database " + database + " at " + url.host() + ":" + url.port() + ": "
        + redactor.redact(e.getMessage()), e);
  }

  private CredentialFile optionFile(DatabaseUrl server) {
    StringBuilder sb = new StringBuilder("[client]\n");
    sb.append("user=").append(optionValue(server.user() == null ? "root" : server.user())).append('\n');
    if (server.password() != null) {
      sb.append("password=").append(optionValue(server.password())).append('\n');
    }
    sb.append("host=").append(optionValue(server.host())).append('\n');
    sb.append("port=").append(server.port()).append('\n');
    sb.append("protocol=TCP\n");
    return CredentialFile.create(credentialsDir, "my.cnf", sb.toString());
  }

  private static String optionValue(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
