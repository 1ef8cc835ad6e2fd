package dev.vigil.logging.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * One audit event as written to {@code <app>_audit.log}: the documented fields plus its place in the hash
 * chain. {@code hash} is the SHA-256 (hex) of the record's canonical JSON without {@code hash};
 * {@code prevHash} is the previous record's hash (64 zeros for seq 1).
 *
 * @param seq position in the chain, from 1, without gaps
 * @param timestamp when it was logged (millisecond precision)
 * @param eventType category, e.g. {@code TOKEN} or {@code ACCESS_DENIED}
 * @param userId who did it ({@code null} when unknown)
 * @param action what was done, e.g. {@code token.create}
 * @param resource what it was done to, e.g. {@code token:abc}, or {@code null}
 * @param details further facts (no secrets)
 * @param ipAddress the client address, or {@code null}
 * @param prevHash the previous record's hash
 * @param hash this record's hash
 */
public record AuditRecord(long seq, Instant timestamp, String eventType, String userId, String action,
    String resource, Map<String, Object> details, String ipAddress, String prevHash, String hash) {

  /** {@code prev_hash} of the first record. */
  public static final String GENESIS = "0".repeat(64);
  /** Timestamps as written: ISO-8601 in UTC with milliseconds, e.g. {@code 2025-11-06T15:33:00.000Z}. */
  public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")
      .withZone(ZoneOffset.UTC);

  private static final ObjectMapper JSON =
      new ObjectMapper();

  /** Validates required fields. */
  public AuditRecord {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(action, "action");
    details = details == null ? Map.of() : details;
    timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * The canonical JSON of this record without {@code hash} and without its closing brace: the bytes
   * the hash covers are this text followed by {@code "}"}.
   */
  String body() {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"seq\":").append(seq).append(",\"timestamp\":");
    CanonicalJson.string(sb, TIMESTAMP.format(timestamp));
    sb.append(",\"event_type\":");
    CanonicalJson.string(sb, eventType);
    sb.append(",\"user_id\":");
    CanonicalJson.nullableString(sb, userId);
    sb.append(",\"action\":");
    CanonicalJson.string(sb, action);
    sb.append(",\"resource\":");
    CanonicalJson.nullableString(sb, resource);
    sb.append(",\"details\":");
    CanonicalJson.object(sb, details);
    sb.append(",\"ip_address\":");
    CanonicalJson.nullableString(sb, ipAddress);
    sb.append(",\"prev_hash\":\"").append(prevHash).append('"');
    return sb.toString();
  }

  /**
   * Reads one line of an audit file back into a record (the hash is taken as written, not checked).
   *
   * @throws AuditException when the line is not an audit record
   */
  public static AuditRecord parse(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      @SuppressWarnings("unchecked")
      Map<String, Object> details = JSON.convertValue(n.path("details"), Map.class);
      return new AuditRecord(n.path("seq").asLong(), Instant.from(TIMESTAMP.parse(n.path("timestamp").asText())),
          n.path("event_type").asText(), text(n, "user_id"), n.path("action").asText(), text(n, "resource"),
          details, text(n, "ip_address"), n.path("prev_hash").asText(), n.path("hash").asText());
    } catch (IOException | RuntimeException e) {
      throw new AuditException("not an audit record: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The record as one JSON line (with the trailing newline), as written to the file. */
  public String toLine() {
    return body() + ",\"hash\":\"" + hash + "\"}\n";
  }
}
