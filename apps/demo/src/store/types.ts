/**
 * @module
 * The store interface: everything the views need from a database, and nothing else. Two
 * implementations ship with the demo: `SqliteStore` (better-sqlite3, the default on Node) and
 * `MemoryStore` (plain maps, for the fetch entry on workerd, Deno and Bun, and for tests).
 *
 * Methods return promises so that an asynchronous database (Cloudflare D1, a network SQL server)
 * can implement the same interface; the two shipped stores answer synchronously inside them.
 */

/** A user account. `passwordHash` is a self-describing PBKDF2 string (see `passwords.ts`). */
export interface UserRecord {
  readonly id: string
  readonly username: string
  readonly passwordHash: string
  /** ISO 8601 timestamp. */
  readonly createdAt: string
}

/** A note as the API shows it. The owner is never exposed. */
export interface Note {
  readonly id: string
  readonly title: string
  readonly body: string
  /** ISO 8601 timestamps. */
  readonly createdAt: string
  readonly updatedAt: string
  /**
   * 1 on creation, incremented by every update: the note's validator, sent as `ETag: "v<version>"`
   * and compared with `If-Match` (optimistic concurrency).
   */
  readonly version: number
}

/** Fields a client may change on a note. */
export interface NotePatch {
  title?: string
  body?: string
}

/** One page of a user's notes. */
export interface NotePage {
  readonly items: readonly Note[]
  /** Notes matching the filter, across all pages. */
  readonly total: number
}

/** Which notes to list. */
export interface ListOptions {
  /** Case-insensitive substring of the title or the body. */
  q?: string
  /** Page size. */
  limit: number
  /** Notes to skip. */
  offset: number
}

/** What `ping()` reports for the health check. */
export interface StoreHealth {
  readonly kind: 'sqlite' | 'memory'
  /** The database answered a trivial query. */
  readonly ok: boolean
  /** Schema version applied (migrations), when the store has one. */
  readonly schemaVersion?: number
}

/**
 * Persistence for users and notes. Every note method takes the owner's id: a note that belongs
 * to someone else is indistinguishable from one that does not exist (the API answers 404 for both).
 */
export interface Store {
  /** `sqlite` or `memory`, shown by `/healthz` and the inspector. */
  readonly kind: 'sqlite' | 'memory'
  findUserByUsername(username: string): Promise<UserRecord | null>
  findUserById(id: string): Promise<UserRecord | null>
  /** Creates a user; rejects with a `Conflict` when the username is taken. */
  createUser(username: string, passwordHash: string): Promise<UserRecord>
  /** Replaces a user's password hash (used when the seeded password changes). */
  setPassword(userId: string, passwordHash: string): Promise<void>
  /** A page of the owner's notes, newest first. */
  listNotes(ownerId: string, options: ListOptions): Promise<NotePage>
  getNote(ownerId: string, id: string): Promise<Note | null>
  createNote(ownerId: string, fields: { title: string; body: string }): Promise<Note>
  /**
   * The updated note, or `null` when the owner has no such note, or (given `expectedVersion`)
   * when its version is no longer that one: the write is conditional, so of two writers that
   * read the same version only one succeeds.
   */
  updateNote(
    ownerId: string,
    id: string,
    patch: NotePatch,
    expectedVersion?: number
  ): Promise<Note | null>
  /** Whether a note was deleted (only at `expectedVersion`, when given). */
  deleteNote(ownerId: string, id: string, expectedVersion?: number): Promise<boolean>
  /** A cheap round trip to the database, for `/healthz`. */
  ping(): Promise<StoreHealth>
  /** Releases the database. Idempotent. */
  close(): Promise<void>
}
