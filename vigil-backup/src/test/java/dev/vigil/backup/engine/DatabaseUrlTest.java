package dev.vigil.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @Test
  void parsesTheSeedsPostgresUrl() {
    DatabaseUrl u = DatabaseUrl.parse("postgresql://user:pass@localhost/noufal_erp");
    assertThat(u.engine()).isEqualTo(EngineKind.POSTGRESQL);
    assertThat(u.host()).isEqualTo("localhost");
    assertThat(u.port()).isEqualTo(5432);
    assertThat(u.user()).isEqualTo("user");
    assertThat(u.password()).isEqualTo("pass");
    assertThat(u.database()).isEqualTo("noufal_erp");
    assertThat(u.toString()).isEqualTo("postgresql://user:****@localhost:5432/noufal_erp").doesNotContain("pass@");
  }

  @Test
  void decodesEncodedPasswordsAndNeverPrintsThem() {
    DatabaseUrl u = DatabaseUrl.parse("mysql://app:p%40ss%3Aw%2Frd@db.example:3307/shop");
    assertThat(u.engine()).isEqualTo(EngineKind.MYSQL);
    assertThat(u.password()).isEqualTo("p@ss:w/rd");
    assertThat(u.port()).isEqualTo(3307);
    assertThat(u.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
    assertThat(new Redactor(java.util.List.of(u.password())).redact("error p@ss:w/rd and p%40ss%3Aw%2Frd"))
        .isEqualTo("error **** and ****");
  }

  @Test
  void mariadbSchemeIsMysql() {
    assertThat(DatabaseUrl.parse("mariadb://root@127.0.0.1/app").engine()).isEqualTo(EngineKind.MYSQL);
  }

  @Test
  void sqliteAbsoluteAndRelative() {
    assertThat(DatabaseUrl.parse("sqlite:///var/lib/app/app.db").sqlitePath()).isEqualTo(Path.of("/var/lib/app/app.db"));
    DatabaseUrl rel = DatabaseUrl.parse("sqlite:data/app.db");
    assertThat(rel.sqlitePath()).isEqualTo(Path.of("data/app.db").toAbsolutePath());
    assertThat(rel.database()).isEqualTo("app.db");
  }

  @Test
  void postgresQueryParametersAreKept() {
    assertThat(DatabaseUrl.parse("postgresql://u@h/db?sslmode=require").params()).containsEntry("sslmode", "require");
  }

  @Test
  void rejectsWithClearMessagesWithoutThePassword() {
    assertThatThrownBy(() -> DatabaseUrl.parse("oracle://u:secret@h/db")).hasMessageContaining("scheme 'oracle'")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:secret@h:5432")).hasMessageContaining("names no database")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> DatabaseUrl.parse("sqlite://relative")).hasMessageContaining("sqlite:///absolute");
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u@h/db?ssl=1")).hasMessageContaining("only supported for PostgreSQL");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@h/db?Bad-Key=x")).hasMessageContaining("unsupported");
    // an authority that is not user:password@host:port must never fall back to the local server
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:s3cret@db.example:notaport/erp"))
        .hasMessageContaining("port must be a number").hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root@db.example:99999/erp")).hasMessageContaining("1 to 65535");
  }

  @Test
  void aPasswordInTheQueryOrWithARawAtIsReadAndNeverShown() {
    DatabaseUrl q = DatabaseUrl.parse("postgresql://app@h/db?password=X-s3cret&sslmode=require");
    assertThat(q.password()).isEqualTo("X-s3cret");
    assertThat(q.params()).containsOnlyKeys("sslmode");
    assertThat(q.toString()).isEqualTo("postgresql://app:****@h:5432/db");
    DatabaseUrl at = DatabaseUrl.parse("postgresql://app:p@ss@db_example/erp");
    assertThat(at.password()).isEqualTo("p@ss");
    assertThat(at.host()).isEqualTo("db_example");
    assertThat(at.toString()).isEqualTo("postgresql://app:****@db_example:5432/erp");
  }

  @Test
  void theEngineKindKnowsItsSchemesPortsAndTools() {
    assertThat(EngineKind.ofScheme("mariadb")).isEqualTo(EngineKind.MYSQL);
    assertThat(EngineKind.ofScheme("postgres")).isEqualTo(EngineKind.POSTGRESQL);
    assertThat(EngineKind.MYSQL.defaultPort()).isEqualTo(3306);
    assertThat(EngineKind.POSTGRESQL.dumpTools()).containsExactly("pg_dump");
    assertThat(EngineKind.MYSQL.atomicRestore()).isFalse();
    assertThatThrownBy(() -> EngineKind.ofScheme("oracle")).hasMessageContaining("scheme 'oracle'");
  }

  @Test
  void pgVersionMajors() {
    assertThat(PostgresEngine.major("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)")).isEqualTo(15);
    assertThat(PostgresEngine.major("pg_dump (PostgreSQL) 9.6.24")).isEqualTo(906);
  }
}
