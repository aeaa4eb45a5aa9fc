import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from './memory'
import { migrate, SqliteStore } from './sqlite'
import { MIGRATIONS } from './migrations'
import type { Store } from './types'

// One contract, both implementations.
const stores: [string, () => Store][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['SqliteStore', () => SqliteStore.open(':memory:')],
]

describe.each(stores)('%s', (_name, make) => {
  it('creates users and refuses a taken username with a 409', async () => {
    const store = make()
    const ada = await store.createUser('ada', 'hash-1')
    expect(await store.findUserByUsername('ada')).toEqual(ada)
    expect(await store.findUserById(ada.id)).toEqual(ada)
    expect(await store.findUserByUsername('bob')).toBeNull()
    await expect(store.createUser('ada', 'hash-2')).rejects.toMatchObject({ status: 409 })
    await store.setPassword(ada.id, 'hash-3')
    expect((await store.findUserById(ada.id))?.passwordHash).toBe('hash-3')
  })

  it('keeps notes per owner: get, update, delete never cross owners', async () => {
    const store = make()
    const a = await store.createUser('a', 'h')
    const b = await store.createUser('b', 'h')
    const note = await store.createNote(a.id, { title: 'T', body: 'B' })
    expect(await store.getNote(a.id, note.id)).toEqual(note)
    expect(await store.getNote(b.id, note.id)).toBeNull()
    expect(await store.updateNote(b.id, note.id, { title: 'x' })).toBeNull()
    expect(await store.deleteNote(b.id, note.id)).toBe(false)
    const updated = await store.updateNote(a.id, note.id, { body: 'B2' })
    expect(updated).toMatchObject({
      id: note.id,
      title: 'T',
      body: 'B2',
      createdAt: note.createdAt,
    })
    expect(await store.deleteNote(a.id, note.id)).toBe(true)
    expect(await store.getNote(a.id, note.id)).toBeNull()
    expect(await store.deleteNote(a.id, note.id)).toBe(false)
  })

  it('lists newest first, pages, counts and filters literally', async () => {
    const store = make()
    const u = await store.createUser('u', 'h')
    for (const title of ['one', 'two', '100% sure', 'under_score', 'Three']) {
      await store.createNote(u.id, { title, body: '' })
    }
    const first = await store.listNotes(u.id, { limit: 2, offset: 0 })
    expect(first.total).toBe(5)
    expect(first.items.map((n) => n.title)).toEqual(['Three', 'under_score'])
    const rest = await store.listNotes(u.id, { limit: 10, offset: 4 })
    expect(rest.items.map((n) => n.title)).toEqual(['one'])
    expect((await store.listNotes(u.id, { q: 'three', limit: 10, offset: 0 })).total).toBe(1)
    expect(
      (await store.listNotes(u.id, { q: '%', limit: 10, offset: 0 })).items.map((n) => n.title)
    ).toEqual(['100% sure'])
    expect(
      (await store.listNotes(u.id, { q: '_', limit: 10, offset: 0 })).items.map((n) => n.title)
    ).toEqual(['under_score'])
    expect((await store.listNotes('nobody', { limit: 10, offset: 0 })).total).toBe(0)
  })

  it('bumps the version on every update, and writes conditionally at an expected version', async () => {
    const store = make()
    const a = await store.createUser('a', 'h')
    const note = await store.createNote(a.id, { title: 'T', body: 'B' })
    expect(note.version).toBe(1)
    const v2 = await store.updateNote(a.id, note.id, { body: 'B2' }, 1)
    expect(v2?.version).toBe(2)
    // A second writer that read version 1 loses: nothing written.
    expect(await store.updateNote(a.id, note.id, { body: 'lost' }, 1)).toBeNull()
    expect((await store.getNote(a.id, note.id))?.body).toBe('B2')
    expect((await store.updateNote(a.id, note.id, { title: 'T3' }))?.version).toBe(3)
    expect(await store.deleteNote(a.id, note.id, 2)).toBe(false)
    expect(await store.getNote(a.id, note.id)).not.toBeNull()
    expect(await store.deleteNote(a.id, note.id, 3)).toBe(true)
  })

  it('reports health and closes', async () => {
    const store = make()
    expect((await store.ping()).ok).toBe(true)
    await store.close()
    await store.close()
    expect((await store.ping()).ok).toBe(false)
  })
})

describe('SQLite migrations', () => {
  it('applies every migration once and records the version', () => {
    const db = new Database(':memory:')
    expect(migrate(db)).toBe(MIGRATIONS.length)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(migrate(db)).toBe(MIGRATIONS.length) // a second run applies nothing (CREATE would fail)
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
    expect(tables).toEqual([{ name: 'notes' }, { name: 'users' }])
    db.close()
  })

  it('gives the notes of a version-2 database version 1 (migration 3)', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS.slice(0, 2))
    db.prepare("INSERT INTO users VALUES ('u', 'u', 'h', 'now')").run()
    db.prepare("INSERT INTO notes VALUES ('n', 'u', 'T', 'B', 'now', 'now')").run()
    expect(migrate(db)).toBe(3)
    expect(db.prepare('SELECT version FROM notes').get()).toEqual({ version: 1 })
    db.close()
  })

  it('refuses a database written by a newer schema', () => {
    const db = new Database(':memory:')
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    expect(() => migrate(db)).toThrow(/newer than this demo knows/)
    db.close()
  })

  it('rolls back a failing migration and keeps the version', () => {
    const db = new Database(':memory:')
    expect(() =>
      migrate(db, [
        { name: 'ok', sql: 'CREATE TABLE t (x)' },
        { name: 'bad', sql: 'CREATE TABLE t (y)' },
      ])
    ).toThrow()
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    db.close()
  })
})
