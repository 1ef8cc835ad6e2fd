package dev.vigil.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.config.Setting;
import dev.vigil.core.config.ValueParser;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.logging.setup.ConfiguredLogging;
import dev.vigil.proxy.AppProxy;
import dev.vigil.proxy.ProxyConfig;
import dev.vigil.server.feature.Feature;
import dev.vigil.server.feature.Health;
import dev.vigil.server.feature.ServerContext;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Json;
import dev.vigil.server.logging.LoggingSettings;
import java.util.List;
import java.util.Optional;

/**
 * The application proxy as a server feature: with {@code proxy.upstream} set, Vigil listens on
 * {@code proxy.listen} in front of the user's own application, and offers its route statistics,
 * summary and cache purge at {@code /api/app}, its meters at {@code /metrics}, and its request log in
 * {@code <app>_app_requests.log}.
 */
public final class ProxyFeature implements Feature {
  /** The application behind the proxy; setting it turns the proxy on. */
  static final Setting<String> UPSTREAM = Setting.of("proxy.upstream", ValueParser.text(), null,
      "the user's application the proxy forwards to (http://host:port); setting it turns the proxy on",
      "VIGIL_PROXY_UPSTREAM");
  /** Where the proxy listens. */
  static final Setting<String> LISTEN = Setting.of("proxy.listen", ValueParser.text(),
      ProxyConfig.DEFAULT_LISTEN_HOST + ":" + ProxyConfig.DEFAULT_LISTEN_PORT,
      "address the application proxy listens on (host:port)", "VIGIL_PROXY_LISTEN");
  /** The {@code proxy:} YAML keys handed to {@link ProxyConfig#fromJson} as they are, beside the two settings. */
  private static final List<String> SECTIONS = List.of("routes", "cache", "limits", "health", "trusted_proxies",
      "preserve_host", "connect_timeout", "read_timeout", "header_timeout", "max_connections", "max_routes",
      "compression", "user_id_header", "request_buffer_bytes", "request_buffer_total_bytes");

  @Override
  public String name() {
    return "proxy";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(UPSTREAM, LISTEN);
  }

  @Override
  public List<String> sections() {
    return SECTIONS.stream().map(k -> "proxy." + k).toList();
  }

  @Override
  public boolean enabled(VigilConfig config) {
    return config.find(UPSTREAM).filter(u -> !u.isBlank()).isPresent();
  }

  @Override
  public String howToEnable() {
    return "set proxy.upstream (VIGIL_PROXY_UPSTREAM) to your application's http://host:port";
  }

  @Override
  public List<String> paths() {
    return List.of("/api/app");
  }

  @Override
  public void start(ServerContext context) throws Exception {
    ProxyConfig config = config(context.config());
    Optional<ConfiguredLogging> logging = context.find(ConfiguredLogging.class);
    AppRequestLog log = logging.map(l -> AppRequestLog.open(l.options(),
        context.config().get(LoggingSettings.LOG_SLOW_REQUEST).toNanos() / 1e6)).orElse(null);
    if (log != null) {
      context.closeOnStop(log);
    }
    AppProxy proxy = context.closeOnStop(AppProxy.start(config, context.cache(), context.meters(), context.clock(),
        log));
    context.health(name(), () -> proxy.summary().upstreamUp()
        ? Health.up(config.upstream() + " answers; listening on " + proxy.listen())
        : Health.down(config.upstream() + " is down: " + proxy.summary().lastError()));
    context.provide(AppProxy.class, proxy);
    ProxyApi.register(context.routes(), proxy, HttpServer::audit);
  }

  /** The library's configuration from the server's settings and the {@code proxy:} YAML sections. */
  static ProxyConfig config(VigilConfig c) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("upstream", c.get(UPSTREAM));
    node.put("listen", c.get(LISTEN));
    for (String key : SECTIONS) {
      Optional<JsonNode> section = c.section("proxy." + key);
      section.ifPresent(s -> node.set(key, s));
    }
    return ProxyConfig.fromJson(node);
  }
}
