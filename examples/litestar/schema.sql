-- The users table shared by the Flask, FastAPI and Litestar examples (Django's migration makes the same one).
-- WAL: readers and the one writer no longer block each other, and the mode stays set in
-- the file for every later connection (https://sqlite.org/wal.html).
PRAGMA journal_mode = WAL;

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
