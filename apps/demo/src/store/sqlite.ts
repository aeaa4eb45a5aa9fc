/**
 * @module
 * `SqliteStore`: the store in an SQLite file through better-sqlite3 (Node only). The file and its
 * directory are created on first run and the migrations are applied when the store opens.
 *
 * better-sqlite3 is synchronous, which suits SQLite: a query on a local file takes microseconds,
 * less than a promise round trip would. The methods still return promises to honour the
 * {@link Store} interface.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Conflict } from '@cycle/core'
import { MIGRATIONS, type Migration } from './migrations'
import type {
  ListOptions,
  Note,
  NotePage,
  NotePatch,
  Store,
  StoreHealth,
  UserRecord,
} from './types'

interface UserRow {
  id: string
  username: string
  password_hash: string
  created_at: string
}

interface NoteRow {
  id: string
  title: string
  body: string
  created_at: string
  updated_at: string
  version: number
}

const NOTE_COLUMNS = 'id, title, body, created_at, updated_at, version'

function toUser(row: UserRow | undefined): UserRecord | null {
  if (row === undefined) return null
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  }
}

function toNote(row: NoteRow | undefined): Note | null {
  if (row === undefined) return null
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  }
}

/** `%`, `_` and the escape character itself are literal in a `q` filter. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * Applies the migrations the database has not seen yet; returns the schema version.
 * Throws when the file was written by a newer demo (more migrations than this code knows).
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS
): number {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new Error(
      `The database schema is version ${current}, newer than this demo knows (${migrations.length}). ` +
        'Use a newer demo or another CYCLE_DEMO_DATA directory.'
    )
  }
  for (let v = current; v < migrations.length; v++) {
    const step = migrations[v] as Migration
    db.transaction(() => {
      db.exec(step.sql)
      // PRAGMA takes no bound parameters; `v + 1` is an integer we computed.
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  return migrations.length
}

/**
 * A {@link Store} over one SQLite file.
 *
 * @example
 * ```ts
 * const store = SqliteStore.open('.data/demo.sqlite') // creates .data/ and migrates
 * ```
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const
  /** The schema version after migrations. */
  readonly schemaVersion: number
  readonly #db: Database.Database

  private constructor(db: Database.Database) {
    this.#db = db
    // WAL lets readers proceed while a write commits; foreign keys are off by default in SQLite.
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    this.schemaVersion = migrate(db)
  }

  /** Opens (creating the directory and file if needed) and migrates the database at `file`. */
  static open(file: string): SqliteStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    return new SqliteStore(new Database(file))
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const row = this.#db.prepare('SELECT * FROM users WHERE username = ?').get(username)
    return toUser(row as UserRow | undefined)
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    return toUser(
      this.#db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
    )
  }

  async createUser(username: string, passwordHash: string): Promise<UserRecord> {
    const user: UserRecord = {
      id: crypto.randomUUID(),
      username,
      passwordHash,
      createdAt: new Date().toISOString(),
    }
    try {
      this.#db
        .prepare('INSERT INTO users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)')
        .run(user.id, user.username, user.passwordHash, user.createdAt)
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new Conflict(`The username ${JSON.stringify(username)} is taken.`)
      }
      throw error
    }
    return user
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    this.#db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId)
  }

  async listNotes(ownerId: string, options: ListOptions): Promise<NotePage> {
    const q = options.q === undefined || options.q === '' ? null : likePattern(options.q)
    const where = `owner_id = @owner${
      q === null ? '' : ` AND (title LIKE @q ESCAPE '\\' OR body LIKE @q ESCAPE '\\')`
    }`
    const params = { owner: ownerId, q, limit: options.limit, offset: options.offset }
    const { total } = this.#db
      .prepare(`SELECT count(*) AS total FROM notes WHERE ${where}`)
      .get(params) as { total: number }
    const rows = this.#db
      .prepare(
        `SELECT ${NOTE_COLUMNS} FROM notes WHERE ${where} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`
      )
      .all(params) as NoteRow[]
    return { items: rows.map((r) => toNote(r) as Note), total }
  }

  async getNote(ownerId: string, id: string): Promise<Note | null> {
    const row = this.#db
      .prepare(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id = ? AND owner_id = ?`)
      .get(id, ownerId)
    return toNote(row as NoteRow | undefined)
  }

  async createNote(ownerId: string, fields: { title: string; body: string }): Promise<Note> {
    const now = new Date().toISOString()
    const note: Note = {
      id: crypto.randomUUID(),
      ...fields,
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
    this.#db
      .prepare(
        'INSERT INTO notes (id, owner_id, title, body, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)'
      )
      .run(note.id, ownerId, note.title, note.body, now, now)
    return note
  }

  async updateNote(
    ownerId: string,
    id: string,
    patch: NotePatch,
    expectedVersion?: number
  ): Promise<Note | null> {
    const row = this.#db
      .prepare(
        `UPDATE notes SET title = coalesce(@title, title), body = coalesce(@body, body), updated_at = @now,
           version = version + 1
         WHERE id = @id AND owner_id = @owner AND (@expected IS NULL OR version = @expected)
         RETURNING ${NOTE_COLUMNS}`
      )
      .get({
        title: patch.title ?? null,
        body: patch.body ?? null,
        now: new Date().toISOString(),
        id,
        owner: ownerId,
        expected: expectedVersion ?? null,
      })
    return toNote(row as NoteRow | undefined)
  }

  async deleteNote(ownerId: string, id: string, expectedVersion?: number): Promise<boolean> {
    const info = this.#db
      .prepare('DELETE FROM notes WHERE id = ? AND owner_id = ? AND (? IS NULL OR version = ?)')
      .run(id, ownerId, expectedVersion ?? null, expectedVersion ?? null)
    return info.changes > 0
  }

  async ping(): Promise<StoreHealth> {
    try {
      const row = this.#db.prepare('SELECT 1 AS one').get() as { one: number }
      return { kind: 'sqlite', ok: row.one === 1, schemaVersion: this.schemaVersion }
    } catch {
      return { kind: 'sqlite', ok: false, schemaVersion: this.schemaVersion }
    }
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close()
  }
}
