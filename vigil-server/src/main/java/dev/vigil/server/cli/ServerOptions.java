package dev.vigil.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.server.auth.AdminToken;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command reaches a running server: {@code --server}, else the configured {@code server.bind} and
 * {@code server.port} (config file, {@code VIGIL_BIND}, {@code VIGIL_PORT}; a wildcard bind is reached on
 * loopback), and a token from {@code --token}, else
 * {@code $VIGIL_TOKEN}, else the admin token file in the configured data dir (readable only by its
 * owner). Prefer {@code VIGIL_TOKEN}: a token on the command line is visible to other local users.
 */
public final class ServerOptions {
  @Option(names = "--server", paramLabel = "URL",
      description = "the running server (default: http://<server.bind>:<server.port> of the configuration)")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", description = "API token (prefer $VIGIL_TOKEN)")
  String token;

  @Mixin
  ConfigOption config;

  // made on first use: picocli builds every command's options at start-up, and each client owns a thread
  private HttpClient client;

  /** GETs {@code path} (with query) and returns the JSON answer; throws with a clear message otherwise. */
  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** POSTs {@code body} as JSON to {@code path} and returns the JSON answer. */
  public JsonNode post(String path, Object body) {
    try {
      return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode request to " + path, e);
    }
  }

  /** DELETEs {@code path} and returns the JSON answer. */
  public JsonNode delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  /** The server's base URL: {@code --server}, else the configured bind address and port. */
  String base() {
    if (server != null && !server.isBlank()) {
      return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    }
    VigilConfig c = config.load();
    String host = c.get(Settings.SERVER_BIND);
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("[::]")) {
      host = "[::1]";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + c.get(Settings.SERVER_PORT);
  }

  private URI uri(String path) {
    String base = base();
    try {
      return URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid server URL: " + base, e);
    }
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    return client;
  }

  private JsonNode send(HttpRequest.Builder request) {
    String bearer = bearer();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
    String address = base();
    HttpResponse<byte[]> response;
    try {
      response = client().send(built, HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new IllegalStateException("no Vigil server answers at " + address + " (start it with 'vigil serve')", e);
    } catch (IOException e) {
      throw new IllegalStateException("talking to " + address + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + address, e);
    }
    JsonNode body;
    try {
      body = response.body().length == 0 ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(address + " answered " + response.statusCode() + " with a body that is not JSON",
          e);
    }
    if (response.statusCode() >= 400) {
      String message = body.path("error").path("message").asText("HTTP " + response.statusCode());
      if (response.statusCode() == 401) {
        message += " (pass a token with $VIGIL_TOKEN or --token)";
      }
      throw new IllegalStateException(built.method() + " " + built.uri().getPath() + ": " + message);
    }
    return body;
  }

  private String bearer() {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    String env = System.getenv("VIGIL_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    Path file = config.load().dataDir().resolve(AdminToken.FILE);
    try {
      return Files.isReadable(file) ? Files.readString(file).trim() : null;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
