package dev.vigil.alert.receiver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP calls of the receivers: JSON in, status classified (2xx ok; 408, 425, 429 and 5xx
 * transient; other 4xx permanent), errors naming the peer by {@code where} (never a secret URL) and
 * quoting the peer's answer in full (the engine masks secrets in it, then shortens it).
 */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  private Http() {
  }

  /** Answer of a successful call. */
  record Answer(int status, String body) {
  }

  static Answer send(String method, URI uri, Map<String, String> headers, String body, Duration timeout, String where)
      throws DeliveryException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    headers.forEach(b::header);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> r;
    try {
      r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new DeliveryException(method + " " + where + " timed out after " + timeout.toMillis() + " ms", false, e);
    } catch (IOException e) {
      throw new DeliveryException(method + " " + where + " failed: " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()), false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException(method + " " + where + " was interrupted", false, e);
    }
    int s = r.statusCode();
    if (s >= 200 && s < 300) {
      return new Answer(s, r.body());
    }
    boolean transientStatus = s == 408 || s == 425 || s == 429 || s >= 500;
    // whole: the engine masks secrets a peer may have echoed before it shortens the message
    String text = r.body() == null ? "" : r.body().strip();
    String hint = s == 401 || s == 403 ? " (check the receiver's credentials)" : "";
    throw new DeliveryException(method + " " + where + " answered HTTP " + s + hint + (text.isEmpty() ? "" : ": " + text),
        !transientStatus, null);
  }

  /** {@code scheme://host[:port]} of a URI: how an error names a peer whose URL path holds a secret. */
  static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  static URI uri(String text, String setting) {
    try {
      URI u = URI.create(text);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException(setting + " must be an http(s) URL with a host");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + " must be an http(s) URL with a host", e);
    }
  }
}
