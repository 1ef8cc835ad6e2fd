-- Per-minute and per-hour roll-ups of every host metric, per host (several Vigil instances may share a store).
-- bucket: start of the minute/hour in epoch milliseconds; avg = sum_value / sample_count.
CREATE TABLE monitor_rollup_1m (
  host TEXT NOT NULL,
  metric TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  min_value REAL NOT NULL,
  max_value REAL NOT NULL,
  sum_value REAL NOT NULL,
  sample_count INTEGER NOT NULL,
  PRIMARY KEY (host, metric, bucket)
);
CREATE INDEX monitor_rollup_1m_bucket ON monitor_rollup_1m (bucket);

CREATE TABLE monitor_rollup_1h (
  host TEXT NOT NULL,
  metric TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  min_value REAL NOT NULL,
  max_value REAL NOT NULL,
  sum_value REAL NOT NULL,
  sample_count INTEGER NOT NULL,
  PRIMARY KEY (host, metric, bucket)
);
CREATE INDEX monitor_rollup_1h_bucket ON monitor_rollup_1h (bucket);

-- Flagged anomalies: at = sample time in epoch milliseconds.
CREATE TABLE monitor_anomaly (
  host TEXT NOT NULL,
  metric TEXT NOT NULL,
  at INTEGER NOT NULL,
  value REAL NOT NULL,
  score REAL NOT NULL,
  baseline REAL NOT NULL,
  PRIMARY KEY (host, metric, at)
);
CREATE INDEX monitor_anomaly_at ON monitor_anomaly (at);
