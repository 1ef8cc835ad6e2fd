package dev.vigil.logging.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.logging.LogFiles;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.logging.setup.LoggingOptions;
import dev.vigil.logging.setup.LoggingSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

class RequestLogTest {
  @Test
  void writesTheSeedsRequestFieldsAndFlagsSlowRequests(@TempDir Path dir) throws Exception {
    RequestLog requests = new RequestLog(Duration.ofMillis(500));
    try (ConfiguredLogging logging = LoggingSetup.configure(
        LoggingOptions.defaults("erp").withLogDir(dir).withConsole(false), false)) {
      MDC.put("request_id", "from-mdc");
      try {
        requests.log("POST", "/api/boq/create", 201, 123.456, "123", "192.168.1.100",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
      } finally {
        MDC.clear();
      }
      requests.log("GET", "/api/report", 200, 500.0, null, "10.0.0.2", null, "r-2");
    }
    List<JsonNode> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String l : Files.readAllLines(new LogFiles(dir, "erp").requests())) {
      lines.add(json.readTree(l));
    }
    assertThat(lines).hasSize(2);
    JsonNode first = lines.get(0);
    List<String> names = new ArrayList<>();
    first.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("timestamp", "method", "path", "status_code", "response_time_ms", "user_id",
        "ip_address", "user_agent", "request_id", "slow");
    assertThat(first.path("status_code").asInt()).isEqualTo(201);
    assertThat(first.path("response_time_ms").asDouble()).isEqualTo(123.46);
    assertThat(first.path("user_id").asText()).isEqualTo("123");
    assertThat(first.path("request_id").asText()).isEqualTo("from-mdc");
    assertThat(first.path("slow").asBoolean()).isFalse();
    JsonNode second = lines.get(1);
    assertThat(second.path("user_id").isNull()).isTrue();
    assertThat(second.path("request_id").asText()).isEqualTo("r-2");
    assertThat(second.path("slow").asBoolean()).isTrue();
    assertThat(Files.readAllLines(new LogFiles(dir, "erp").main())).isEmpty();
  }

  @Test
  void badRecordsAreRefused() {
    RequestLog requests = new RequestLog(Duration.ofSeconds(1));
    assertThatThrownBy(() -> requests.log("GET", "/", 42, 1, null, "::1", null))
        .hasMessageContaining("status code must be 100-599, was 42");
    assertThatThrownBy(() -> requests.log("GET", "/", 200, -1, null, "::1", null))
        .hasMessageContaining("response time");
    assertThatThrownBy(() -> new RequestLog(Duration.ofSeconds(-1))).hasMessageContaining("slow request threshold");
    assertThat(requests.log("GET", "/" + "a".repeat(5000), 200, 1, null, "::1", null).path())
        .hasSize(RequestRecord.MAX_PATH + 3).endsWith("...");
  }
}
