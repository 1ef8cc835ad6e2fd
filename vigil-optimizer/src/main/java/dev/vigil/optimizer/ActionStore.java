package dev.vigil.optimizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.store.StateStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The optimizer's history and settings in the state store (plain SQL). */
final class ActionStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "id, proposal_key, tuning, family, kind, level, target, reason, metric, details, "
      + "undo, status, actor, applied_at, baseline_from, observe_until, decided_at, before_value, after_value, "
      + "confidence, decision_reason";
  private final StateStore store;

  ActionStore(StateStore store) {
    this.store = store;
    store.migrate("optimizer");
  }

  void insert(ActionRecord a) {
    Proposal p = a.proposal();
    store.jdbi().useHandle(h -> h.createUpdate("INSERT INTO vigil_optimizer_action(" + COLUMNS + ") VALUES (:id, :key, "
            + ":tuning, :family, :kind, :level, :target, :reason, :metric, :details, :undo, :status, :actor, :applied, "
            + ":baselineFrom, :observeUntil, NULL, NULL, NULL, NULL, NULL)")
        .bind("id", a.id()).bind("key", p.key()).bind("tuning", a.tuning()).bind("family", p.family().name())
        .bind("kind", p.kind()).bind("level", p.level().name()).bind("target", p.target()).bind("reason", p.reason())
        .bind("metric", p.metric()).bind("details", json(p.details())).bind("undo", json(a.undo()))
        .bind("status", a.status().name()).bind("actor", a.actor()).bind("applied", a.appliedAt().toEpochMilli())
        .bind("baselineFrom", a.baselineFrom().toEpochMilli()).bind("observeUntil", a.observeUntil().toEpochMilli())
        .execute());
  }

  void applied(String id, Map<String, String> undo) {
    store.jdbi().useHandle(h -> h.createUpdate("UPDATE vigil_optimizer_action SET status = 'OBSERVING', undo = :undo "
        + "WHERE id = :id").bind("undo", json(undo)).bind("id", id).execute());
  }

  void decide(String id, ActionRecord.Status status, Instant at, Verdict v) {
    store.jdbi().useHandle(h -> h.createUpdate("UPDATE vigil_optimizer_action SET status = :status, decided_at = :at, "
            + "before_value = :before, after_value = :after, confidence = :conf, decision_reason = :reason WHERE id = :id")
        .bind("status", status.name()).bind("at", at.toEpochMilli()).bind("before", finite(v.before()))
        .bind("after", finite(v.after())).bind("conf", v.confidence()).bind("reason", v.reason()).bind("id", id)
        .execute());
  }

  void close(String id, ActionRecord.Status status, Instant at, String reason) {
    store.jdbi().useHandle(h -> h.createUpdate("UPDATE vigil_optimizer_action SET status = :status, decided_at = :at, "
            + "decision_reason = :reason WHERE id = :id")
        .bind("status", status.name()).bind("at", at.toEpochMilli()).bind("reason", reason).bind("id", id).execute());
  }

  Optional<ActionRecord> find(String id) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM vigil_optimizer_action WHERE id = :id")
        .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
  }

  List<ActionRecord> withStatus(ActionRecord.Status status) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM vigil_optimizer_action "
        + "WHERE status = :status ORDER BY applied_at").bind("status", status.name()).map((rs, ctx) -> row(rs)).list());
  }

  /** Whether a change with this key is applied now (observing or kept). */
  boolean active(String proposalKey) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM vigil_optimizer_action WHERE "
        + "proposal_key = :key AND status IN ('APPLYING', 'OBSERVING', 'KEPT')").bind("key", proposalKey)
        .mapTo(Long.class).one()) > 0;
  }

  /** Whether a change with this key was rolled back automatically (not proposed again at once). */
  boolean rejected(String proposalKey) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM vigil_optimizer_action WHERE "
        + "proposal_key = :key AND status = 'ROLLED_BACK'").bind("key", proposalKey).mapTo(Long.class).one()) > 0;
  }

  List<ActionRecord> history(int limit) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM vigil_optimizer_action "
        + "ORDER BY applied_at DESC, id DESC LIMIT :limit").bind("limit", limit).map((rs, ctx) -> row(rs)).list());
  }

  Optional<String> setting(String name) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT value FROM vigil_optimizer_setting WHERE name = :n")
        .bind("n", name).mapTo(String.class).findOne());
  }

  void setting(String name, String value) {
    store.jdbi().useTransaction(h -> {
      h.createUpdate("DELETE FROM vigil_optimizer_setting WHERE name = :n").bind("n", name).execute();
      h.createUpdate("INSERT INTO vigil_optimizer_setting(name, value) VALUES (:n, :v)").bind("n", name)
          .bind("v", value).execute();
    });
  }

  private static ActionRecord row(ResultSet rs) throws SQLException {
    Proposal p = new Proposal(rs.getString("proposal_key"), Family.valueOf(rs.getString("family")),
        rs.getString("kind"), Level.valueOf(rs.getString("level")), rs.getString("target"), rs.getString("reason"),
        rs.getString("metric"), map(rs.getString("details"), new TypeReference<Map<String, Object>>() { }));
    return new ActionRecord(rs.getString("id"), rs.getString("tuning"), p,
        ActionRecord.Status.valueOf(rs.getString("status")), rs.getString("actor"),
        Instant.ofEpochMilli(rs.getLong("applied_at")), Instant.ofEpochMilli(rs.getLong("baseline_from")),
        Instant.ofEpochMilli(rs.getLong("observe_until")),
        rs.getObject("decided_at") == null ? null : Instant.ofEpochMilli(rs.getLong("decided_at")),
        (Double) nullable(rs, "before_value"), (Double) nullable(rs, "after_value"), (Double) nullable(rs, "confidence"),
        rs.getString("decision_reason"), map(rs.getString("undo"), new TypeReference<Map<String, String>>() { }));
  }

  private static Object nullable(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("optimizer action details must be JSON values: " + e.getMessage(), e);
    }
  }

  private static <T> T map(String text, TypeReference<T> type) throws SQLException {
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable optimizer action column: " + e.getOriginalMessage(), e);
    }
  }
}
