package dev.vigil.core.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.ConfigLoader;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StoreUrl;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void aPasswordInTheQueryIsMaskedWhereverTheUrlIsShown() {
    String url = "postgresql://app@h/db?password=X-s3cret&sslmode=require";
    assertThat(Secrets.maskUrlPasswords(url)).isEqualTo("postgresql://app@h/db?password=****&sslmode=require");
    VigilConfig c = ConfigLoader.load(null, Map.of("DATABASE_URL", url));
    assertThat(c.entries().toString()).doesNotContain("X-s3cret").contains("password=****");
    assertThat(Settings.DATABASE_URL.show(url)).doesNotContain("X-s3cret");
  }

  @Test
  void theStartUpErrorForABadValueHidesTheQueryPassword() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("VIGIL_STORE_URL", "oracle://app@h/db?password=X-s3cret")))
        .isInstanceOf(ConfigException.class).hasMessageNotContaining("X-s3cret").hasMessageContaining("****");
  }

  @Test
  void aRawAtSignInThePasswordIsMaskedWhole() {
    assertThat(Setting.maskUrlPassword("postgresql://app:Sec@ret@host:5432/db"))
        .isEqualTo("postgresql://app:****@host:5432/db");
    assertThat(Secrets.maskUrlPasswords("redis://:p@ss@cache:6379/0 and mysql://u:a@b@c@db/x"))
        .isEqualTo("redis://:****@cache:6379/0 and mysql://u:****@db/x");
    assertThat(Secrets.maskUrlPasswords("no url here")).isEqualTo("no url here");
  }

  @Test
  void theOneParserReadsEveryForm() {
    DbUrl u = DbUrl.parse("jdbc:postgresql://app:Sec@ret@db.local:6543/erp?sslmode=require", "store url");
    assertThat(u).extracting(DbUrl::scheme, DbUrl::user, DbUrl::password, DbUrl::host, DbUrl::port, DbUrl::database)
        .containsExactly("postgresql", "app", "Sec@ret", "db.local", 6543, "erp");
    assertThat(u.params()).containsExactly(Map.entry("sslmode", "require"));
    assertThat(u.toString()).doesNotContain("Sec").contains("app:****@db.local:6543/erp");
    DbUrl q = DbUrl.parse("postgresql://app@h/db?password=X", "database url");
    assertThat(q.password()).isEqualTo("X");
    assertThat(q.params()).isEmpty();
    assertThat(q.toString()).doesNotContain("X");
    assertThat(DbUrl.parse("sqlite:///var/lib/a.db", "x").database()).isEqualTo("/var/lib/a.db");
    assertThat(DbUrl.parse("sqlite:rel/a.db", "x").database()).isEqualTo("rel/a.db");
    assertThatThrownBy(() -> DbUrl.parse("postgresql://u:pw@h:99999/db", "x"))
        .hasMessageContaining("port").hasMessageNotContaining("pw");
  }

  @Test
  void theStoreUrlTakesItsPasswordFromTheQueryToo() {
    StoreUrl s = StoreUrl.parse("postgresql://app@127.0.0.1/vigil?password=X-s3cret&sslmode=disable");
    assertThat(s.password()).isEqualTo("X-s3cret");
    assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/vigil?sslmode=disable");
    assertThat(s.toString()).doesNotContain("X-s3cret");
  }
}
