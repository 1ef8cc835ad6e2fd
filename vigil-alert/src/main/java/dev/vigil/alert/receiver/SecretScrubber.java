package dev.vigil.alert.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the receivers' secrets from text before it is stored or logged: a peer may echo what it was
 * sent (the request URL with its key, an {@code Authorization} header) in the error body that becomes
 * a delivery's last error. Knows every secret of the configured receivers (secret, token, password,
 * bearer_token, the whole URL of a Slack or Teams webhook, the path of a Slack, Teams or generic webhook
 * URL, the user-info and query values of any URL)
 * in the forms they travel in: as written, URL-encoded, and inside a Basic authorization header.
 */
public final class SecretScrubber {
  /** Shorter values are not treated as secrets (they would mask ordinary words). */
  private static final int MIN_LENGTH = 4;
  private static final Set<String> SECRET_FIELDS = Set.of("secret", "token", "password", "bearer_token");
  private final List<String> secrets;

  private SecretScrubber(Set<String> secrets) {
    List<String> s = new ArrayList<>(secrets);
    s.removeIf(v -> v.length() < MIN_LENGTH);
    // longest first, so a URL holding a key is masked whole before the key alone
    s.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(s);
  }

  /** A scrubber of the secrets in the receivers' settings (secrets already substituted). */
  public static SecretScrubber of(Map<String, ? extends JsonNode> receivers) {
    Set<String> out = new LinkedHashSet<>();
    receivers.values().forEach(spec -> collect(spec, spec.path("type").asText(""), "", out));
    for (JsonNode spec : receivers.values()) {
      String user = spec.path("user").asText(spec.path("smtp").path("username").asText(""));
      for (String field : List.of("token", "password")) {
        String v = spec.path(field).asText(spec.path("smtp").path(field).asText(""));
        if (!user.isEmpty() && !v.isEmpty()) {
          out.add(Base64.getEncoder().encodeToString((user + ":" + v).getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
    Set<String> forms = new LinkedHashSet<>();
    for (String s : out) {
      forms.add(s);
      forms.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
    }
    return new SecretScrubber(forms);
  }

  private static void collect(JsonNode node, String type, String field, Set<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> collect(e.getValue(), type, e.getKey(), out));
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, type, field, out));
    } else if (node.isTextual()) {
      String v = node.asText();
      if (SECRET_FIELDS.contains(field) || ("url".equals(field) && ("slack".equals(type) || "teams".equals(type)))) {
        out.add(v);
      }
      if (field.endsWith("url")) {
        urlParts(v, "slack".equals(type) || "teams".equals(type) || "webhook".equals(type), out);
      }
    }
  }

  /**
   * The user-info, the password in it, and each query value of a URL; for a webhook URL that is a
   * secret as a whole (Slack, Teams) or may hold a token in its path (a generic webhook, e.g.
   * {@code /api/webhooks/ID/TOKEN}), also its path and last path segment, which a peer echoing its
   * request line shows without the host.
   */
  private static void urlParts(String url, boolean secretPath, Set<String> out) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      return; // not a URL: the receiver's own validation names it
    }
    if (u.getRawUserInfo() != null) {
      out.add(u.getRawUserInfo());
      int colon = u.getRawUserInfo().indexOf(':');
      if (colon >= 0) {
        out.add(URLDecoder.decode(u.getRawUserInfo().substring(colon + 1), StandardCharsets.UTF_8));
      }
    }
    if (secretPath && u.getRawPath() != null && u.getRawPath().length() > 1) {
      out.add(u.getRawPath());
      out.add(u.getRawPath().substring(u.getRawPath().lastIndexOf('/') + 1));
    }
    if (u.getRawQuery() != null) {
      for (String pair : u.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq >= 0) {
          out.add(pair.substring(eq + 1));
          out.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
  }

  /** {@code text} with every known secret replaced by {@value Secret#MASK}. */
  public String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, Secret.MASK);
    }
    return out;
  }
}
