-- The users table of the Quart example, the same as the Flask example's (Quart is Flask, async).
-- WAL: readers and the one writer no longer block each other, and the mode stays set in
-- the file for every later connection (https://sqlite.org/wal.html).
PRAGMA journal_mode = WAL;

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
