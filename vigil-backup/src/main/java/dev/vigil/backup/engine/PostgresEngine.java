package dev.vigil.backup.engine;

import dev.vigil.backup.BackupException;
import dev.vigil.backup.jobs.JobSettings;
import dev.vigil.backup.compress.Compression;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL through {@code pg_dump} (custom archive by default, plain SQL on request) and
 * {@code pg_restore}/{@code psql}. A custom archive with gzip is compressed by {@code pg_dump} itself
 * ({@code -Z6}); with zstd or none it is dumped with {@code -Z0} and Vigil compresses the stream. The dump runs inside a snapshot exported from a REPEATABLE READ
 * transaction that this engine keeps open, and the row counts are taken in that same transaction, so
 * the manifest's counts describe exactly the dumped data. The password reaches the tools through a
 * 0600 passfile ({@code PGPASSFILE}), never through argv.
 */
public final class PostgresEngine implements DumpEngine {
  private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);
  private static final String TABLES = "SELECT n.nspname, c.relname FROM pg_class c "
      + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
      + "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
      + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
      + "AND d.objid = c.oid AND d.deptype = 'e') ORDER BY 1, 2";

  private final DatabaseUrl url;
  private final Tools tools;
  private final DumpFormat format;
  private final Redactor redactor;
  private final Path credentialsDir;
  private final DatabaseUrl verifyUrl;
  private final Clock clock;
  private final JobSettings jobs;

  PostgresEngine(DatabaseUrl url, Tools tools, DumpFormat format, Path credentialsDir, DatabaseUrl verifyUrl,
      Clock clock, JobSettings jobs) {
    if (format != DumpFormat.CUSTOM && format != DumpFormat.PLAIN) {
      throw new IllegalArgumentException("PostgreSQL backups are custom or plain, not " + format.id());
    }
    this.url = url;
    this.tools = tools;
    this.format = format;
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
    return format;
  }

  @Override
  public boolean compressesItself(Compression compression) {
    return format == DumpFormat.CUSTOM && compression == Compression.GZIP;
  }

  @Override
  public Preflight preflight() {
    Path pgDump = tools.dumpTool(EngineKind.POSTGRESQL);
    String toolOut = ChildProcess.output(List.of(pgDump.toString(), "--version"), redactor).strip();
    int toolMajor = major(toolOut);
    String serverVersion;
    int serverNum;
    long dataBytes;
    try (Connection c = connect(url, url.database())) {
      serverVersion = Sql.one(c, "SHOW server_version").split(" ")[0];
      serverNum = Integer.parseInt(Sql.one(c, "SHOW server_version_num"));
      dataBytes = Long.parseLong(Sql.one(c, "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
          + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','m') "
          + "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'"));
    } catch (SQLException e) {
      throw connectFailure(url.database(), e);
    }
    int serverMajor = serverNum >= 100000 ? serverNum / 10000 : serverNum / 100;
    if (toolMajor < serverMajor) {
      throw new BackupException("pg_dump " + versionOf(toolOut) + " (" + pgDump + ") is older than the PostgreSQL "
          + serverVersion + " server of " + url + "; it cannot dump it. Install postgresql-client-"
          + (serverNum >= 100000 ? serverMajor : serverVersion) + " or point the tools directory at a newer pg_dump");
    }
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("pg_dump", versionOf(toolOut));
    versions.put("server", serverVersion);
    return new Preflight(versions, dataBytes);
  }

  @Override
  public boolean exists() {
    try (Connection c = maintenance(url); PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, url.database());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new BackupException("cannot check whether database " + url.database() + " exists on " + url.host() + ":"
          + url.port() + ": " + redactor.redact(e.getMessage()), e);
    }
  }

  @Override
  public DumpResult dump(DumpSink sink) {
    Path pgDump = tools.dumpTool(EngineKind.POSTGRESQL);
    try (Connection c = connect(url, url.database())) {
      checkReadable(c);
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      String snapshot = Sql.one(c, "SELECT pg_export_snapshot()");
      try (Statement s = c.createStatement()) {
        // counting runs beside the dump: one core for it, so pg_dump's own COPY is not starved
        s.execute("SET LOCAL max_parallel_workers_per_gather = 0");
      }
      FutureTask<SortedMap<String, Long>> counting = new FutureTask<>(() -> Sql.count(c, tables(c)));
      Thread counter = new Thread(counting, "vigil-backup-rowcount");
      counter.setDaemon(true);
      counter.start();
      List<String> argv = new ArrayList<>(List.of(pgDump.toString(), "--no-password", "--dbname=" + conninfo(url, url.database()),
          "--snapshot=" + snapshot));
      if (format == DumpFormat.CUSTOM) {
        argv.addAll(List.of("--format=custom",
            sink.internalCompression() == Compression.GZIP
                ? "--compress=" + jobs.compressionLevel(Compression.GZIP) : "--compress=0"));
      } else {
        argv.addAll(List.of("--format=plain", "--clean", "--if-exists"));
      }
      BackupException failure = null;
      try (CredentialFile pass = passfile(url); ChildProcess p = ChildProcess.start(argv, env(pass),
          ChildProcess.Io.READ_STDOUT, redactor, jobs.priority())) {
        p.drainTo(sink.out(), "dumping " + url);
      } catch (BackupException e) {
        failure = e;
      }
      SortedMap<String, Long> counts;
      try {
        counts = counting.get();
      } catch (ExecutionException e) {
        BackupException b = new BackupException("counting rows of " + url + " failed: "
            + redactor.redact(String.valueOf(e.getCause().getMessage())), e.getCause());
        if (failure != null) {
          failure.addSuppressed(b);
          throw failure;
        }
        throw b;
      }
      if (failure != null) {
        throw failure;
      }
      c.commit();
      return DumpResult.of(counts, false);
    } catch (SQLException e) {
      throw connectFailure(url.database(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackupException("dump of " + url + " was interrupted", e);
    }
  }

  /**
   * Fails naming the first table the backup user may not read: otherwise the row count fails in the
   * exporting transaction and pg_dump reports only that it "could not import the requested snapshot".
   */
  private void checkReadable(Connection c) throws SQLException {
    List<String> denied = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT quote_ident(n.nspname) || '.' || "
        + "quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
        + "AND NOT has_table_privilege(c.oid, 'SELECT') ORDER BY 1")) {
      while (rs.next()) {
        denied.add(rs.getString(1));
      }
    }
    if (!denied.isEmpty()) {
      String user = url.user() == null ? System.getProperty("user.name") : url.user();
      throw new BackupException("permission denied for table " + denied.get(0)
          + (denied.size() > 1 ? " (and " + (denied.size() - 1) + " more: " + String.join(", ", denied.subList(1,
              Math.min(denied.size(), 6))) + (denied.size() > 6 ? ", …" : "") + ")" : "")
          + ": user " + user + " cannot read it, so " + url + " cannot be backed up (GRANT SELECT ON "
          + denied.get(0) + " TO " + Sql.quote(user) + ", or back up as a user who can read every table)");
    }
  }

  @Override
  public void restore(InputStream raw, DumpFormat fileFormat) {
    if (!exists()) {
      admin(url, "CREATE DATABASE " + Sql.quote(url.database()));
    }
    List<String> argv = fileFormat == DumpFormat.CUSTOM
        ? List.of(tools.restoreTool(EngineKind.POSTGRESQL, "pg_restore").toString(), "--no-password",
            "--dbname=" + conninfo(url, url.database()), "--clean", "--if-exists", "--single-transaction", "--exit-on-error")
        : psql(url, url.database());
    try (CredentialFile pass = passfile(url);
        ChildProcess p = ChildProcess.start(argv, env(pass), ChildProcess.Io.WRITE_STDIN, redactor)) {
      p.fillFrom(raw, "restoring into " + url);
    }
  }

  @Override
  public SortedMap<String, Long> testRestore(InputStream raw, DumpFormat fileFormat, Path workDir) {
    DatabaseUrl server = verifyUrl != null ? verifyUrl : url;
    dropOrphanScratchDatabases(server);
    String scratch = ScratchNames.fresh(clock);
    createScratch(server, scratch);
    try {
      List<String> argv = fileFormat == DumpFormat.CUSTOM
          ? List.of(tools.restoreTool(EngineKind.POSTGRESQL, "pg_restore").toString(), "--no-password",
              "--dbname=" + conninfo(server, scratch), "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error")
          : psql(server, scratch);
      try (CredentialFile pass = passfile(server);
          ChildProcess p = ChildProcess.start(argv, scratchEnv(pass), ChildProcess.Io.WRITE_STDIN, redactor,
              jobs.priority())) {
        p.fillFrom(raw, "test-restoring into scratch database " + scratch + " on " + server.host() + ":"
            + server.port());
      }
      try (Connection c = connect(server, scratch)) {
        return Sql.count(c, tables(c));
      } catch (SQLException e) {
        throw new BackupException("PostgreSQL scratch database " + scratch + " at " + server.host() + ":"
            + server.port() + ": " + redactor.redact(e.getMessage()), e);
      }
    } finally {
      admin(server, "DROP DATABASE IF EXISTS " + Sql.quote(scratch) + " WITH (FORCE)");
    }
  }

  /** Creates the scratch database, naming the missing CREATEDB privilege when that is why it fails. */
  private void createScratch(DatabaseUrl server, String scratch) {
    try (Connection c = maintenance(server); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + Sql.quote(scratch));
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        String user = server.user() == null ? System.getProperty("user.name") : server.user();
        throw new BackupException("test restore needs the CREATEDB privilege: user " + user + " may not create the "
            + "scratch database " + scratch + " on PostgreSQL " + server.host() + ":" + server.port() + " (grant it "
            + "with ALTER ROLE " + Sql.quote(user) + " CREATEDB, or set backup.verify.url to a scratch server where "
            + "it may)", e);
      }
      throw new BackupException("on PostgreSQL " + server.host() + ":" + server.port() + ", creating scratch database "
          + scratch + " failed: " + redactor.redact(e.getMessage()), e);
    }
  }

  /**
   * Drops the scratch databases of test restores that were interrupted (a server stopped or Vigil was
   * killed mid verification): those older than {@link ScratchNames#ORPHAN_AGE} with no session.
   */
  private void dropOrphanScratchDatabases(DatabaseUrl server) {
    List<String> orphans = new ArrayList<>();
    try (Connection c = maintenance(server); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT d.datname FROM pg_database d WHERE d.datname LIKE 'vigil\\_verify\\_%' "
            + "AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)")) {
      while (rs.next()) {
        if (ScratchNames.isOrphan(rs.getString(1), clock)) {
          orphans.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new BackupException("on PostgreSQL " + server.host() + ":" + server.port()
          + ", listing leftover scratch databases failed: " + redactor.redact(e.getMessage()), e);
    }
    for (String orphan : orphans) {
      admin(server, "DROP DATABASE IF EXISTS " + Sql.quote(orphan) + " WITH (FORCE)");
      LOG.info("dropped leftover scratch database {} of an interrupted test restore on {}:{}", orphan, server.host(),
          server.port());
    }
  }

  private List<String> psql(DatabaseUrl server, String database) {
    return List.of(tools.restoreTool(EngineKind.POSTGRESQL, "psql").toString(), "--no-password", "--no-psqlrc", "--quiet",
        "--dbname=" + conninfo(server, database), "--single-transaction", "--set=ON_ERROR_STOP=1", "--file=-");
  }

  private static List<String[]> tables(Connection c) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(TABLES)) {
      while (rs.next()) {
        String schema = rs.getString(1);
        String table = rs.getString(2);
        out.add(new String[] {schema + "." + table, "ONLY " + Sql.quote(schema) + "." + Sql.quote(table)});
      }
    }
    return out;
  }

  private void admin(DatabaseUrl server, String sql) {
    try (Connection c = maintenance(server); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new BackupException("on PostgreSQL " + server.host() + ":" + server.port() + ", " + sql + " failed: "
          + redactor.redact(e.getMessage()), e);
    }
  }

  /** A connection for CREATE/DROP DATABASE: to {@code postgres}, else to the URL's database. */
  private Connection maintenance(DatabaseUrl server) throws SQLException {
    try {
      return connect(server, "postgres");
    } catch (SQLException e) {
      try {
        return connect(server, server.database());
      } catch (SQLException second) {
        e.addSuppressed(second);
        throw e;
      }
    }
  }

  private Connection connect(DatabaseUrl server, String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", server.user() == null ? System.getProperty("user.name") : server.user());
    if (server.password() != null) {
      props.setProperty("password", server.password());
    }
    props.setProperty("connectTimeout", "10");
    props.setProperty("ApplicationName", "vigil-backup");
    server.params().forEach(props::setProperty);
    String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + server.port() + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8), props);
  }

  private BackupException connectFailure(String database, SQLException e) {
    return new BackupException("PostgreSQL database " + database + " at " + url.host() + ":" + url.port() + ": "
        + redactor.redact(e.getMessage()), e);
  }

  /** A libpq connection string without the password. */
  private static String conninfo(DatabaseUrl server, String database) {
    StringBuilder sb = new StringBuilder();
    sb.append("host=").append(lq(server.host())).append(" port=").append(server.port()).append(" dbname=")
        .append(lq(database)).append(" application_name=vigil-backup connect_timeout=10");
    if (server.user() != null) {
      sb.append(" user=").append(lq(server.user()));
    }
    server.params().forEach((k, v) -> sb.append(' ').append(k).append('=').append(lq(v)));
    return sb.toString();
  }

  private static String lq(String v) {
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private CredentialFile passfile(DatabaseUrl server) {
    if (server.password() == null) {
      return null;
    }
    String line = "*:*:*:*:" + server.password().replace("\\", "\\\\").replace(":", "\\:") + "\n";
    return CredentialFile.create(credentialsDir, "pgpass", line);
  }

  private static Map<String, String> env(CredentialFile pass) {
    Map<String, String> env = new HashMap<>();
    env.put("PGPASSWORD", null);
    env.put("PGOPTIONS", null);
    if (pass != null) {
      env.put("PGPASSFILE", pass.path().toString());
    }
    return env;
  }

  /**
   * The environment of a test restore: the scratch database is dropped right after, so its commit
   * need not wait for the disk, and its index builds may use more memory.
   */
  private static Map<String, String> scratchEnv(CredentialFile pass) {
    Map<String, String> env = env(pass);
    env.put("PGOPTIONS", "-c synchronous_commit=off -c maintenance_work_mem=256MB");
    return env;
  }

  static int major(String versionOutput) {
    Matcher m = VERSION.matcher(versionOutput);
    if (!m.find()) {
      throw new BackupException("cannot read the version from: " + versionOutput);
    }
    int major = Integer.parseInt(m.group(1));
    if (major < 10 && m.group(2) != null) {
      return major * 100 + Integer.parseInt(m.group(2));
    }
    return major;
  }

  private static String versionOf(String versionOutput) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)*)").matcher(versionOutput);
    return m.find() ? m.group(1) : versionOutput;
  }
}
