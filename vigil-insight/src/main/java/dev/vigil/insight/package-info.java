/**
 * Database insight for the application's own databases (PostgreSQL, MariaDB/MySQL, SQLite): query
 * shapes over time from snapshots kept in Vigil's state store, unused/duplicate/invalid indexes,
 * table bloat and stale statistics, sessions and blocking, replication lag and wraparound, and an
 * index advisor that costs candidate indexes with HypoPG. Entry point: {@link dev.vigil.insight.DatabaseInsight}.
 */
package dev.vigil.insight;
