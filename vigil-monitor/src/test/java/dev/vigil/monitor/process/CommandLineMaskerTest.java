package dev.vigil.monitor.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineMaskerTest {

  private static String masked(String... args) {
    return CommandLineMasker.commandLine(List.of(args));
  }

  @Test
  void masksNameEqualsValueArguments() {
    assertThat(masked("app", "--password=hunter2", "--db-pass=x1", "--user=bob"))
        .isEqualTo("app --password=**** --db-pass=**** --user=bob");
    assertThat(masked("java", "-Dspring.datasource.password=s3cr3t", "-Xmx1g", "-Dapp.name=shop"))
        .isEqualTo("java -Dspring.datasource.password=**** -Xmx1g -Dapp.name=shop");
    assertThat(masked("env", "PGPASSWORD=abc", "AWS_SECRET_ACCESS_KEY=xyz", "GITHUB_TOKEN=ghp_1", "PATH=/bin"))
        .isEqualTo("env PGPASSWORD=**** AWS_SECRET_ACCESS_KEY=**** GITHUB_TOKEN=**** PATH=/bin");
    assertThat(masked("svc", "--api-key=k", "--client_secret=c", "--auth-token=t"))
        .isEqualTo("svc --api-key=**** --client_secret=**** --auth-token=****");
  }

  @Test
  void masksTheValueAfterASecretOption() {
    assertThat(masked("redis-cli", "--pass", "p4ss", "-h", "db")).isEqualTo("redis-cli --pass **** -h db");
    assertThat(masked("tool", "--token", "abc", "--verbose")).isEqualTo("tool --token **** --verbose");
    assertThat(masked("tool", "--password", "--verbose")).isEqualTo("tool --password --verbose");
  }

  @Test
  void masksUrlPasswordsHeadersAndUserColonPassword() {
    assertThat(masked("app", "postgresql://shop:pa55@db:5432/shop", "redis://:r3d1s@cache:6379"))
        .isEqualTo("app postgresql://shop:****@db:5432/shop redis://:****@cache:6379");
    assertThat(masked("curl", "-H", "Authorization: Bearer eyJhbGci", "-u", "admin:letmein", "https://x"))
        .isEqualTo("curl -H Authorization: **** -u admin:**** https://x");
  }

  @Test
  void masksTheCommonSecretFlagsOfServices() {
    assertThat(masked("/opt/app/bin/app", "--db-password", "hunter2", "--db-password=hunter3", "--port", "8080"))
        .isEqualTo("/opt/app/bin/app --db-password **** --db-password=**** --port 8080");
    assertThat(masked("worker", "DATABASE_URL=postgresql://app@h/db?password=X9", "SLACK_TOKEN=xoxb",
        "STRIPE_SECRET=sk_live", "PASSWORD=pw", "LANG=C"))
        .isEqualTo("worker DATABASE_URL=postgresql://app@h/db?password=**** SLACK_TOKEN=**** STRIPE_SECRET=**** "
            + "PASSWORD=**** LANG=C");
    assertThat(masked("psql", "postgresql://app:Sec@ret@db/erp")).isEqualTo("psql postgresql://app:****@db/erp");
    assertThat(masked("mysql", "-uroot", "-pS3cret")).isEqualTo("mysql -uroot -p****");
  }

  @Test
  void masksSecretsInsideAShellCommandString() {
    assertThat(masked("sh", "-c", "API_TOKEN=abc123 ./run --x"))
        .isEqualTo("sh -c API_TOKEN=**** ./run --x");
  }

  @Test
  void masksMysqlAttachedPassword() {
    assertThat(masked("/usr/bin/mysqldump", "-uroot", "-pS3cret", "shop")).isEqualTo("/usr/bin/mysqldump -uroot -p**** shop");
    assertThat(masked("/usr/bin/python", "-p8080")).isEqualTo("/usr/bin/python -p8080");
  }

  @Test
  void cutsToTwoHundredCharactersAfterMasking() {
    String longArg = "x".repeat(300);
    String cmd = masked("app", "--password=" + "p".repeat(190), longArg);
    assertThat(cmd).hasSize(200).endsWith("…").startsWith("app --password=**** xxx").doesNotContain("ppp");
    assertThat(masked("short")).isEqualTo("short");
  }

  @Test
  void secretLikeNames() {
    assertThat(CommandLineMasker.isSecretName("--password")).isTrue();
    assertThat(CommandLineMasker.isSecretName("MYSQL_PWD")).isTrue();
    assertThat(CommandLineMasker.isSecretName("--key-file")).isTrue();
    assertThat(CommandLineMasker.isSecretName("--port")).isFalse();
    assertThat(CommandLineMasker.isSecretName("--bypass-cache")).isFalse();
    assertThat(CommandLineMasker.isSecretName("-Dfile.encoding")).isFalse();
  }
}
