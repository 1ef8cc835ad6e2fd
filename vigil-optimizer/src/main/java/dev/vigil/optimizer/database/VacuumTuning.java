package dev.vigil.optimizer.database;

import dev.vigil.backup.engine.EngineKind;
import dev.vigil.insight.Advice;
import dev.vigil.insight.DatabaseInsight;
import dev.vigil.insight.TableInfo;
import dev.vigil.optimizer.Level;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reclaims the space of bloated tables (insight's judgement: PostgreSQL's dead rows and width-based
 * estimate, InnoDB's free tablespace): {@code VACUUM (ANALYZE)} on PostgreSQL and {@code OPTIMIZE TABLE}
 * (an online rebuild) on MariaDB/MySQL at {@link Level#HIGH}; SQLite's {@code VACUUM} rewrites the whole
 * file under an exclusive lock, so there it needs {@link Level#AGGRESSIVE}. Measured by the mean time
 * of the shapes reading the table (fewer pages to scan).
 *
 * <p>It cannot be undone (the reclaimed row versions and space are gone, and no data or plan depends
 * on them): proposals say {@code reversible: false} and {@link #undo} refuses with the reason.
 */
final class VacuumTuning extends MaintenanceTuning {
  static final String IRREVERSIBLE = "VACUUM removes dead row versions and reclaims their space; there is nothing to "
      + "put back, and it changes no data";

  VacuumTuning(DatabaseInsight insight, DataSource database) {
    super(insight, database, Advice.Kind.VACUUM, IRREVERSIBLE);
  }

  @Override
  String occasion(TableInfo t) {
    return Details.occasion("waste=" + (t.bloatBytes() >> 20) + "MB", t.lastVacuum(), t.lastAutovacuum());
  }

  @Override
  void facts(Advice advice, TableInfo t, String occasion, Map<String, Object> details) {
    details.put("waste_bytes", advice.sizeBytes());
    details.put("dead_rows", t == null ? -1 : t.deadRows());
  }

  /** SQLite's VACUUM rewrites the whole file under an exclusive lock. */
  private boolean exclusive() {
    return insight().engine() == EngineKind.SQLITE;
  }

  @Override
  Level level() {
    return exclusive() ? Level.AGGRESSIVE : Level.HIGH;
  }

  @Override
  String reason(Advice advice) {
    return advice.reason() + (exclusive() ? "; SQLite's VACUUM locks the whole database while it rewrites it" : "");
  }
}
