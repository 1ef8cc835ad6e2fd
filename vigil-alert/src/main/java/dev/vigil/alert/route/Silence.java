package dev.vigil.alert.route;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A silence: alerts matching every matcher are not notified between {@code startsAt} and
 * {@code endsAt}.
 *
 * @param id its id
 * @param matchers what it silences
 * @param startsAt from
 * @param endsAt until (expiring a silence sets this to now)
 * @param createdBy who made it
 * @param comment why
 * @param createdAt when it was made
 */
public record Silence(
    @JsonProperty("id") String id,
    @JsonProperty("matchers") List<Matcher> matchers,
    @JsonProperty("starts_at") Instant startsAt,
    @JsonProperty("ends_at") Instant endsAt,
    @JsonProperty("created_by") String createdBy,
    @JsonProperty("comment") String comment,
    @JsonProperty("created_at") Instant createdAt) {
  /** Copies. */
  public Silence {
    matchers = List.copyOf(matchers);
  }

  /** Whether the silence is in force at {@code now}. */
  public boolean activeAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  /** Whether it is in force at {@code now} and matches {@code labels}. */
  public boolean mutes(Map<String, String> labels, Instant now) {
    return activeAt(now) && Matcher.all(matchers, labels);
  }

  /** {@code active}, {@code pending} or {@code expired} at {@code now}. */
  public String state(Instant now) {
    return now.isBefore(startsAt) ? "pending" : now.isBefore(endsAt) ? "active" : "expired";
  }
}
