package dev.vigil.logging.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.logging.LogFiles;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.request.RequestLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingSetupTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Logger log = LoggerFactory.getLogger("dev.vigil.test.Orders");

  private static LoggingOptions options(Path dir) {
    return LoggingOptions.defaults("shop").withLogDir(dir).withConsole(false);
  }

  static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static List<String> messages(Path file) throws IOException {
    return jsonLines(file).stream().map(n -> n.path("message").asText()).toList();
  }

  @Test
  void filesAreSplitByPurposeAtInfo(@TempDir Path dir) throws Exception {
    try (ConfiguredLogging logging = LoggingSetup.configure(options(dir), false)) {
      log.debug("debug detail");
      log.info("order placed");
      log.warn("stock low");
      log.error("payment failed");
      log.error(LogLevel.CRITICAL_MARKER, "database gone");
      new RequestLog(Duration.ofSeconds(1)).log("GET", "/api/orders", 200, 12.5, "u1", "10.0.0.1", "curl/8");
    }
    LogFiles files = new LogFiles(dir, "shop");
    assertThat(messages(files.main())).containsExactly("order placed", "stock low", "payment failed", "database gone");
    assertThat(messages(files.errors())).containsExactly("payment failed", "database gone");
    assertThat(files.debug()).doesNotExist();
    List<JsonNode> requests = jsonLines(files.requests());
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).path("path").asText()).isEqualTo("/api/orders");
    assertThat(jsonLines(files.main())).extracting(n -> n.path("level").asText())
        .containsExactly("INFO", "WARNING", "ERROR", "CRITICAL");
  }

  @Test
  void debugLevelAddsTheDebugFileWithEverything(@TempDir Path dir) throws Exception {
    try (ConfiguredLogging logging = LoggingSetup.configure(options(dir).withLevel(LogLevel.DEBUG), false)) {
      log.trace("too fine");
      log.debug("debug detail");
      log.info("order placed");
    }
    LogFiles files = new LogFiles(dir, "shop");
    assertThat(messages(files.debug())).containsExactly("debug detail", "order placed");
    assertThat(messages(files.main())).containsExactly("debug detail", "order placed");
    assertThat(messages(files.errors())).isEmpty();
  }

  @Test
  void criticalLevelKeepsOnlyCriticalRecordsInTheMainFile(@TempDir Path dir) throws Exception {
    try (ConfiguredLogging logging = LoggingSetup.configure(options(dir).withLevel(LogLevel.CRITICAL), false)) {
      log.warn("stock low");
      log.error("payment failed");
      log.error(LogLevel.CRITICAL_MARKER, "database gone");
    }
    LogFiles files = new LogFiles(dir, "shop");
    assertThat(messages(files.main())).containsExactly("database gone");
    assertThat(messages(files.errors())).containsExactly("payment failed", "database gone");
  }

  @Test
  void jsonRecordsCarryTheSeedsFields(@TempDir Path dir) throws Exception {
    int line;
    try (ConfiguredLogging logging = LoggingSetup.configure(options(dir).withZone(ZoneId.of("Asia/Riyadh")), false)) {
      MDC.put("request_id", "req-1");
      MDC.put("user_id", "tok-9");
      try {
        line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
        log.error("payment failed for order {}", 42, new IllegalStateException("card declined",
            new java.io.IOException("gateway timeout")));
      } finally {
        MDC.clear();
      }
    }
    JsonNode r = jsonLines(new LogFiles(dir, "shop").errors()).get(0);
    assertThat(r.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+03:00");
    assertThat(r.path("level").asText()).isEqualTo("ERROR");
    assertThat(r.path("logger").asText()).isEqualTo("dev.vigil.test.Orders");
    assertThat(r.path("message").asText()).isEqualTo("payment failed for order 42");
    assertThat(r.path("module").asText()).isEqualTo("LoggingSetupTest");
    assertThat(r.path("function").asText()).isEqualTo("jsonRecordsCarryTheSeedsFields");
    assertThat(r.path("line").asInt()).isEqualTo(line);
    assertThat(r.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(r.path("request_id").asText()).isEqualTo("req-1");
    assertThat(r.path("user_id").asText()).isEqualTo("tok-9");
    JsonNode ex = r.path("exception");
    assertThat(ex.path("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(ex.path("message").asText()).isEqualTo("card declined");
    List<String> trace = new ArrayList<>();
    ex.path("traceback").forEach(n -> trace.add(n.asText()));
    assertThat(trace.get(0)).isEqualTo("java.lang.IllegalStateException: card declined");
    assertThat(trace).anyMatch(s -> s.startsWith("at dev.vigil.logging.setup.LoggingSetupTest.jsonRecordsCarryTheSeedsFields"));
    assertThat(trace).anyMatch(s -> s.equals("Caused by: java.io.IOException: gateway timeout"));
  }

  @Test
  void plainTextWhenJsonIsOffWithLineBreaksEscaped(@TempDir Path dir) throws Exception {
    try (ConfiguredLogging logging = LoggingSetup.configure(options(dir).withJson(false), false)) {
      log.warn("line one\nFAKE 2026 ERROR forged");
      log.error("boom", new IllegalArgumentException("bad"));
      new RequestLog(Duration.ofMillis(100)).log("POST", "/api/x", 503, 250.0, null, "127.0.0.1", "ua \"q\"", "r-7");
    }
    LogFiles files = new LogFiles(dir, "shop");
    List<String> main = Files.readAllLines(files.main());
    assertThat(main.get(0)).matches("\\S+ WARNING +\\[.+\\] dev\\.vigil\\.test\\.Orders - line one\\\\nFAKE 2026 ERROR forged");
    assertThat(main.get(1)).contains(" ERROR ").endsWith(" - boom");
    assertThat(main.get(2)).isEqualTo("\tjava.lang.IllegalArgumentException: bad");
    assertThat(Files.readString(files.requests())).contains(" POST /api/x status_code=503 response_time_ms=250.00 "
        + "user_id=- ip_address=127.0.0.1 request_id=r-7 slow=true user_agent=\"ua 'q'\"");
  }

  @Test
  void consoleIsColouredByLevelOnlyWhenAsked(@TempDir Path dir) throws Exception {
    assertThat(console(dir, true)).contains("\u001b[32m").contains("\u001b[33m").contains("\u001b[31m")
        .contains("\u001b[35;1m").contains("\u001b[0m").contains("order placed");
    assertThat(console(dir, false)).doesNotContain("\u001b[").contains("order placed");
  }

  @Test
  void colourFollowsTheTerminalAndNoColor() {
    assertThat(ConsoleColour.AUTO.resolve(true, Map.of())).isTrue();
    assertThat(ConsoleColour.AUTO.resolve(false, Map.of())).isFalse();
    assertThat(ConsoleColour.AUTO.resolve(true, Map.of("NO_COLOR", "1"))).isFalse();
    assertThat(ConsoleColour.AUTO.resolve(true, Map.of("NO_COLOR", ""))).isTrue();
    assertThat(ConsoleColour.AUTO.resolve(true, Map.of("TERM", "dumb"))).isFalse();
    assertThat(ConsoleColour.NEVER.resolve(true, Map.of())).isFalse();
    assertThat(ConsoleColour.ALWAYS.resolve(false, Map.of("NO_COLOR", "1"))).isTrue();
  }

  @Test
  void consoleOffAndFilesOffWriteNothing(@TempDir Path dir) throws Exception {
    Path logs = dir.resolve("logs");
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (ConfiguredLogging logging = LoggingSetup.configure(options(logs).withFiles(false), false)) {
      log.error("nowhere");
      new RequestLog(Duration.ofSeconds(1)).log("GET", "/", 200, 1, null, "::1", null);
      assertThat(logging.files()).isEmpty();
    } finally {
      System.setErr(saved);
    }
    assertThat(logs).doesNotExist();
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("nowhere");
  }

  @Test
  void anUnwritableLogDirFailsNamingTheFile(@TempDir Path dir) throws Exception {
    Path notADir = Files.writeString(dir.resolve("blocker"), "x");
    assertThatThrownBy(() -> LoggingSetup.configure(options(notADir), false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(notADir.resolve("shop.log").toString());
  }

  @Test
  void badOptionsAreRefusedNamingTheOption(@TempDir Path dir) {
    assertThatThrownBy(() -> options(dir).withMaxBytes(0)).hasMessageContaining("max bytes");
    assertThatThrownBy(() -> options(dir).withBackupCount(-1)).hasMessageContaining("backup count");
    assertThatThrownBy(() -> LoggingOptions.defaults("../etc")).hasMessageContaining("app name '../etc'");
    assertThatThrownBy(() -> LogLevel.parse("loud")).hasMessageContaining("unknown log level 'loud'");
    assertThat(LogLevel.parse("warn")).isEqualTo(LogLevel.WARNING);
    assertThat(LogLevel.parse("Critical")).isEqualTo(LogLevel.CRITICAL);
  }

  @Test
  void aFullQueueDropsOnlyInfoAndBelowAndCountsIt(@TempDir Path dir) throws Exception {
    int threads = 4;
    int perThread = 20_000;
    ConfiguredLogging logging = LoggingSetup.configure(options(dir).withQueueSize(16).withIncludeLocation(true), false);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          if (i % 100 == 0) {
            log.warn("warn {}", i);
          } else {
            log.info("info {}", i);
          }
        }
      }, "flood-" + t);
      w.start();
      writers.add(w);
    }
    for (Thread w : writers) {
      w.join();
    }
    logging.close();
    List<String> written = messages(new LogFiles(dir, "shop").main());
    long warns = written.stream().filter(m -> m.startsWith("warn")).count();
    long infos = written.stream().filter(m -> m.startsWith("info")).count();
    assertThat(warns).isEqualTo(threads * perThread / 100);
    assertThat(infos + logging.droppedEvents()).isEqualTo(threads * perThread * 99L / 100);
  }

  @Test
  void closingAnOlderHandleLeavesTheNewerConfigurationAlone(@TempDir Path dir) throws Exception {
    ConfiguredLogging first = LoggingSetup.configure(options(dir.resolve("a")), false);
    ConfiguredLogging second = LoggingSetup.configure(options(dir.resolve("b")), false);
    assertThat(first.isCurrent()).isFalse();
    first.close();
    log.info("after first closed");
    second.close();
    assertThat(second.isCurrent()).isFalse();
    assertThat(messages(new LogFiles(dir.resolve("b"), "shop").main())).containsExactly("after first closed");
  }

  private String console(Path dir, boolean colour) throws Exception {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (ConfiguredLogging logging = LoggingSetup.configure(options(dir).withConsole(true).withFiles(false), colour)) {
      log.info("order placed");
      log.warn("stock low");
      log.error("payment failed");
      log.error(LogLevel.CRITICAL_MARKER, "database gone");
    } finally {
      System.setErr(saved);
    }
    return err.toString(StandardCharsets.UTF_8);
  }
}
