package dev.vigil.bench.backup;

import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.compress.Compression;
import dev.vigil.backup.verify.VerificationResult;
import dev.vigil.bench.BenchLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The {@code backup} suite: Vigil's backups side by side with what a user would run otherwise, on
 * databases this program creates and drops itself.
 *
 * <ul>
 *   <li>{@code backup.pg_zstd}: Vigil with zstd vs {@code pg_dump -Fp | gzip -6} on a pgbench database
 *       (wall time; both file sizes on the line);
 *   <li>{@code backup.pg_custom}: Vigil's default (custom archive, gzip in the JVM) vs {@code pg_dump -Fc};
 *   <li>{@code backup.verify}: Vigil's verification (checksum + test restore + row counts) vs the backup's
 *       own time;
 *   <li>{@code backup.sqlite}: Vigil (online backup API, uncompressed) vs {@code sqlite3 db ".backup"}.
 * </ul>
 *
 * <p>Usage: {@code BackupBench <work dir> [pgbench scale] [sqlite MB] [rounds]}. Each timing is the best of
 * {@code rounds} runs (default 3), alternating Vigil and baseline so both see the same cache state; the
 * first round of each case warms the caches (and the JVM) and is not counted when there are more.
 */
public final class BackupBench {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/postgres";

  private BackupBench() {
  }

  /** Runs the suite. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")).resolve(
        "vigil-bench-backup-" + UUID.randomUUID().toString().substring(0, 8));
    int scale = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int sqliteMb = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Files.createDirectories(work);
    String db = "vigil_bench_" + UUID.randomUUID().toString().substring(0, 8);
    try {
      admin("CREATE DATABASE " + db);
      System.err.println("pgbench -i -s " + scale + " " + db + " …");
      run(List.of("pgbench", "-h", "127.0.0.1", "-U", "postgres", "-i", "-q", "-s", String.valueOf(scale), db));
      run(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", "VACUUM ANALYZE", "-c",
          "CHECKPOINT"));
      String url = "postgresql://postgres@127.0.0.1:5432/" + db;
      String conn = "--dbname=host=127.0.0.1 port=5432 user=postgres dbname=" + db;
      pgZstd(work, url, conn, scale, rounds);
      pgCustomAndVerify(work, url, conn, scale, rounds);
    } finally {
      admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
    sqlite(work, sqliteMb, rounds);
    deleteTree(work);
  }

  private static void pgZstd(Path work, String url, String conn, int scale, int rounds) throws Exception {
    Path base = work.resolve("plain.sql.gz");
    double best = Double.MAX_VALUE;
    double bestBase = Double.MAX_VALUE;
    long size = 0;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      run(List.of("sh", "-c", "pg_dump -Fp '" + conn + "' | gzip -6 > '" + base + "'"));
      bestBase = counted(i, rounds) ? Math.min(bestBase, seconds(t0)) : bestBase;
      Path dir = work.resolve("zstd-" + i);
      try (DatabaseBackup b = DatabaseBackup.builder(url, dir).compression(Compression.ZSTD).verifyAfterBackup(false)
          .maxBackups(-1).build()) {
        t0 = System.nanoTime();
        BackupRecord r = b.createBackup();
        best = counted(i, rounds) ? Math.min(best, seconds(t0)) : best;
        size = r.sizeBytes();
      }
      deleteTree(dir);
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("vigil_mb", mb(size));
    extras.put("baseline_mb", mb(Files.size(base)));
    extras.put("scale", scale);
    BenchLine.print("backup.pg_zstd", best, bestBase, "s", BenchLine.Better.LOWER, extras);
    Files.delete(base);
  }

  private static void pgCustomAndVerify(Path work, String url, String conn, int scale, int rounds) throws Exception {
    Path base = work.resolve("custom.dump");
    double best = Double.MAX_VALUE;
    double bestBase = Double.MAX_VALUE;
    double bestVerify = Double.MAX_VALUE;
    long size = 0;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      run(List.of("pg_dump", "-Fc", conn, "-f", base.toString()));
      bestBase = counted(i, rounds) ? Math.min(bestBase, seconds(t0)) : bestBase;
      Path dir = work.resolve("custom-" + i);
      try (DatabaseBackup b = DatabaseBackup.builder(url, dir).verifyAfterBackup(false).maxBackups(-1).build()) {
        t0 = System.nanoTime();
        BackupRecord r = b.createBackup();
        best = counted(i, rounds) ? Math.min(best, seconds(t0)) : best;
        size = r.sizeBytes();
        t0 = System.nanoTime();
        VerificationResult v = b.verifyBackup(r.filename());
        bestVerify = counted(i, rounds) ? Math.min(bestVerify, seconds(t0)) : bestVerify;
        if (!v.ok()) {
          throw new IllegalStateException("verification failed: " + v.message());
        }
      }
      deleteTree(dir);
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("vigil_mb", mb(size));
    extras.put("baseline_mb", mb(Files.size(base)));
    extras.put("scale", scale);
    BenchLine.print("backup.pg_custom", best, bestBase, "s", BenchLine.Better.LOWER, extras);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("verify_over_backup", String.format(java.util.Locale.ROOT, "%.2f", bestVerify / best));
    v.put("goal", "<=1.5");
    BenchLine.print("backup.verify", bestVerify, best, "s", BenchLine.Better.LOWER, v);
    Files.delete(base);
  }

  private static void sqlite(Path work, int megabytes, int rounds) throws Exception {
    Path db = work.resolve("app.db");
    System.err.println("creating a " + megabytes + " MB SQLite database …");
    int rows = megabytes * 1000;
    run(List.of("sqlite3", db.toString(), "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, "
        + "name TEXT, payload BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows
        + ") INSERT INTO t SELECT i, 'row ' || i, randomblob(900) FROM n; CREATE INDEX t_name ON t(name);"));
    String url = "sqlite:///" + db.toAbsolutePath().toString().substring(1);
    Path base = work.resolve("copy.db");
    double best = Double.MAX_VALUE;
    double bestBase = Double.MAX_VALUE;
    double bestZstd = Double.MAX_VALUE;
    for (int i = 0; i < rounds; i++) {
      Files.deleteIfExists(base);
      long t0 = System.nanoTime();
      run(List.of("sqlite3", db.toString(), ".backup '" + base + "'"));
      double baseline = seconds(t0);
      double vigil = vigilOnce(url, work.resolve("lite-" + i), Compression.NONE);
      double zstd = vigilOnce(url, work.resolve("litez-" + i), Compression.ZSTD);
      if (counted(i, rounds)) {
        bestBase = Math.min(bestBase, baseline);
        best = Math.min(best, vigil);
        bestZstd = Math.min(bestZstd, zstd);
      }
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("db_mb", mb(Files.size(db)));
    extras.put("vigil_zstd_s", String.format(java.util.Locale.ROOT, "%.2f", bestZstd));
    BenchLine.print("backup.sqlite", best, bestBase, "s", BenchLine.Better.LOWER, extras);
  }

  private static double vigilOnce(String url, Path dir, Compression c) throws IOException {
    try (DatabaseBackup b = DatabaseBackup.builder(url, dir).compression(c).verifyAfterBackup(false).maxBackups(-1)
        .build()) {
      long t0 = System.nanoTime();
      b.createBackup();
      double s = seconds(t0);
      deleteTree(dir);
      return s;
    }
  }

  /** Whether round {@code i} is timed: all but the first warm-up round, when there are several. */
  private static boolean counted(int i, int rounds) {
    return rounds == 1 || i > 0;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double mb(long bytes) {
    return Math.round(bytes / 1048576.0 * 10) / 10.0;
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(argv.get(0) + " failed: " + out);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
