-- cumulative counters seen at the last snapshot, per shape: the base of the next delta
CREATE TABLE vigil_insight_query_last (
  database_name TEXT NOT NULL,
  shape_id TEXT NOT NULL,
  calls BIGINT NOT NULL,
  total_ms DOUBLE PRECISION NOT NULL,
  rows_n BIGINT NOT NULL,
  hits BIGINT NOT NULL,
  reads BIGINT NOT NULL,
  PRIMARY KEY (database_name, shape_id)
);
-- what each shape did between two snapshots (taken_at is the end of the interval)
CREATE TABLE vigil_insight_query_delta (
  database_name TEXT NOT NULL,
  taken_at BIGINT NOT NULL,
  shape_id TEXT NOT NULL,
  calls BIGINT NOT NULL,
  total_ms DOUBLE PRECISION NOT NULL,
  rows_n BIGINT NOT NULL,
  hits BIGINT NOT NULL,
  reads BIGINT NOT NULL
);
CREATE INDEX vigil_insight_query_delta_at ON vigil_insight_query_delta(database_name, taken_at);
CREATE INDEX vigil_insight_query_delta_shape ON vigil_insight_query_delta(database_name, shape_id, taken_at);
CREATE TABLE vigil_insight_query_text (
  database_name TEXT NOT NULL,
  shape_id TEXT NOT NULL,
  query_text TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (database_name, shape_id)
);
-- per-table write counters (inserts, updates, deletes) for write rates, same scheme as the queries
CREATE TABLE vigil_insight_table_last (
  database_name TEXT NOT NULL,
  table_name TEXT NOT NULL,
  inserts BIGINT NOT NULL,
  updates BIGINT NOT NULL,
  deletes BIGINT NOT NULL,
  PRIMARY KEY (database_name, table_name)
);
CREATE TABLE vigil_insight_table_delta (
  database_name TEXT NOT NULL,
  taken_at BIGINT NOT NULL,
  interval_ms BIGINT NOT NULL,
  table_name TEXT NOT NULL,
  inserts BIGINT NOT NULL,
  updates BIGINT NOT NULL,
  deletes BIGINT NOT NULL
);
CREATE INDEX vigil_insight_table_delta_at ON vigil_insight_table_delta(database_name, table_name, taken_at);
-- when Vigil first saw an index (the age an unused index must reach before it is reported)
CREATE TABLE vigil_insight_index_seen (
  database_name TEXT NOT NULL,
  index_name TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  PRIMARY KEY (database_name, index_name)
);
-- small per-database state: last snapshot time, last statistics reset seen
CREATE TABLE vigil_insight_state (
  database_name TEXT NOT NULL,
  state_key TEXT NOT NULL,
  state_value TEXT NOT NULL,
  PRIMARY KEY (database_name, state_key)
);
-- one row per snapshot: its interval and how long collection took on the database
CREATE TABLE vigil_insight_snapshot (
  database_name TEXT NOT NULL,
  taken_at BIGINT NOT NULL,
  interval_ms BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  PRIMARY KEY (database_name, taken_at)
);
