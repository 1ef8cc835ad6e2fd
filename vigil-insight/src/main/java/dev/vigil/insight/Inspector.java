package dev.vigil.insight;

import java.util.List;
import java.util.Map;

/** What one database engine can tell; {@link DatabaseInsight} adds the history and the judgement over time. */
interface Inspector {

  /** Cumulative per-shape and per-table counters. */
  Counters counters();

  /** The existing indexes, {@code unused} not yet judged (the caller knows their age). */
  IndexReport indexes();

  /** The tables; {@code rates} holds measured write rates per table (inserts, updates, deletes per second). */
  TableReport tables(Map<String, double[]> rates);

  /** The server right now. */
  Activity activity();

  /** Index suggestions for {@code shapes} (the top shapes by total time) plus catalog advice. */
  List<Advice> adviseIndexes(List<QueryShape> shapes, IndexReport indexes, TableReport tables, List<String> notes);
}
