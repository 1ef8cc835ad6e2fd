CREATE TABLE vigil_optimizer_action (
  id TEXT PRIMARY KEY,
  proposal_key TEXT NOT NULL,
  tuning TEXT NOT NULL,
  family TEXT NOT NULL,
  kind TEXT NOT NULL,
  level TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT NOT NULL,
  metric TEXT NOT NULL,
  details TEXT NOT NULL,
  undo TEXT NOT NULL,
  status TEXT NOT NULL,
  actor TEXT NOT NULL,
  applied_at INTEGER NOT NULL,
  baseline_from INTEGER NOT NULL,
  observe_until INTEGER NOT NULL,
  decided_at INTEGER,
  before_value REAL,
  after_value REAL,
  confidence REAL,
  decision_reason TEXT
);
CREATE INDEX vigil_optimizer_action_status ON vigil_optimizer_action(status, applied_at);
CREATE TABLE vigil_optimizer_setting (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
