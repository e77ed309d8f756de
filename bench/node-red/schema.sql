-- The Node-RED side's table (bench/ingest/run makes the database before
-- Node-RED starts). WAL, as siteboard-server uses; synchronous stays at
-- SQLite's default FULL, as in siteboard-server.
PRAGMA journal_mode=WAL;
CREATE TABLE events (
	sensor TEXT NOT NULL,
	block TEXT NOT NULL,
	kind TEXT NOT NULL,
	seq INTEGER NOT NULL,
	ts TEXT NOT NULL,
	state TEXT,
	laeq REAL,
	lafmax REAL,
	la90 REAL,
	permitted INTEGER NOT NULL,
	breach TEXT,
	arrived_at TEXT NOT NULL,
	PRIMARY KEY (sensor, seq)
);
