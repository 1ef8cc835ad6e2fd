CREATE TABLE vigil_backup_run (
  id TEXT PRIMARY KEY,
  database_name TEXT NOT NULL,
  operation TEXT NOT NULL,
  filename TEXT,
  status TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  size_bytes BIGINT,
  sha256 TEXT,
  reason TEXT,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  pid_started_at BIGINT
);
CREATE INDEX vigil_backup_run_db ON vigil_backup_run(database_name, started_at);
CREATE TABLE vigil_backup_job (
  name TEXT PRIMARY KEY,
  last_fire_at BIGINT,
  last_started_at BIGINT,
  last_finished_at BIGINT,
  last_status TEXT,
  last_message TEXT,
  last_owner TEXT
);
