package dev.vigil.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.verify.VerificationResult;
import dev.vigil.core.testing.LocalServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup user with only the grants a backup needs (CONNECT, SELECT; no CREATEDB): the test restore
 * names the missing CREATEDB privilege, and succeeds on a scratch server given by
 * {@code backup.verify.url}; a table it cannot read is named ("permission denied for table X"); a
 * scratch database left by an interrupted verification is dropped by the next one.
 */
class LeastPrivilegeTest {
  private static final String ADMIN_URL = "postgresql://postgres@" + LocalServices.POSTGRES_HOST + ":"
      + LocalServices.POSTGRES_PORT + "/postgres";

  @TempDir
  Path tmp;

  @Test
  void withoutCreatedbTheVerificationNamesThePrivilegeAndAVerifyServerMakesItPass() throws Exception {
    try (TestDatabases.Db db = TestDatabases.postgres("leastpriv"); Role role = Role.create(db)) {
      try (DatabaseBackup b = DatabaseBackup.builder(role.url(db), tmp.resolve("a")).build()) {
        BackupRecord rec = b.createBackup();
        assertThat(rec.verified()).isFalse();
        VerificationResult v = b.verifyBackup(rec.filename());
        assertThat(v.ok()).isFalse();
        assertThat(v.message()).contains("CREATEDB").contains(role.name).contains("backup.verify.url");
      }
      try (DatabaseBackup b = DatabaseBackup.builder(role.url(db), tmp.resolve("b")).verifyUrl(ADMIN_URL).build()) {
        BackupRecord rec = b.createBackup();
        assertThat(rec.verified()).isTrue();
        assertThat(b.verifyBackup(rec.filename()).restoredRows()).containsEntry("public.items", 20L);
      }
    }
  }

  @Test
  void aTableTheBackupUserCannotReadIsNamed() throws Exception {
    try (TestDatabases.Db db = TestDatabases.postgres("denied"); Role role = Role.create(db)) {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE payroll (id int)");
        s.execute("REVOKE ALL ON payroll FROM " + role.name);
      }
      try (DatabaseBackup b = DatabaseBackup.builder(role.url(db), tmp).verifyUrl(ADMIN_URL).build()) {
        assertThatThrownBy(b::createBackup).isInstanceOf(BackupException.class)
            .hasMessageContaining("permission denied for table public.payroll")
            .hasMessageNotContaining("could not import the requested snapshot");
      }
    }
  }

  @Test
  void aScratchDatabaseLeftByAnInterruptedVerificationIsDroppedByTheNext() throws Exception {
    long hourAgo = Instant.now().minusSeconds(3600).getEpochSecond();
    String orphan = "vigil_verify_" + hourAgo + "_0badf00d";
    String legacy = "vigil_verify_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String starting = "vigil_verify_" + Instant.now().getEpochSecond() + "_00c0ffee";
    try (TestDatabases.Db db = TestDatabases.postgres("orphans")) {
      TestDatabases.fill(db, 20, 0, 0);
      admin("CREATE DATABASE " + orphan);
      admin("CREATE DATABASE " + legacy);
      admin("CREATE DATABASE " + starting);
      try (DatabaseBackup b = DatabaseBackup.builder(db.url(), tmp).build()) {
        assertThat(b.createBackup().verified()).isTrue();
      }
      assertThat(exists(orphan)).isFalse();
      assertThat(exists(legacy)).isFalse();
      assertThat(exists(starting)).as("a scratch database of a verification that is just starting").isTrue();
    } finally {
      admin("DROP DATABASE IF EXISTS " + orphan);
      admin("DROP DATABASE IF EXISTS " + legacy);
      admin("DROP DATABASE IF EXISTS " + starting);
    }
  }

  private static boolean exists(String database) throws SQLException {
    try (Connection c = adminConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
      return rs.next();
    }
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = adminConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Connection adminConnection() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + LocalServices.POSTGRES_HOST + ":"
        + LocalServices.POSTGRES_PORT + "/postgres", "postgres", "");
  }

  /** A login role with CONNECT and SELECT on the test database's tables, and nothing else. */
  private static final class Role implements AutoCloseable {
    final String name = "vigil_lp_" + UUID.randomUUID().toString().substring(0, 8);
    private final TestDatabases.Db db;

    private Role(TestDatabases.Db db) {
      this.db = db;
    }

    static Role create(TestDatabases.Db db) throws SQLException {
      TestDatabases.fill(db, 20, 0, 0);
      Role r = new Role(db);
      admin("CREATE ROLE " + r.name + " LOGIN NOCREATEDB");
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("GRANT CONNECT ON DATABASE " + db + " TO " + r.name);
        s.execute("GRANT USAGE ON SCHEMA public TO " + r.name);
        s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + r.name);
        s.execute("GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO " + r.name);
      }
      return r;
    }

    String url(TestDatabases.Db db) {
      return db.url().replace("postgres@", name + "@");
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("DROP OWNED BY " + name);
      }
      admin("DROP ROLE IF EXISTS " + name);
    }
  }
}
