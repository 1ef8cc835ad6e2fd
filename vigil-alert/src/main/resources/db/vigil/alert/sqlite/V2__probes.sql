CREATE TABLE vigil_alert_probe_result (
  probe TEXT NOT NULL,
  at INTEGER NOT NULL,
  up INTEGER NOT NULL,
  status INTEGER,
  millis INTEGER NOT NULL,
  error TEXT,
  cert_expires_at INTEGER
);
CREATE INDEX vigil_alert_probe_result_at ON vigil_alert_probe_result(probe, at);
