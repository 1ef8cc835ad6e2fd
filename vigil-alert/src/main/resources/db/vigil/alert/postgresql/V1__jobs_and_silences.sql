CREATE TABLE vigil_alert_job (
  id BIGSERIAL PRIMARY KEY,
  queue TEXT NOT NULL,
  kind TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  priority INTEGER NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  run_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  last_error TEXT,
  finished_at BIGINT
);
CREATE INDEX vigil_alert_job_due ON vigil_alert_job(queue, status, priority DESC, run_at, id);
CREATE INDEX vigil_alert_job_finished ON vigil_alert_job(status, finished_at);
CREATE TABLE vigil_alert_attempt (
  job_id BIGINT NOT NULL,
  attempt INTEGER NOT NULL,
  at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  error TEXT,
  PRIMARY KEY (job_id, attempt)
);
CREATE TABLE vigil_alert_silence (
  id TEXT PRIMARY KEY,
  matchers TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE vigil_alert_ticket (
  receiver TEXT NOT NULL,
  group_key TEXT NOT NULL,
  external_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (receiver, group_key)
);
