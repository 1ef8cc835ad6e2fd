package dev.vigil.alert.probe;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An endpoint check: GET {@code url} every {@code interval}; up when it answers {@code expectStatus}
 * within {@code timeout} and, when set, the body contains {@code expectKeyword}. For https URLs the
 * server certificate's expiry is recorded.
 *
 * @param name the probe name (letters, digits, {@code . _ -})
 * @param url http(s) URL
 * @param interval how often
 * @param timeout how long one check may take
 * @param expectStatus the status that means up
 * @param expectKeyword text the body must contain, or {@code null}
 * @param caFile a PEM file of the certificates to trust for this https URL instead of the system's
 *     (a private CA), or {@code null}
 */
public record Probe(
    @JsonProperty("name") String name,
    @JsonProperty("url") String url,
    @JsonProperty("interval") Duration interval,
    @JsonProperty("timeout") Duration timeout,
    @JsonProperty("expect_status") int expectStatus,
    @JsonProperty("expect_keyword") String expectKeyword,
    @JsonProperty("ca_file") Path caFile) {
  /** 30 s. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  /** 5 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** A probe trusting the system's certificate authorities. */
  public Probe(String name, String url, Duration interval, Duration timeout, int expectStatus, String expectKeyword) {
    this(name, url, interval, timeout, expectStatus, expectKeyword, null);
  }

  /** Validates. */
  public Probe {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new IllegalArgumentException("probe name must be 1-100 letters, digits, '.', '_' or '-', got " + name);
    }
    URI u;
    try {
      u = URI.create(url == null ? "" : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("probe " + name + ": url is not a URL", e);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw new IllegalArgumentException("probe " + name + ": url must be http(s)://host/..., got " + url);
    }
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (interval.toMillis() < 1000 || timeout.toMillis() < 1 || timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException("probe " + name + ": interval must be >= 1s and timeout between 1ms and the interval");
    }
    expectStatus = expectStatus == 0 ? 200 : expectStatus;
    if (expectStatus < 100 || expectStatus > 599) {
      throw new IllegalArgumentException("probe " + name + ": expect_status must be an HTTP status, got " + expectStatus);
    }
    if (caFile != null && !"https".equals(u.getScheme())) {
      throw new IllegalArgumentException("probe " + name + ": ca_file is for https URLs, got " + url);
    }
  }
}
