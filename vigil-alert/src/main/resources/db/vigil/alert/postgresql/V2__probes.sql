CREATE TABLE vigil_alert_probe_result (
  probe TEXT NOT NULL,
  at BIGINT NOT NULL,
  up BOOLEAN NOT NULL,
  status INTEGER,
  millis INTEGER NOT NULL,
  error TEXT,
  cert_expires_at BIGINT
);
CREATE INDEX vigil_alert_probe_result_at ON vigil_alert_probe_result(probe, at);
