package dev.vigil.alert.probe;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alert.Durations;
import dev.vigil.alert.report.ReportTable;
import dev.vigil.alert.rule.MetricSource;
import dev.vigil.alert.rule.Op;
import dev.vigil.alert.rule.Rule;
import dev.vigil.alert.rule.Series;
import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint checks and SLOs: runs each {@link Probe} on its interval (threads {@code vigil-probe}),
 * keeps every result in the state store (table {@code vigil_alert_probe_result}), reports uptime,
 * response times and certificate expiry, computes SLO error budgets and multi-window burn rates
 * (Google SRE workbook: 14.4x over 1 h and 5 m pages, 6x over 6 h and 30 m tickets), and offers all
 * of it to rules as a {@link MetricSource}.
 */
public final class Probes implements MetricSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Probes.class);
  /** Fast burn: 14.4x over 1 h and 5 m (2 % of a 30-day budget in an hour). */
  public static final double FAST_BURN = 14.4;
  /** Slow burn: 6x over 6 h and 30 m (5 % of a 30-day budget in 6 hours). */
  public static final double SLOW_BURN = 6;
  private static final int MAX_BODY = 1 << 20;
  /** A certificate expiring within this many days raises ProbeCertificateExpiring. */
  public static final int CERT_WARN_DAYS = 14;
  /** Checks a burn alert's long window needs before it may fire. */
  public static final int MIN_CHECKS = 10;
  private final StateStore store;
  private final Clock clock;
  private final Map<String, Probe> probes = new LinkedHashMap<>();
  private final List<Slo> slos;
  private final HttpClient http = client(null);
  private final Map<String, HttpClient> privateTrust = new LinkedHashMap<>();
  private ScheduledExecutorService scheduler;

  /** Probes and SLOs over {@code store} (migrating the alert tables). */
  public Probes(StateStore store, Clock clock, List<Probe> probes, List<Slo> slos) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (Probe p : probes) {
      if (this.probes.put(p.name(), p) != null) {
        throw new IllegalArgumentException("two probes are named " + p.name());
      }
      if (p.caFile() != null) {
        privateTrust.put(p.name(), client(CaTrust.load(p.name(), p.caFile())));
      }
    }
    for (Slo s : slos) {
      if (!this.probes.containsKey(s.probe())) {
        throw new IllegalArgumentException("slo " + s.name() + " reads probe " + s.probe() + ", which is not configured");
      }
    }
    this.slos = List.copyOf(slos);
    store.migrate("alert");
  }

  private static HttpClient client(SSLContext ssl) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL);
    return ssl == null ? b.build() : b.sslContext(ssl).build();
  }

  /**
   * Reads the {@code probes} section: a list of {@code {name, url, interval, timeout, expect_status,
   * expect_keyword, ca_file, slo: {objective, latency_ms, window}}}.
   *
   * @throws IllegalArgumentException naming the probe and setting that is wrong, e.g. a {@code ca_file}
   *     that is missing or holds no certificate
   */
  public static Probes parse(JsonNode section, StateStore store, Clock clock) {
    List<Probe> probes = new ArrayList<>();
    List<Slo> slos = new ArrayList<>();
    int i = 0;
    for (JsonNode n : section == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : section) {
      String where = "probes[" + i++ + "]";
      try {
        Probe p = new Probe(n.path("name").asText(null), n.path("url").asText(null),
            n.hasNonNull("interval") ? Durations.parse(n.get("interval").asText(), "interval") : null,
            n.hasNonNull("timeout") ? Durations.parse(n.get("timeout").asText(), "timeout") : null,
            n.path("expect_status").asInt(200), n.path("expect_keyword").asText(null),
            n.hasNonNull("ca_file") ? Path.of(n.get("ca_file").asText()) : null);
        probes.add(p);
        JsonNode s = n.path("slo");
        if (s.isObject()) {
          slos.add(new Slo(p.name(), p.name(), s.path("objective").asDouble(0.999), s.path("latency_ms").asInt(0),
              s.hasNonNull("window") ? Durations.parse(s.get("window").asText(), "slo.window") : null));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    try {
      return new Probes(store, clock, probes, slos);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("probes: " + e.getMessage(), e);
    }
  }

  /** The probes. */
  public List<Probe> probes() {
    return List.copyOf(probes.values());
  }

  /** The SLOs. */
  public List<Slo> slos() {
    return slos;
  }

  /** Starts checking every probe on its interval. */
  public synchronized void start() {
    if (scheduler != null || probes.isEmpty()) {
      return;
    }
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "vigil-probe");
      t.setDaemon(true);
      return t;
    });
    for (Probe p : probes.values()) {
      ex.scheduleAtFixedRate(() -> {
        try {
          check(p);
        } catch (RuntimeException e) {
          LOG.warn("probe {} could not be recorded: {}", p.name(), e.getMessage(), e);
        }
      }, 0, p.interval().toMillis(), TimeUnit.MILLISECONDS);
    }
    scheduler = ex;
  }

  /** Runs {@code probe} once now and records the result. */
  public ProbeResult check(Probe probe) {
    Instant at = clock.instant();
    long t0 = System.nanoTime();
    int status = 0;
    String error = null;
    Instant certExpires = null;
    try {
      HttpResponse<byte[]> r = privateTrust.getOrDefault(probe.name(), http).send(HttpRequest.newBuilder(URI.create(probe.url())).timeout(probe.timeout())
          .header("User-Agent", "Vigil probe").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      status = r.statusCode();
      if (r.sslSession().isPresent()) {
        Certificate[] chain = r.sslSession().get().getPeerCertificates();
        if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
          certExpires = x.getNotAfter().toInstant();
        }
      }
      if (status != probe.expectStatus()) {
        error = "answered HTTP " + status + ", expected " + probe.expectStatus();
      } else if (probe.expectKeyword() != null) {
        byte[] body = r.body();
        String text = new String(body, 0, Math.min(body.length, MAX_BODY), StandardCharsets.UTF_8);
        if (!text.contains(probe.expectKeyword())) {
          error = "body does not contain '" + probe.expectKeyword() + "'";
        }
      }
    } catch (HttpTimeoutException e) {
      error = "timed out after " + probe.timeout().toMillis() + " ms";
    } catch (SSLException e) {
      error = "TLS: " + e.getMessage();
    } catch (IOException e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - t0) / 1_000_000);
    ProbeResult result = new ProbeResult(probe.name(), at, error == null, status, millis, error, certExpires);
    record(result);
    return result;
  }

  /** Stores one result (what {@link #check} does; also for importing results). */
  public void record(ProbeResult r) {
    store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_alert_probe_result(probe, at, up, status, millis, error, "
            + "cert_expires_at) VALUES (:p, :at, :up, :s, :ms, :e, :c)")
        .bind("p", r.probe()).bind("at", r.at().toEpochMilli()).bind("up", r.up()).bind("s", r.status())
        .bind("ms", r.millis()).bind("e", r.error())
        .bind("c", r.certExpiresAt() == null ? null : (Long) r.certExpiresAt().toEpochMilli()).execute());
  }

  /** The latest results of {@code probe}, newest first. */
  public List<ProbeResult> history(String probe, int limit) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT probe, at, up, status, millis, error, cert_expires_at FROM "
            + "vigil_alert_probe_result WHERE probe = :p ORDER BY at DESC LIMIT :n")
        .bind("p", probe).bind("n", Math.max(1, Math.min(limit, 10_000)))
        .map((rs, ctx) -> {
          long c = rs.getLong(7);
          boolean noCert = rs.wasNull();
          return new ProbeResult(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getBoolean(3), rs.getInt(4),
              rs.getInt(5), rs.getString(6), noCert ? null : Instant.ofEpochMilli(c));
        }).list());
  }

  /**
   * A probe's state.
   *
   * @param probe the probe
   * @param last the latest result, or null before the first check
   * @param uptime24h share of passed checks over the last 24 h (null without checks)
   * @param avgMillis24h mean response time over the last 24 h
   * @param checks24h checks over the last 24 h
   * @param certDaysLeft days until the https certificate seen by the latest check expires (fractional,
   *     negative once expired), or {@code null} without one
   */
  public record Status(@JsonProperty("probe") Probe probe, @JsonProperty("last") ProbeResult last,
      @JsonProperty("uptime_24h") Double uptime24h, @JsonProperty("avg_ms_24h") Double avgMillis24h,
      @JsonProperty("checks_24h") long checks24h, @JsonProperty("cert_days_left") Double certDaysLeft) {
  }

  /** Every probe's state. */
  public List<Status> status() {
    long since = clock.millis() - Duration.ofHours(24).toMillis();
    List<Status> out = new ArrayList<>();
    for (Probe p : probes.values()) {
      List<ProbeResult> last = history(p.name(), 1);
      double[] agg = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*), SUM(CASE WHEN up THEN 1 ELSE 0 END), "
              + "AVG(millis) FROM vigil_alert_probe_result WHERE probe = :p AND at > :since")
          .bind("p", p.name()).bind("since", since)
          .map((rs, ctx) -> new double[] {rs.getLong(1), rs.getLong(2), rs.getDouble(3)}).one());
      ProbeResult latest = last.isEmpty() ? null : last.get(0);
      Double daysLeft = latest == null || latest.certExpiresAt() == null ? null
          : Math.round((latest.certExpiresAt().toEpochMilli() - clock.millis()) / 864_000.0) / 100.0;
      out.add(new Status(p, latest, agg[0] == 0 ? null : agg[1] / agg[0], agg[0] == 0 ? null : agg[2], (long) agg[0],
          daysLeft));
    }
    return out;
  }

  /**
   * An SLO's state.
   *
   * @param slo the SLO
   * @param sli share of good checks over the SLO window (null without checks)
   * @param errorBudgetRemaining 1 - spent share of the budget (negative when overspent)
   * @param burnRates error ratio / (1 - objective) over 5m, 30m, 1h, 6h
   * @param fastBurn 14.4x over both 1 h and 5 m, with at least {@link #MIN_CHECKS} checks in the hour
   * @param slowBurn 6x over both 6 h and 30 m, with at least {@link #MIN_CHECKS} checks in the 6 hours
   */
  public record SloStatus(@JsonProperty("slo") Slo slo, @JsonProperty("sli") Double sli,
      @JsonProperty("error_budget_remaining") Double errorBudgetRemaining,
      @JsonProperty("burn_rates") Map<String, Double> burnRates, @JsonProperty("fast_burn") boolean fastBurn,
      @JsonProperty("slow_burn") boolean slowBurn) {
  }

  /** Every SLO's state now. */
  public List<SloStatus> sloStatus() {
    List<SloStatus> out = new ArrayList<>();
    for (Slo s : slos) {
      double budget = 1 - s.objective();
      Double sli = goodRatio(s, s.window());
      Map<String, Double> burn = new LinkedHashMap<>();
      Map<String, Long> checks = new LinkedHashMap<>();
      for (String w : List.of("5m", "30m", "1h", "6h")) {
        long[] c = counts(s, Durations.parse(w, "window"));
        checks.put(w, c[0]);
        burn.put(w, c[0] == 0 ? 0.0 : (1 - (double) c[1] / c[0]) / budget);
      }
      // a burn alert needs enough checks in its long window: one failed first check is not a page
      boolean fast = checks.get("1h") >= MIN_CHECKS && burn.get("1h") > FAST_BURN && burn.get("5m") > FAST_BURN;
      boolean slow = checks.get("6h") >= MIN_CHECKS && burn.get("6h") > SLOW_BURN && burn.get("30m") > SLOW_BURN;
      out.add(new SloStatus(s, sli, sli == null ? null : 1 - (1 - sli) / budget, burn, fast, slow));
    }
    return out;
  }

  /**
   * The SLO budgets section of the weekly report: each SLO's objective, SLI and error budget left over
   * its window, and its burn rates now.
   */
  public ReportTable sloReport() {
    if (slos.isEmpty()) {
      return ReportTable.note("No SLO is configured (probes[].slo).");
    }
    List<List<String>> rows = new ArrayList<>();
    for (SloStatus s : sloStatus()) {
      rows.add(List.of(s.slo().name(), s.slo().probe(), percent(s.slo().objective(), 3),
          s.slo().window().toDays() + "d", s.sli() == null ? "no checks" : percent(s.sli(), 3),
          s.errorBudgetRemaining() == null ? "-" : percent(s.errorBudgetRemaining(), 1),
          String.format(Locale.ROOT, "%.2fx", s.burnRates().get("1h")),
          String.format(Locale.ROOT, "%.2fx", s.burnRates().get("6h")),
          s.fastBurn() ? "fast burn" : s.slowBurn() ? "slow burn" : "ok"));
    }
    return new ReportTable(List.of("SLO", "Probe", "Objective", "Window", "SLI", "Error budget left", "Burn 1h",
        "Burn 6h", "State"), rows, "Error budgets over each SLO's window, as of " + clock.instant() + ".");
  }

  private static String percent(double ratio, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f%%", ratio * 100);
  }

  private Double goodRatio(Slo s, Duration window) {
    long[] c = counts(s, window);
    return c[0] == 0 ? null : (double) c[1] / c[0];
  }

  /** Checks and good checks of the SLO's probe over the last {@code window}. */
  private long[] counts(Slo s, Duration window) {
    long since = clock.millis() - window.toMillis();
    return store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*), SUM(CASE WHEN up AND (:lat = 0 OR millis <= :lat) "
            + "THEN 1 ELSE 0 END) FROM vigil_alert_probe_result WHERE probe = :p AND at > :since")
        .bind("p", s.probe()).bind("lat", s.latencyMs()).bind("since", since)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
  }

  /**
   * Series for rules: {@code vigil_probe_up{probe}}, {@code vigil_probe_duration_seconds{probe}},
   * {@code vigil_probe_cert_expiry_seconds{probe}}, {@code vigil_probe_cert_days_left{probe}}, {@code vigil_slo_fast_burn{slo}},
   * {@code vigil_slo_slow_burn{slo}}, {@code vigil_slo_error_budget_remaining{slo}}.
   */
  @Override
  public List<Series> read(String metric) {
    List<Series> out = new ArrayList<>();
    switch (metric) {
      case "vigil_probe_up", "vigil_probe_duration_seconds", "vigil_probe_cert_expiry_seconds",
          "vigil_probe_cert_days_left" -> {
        for (Probe p : probes.values()) {
          List<ProbeResult> last = history(p.name(), 1);
          if (last.isEmpty()) {
            continue;
          }
          ProbeResult r = last.get(0);
          Map<String, String> l = Map.of("probe", p.name());
          if (metric.equals("vigil_probe_up")) {
            out.add(new Series(l, r.up() ? 1 : 0));
          } else if (metric.equals("vigil_probe_duration_seconds")) {
            out.add(new Series(l, r.millis() / 1000.0));
          } else if (r.certExpiresAt() != null) {
            double seconds = (r.certExpiresAt().toEpochMilli() - clock.millis()) / 1000.0;
            out.add(new Series(l, metric.equals("vigil_probe_cert_days_left")
                ? Math.round(seconds / 864.0) / 100.0 : seconds));
          }
        }
      }
      case "vigil_slo_fast_burn", "vigil_slo_slow_burn", "vigil_slo_error_budget_remaining" -> {
        for (SloStatus s : sloStatus()) {
          Map<String, String> l = Map.of("slo", s.slo().name());
          if (metric.equals("vigil_slo_fast_burn")) {
            out.add(new Series(l, s.fastBurn() ? 1 : 0));
          } else if (metric.equals("vigil_slo_slow_burn")) {
            out.add(new Series(l, s.slowBurn() ? 1 : 0));
          } else if (s.errorBudgetRemaining() != null) {
            out.add(new Series(l, s.errorBudgetRemaining()));
          }
        }
      }
      default -> {
        return List.of();
      }
    }
    return out;
  }

  /** The rules over these series: a probe down for 1 m, a certificate within {@value #CERT_WARN_DAYS} days, fast and slow SLO burns. */
  public static List<Rule> rules() {
    return List.of(
        rule("ProbeDown", "vigil_probe_up", Op.EQ, 0, Duration.ofMinutes(1), "critical",
            "{{ labels.probe }} is down", "{{ labels.probe }} متوقف"),
        rule("ProbeCertificateExpiring", "vigil_probe_cert_days_left", Op.LT, CERT_WARN_DAYS, Duration.ZERO, "warning",
            "TLS certificate of {{ labels.probe }} expires in {{ value }} days",
            "تنتهي شهادة TLS لـ {{ labels.probe }} خلال {{ value }} يوم"),
        rule("SloFastBurn", "vigil_slo_fast_burn", Op.EQ, 1, Duration.ofMinutes(2), "critical",
            "SLO {{ labels.slo }} burns its error budget 14.4x too fast (1 h and 5 m)",
            "هدف الخدمة {{ labels.slo }} يستهلك ميزانية الأخطاء أسرع 14.4 مرة"),
        rule("SloSlowBurn", "vigil_slo_slow_burn", Op.EQ, 1, Duration.ofMinutes(15), "warning",
            "SLO {{ labels.slo }} burns its error budget 6x too fast (6 h and 30 m)",
            "هدف الخدمة {{ labels.slo }} يستهلك ميزانية الأخطاء أسرع 6 مرات"));
  }

  private static Rule rule(String name, String metric, Op op, double threshold, Duration forDuration, String severity,
      String en, String ar) {
    return new Rule(name, Rule.Kind.THRESHOLD, metric, Map.of(), op, threshold, forDuration, 0, severity, Map.of(),
        Map.of("en", en, "ar", ar), Map.of(), null, null, true);
  }

  /** Stops the checks. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
  }
}
