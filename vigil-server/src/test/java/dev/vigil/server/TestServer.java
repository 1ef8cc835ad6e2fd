package dev.vigil.server;

import dev.vigil.core.config.VigilConfig;
import dev.vigil.server.auth.Role;
import dev.vigil.server.feature.Features;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** A real Vigil server on a free loopback port over a temp data dir, with a token per role. */
public final class TestServer implements AutoCloseable {
  public final Path dir;
  public final VigilServer server;
  public final String adminToken;
  public final String printed;
  private final Map<Role, String> tokens = new EnumMap<>(Role.class);
  public final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Path dir, Map<String, String> env) {
    this.dir = dir;
    Map<String, String> all = new HashMap<>();
    all.put("VIGIL_DATA_DIR", dir.resolve("data").toString());
    all.put("VIGIL_PORT", "0");
    all.put("LOG_DIR", dir.resolve("logs").toString());
    all.put("ENABLE_MONITORING", "false");
    all.put("VIGIL_SERVER_RATE_LIMIT_IP_PER_SECOND", "100000");
    all.put("VIGIL_SERVER_RATE_LIMIT_TOKEN_PER_SECOND", "100000");
    all.putAll(env);
    VigilConfig config = Features.loadConfig(null, all);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    this.server = VigilServer.start(config, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8));
    this.printed = out.toString(StandardCharsets.UTF_8);
    this.adminToken = server.createdAdminToken().map(t -> t.token()).orElseGet(() -> readAdminToken(dir));
    tokens.put(Role.ADMIN, adminToken);
  }

  private static String readAdminToken(Path dir) {
    try {
      return Files.readString(dir.resolve("data").resolve(dev.vigil.server.auth.AdminToken.FILE)).trim();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Starts a server in {@code dir} with extra environment-style overrides. */
  public static TestServer start(Path dir, Map<String, String> env) {
    return new TestServer(dir, env);
  }

  /** Starts a server in {@code dir} with test defaults. */
  public static TestServer start(Path dir) {
    return new TestServer(dir, Map.of());
  }

  /** A token of {@code role}, created through the API on first use. */
  public String token(Role role) throws Exception {
    String t = tokens.get(role);
    if (t == null) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/tokens"))
          .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"test " + role.label() + "\",\"role\":\""
              + role.label() + "\"}")).build());
      if (r.statusCode() != 201) {
        throw new AssertionError("token create failed: " + r.statusCode() + " " + r.body());
      }
      t = dev.vigil.server.http.Json.MAPPER.readTree(r.body()).get("token").asText();
      tokens.put(role, t);
    }
    return t;
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** GET with a token (or none when {@code token} is null). */
  public HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  /**
   * The audit records of {@code action} this server wrote, oldest first, read back through
   * {@code GET /api/audit} (the chained trail itself, not a log capture).
   */
  public java.util.List<com.fasterxml.jackson.databind.JsonNode> audited(String action) throws Exception {
    java.util.List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<String> r = get("/api/audit?limit=1000&action=" + java.net.URLEncoder.encode(action,
          StandardCharsets.UTF_8) + (cursor == null ? "" : "&cursor=" + cursor), adminToken);
      if (r.statusCode() != 200) {
        throw new AssertionError("GET /api/audit failed: " + r.statusCode() + " " + r.body());
      }
      com.fasterxml.jackson.databind.JsonNode page = dev.vigil.server.http.Json.MAPPER.readTree(r.body());
      page.path("events").forEach(out::add);
      cursor = page.path("next_cursor").isNull() || page.path("next_cursor").isMissingNode() ? null
          : page.path("next_cursor").asText();
    } while (cursor != null);
    return out;
  }

  /** Sends a request and reads the body as text. */
  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    server.close();
  }

  /** Creates a temp dir that the caller deletes (JUnit's @TempDir does it). */
  public static Path tempDir(String prefix) throws Exception {
    return Files.createTempDirectory(prefix);
  }
}
