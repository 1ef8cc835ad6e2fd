package dev.vigil.logging.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The queryable copy of the audit records in the state store ({@code vigil_audit_event}). The log
 * file is the source of truth; this index only ever holds durable records, so it can lag the log
 * after a crash (and is caught up on open) but never runs ahead of it — which is what lets
 * {@code verify} see a cut tail.
 */
final class AuditIndex {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
  };

  private final StateStore store;
  private final String chain;

  AuditIndex(StateStore store, String chain) {
    this.store = store;
    this.chain = chain;
  }

  /** Inserts records (idempotent: a seq already there is left alone). */
  void insert(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    store.jdbi().useTransaction(h -> {
      PreparedBatch b = h.prepareBatch("INSERT INTO vigil_audit_event (chain, seq, ts, timestamp, event_type, user_id, "
          + "action, resource, details, ip_address, prev_hash, hash) VALUES (:chain, :seq, :ts, :timestamp, :event_type, "
          + ":user_id, :action, :resource, :details, :ip, :prev, :hash) ON CONFLICT DO NOTHING");
      for (AuditRecord r : records) {
        StringBuilder details = new StringBuilder();
        CanonicalJson.object(details, r.details());
        b.bind("chain", chain).bind("seq", r.seq()).bind("ts", r.timestamp().toEpochMilli())
            .bind("timestamp", AuditRecord.TIMESTAMP.format(r.timestamp())).bind("event_type", r.eventType())
            .bind("user_id", r.userId()).bind("action", r.action()).bind("resource", r.resource())
            .bind("details", details.toString()).bind("ip", r.ipAddress()).bind("prev", r.prevHash())
            .bind("hash", r.hash()).add();
      }
      b.execute();
    });
  }

  /** The highest indexed seq, 0 when none. */
  long maxSeq() {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM vigil_audit_event "
        + "WHERE chain = :chain").bind("chain", chain).mapTo(Long.class).one());
  }

  /** Indexed hashes by seq for {@code from <= seq <= to}. */
  Map<Long, String> hashes(long from, long to) {
    Map<Long, String> out = new HashMap<>();
    store.jdbi().useHandle(h -> h.createQuery("SELECT seq, hash FROM vigil_audit_event WHERE chain = :chain "
            + "AND seq >= :from AND seq <= :to")
        .bind("chain", chain).bind("from", from).bind("to", to)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** One page of records matching {@code q}, oldest first. */
  AuditPage query(AuditQuery q) {
    StringBuilder sql = new StringBuilder("SELECT seq, ts, event_type, user_id, action, resource, details, ip_address, "
        + "prev_hash, hash FROM vigil_audit_event WHERE chain = :chain AND seq > :after");
    if (q.from() != null) {
      sql.append(" AND ts >= :from");
    }
    if (q.to() != null) {
      sql.append(" AND ts < :to");
    }
    if (q.userId() != null) {
      sql.append(" AND user_id = :user");
    }
    if (q.action() != null) {
      sql.append(" AND action = :action");
    }
    if (q.eventType() != null) {
      sql.append(" AND event_type = :type");
    }
    sql.append(" ORDER BY seq LIMIT :limit");
    List<AuditRecord> rows = store.jdbi().withHandle(h -> {
      Query query = h.createQuery(sql.toString()).bind("chain", chain).bind("after", q.afterSeq())
          .bind("limit", q.limit() + 1);
      if (q.from() != null) {
        query.bind("from", q.from().toEpochMilli());
      }
      if (q.to() != null) {
        query.bind("to", q.to().toEpochMilli());
      }
      if (q.userId() != null) {
        query.bind("user", q.userId());
      }
      if (q.action() != null) {
        query.bind("action", q.action());
      }
      if (q.eventType() != null) {
        query.bind("type", q.eventType());
      }
      return query.map((rs, ctx) -> row(rs)).list();
    });
    List<AuditRecord> page = new ArrayList<>(rows.subList(0, Math.min(rows.size(), q.limit())));
    Long next = rows.size() > q.limit() ? page.get(page.size() - 1).seq() : null;
    return new AuditPage(page, next);
  }

  /** The newest {@code limit} records, newest first. */
  List<AuditRecord> newest(int limit) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT seq, ts, event_type, user_id, action, resource, details, "
            + "ip_address, prev_hash, hash FROM vigil_audit_event WHERE chain = :chain ORDER BY seq DESC LIMIT :limit")
        .bind("chain", chain).bind("limit", limit).map((rs, ctx) -> row(rs)).list());
  }

  private static AuditRecord row(ResultSet rs) throws SQLException {
    return new AuditRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
        rs.getString(4), rs.getString(5), rs.getString(6), parse(rs.getString(7)), rs.getString(8),
        rs.getString(9), rs.getString(10));
  }

  private static Map<String, Object> parse(String details) {
    try {
      return JSON.readValue(details, MAP);
    } catch (IOException e) {
      throw new AuditException("indexed audit details are not JSON: " + e.getMessage(), e);
    }
  }
}
