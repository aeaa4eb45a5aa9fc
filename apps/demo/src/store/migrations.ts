/**
 * @module
 * Schema migrations for the SQLite store, applied in order at start-up. The database's
 * `PRAGMA user_version` records how many have run, so each runs exactly once per database file.
 * Append new migrations at the end; never edit one that has shipped.
 */

/** One schema step. */
export interface Migration {
  /** Shown in logs and errors. */
  readonly name: string
  /** SQL run inside one transaction. */
  readonly sql: string
}

/** Every migration, oldest first. The schema version is the count applied. */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'create users and notes',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );
      CREATE TABLE notes (
        id         TEXT PRIMARY KEY,
        owner_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        title      TEXT NOT NULL,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    name: 'index notes by owner, newest first',
    sql: `CREATE INDEX notes_owner_created ON notes (owner_id, created_at DESC);`,
  },
  {
    name: 'a version per note, for ETag and If-Match',
    sql: `ALTER TABLE notes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;`,
  },
]
