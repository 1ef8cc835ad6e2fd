package dev.vigil.server.metrics;

import static dev.vigil.server.metrics.PromTools.CONTRIB;
import static dev.vigil.server.metrics.PromTools.GRAFANA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped contrib files checked by the tools that read them: promtool checks and unit-tests the
 * rule files and the scrape config, and parses every PromQL expression of the Grafana dashboard.
 */
class PrometheusRulesTest {
  private static final List<String> RULE_FILES = List.of("vigil-recording.rules.yml", "vigil-alerting.rules.yml");
  /** Values the dashboard's variables take when its expressions are parsed. */
  private static final Map<String, String> VARIABLES = Map.of("$__rate_interval", "1m", "$__interval", "1m",
      "$__range", "1h", "$datasource", "prometheus", "$job", "vigil", "$instance", ".*", "$database", ".*");

  @BeforeAll
  static void tools() {
    PromTools.require(PromTools.PROMTOOL);
  }

  @Test
  void ruleFilesPassPromtoolCheck() throws Exception {
    String out = PromTools.promtool(CONTRIB, null, "check", "rules", RULE_FILES.get(0), RULE_FILES.get(1));
    assertThat(out).contains("SUCCESS: 7 rules found", "SUCCESS: 13 rules found");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    String out = PromTools.promtool(CONTRIB.resolve("tests"), null, "test", "rules", "vigil-rules.test.yml");
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void alertsNamedInTheReadmeExist() throws Exception {
    String alerts = Files.readString(CONTRIB.resolve("vigil-alerting.rules.yml"));
    assertThat(alerts).contains("alert: VigilHostCritical", "alert: VigilDiskFullWithin24h", "predict_linear(",
        "alert: VigilBackupTooOld", "26 * 3600", "alert: VigilBackupFailed", "alert: VigilBackupVerificationFailed",
        "alert: VigilAuditTampered", "alert: VigilHighErrorRate", "alert: VigilSlowRequests",
        "alert: VigilCacheHitRatioLow");
  }

  @Test
  void scrapeConfigPassesPromtoolCheck(@TempDir Path dir) throws Exception {
    Path token = dir.resolve("vigil.token");
    Files.writeString(token, "vgl_placeholder");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dir.resolve("prometheus.yml"), Files.readString(CONTRIB.resolve("prometheus.yml"))
        .replace("/etc/prometheus/vigil.token", token.toString()));
    for (String f : RULE_FILES) {
      Files.copy(CONTRIB.resolve(f), dir.resolve(f));
    }
    String out = PromTools.promtool(dir, null, "check", "config", "prometheus.yml");
    assertThat(out).contains("SUCCESS: 2 rule files found");
  }

  @Test
  void grafanaDashboardParsesAndEveryExpressionParsesWithPromtool(@TempDir Path dir) throws Exception {
    JsonNode dash = new ObjectMapper().readTree(GRAFANA.resolve("vigil-dashboard.json").toFile());
    assertThat(dash.path("schemaVersion").asInt()).as("schema version of a current Grafana").isGreaterThanOrEqualTo(39);
    JsonNode datasourceVar = null;
    for (JsonNode v : dash.path("templating").path("list")) {
      if ("datasource".equals(v.path("type").asText())) {
        datasourceVar = v;
      }
    }
    assertThat(datasourceVar).as("a datasource variable").isNotNull();
    assertThat(datasourceVar.path("query").asText()).isEqualTo("prometheus");
    String dsRef = "${" + datasourceVar.path("name").asText() + "}";

    List<String> exprs = new ArrayList<>();
    for (JsonNode p : dash.path("panels")) {
      if ("row".equals(p.path("type").asText())) {
        continue;
      }
      assertThat(p.path("datasource").path("uid").asText()).as("panel %s datasource", p.path("title")).isEqualTo(dsRef);
      assertThat(p.path("targets").size()).as("panel %s targets", p.path("title")).isPositive();
      p.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
    }
    Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");
    for (JsonNode v : dash.path("templating").path("list")) {
      if ("query".equals(v.path("type").asText())) {
        Matcher m = labelValues.matcher(v.path("query").path("query").asText());
        assertThat(m.matches()).as("variable %s query", v.path("name")).isTrue();
        exprs.add(m.group(1));
      }
    }
    assertThat(exprs).hasSizeGreaterThan(15).doesNotContain("");

    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      String e = exprs.get(i);
      for (Map.Entry<String, String> var : VARIABLES.entrySet()) {
        e = e.replace(var.getKey(), var.getValue());
      }
      assertThat(e).as("unknown variable left in %s", exprs.get(i)).doesNotContain("$");
      rules.append("      - record: dashboard:expr_").append(i).append("\n        expr: '")
          .append(e.replace("'", "''")).append("'\n");
    }
    Files.writeString(dir.resolve("dashboard.rules.yml"), rules);
    String out = PromTools.promtool(dir, null, "check", "rules", "dashboard.rules.yml");
    assertThat(out).contains("SUCCESS: " + exprs.size() + " rules found");
  }
}
