package dev.vigil.alert.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.store.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Silences kept in the state store (table {@code vigil_alert_silence}), so they hold across restarts
 * and across a fleet sharing the store. Reads are cached and refreshed at most once a second.
 */
public final class Silences {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long REFRESH_MS = 1000;
  private final StateStore store;
  private final Clock clock;
  private volatile List<Silence> cached;
  private volatile long cachedAt;

  /** Silences in {@code store} (migrating the alert tables). */
  public Silences(StateStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    store.migrate("alert");
  }

  /**
   * Adds a silence.
   *
   * @throws IllegalArgumentException when there are no matchers, the author or comment is blank,
   *     or it ends before it starts or in the past
   */
  public Silence create(List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {
    Instant now = clock.instant();
    Instant start = startsAt == null ? now : startsAt;
    if (matchers == null || matchers.isEmpty()) {
      throw new IllegalArgumentException("a silence needs at least one matcher");
    }
    if (matchers.stream().allMatch(m -> m.matches(Map.of()))) {
      throw new IllegalArgumentException("a silence must not match every alert (each matcher matches an empty label)");
    }
    if (createdBy == null || createdBy.isBlank() || createdBy.length() > 200) {
      throw new IllegalArgumentException("a silence needs its author (created_by, at most 200 characters)");
    }
    if (comment == null || comment.isBlank() || comment.length() > 2000) {
      throw new IllegalArgumentException("a silence needs a comment (at most 2000 characters)");
    }
    if (endsAt == null || !endsAt.isAfter(start) || !endsAt.isAfter(now)) {
      throw new IllegalArgumentException("a silence must end after it starts and in the future, got ends_at " + endsAt);
    }
    Silence s = new Silence(UUID.randomUUID().toString(), matchers, start, endsAt, createdBy.strip(), comment.strip(), now);
    store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_alert_silence(id, matchers, starts_at, ends_at, "
            + "created_by, comment, created_at) VALUES (:id, :m, :s, :e, :by, :c, :at)")
        .bind("id", s.id()).bind("m", json(matchers)).bind("s", start.toEpochMilli()).bind("e", endsAt.toEpochMilli())
        .bind("by", s.createdBy()).bind("c", s.comment()).bind("at", now.toEpochMilli()).execute());
    cached = null;
    return s;
  }

  /**
   * Expires a silence now.
   *
   * @return false when there is no such silence or it had already ended
   */
  public boolean expire(String id) {
    long now = clock.millis();
    int n = store.jdbi().withHandle(h -> h.createUpdate("UPDATE vigil_alert_silence SET ends_at = :now "
        + "WHERE id = :id AND ends_at > :now").bind("now", now).bind("id", id).execute());
    cached = null;
    return n > 0;
  }

  /** The silence with {@code id}. */
  public Optional<Silence> find(String id) {
    return all().stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** Every silence, newest first (expired ones are kept for the record). */
  public List<Silence> all() {
    long now = clock.millis();
    List<Silence> c = cached;
    if (c != null && now - cachedAt < REFRESH_MS && now >= cachedAt) {
      return c;
    }
    c = store.jdbi().withHandle(h -> h.createQuery("SELECT id, matchers, starts_at, ends_at, created_by, comment, "
            + "created_at FROM vigil_alert_silence ORDER BY created_at DESC, id")
        .map((rs, ctx) -> new Silence(rs.getString(1), matchers(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)),
            Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))))
        .list());
    cached = List.copyOf(c);
    cachedAt = now;
    return cached;
  }

  /** Whether an active silence mutes {@code labels} now. */
  public boolean muted(Map<String, String> labels) {
    Instant now = clock.instant();
    for (Silence s : all()) {
      if (s.mutes(labels, now)) {
        return true;
      }
    }
    return false;
  }

  private static String json(List<Matcher> matchers) {
    try {
      return JSON.writeValueAsString(matchers.stream().map(Matcher::toString).toList());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write silence matchers", e);
    }
  }

  private static List<Matcher> matchers(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() { }).stream().map(Matcher::parse).toList();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("silence matchers in the store are not readable: " + json, e);
    }
  }
}
