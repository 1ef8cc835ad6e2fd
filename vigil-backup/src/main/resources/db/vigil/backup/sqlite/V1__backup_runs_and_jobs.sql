CREATE TABLE vigil_backup_run (
  id TEXT PRIMARY KEY,
  database_name TEXT NOT NULL,
  operation TEXT NOT NULL,
  filename TEXT,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  size_bytes INTEGER,
  sha256 TEXT,
  reason TEXT,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  pid_started_at INTEGER
);
CREATE INDEX vigil_backup_run_db ON vigil_backup_run(database_name, started_at);
CREATE TABLE vigil_backup_job (
  name TEXT PRIMARY KEY,
  last_fire_at INTEGER,
  last_started_at INTEGER,
  last_finished_at INTEGER,
  last_status TEXT,
  last_message TEXT,
  last_owner TEXT
);
