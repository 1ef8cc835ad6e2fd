package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.testing.TestPostgres;
import dev.vigil.server.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil backup …} and {@code vigil checkpoint …} on a real SQLite and a real PostgreSQL
 * database, with no server running: the seed's emergency recovery.
 */
class BackupCliTest {
  @TempDir
  Path dir;

  @Test
  void backupVerifyRestoreDeleteAndCheckpointsWithoutAServer() throws Exception {
    Path lite = dir.resolve("shop.db");
    BackupApiTest.exec(lite, "CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT, data BLOB)",
        "INSERT INTO orders VALUES (1, 'طلب أول', x'00ff00'), (2, NULL, NULL)");
    try (TestPostgres pg = TestPostgres.create("cli")) {
      pgExec(pg, "CREATE TABLE ledger (id int PRIMARY KEY, amount numeric, memo text)",
          "INSERT INTO ledger VALUES (1, 10.5, 'دفعة'), (2, -3, NULL)");
      String cfg = CliTest.config(dir, "backup:\n  dir: " + dir.resolve("backups") + "\n  databases:\n"
          + "    shop: sqlite://" + lite.toAbsolutePath() + "\n    ledger: " + pg.url() + "\n").toString();

      CliTest.Result created = CliTest.run("backup", "create", "--database", "shop", "--config", cfg);
      assertThat(created.code()).as(created.err()).isZero();
      assertThat(created.out()).contains("FILE").contains("shop").contains(".sqlite.gz").contains("ok");
      CliTest.Result pgCreated = CliTest.run("backup", "create", "--database", "ledger", "--prefix", "manual",
          "--format", "json", "--config", cfg);
      assertThat(pgCreated.code()).as(pgCreated.err()).isZero();
      String pgFile = Json.MAPPER.readTree(pgCreated.out()).path("backups").get(0).path("filename").asText();
      assertThat(pgFile).startsWith("manual_").endsWith(".dump");
      assertThat(Files.exists(dir.resolve("backups/ledger").resolve(pgFile))).isTrue();

      JsonNode list = Json.MAPPER.readTree(CliTest.run("backup", "list", "--format", "json", "--config", cfg).out());
      assertThat(list.path("backups")).hasSize(2);
      String liteFile = list.path("backups").findValuesAsText("filename").stream()
          .filter(f -> f.endsWith(".sqlite.gz")).findFirst().orElseThrow();
      assertThat(CliTest.run("backup", "stats", "--format", "summary", "--config", cfg).out())
          .contains("shop: 1 backups").contains("ledger: 1 backups");
      CliTest.Result jobs = CliTest.run("backup", "jobs", "--config", cfg);
      assertThat(jobs.out()).contains("daily at 02:00").contains("cron 0 4 * * *").contains("ledger");

      CliTest.Result verified = CliTest.run("backup", "verify", pgFile, "--database", "ledger", "--config", cfg);
      assertThat(verified.code()).as(verified.out() + verified.err()).isZero();
      assertThat(verified.out()).contains("OK");

      pgExec(pg, "DELETE FROM ledger", "INSERT INTO ledger VALUES (9, 0, 'wrong')");
      BackupApiTest.exec(lite, "DELETE FROM orders");
      CliTest.Result refused = CliTest.run("backup", "restore", pgFile, "--database", "ledger", "--config", cfg);
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).contains("--yes");
      assertThat(pgQuery(pg, "SELECT string_agg(id::text, ',') FROM ledger")).isEqualTo("9");

      CliTest.Result restored = CliTest.run("backup", "restore", pgFile, "--database", "ledger", "--yes",
          "--format", "summary", "--config", cfg);
      assertThat(restored.code()).as(restored.err()).isZero();
      assertThat(restored.out()).contains("restored ledger from " + pgFile).contains("safety backup safety_");
      assertThat(pgQuery(pg, "SELECT string_agg(id || ':' || amount || ':' || coalesce(memo, '-'), ',' ORDER BY id)"
          + " FROM ledger")).isEqualTo("1:10.5:دفعة,2:-3:-");
      CliTest.Result latest = CliTest.run("backup", "restore", "--latest", "--database", "shop", "--yes",
          "--config", cfg);
      assertThat(latest.code()).as(latest.err()).isZero();
      assertThat(BackupApiTest.query(lite, "SELECT group_concat(id || coalesce(note, '-') || hex(data)) FROM orders"))
          .isEqualTo("1طلب أول00FF00,2-");

      CliTest.Result traversal = CliTest.run("backup", "delete", "../vigil.yml", "--database", "shop", "--config", cfg);
      assertThat(traversal.code()).isEqualTo(1);
      assertThat(traversal.err()).contains("invalid backup file name");
      assertThat(CliTest.run("backup", "delete", liteFile, "--database", "shop", "--config", cfg).code()).isZero();
      assertThat(Files.exists(dir.resolve("backups").resolve(liteFile))).isFalse();
      assertThat(CliTest.run("backup", "list", "--database", "nope", "--config", cfg).err())
          .contains("no database named 'nope'");

      CliTest.Result cp = CliTest.run("checkpoint", "create", "before-upgrade", "--config", cfg);
      assertThat(cp.code()).as(cp.err()).isZero();
      assertThat(CliTest.run("checkpoint", "list", "--config", cfg).out()).contains("before-upgrade");
      pgExec(pg, "UPDATE ledger SET amount = 0");
      BackupApiTest.exec(lite, "DROP TABLE orders");
      assertThat(CliTest.run("checkpoint", "rollback", "before-upgrade", "--config", cfg).err()).contains("--yes");
      CliTest.Result rolled = CliTest.run("checkpoint", "rollback", "before-upgrade", "--yes", "--config", cfg);
      assertThat(rolled.code()).as(rolled.err()).isZero();
      assertThat(rolled.out()).contains("shop").contains("ledger").contains("safety_");
      assertThat(pgQuery(pg, "SELECT sum(amount)::text FROM ledger")).isEqualTo("7.5");
      assertThat(BackupApiTest.query(lite, "SELECT count(*) FROM orders")).isEqualTo("2");

      CliTest.Result doctor = CliTest.run("doctor", "--format", "json", "--config", cfg);
      JsonNode checks = Json.MAPPER.readTree(doctor.out()).path("checks");
      assertThat(checks.toString()).contains("database ledger").contains("database shop");
      for (JsonNode c : checks) {
        if (c.path("check").asText().startsWith("database ")) {
          assertThat(c.path("status").asText()).as(c.toString()).isEqualTo("OK");
        }
      }
    }
  }

  @Test
  void withoutADatabaseTheCommandsSaySo() throws Exception {
    String cfg = CliTest.config(dir, "").toString();
    CliTest.Result r = CliTest.run("backup", "list", "--config", cfg);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no database is configured").contains("DATABASE_URL");
  }

  private static void pgExec(TestPostgres pg, String... sql) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  private static String pgQuery(TestPostgres pg, String sql) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
