CREATE TABLE vigil_audit_event (
  chain TEXT NOT NULL,
  seq BIGINT NOT NULL,
  ts BIGINT NOT NULL,
  timestamp TEXT NOT NULL,
  event_type TEXT NOT NULL,
  user_id TEXT,
  action TEXT NOT NULL,
  resource TEXT,
  details TEXT NOT NULL,
  ip_address TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (chain, seq)
);
CREATE INDEX vigil_audit_event_ts ON vigil_audit_event (chain, ts);
CREATE INDEX vigil_audit_event_user ON vigil_audit_event (chain, user_id, ts);
CREATE INDEX vigil_audit_event_action ON vigil_audit_event (chain, action, ts);
CREATE TABLE vigil_audit_checkpoint (
  chain TEXT NOT NULL,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  mac TEXT NOT NULL,
  PRIMARY KEY (chain, seq)
);
