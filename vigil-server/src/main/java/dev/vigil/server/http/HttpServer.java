package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.logging.LogFields;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.audit.AuditEvent.Outcome;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.TokenInfo;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP side of Vigil: Javalin with the API's rules applied to every route — request ids, JSON
 * errors, security headers, gzip above 1 KB unless {@code x-no-compression}, bearer-token roles and
 * rate limits. Routes come only from an {@link Api} table. While a request is served, its id and
 * the caller's token id are in the SLF4J MDC ({@code request_id}, {@code user_id}), so every log
 * record written for it carries them.
 */
public final class HttpServer implements AutoCloseable {
  /** Context attribute holding the caller's {@link TokenInfo} on authenticated routes. */
  public static final String TOKEN_ATTRIBUTE = "vigil.token";
  /** Context attribute holding the matched route pattern. */
  public static final String ROUTE_ATTRIBUTE = "vigil.route";
  /** Context attribute holding the request id. */
  public static final String REQUEST_ID_ATTRIBUTE = "vigil.requestId";
  /** Context attribute holding the {@link Auditor} of the server answering the request. */
  public static final String AUDITOR_ATTRIBUTE = "vigil.auditor";
  /** Context attribute set once the request's audit record was written. */
  public static final String AUDITED_ATTRIBUTE = "vigil.audited";
  /** Context attribute marking a request answered with a long-lived stream (never "slow" in the request log). */
  public static final String STREAM_ATTRIBUTE = "vigil.stream";
  /** Context attribute holding the client's address (the peer, or what a trusted proxy says). */
  public static final String CLIENT_IP_ATTRIBUTE = "vigil.clientIp";
  /** The Content-Security-Policy the dashboard lives under. */
  public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
      + "form-action 'self'";
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
  /** Response buffer: answers up to this size go out in one write with a Content-Length. */
  static final int RESPONSE_BUFFER_BYTES = 8 * 1024;
  /**
   * The security and caching headers of every answer, encoded once: Jetty then copies their bytes
   * instead of looking the names up and escaping the values on each request.
   */
  private static final List<HttpField> FIXED_HEADERS = List.of(
      new PreEncodedHttpField("X-Content-Type-Options", "nosniff"),
      new PreEncodedHttpField("X-Frame-Options", "DENY"),
      new PreEncodedHttpField("Referrer-Policy", "no-referrer"),
      new PreEncodedHttpField("Content-Security-Policy", CSP),
      new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store"),
      new PreEncodedHttpField(HttpHeader.VARY, "Accept-Encoding"));

  private final Options options;
  private final Javalin app;
  private final Api api;
  private final Authenticator authenticator;
  private final RateLimiter rateLimiter;
  private final Auditor auditor;
  private final ClientAddress clientAddress;

  /**
   * A request that was refused before its handler ran.
   *
   * @param method HTTP method
   * @param path request path
   * @param status 401, 403 or 429
   * @param reason why, without secrets
   * @param tokenId the token's id when one was recognised, else {@code null}
   * @param ip client address
   * @param requestId the request id
   */
  public record Denial(String method, String path, int status, String reason, String tokenId, String ip,
      String requestId) {
  }

  /**
   * Builds the server (not yet listening).
   *
   * @param options where to listen and how large a body may be
   * @param api the route table
   * @param authenticator resolves bearer tokens
   * @param rateLimiter per-IP and per-token limits
   * @param auditor writes the audit trail: handlers' actions, every refused request, and a generic
   *     record for a mutating request whose handler wrote none
   * @param requestLog told of every answered request with its duration in ms
   */
  public HttpServer(Options options, Api api, Authenticator authenticator, RateLimiter rateLimiter,
      Auditor auditor, RequestListener requestLog) {
    this.options = Objects.requireNonNull(options, "options");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    this.auditor = Objects.requireNonNull(auditor, "auditor");
    this.api = Objects.requireNonNull(api, "api");
    this.clientAddress = ClientAddress.trusting(options.trustedProxies());
    this.app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.jetty.defaultHost = options.bind();
      cfg.jetty.defaultPort = options.port();
      cfg.http.maxRequestSize = options.maxBodyBytes();
      cfg.jetty.clientAbortStatus = 400;
      cfg.jetty.timeoutStatus = 408;
      cfg.http.prefer405over404 = true;
      cfg.http.generateEtags = false;
      // Javalin copies each answer through a fresh buffer of this size, and Jetty aggregates output in one:
      // API answers are a few KB, and a 32 KB default made every request allocate 32 KB of garbage
      cfg.http.responseBufferSize = RESPONSE_BUFFER_BYTES;
      cfg.router.ignoreTrailingSlashes = true;
      CompressionStrategy gzip = new CompressionStrategy(null, new Gzip(6));
      gzip.setDefaultMinSizeForCompression(1024);
      cfg.http.customCompression(gzip);
      cfg.jetty.modifyServletContextHandler(h -> {
        h.addFilter(new FilterHolder(new NoCompressionFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        h.addFilter(new FilterHolder(new BodyLimitFilter(options.maxBodyBytes())), "/*",
            EnumSet.of(DispatcherType.REQUEST));
        h.setErrorHandler(new JsonErrorHandler());
      });
      cfg.jetty.modifyServer(s -> {
        s.setErrorHandler(new JsonErrorHandler());
        s.setStopTimeout(10_000);
      });
      cfg.jetty.modifyHttpConfiguration(hc -> {
        hc.setSendServerVersion(false);
        hc.setSendXPoweredBy(false);
      });
      cfg.requestLogger.http((ctx, ms) -> {
        try {
          requestLog.answered(ctx, ms);
        } finally {
          MDC.remove(LogFields.REQUEST_ID);
          MDC.remove(LogFields.USER_ID);
        }
      });
      for (ApiRoute route : matchOrder(api.routes())) {
        cfg.router.mount(r -> r.addHttpHandler(route.method(), route.path(), guard(route)));
        if (route.method() == HandlerType.GET) {
          // HEAD is GET without a body (Jetty drops it): same auth, limits, audit and status
          cfg.router.mount(r -> r.addHttpHandler(HandlerType.HEAD, route.path(), guard(route)));
        }
      }
      options.staticFiles().forEach((classpathDir, urlPath) -> cfg.staticFiles.add(sf -> {
        sf.directory = classpathDir;
        sf.hostedPath = urlPath;
        sf.location = Location.CLASSPATH;
        sf.precompress = false;
        sf.headers = Map.of("Cache-Control", "no-cache");
      }));
    });
    app.before(this::stamp);
    app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
    app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), codeFor(e.getStatus()),
        messageFor(ctx, e)));
    for (Api.ErrorMapping<?> mapping : api.errors()) {
      mapError(mapping);
    }
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("request {} {} failed (request id {})", ctx.method(), ctx.path(), requestId(ctx), e);
      error(ctx, 500, "internal_error", "internal error; quote request id " + requestId(ctx));
    });
  }

  private <E extends Exception> void mapError(Api.ErrorMapping<E> mapping) {
    app.exception(mapping.type(), (e, ctx) -> {
      if (mapping.status() >= 500) {
        // the answer carries the message only: the cause and stack trace go to the server log
        LOG.error("request {} {} failed (request id {}): {}", ctx.method(), ctx.path(), requestId(ctx),
            e.getMessage(), e);
      }
      error(ctx, mapping.status(), mapping.code(), String.valueOf(e.getMessage()));
    });
  }

  /**
   * The routes in the order Javalin tries them: it matches a request against each route of its method in
   * turn, one regular expression each, and takes the first that fits. Exact paths go first, in table
   * order (the server's own {@code /api/health} and {@code /api/info} lead the table), then templates. An
   * exact path never loses a request it could answer to a template this way, and the routes probed
   * most often are found after a handful of comparisons instead of a pass over the whole table.
   */
  static List<ApiRoute> matchOrder(List<ApiRoute> routes) {
    List<ApiRoute> ordered = new ArrayList<>(routes);
    ordered.sort(Comparator.comparing(r -> isTemplate(r.path())));
    return ordered;
  }

  private static boolean isTemplate(String path) {
    return path.indexOf('{') >= 0 || path.indexOf('<') >= 0 || path.indexOf('*') >= 0;
  }

  /**
   * Where and how the server listens.
   *
   * @param bind address to bind
   * @param port port, 0 for any free one
   * @param maxBodyBytes largest request body
   * @param staticFiles classpath directory → URL path of static files served without a token
   * @param trustedProxies {@code server.trusted_proxies}: CIDRs whose forwarding headers are believed
   *     ({@code null}: none)
   */
  public record Options(String bind, int port, long maxBodyBytes, Map<String, String> staticFiles,
      String trustedProxies) {
    /** Options trusting no proxy. */
    public Options(String bind, int port, long maxBodyBytes, Map<String, String> staticFiles) {
      this(bind, port, maxBodyBytes, staticFiles, null);
    }
  }

  /**
   * Writes the API's audit trail. The rule, held here for every route: each mutating request
   * (POST/PUT/DELETE) that reaches its route leaves exactly one record — a denial, the handler's own
   * record, or (when the handler wrote none, e.g. it failed validation first) a generic one with the
   * outcome and status; every denied request (any method) leaves one too.
   */
  public interface Auditor {
    /** A handler's record of one action. */
    void action(Context ctx, AuditEvent event);

    /** A request refused before its handler ran. */
    void denied(Context ctx, Denial denial);

    /**
     * Why an action could not be audited now (e.g. the log disk is full), or empty when it can. A
     * mutating request is refused with 503 before its handler runs while this says so.
     */
    default Optional<String> unavailable() {
      return Optional.empty();
    }
  }

  /**
   * Records {@code event} in the audit trail of the server answering {@code ctx}, as done by the
   * request's caller (the hook every state-changing handler calls once per action).
   *
   * @throws IllegalStateException when {@code ctx} is not a request of an API route
   */
  public static void audit(Context ctx, AuditEvent event) {
    Auditor a = ctx.attribute(AUDITOR_ATTRIBUTE);
    if (a == null) {
      throw new IllegalStateException("audit called outside an API request: " + event.action());
    }
    ctx.attribute(AUDITED_ATTRIBUTE, Boolean.TRUE);
    a.action(ctx, event);
  }

  /** Told of every answered request, for the request log and HTTP metrics. */
  @FunctionalInterface
  public interface RequestListener {
    /** Called once per request after it was answered, with its duration in milliseconds. */
    void answered(Context ctx, float millis);
  }

  /**
   * Starts listening.
   *
   * @throws IllegalStateException naming the address and why it cannot be bound (Jetty's own error
   *     after a failed bind is only "STOPPED")
   */
  public HttpServer start() {
    if (options.port() != 0) {
      // a taken port is one clean line, not Jetty's stack trace of the failed start
      bindFailure().ifPresent(why -> {
        throw new IllegalStateException("cannot listen on " + options.bind() + ":" + options.port() + ": " + why);
      });
    }
    try {
      app.start();
    } catch (Exception e) {
      // Javalin rethrows Jetty's checked exceptions undeclared
      throw new IllegalStateException("cannot listen on " + options.bind() + ":" + options.port() + ": "
          + bindFailure().orElse(String.valueOf(e.getMessage())), e);
    }
    return this;
  }

  /** Why the configured address cannot be bound, if a plain socket cannot bind it either. */
  private Optional<String> bindFailure() {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(options.bind(), options.port()));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  /** The underlying Javalin, for tests that enumerate its routes. */
  public Javalin javalin() {
    return app;
  }

  /** Ends long-lived streams ({@link Api#onStop}), stops accepting, lets in-flight requests finish, and stops. */
  @Override
  public void close() {
    api.stopHooks().forEach(Runnable::run);
    app.stop();
  }

  /** The caller's token on an authenticated route. */
  public static TokenInfo caller(Context ctx) {
    return ctx.attribute(TOKEN_ATTRIBUTE);
  }

  /**
   * The route pattern that matched {@code ctx} (e.g. {@code /api/tokens/{id}}), or {@code "unmatched"}
   * for requests no API route answered — never the raw path, which would be unbounded.
   */
  public static String route(Context ctx) {
    String route = ctx.attribute(ROUTE_ATTRIBUTE);
    return route == null ? "unmatched" : route;
  }

  /**
   * The client's address: the TCP peer, or the address a trusted proxy ({@code server.trusted_proxies})
   * forwarded for.
   */
  public static String clientIp(Context ctx) {
    String ip = ctx.attribute(CLIENT_IP_ATTRIBUTE);
    return ip == null ? ctx.ip() : ip;
  }

  /** The request id of {@code ctx}. */
  public static String requestId(Context ctx) {
    String id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
    return id == null ? "-" : id;
  }

  private void stamp(Context ctx) {
    ctx.attribute(AUDITOR_ATTRIBUTE, auditor);
    ctx.attribute(CLIENT_IP_ATTRIBUTE, clientAddress.trustsAnyProxy()
        ? clientAddress.resolve(ctx.req().getRemoteAddr(), ctx.header("Forwarded"), ctx.header("X-Forwarded-For"))
        : ctx.req().getRemoteAddr());
    String id = RequestIds.choose(ctx.header(RequestIds.HEADER));
    ctx.attribute(REQUEST_ID_ATTRIBUTE, id);
    MDC.remove(LogFields.USER_ID);
    MDC.put(LogFields.REQUEST_ID, id);
    ctx.header(RequestIds.HEADER, id);
    if (Response.unwrap(ctx.res()) instanceof Response jetty) {
      HttpFields.Mutable fields = jetty.getHttpFields();
      for (HttpField h : FIXED_HEADERS) {
        fields.put(h);
      }
    } else {
      FIXED_HEADERS.forEach(h -> ctx.header(h.getName(), h.getValue()));
    }
  }

  private Handler guard(ApiRoute route) {
    return ctx -> {
      ctx.attribute(ROUTE_ATTRIBUTE, route.path());
      if (route.isPublic()) {
        limitIp(ctx);
        limitCost(ctx, route, "ip:" + clientIp(ctx));
        route.handler().handle(ctx);
        return;
      }
      String header = ctx.header("Authorization");
      if (header == null || header.isBlank()) {
        limitIp(ctx);
        throw deny(ctx, 401, "unauthorized", "a bearer token is required", null);
      }
      String bearer = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
      TokenInfo token = authenticator.authenticate(bearer).orElse(null);
      if (token == null) {
        limitIp(ctx);
        throw deny(ctx, 401, "unauthorized", "the bearer token is not valid", null);
      }
      OptionalLong wait = rateLimiter.tryToken(token.id());
      if (wait.isPresent()) {
        ctx.header("Retry-After", Long.toString(wait.getAsLong()));
        throw deny(ctx, 429, "rate_limited", "too many requests for this token; retry after " + wait.getAsLong()
            + " s", token.id());
      }
      if (!route.allows(token.role())) {
        throw deny(ctx, 403, "forbidden", "this route needs the " + route.role().label() + " role; the token is "
            + token.role().label(), token.id());
      }
      limitCost(ctx, route, "token:" + token.id());
      ctx.attribute(TOKEN_ATTRIBUTE, token);
      MDC.put(LogFields.USER_ID, token.id());
      if (route.method() == HandlerType.GET) {
        route.handler().handle(ctx);
        return;
      }
      Optional<String> unauditable = auditor.unavailable();
      if (unauditable.isPresent()) {
        // an action that cannot be audited is refused before it takes effect; reads keep working
        ctx.attribute(AUDITED_ATTRIBUTE, Boolean.TRUE);
        throw new ApiException(503, "audit_unavailable", "refused: this action cannot be audited now ("
            + unauditable.get() + "); reads keep working, and actions resume by themselves once it can");
      }
      try {
        route.handler().handle(ctx);
      } catch (Exception | Error e) { // an Error (OutOfMemoryError…) leaves its record too
        int status = statusOf(e);
        try {
          auditUnaudited(ctx, route, status, status < 500 ? e.getMessage() : "internal error");
        } catch (RuntimeException auditFailure) {
          auditFailure.addSuppressed(e);
          throw auditFailure;
        }
        throw e;
      }
      auditUnaudited(ctx, route, ctx.statusCode(), null);
    };
  }

  /** The status the client gets for {@code e}: its own, its mapping's, or 500. */
  private int statusOf(Throwable e) {
    if (e instanceof ApiException a) {
      return a.status();
    }
    if (e instanceof HttpResponseException h) {
      return h.getStatus();
    }
    return api.mappingOf(e).map(Api.ErrorMapping::status).orElse(500);
  }

  /** The generic record of a mutating request whose handler did not audit itself. */
  private static void auditUnaudited(Context ctx, ApiRoute route, int status, String reason) {
    if (Boolean.TRUE.equals(ctx.attribute(AUDITED_ATTRIBUTE))) {
      return;
    }
    AuditEvent event = new AuditEvent("api." + route.method().name().toLowerCase(Locale.ROOT),
        "route:" + route.method() + " " + route.path(), status < 400 ? Outcome.SUCCESS : Outcome.FAILURE, Map.of())
        .with("path", shorten(ctx.path()))
        .with("status", Integer.toString(status))
        .with("reason", reason == null || reason.length() <= 200 ? reason : reason.substring(0, 200) + "...");
    audit(ctx, event);
  }

  private void limitIp(Context ctx) {
    OptionalLong wait = rateLimiter.tryIp(clientIp(ctx));
    if (wait.isPresent()) {
      ctx.header("Retry-After", Long.toString(wait.getAsLong()));
      throw deny(ctx, 429, "rate_limited", "too many requests from this address; retry after " + wait.getAsLong()
          + " s", null);
    }
  }

  /** Takes an expensive route's cost from the caller's expensive-route bucket (cheap routes cost nothing). */
  private void limitCost(Context ctx, ApiRoute route, String caller) {
    int cost = RouteCost.of(route, ctx);
    if (cost == 0) {
      return;
    }
    OptionalLong wait = rateLimiter.tryExpensive(caller, cost);
    if (wait.isPresent()) {
      ctx.header("Retry-After", Long.toString(wait.getAsLong()));
      throw deny(ctx, 429, "rate_limited", "too many expensive requests (" + route.method() + " " + route.path()
          + " costs " + cost + "); retry after " + wait.getAsLong() + " s",
          caller.startsWith("token:") ? caller.substring(6) : null);
    }
  }

  /** Audits the refusal of {@code ctx} and returns the error to throw. */
  private ApiException deny(Context ctx, int status, String code, String message, String tokenId) {
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"vigil\"");
    }
    ctx.attribute(AUDITED_ATTRIBUTE, Boolean.TRUE);
    auditor.denied(ctx, new Denial(ctx.method().name(), ctx.path(), status, message, tokenId, clientIp(ctx),
        requestId(ctx)));
    return new ApiException(status, code, message);
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).contentType("application/json");
    try {
      ctx.result(Json.MAPPER.writeValueAsBytes(Map.of("error", Map.of("code", code, "message", message))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write error body", e);
    }
  }

  private static String codeFor(int status) {
    HttpStatus s = HttpStatus.forStatus(status);
    return switch (status) {
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "body_too_large";
      default -> s == HttpStatus.UNKNOWN ? "error_" + status : s.getMessage().toLowerCase(Locale.ROOT).replace(' ', '_');
    };
  }

  private static String messageFor(Context ctx, HttpResponseException e) {
    return switch (e.getStatus()) {
      case 404 -> "no route " + ctx.method() + " " + shorten(ctx.path());
      case 405 -> "method " + ctx.method() + " is not allowed on " + shorten(ctx.path());
      case 413 -> "request body is larger than allowed";
      default -> e.getMessage();
    };
  }

  private static String shorten(String path) {
    return path.length() <= 200 ? path : path.substring(0, 200) + "...";
  }
}
