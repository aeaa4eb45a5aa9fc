/**
 * @module
 * `MemoryStore`: the store in plain maps. It is what the fetch entry uses where SQLite is not
 * available (workerd, Deno, Bun without a file system binding). Data lives as long as the process
 * or isolate does: a Worker isolate may be recycled at any time, so treat it as a scratch pad.
 */
import { Conflict } from '@cycle/core'
import type {
  ListOptions,
  Note,
  NotePage,
  NotePatch,
  Store,
  StoreHealth,
  UserRecord,
} from './types'

interface Row extends Note {
  readonly ownerId: string
  /** Insertion order, to sort notes created in the same millisecond. */
  readonly seq: number
}

/** Whether `note` matches the `q` filter (case-insensitive substring of title or body). */
export function matches(note: Pick<Note, 'title' | 'body'>, q: string | undefined): boolean {
  if (q === undefined || q === '') return true
  const needle = q.toLowerCase()
  return note.title.toLowerCase().includes(needle) || note.body.toLowerCase().includes(needle)
}

function toNote(row: Row): Note {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  }
}

/**
 * An in-memory {@link Store}.
 *
 * @example
 * ```ts
 * const store = new MemoryStore()
 * const ada = await store.createUser('ada', await hashPassword('secret'))
 * await store.createNote(ada.id, { title: 'Hello', body: '' })
 * ```
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const
  readonly #users = new Map<string, UserRecord>()
  readonly #notes = new Map<string, Row>()
  #seq = 0
  #closed = false

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    for (const user of this.#users.values()) if (user.username === username) return user
    return null
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    return this.#users.get(id) ?? null
  }

  async createUser(username: string, passwordHash: string): Promise<UserRecord> {
    if ((await this.findUserByUsername(username)) !== null) {
      throw new Conflict(`The username ${JSON.stringify(username)} is taken.`)
    }
    const user: UserRecord = {
      id: crypto.randomUUID(),
      username,
      passwordHash,
      createdAt: new Date().toISOString(),
    }
    this.#users.set(user.id, user)
    return user
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    const user = this.#users.get(userId)
    if (user !== undefined) this.#users.set(userId, { ...user, passwordHash })
  }

  async listNotes(ownerId: string, options: ListOptions): Promise<NotePage> {
    const mine = [...this.#notes.values()]
      .filter((n) => n.ownerId === ownerId && matches(n, options.q))
      .sort((a, b) => b.seq - a.seq)
    return {
      items: mine.slice(options.offset, options.offset + options.limit).map(toNote),
      total: mine.length,
    }
  }

  async getNote(ownerId: string, id: string): Promise<Note | null> {
    const row = this.#notes.get(id)
    return row !== undefined && row.ownerId === ownerId ? toNote(row) : null
  }

  async createNote(ownerId: string, fields: { title: string; body: string }): Promise<Note> {
    const now = new Date().toISOString()
    const row: Row = {
      id: crypto.randomUUID(),
      ownerId,
      title: fields.title,
      body: fields.body,
      createdAt: now,
      updatedAt: now,
      version: 1,
      seq: ++this.#seq,
    }
    this.#notes.set(row.id, row)
    return toNote(row)
  }

  async updateNote(
    ownerId: string,
    id: string,
    patch: NotePatch,
    expectedVersion?: number
  ): Promise<Note | null> {
    const row = this.#notes.get(id)
    if (row === undefined || row.ownerId !== ownerId) return null
    if (expectedVersion !== undefined && row.version !== expectedVersion) return null
    const next: Row = {
      ...row,
      title: patch.title ?? row.title,
      body: patch.body ?? row.body,
      updatedAt: new Date().toISOString(),
      version: row.version + 1,
    }
    this.#notes.set(id, next)
    return toNote(next)
  }

  async deleteNote(ownerId: string, id: string, expectedVersion?: number): Promise<boolean> {
    const row = this.#notes.get(id)
    if (row === undefined || row.ownerId !== ownerId) return false
    if (expectedVersion !== undefined && row.version !== expectedVersion) return false
    return this.#notes.delete(id)
  }

  async ping(): Promise<StoreHealth> {
    return { kind: 'memory', ok: !this.#closed }
  }

  async close(): Promise<void> {
    this.#closed = true
  }
}
