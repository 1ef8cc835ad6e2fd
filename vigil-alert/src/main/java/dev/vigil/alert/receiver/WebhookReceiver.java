package dev.vigil.alert.receiver;

import dev.vigil.alert.Notification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic webhook: POSTs the notification (Alertmanager's webhook JSON) with headers
 * {@code Idempotency-Key}, {@code X-Vigil-Timestamp} (epoch seconds) and, when a secret is set,
 * {@code X-Vigil-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">}.
 */
public final class WebhookReceiver implements Receiver {
  /** The signature header. */
  public static final String SIGNATURE_HEADER = "X-Vigil-Signature";
  /** The timestamp header. */
  public static final String TIMESTAMP_HEADER = "X-Vigil-Timestamp";
  /** The idempotency key header. */
  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  private final String name;
  private final URI url;
  private final Secret secret;
  private final Duration timeout;
  private final Clock clock;

  /**
   * A webhook receiver.
   *
   * @param secret the HMAC key, or {@code null} to send unsigned
   */
  public WebhookReceiver(String name, String url, Secret secret, Duration timeout, Clock clock) {
    this.name = name;
    this.url = Http.uri(url, "receiver " + name + " url");
    this.secret = secret;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "webhook";
  }

  @Override
  public void send(Notification n, String idempotencyKey) throws DeliveryException {
    String body = Json.write(n);
    String ts = Long.toString(clock.instant().getEpochSecond());
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/json; charset=utf-8");
    h.put("User-Agent", "Vigil");
    h.put(IDEMPOTENCY_HEADER, idempotencyKey);
    h.put(TIMESTAMP_HEADER, ts);
    if (secret != null && !secret.isEmpty()) {
      h.put(SIGNATURE_HEADER, "sha256=" + sign(secret.reveal(), ts + "." + body));
    }
    Http.send("POST", url, h, body, timeout, "webhook " + name + " (" + Http.origin(url) + ")");
  }

  /** The hex HMAC-SHA256 of {@code message} under {@code key}: what a receiver recomputes to check. */
  public static String sign(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
