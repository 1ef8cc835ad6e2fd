package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.cli.VigilCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  record Result(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = VigilCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  static Path config(Path dir, String extra) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, "data_dir: " + dir.resolve("data") + "\n" + extra);
    return file;
  }

  @Test
  void tokenCreateListRevokeWorkOnTheDataDir(@TempDir Path dir) throws Exception {
    String cfg = config(dir, "logging:\n  dir: " + dir.resolve("logs") + "\n").toString();
    Result created = run("token", "create", "--role", "operator", "--name", "ci bot", "--config", cfg);
    assertThat(created.code()).isZero();
    String token = created.lines().get(created.lines().size() - 1);
    assertThat(token).matches("vgl_[a-z0-9]{10}_[A-Za-z0-9_-]{43}");
    String id = token.substring(4, 14);

    Result list = run("token", "list", "--config", cfg);
    assertThat(list.out()).contains(id).contains("operator").contains("ci bot").doesNotContain(token);
    Result json = run("token", "list", "--format", "json", "--config", cfg);
    assertThat(json.out()).contains("\"id\" : \"" + id + "\"");

    assertThat(run("token", "revoke", id, "--config", cfg).code()).isZero();
    assertThat(run("token", "list", "--format", "summary", "--config", cfg).out()).contains("0 active of 1 tokens");
    Result again = run("token", "revoke", id, "--config", cfg);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("no active token with id " + id);

    Result badRole = run("token", "create", "--role", "root", "--name", "x", "--config", cfg);
    assertThat(badRole.code()).isEqualTo(1);
    assertThat(badRole.err()).contains("role must be one of viewer, operator, admin");
  }

  @Test
  void badConfigExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
    Result r = run("config", "--config", config(dir, "server:\n  port: http\n").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("vigil: invalid config server.port='http': allowed an integer from 0 to 65535");
    Result unknown = run("serve", "--config", config(dir, "nonsense: 1\n").toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err().strip().lines().count()).isEqualTo(1);
    assertThat(unknown.err()).contains("nonsense");
  }

  @Test
  void configPrintsEffectiveValuesWithSecretsMasked(@TempDir Path dir) throws Exception {
    Result r = run("config", "--config", config(dir,
        "cache:\n  redis:\n    password: hunter2\nbackup:\n  database_url: postgresql://app:s3cret@db/erp\n").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("cache.redis.password").contains("****").contains("postgresql://app:****@db/erp")
        .doesNotContain("hunter2").doesNotContain("s3cret").contains("server.port").contains("8080");
  }

  @Test
  void configBeforeTheCommandNameAppliesToNestedCommands(@TempDir Path dir) throws Exception {
    String cfg = config(dir, "server:\n  port: 9191\n").toString();
    assertThat(run("--config", cfg, "config").out()).contains("9191");
    assertThat(run("--config=" + cfg, "token", "list", "--format", "summary").code()).isZero();
    Result bad = run("--config", config(dir, "server:\n  port: http\n").toString(), "token", "list");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("server.port='http'");
  }

  @Test
  void doctorReportsAndVersionAndHelpWork(@TempDir Path dir) throws Exception {
    Result doctor = run("doctor", "--config", config(dir, "server:\n  port: 0\n").toString());
    assertThat(doctor.out()).contains("java").contains("data dir").contains("free disk").contains("OK");
    assertThat(doctor.code()).isZero();
    Result failing = run("doctor", "--format", "json", "--config",
        config(dir, "cache:\n  use_redis: true\n  redis:\n    port: 1\n").toString());
    assertThat(failing.code()).isEqualTo(1);
    assertThat(failing.out()).contains("\"status\" : \"FAIL\"").contains("unreachable");
    Result byUri = run("doctor", "--format", "json", "--config",
        config(dir, "cache:\n  use_redis: true\n  redis:\n    uri: redis://127.0.0.1:1/0\n").toString());
    assertThat(byUri.code()).isEqualTo(1);
    assertThat(byUri.out()).contains("127.0.0.1:1 unreachable");
    assertThat(run("--version").out()).startsWith("vigil ");
    assertThat(run("--help").out()).contains("serve").contains("token").contains("doctor").contains("config");
  }
}
