package dev.vigil.insight;

/** The engine's statements for maintenance advice. */
interface Maintenance {
  /** Drops the index without blocking writes where the engine can. */
  String dropIndex(IndexInfo index);

  /** Re-creates the index (the undo of a drop). */
  String createIndex(IndexInfo index);

  /** Rebuilds the index. */
  String reindex(IndexInfo index);

  /** Reclaims dead rows. */
  String vacuum(TableInfo table);

  /** Refreshes the planner statistics. */
  String analyze(TableInfo table);
}
