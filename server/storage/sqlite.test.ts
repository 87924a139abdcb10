import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, StorageUnavailableError } from './db';
import { migrate } from './migrations';
import { openSqlite } from './sqlite';

/** A sync the test finishes by hand, once armed; until then syncs finish at once (migrations). */
function handSync() {
  const calls: { fd: number; done: (error?: Error) => void }[] = [];
  /** Every file synced before arming, as its inode (the descriptor is closed or reused after). */
  const early: number[] = [];
  let armed = false;
  return {
    calls,
    early,
    arm: () => {
      armed = true;
    },
    sync: (fd: number) => {
      if (armed) {
        return new Promise<void>((resolve, reject) =>
          calls.push({ fd, done: (error) => (error ? reject(error) : resolve()) }),
        );
      }
      early.push(fs.fstatSync(fd).ino);
      return Promise.resolve();
    },
  };
}

const settled = async <T>(promise: Promise<T>) => {
  let state = 'pending';
  promise.then(
    () => {
      state = 'fulfilled';
    },
    () => {
      state = 'rejected';
    },
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return state;
};

describe('SQLite group commit', () => {
  const dirs: string[] = [];
  const open: Database[] = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  async function start() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-sqlite-'));
    dirs.push(dir);
    const file = path.join(dir, 'baton.db');
    const hand = handSync();
    const db = openSqlite(file, hand.sync);
    open.push(db);
    await migrate(db, 1);
    hand.arm();
    return { db, file, hand };
  }
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 1000 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(what()).toBe(true);
  };

  it('answers a transaction only once the WAL holding its commit is synced, and holds readers until then', async () => {
    const { db, file, hand } = await start();
    const write = db.transaction(async (tx) => {
      await tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['k', 'v']);
      return 'stored';
    });
    // The migrations' first commit synced the new WAL's directory once, as SQLite does, then the WAL.
    const walInode = fs.statSync(`${file}-wal`).ino;
    expect(hand.early.slice(0, 2)).toEqual([fs.statSync(path.dirname(file)).ino, walInode]);
    expect(hand.early.slice(2).filter((inode) => inode !== walInode)).toEqual([]);
    await until(() => hand.calls.length === 1);
    expect(fs.fstatSync(hand.calls[0]!.fd).ino).toBe(walInode);
    // Synced after the COMMIT: another connection already reads the row.
    const other = new BetterSqlite3(file, { readonly: true });
    try {
      expect(other.prepare('SELECT value FROM settings WHERE key = ?').get('k')).toEqual({ value: 'v' });
    } finally {
      other.close();
    }
    const read = db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', ['k']);
    expect(await settled(write)).toBe('pending');
    expect(await settled(read)).toBe('pending');
    hand.calls[0]!.done();
    expect(await write).toBe('stored');
    expect(await read).toEqual({ value: 'v' });
  });

  it('fails the group whose WAL sync failed, and refuses everything after it until a restart', async () => {
    const { db, hand } = await start();
    const write = db.transaction((tx) =>
      tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['k', 'v']),
    );
    await until(() => hand.calls.length === 1);
    hand.calls[0]!.done(new Error('EIO'));
    await expect(write).rejects.toThrow(StorageUnavailableError);
    await expect(write).rejects.toThrow('EIO');
    // The row is visible to this connection but may never reach the disk: nothing may be answered from
    // it (a retry would be told "already stored"), so every later call is refused until a restart.
    await expect(db.get('SELECT value FROM settings WHERE key = ?', ['k'])).rejects.toThrow(
      StorageUnavailableError,
    );
    await expect(
      db.transaction((tx) => tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['k2', 'v'])),
    ).rejects.toThrow(StorageUnavailableError);
    expect(hand.calls).toHaveLength(1);
  });

  it('refuses a read and a transaction that were waiting on the sync that failed', async () => {
    const { db, hand } = await start();
    const write = db.transaction((tx) =>
      tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['k', 'v']),
    );
    await until(() => hand.calls.length === 1);
    // Both arrive while the group's WAL sync is still pending.
    const read = db.get('SELECT value FROM settings WHERE key = ?', ['k']);
    const next = db.transaction((tx) =>
      tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['k2', 'v']),
    );
    hand.calls[0]!.done(new Error('EIO'));
    await expect(write).rejects.toThrow(StorageUnavailableError);
    await expect(read).rejects.toThrow(StorageUnavailableError);
    await expect(next).rejects.toThrow(StorageUnavailableError);
    expect(hand.calls).toHaveLength(1);
  });

  it('leaves syncing to COMMIT where SQLite keeps no WAL', async () => {
    const hand = handSync();
    hand.arm();
    // An in-memory database keeps no WAL, like one on a file system where WAL cannot work.
    const db = openSqlite(':memory:', hand.sync);
    open.push(db);
    await migrate(db, 1);
    expect(
      await db.transaction((tx) => tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['k', 'v'])),
    ).toBe(1);
    expect(hand.calls).toEqual([]);
  });

  describe('checkpoints', () => {
    /** The WAL header's checkpoint sequence and salts: SQLite changes them when it starts the WAL again. */
    const walGeneration = (file: string) => fs.readFileSync(`${file}-wal`).subarray(12, 24).toString('hex');
    const insert = (db: Database, keys: string[]) =>
      db.transaction(async (tx) => {
        for (const key of keys) await tx.run('INSERT INTO settings (key, value) VALUES (?, ?)', [key, 'v']);
        return keys.length;
      });
    const inode = (fd: number) => fs.fstatSync(fd).ino;
    const storedKeys = (file: string) => {
      const reader = new BetterSqlite3(file, { readonly: true });
      try {
        return (reader.prepare('SELECT key FROM settings ORDER BY key').pluck().all() as string[]).join(' ');
      } finally {
        reader.close();
      }
    };

    /**
     * A migrated database, opened again to checkpoint after every 3 rows written, with every sync in the
     * test's hands; its first write has been answered (its syncs, of the directory and the WAL, were the
     * first two). `next(kind)` waits for the next sync asked for and checks which file it syncs.
     */
    async function written() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-sqlite-'));
      dirs.push(dir);
      const file = path.join(dir, 'baton.db');
      const migrating = openSqlite(file, async () => {}, {
        checkpointAfterChanges: Number.POSITIVE_INFINITY,
      });
      await migrate(migrating, 1);
      await migrating.close();
      const hand = handSync();
      hand.arm();
      const reports: string[] = [];
      const db = openSqlite(file, hand.sync, {
        checkpointAfterChanges: 3,
        log: (level, msg, fields) => reports.push(`${level}: ${msg} (${fields.error})`),
      });
      open.push(db);
      let seen = 0;
      const next = async (kind: 'wal' | 'database') => {
        await until(() => hand.calls.length > seen);
        const call = hand.calls[seen++]!;
        expect(inode(call.fd), `sync ${seen} of the ${kind}`).toBe(
          fs.statSync(kind === 'wal' ? `${file}-wal` : file).ino,
        );
        return call;
      };
      const first = insert(db, ['a1', 'a2', 'a3']);
      await until(() => hand.calls.length === 1);
      hand.calls[0]!.done();
      seen = 1;
      (await next('wal')).done();
      expect(await first).toBe(3);
      const asked = () => hand.calls.length - seen;
      return { db, file, hand, next, asked, reports };
    }

    it('copies the WAL, then starts it again only once the database file is synced, answering writes meanwhile', async () => {
      const { db, file, next, asked } = await written();
      // Three rows written: the group's answer went out, then the checkpoint. Its first copy syncs the WAL
      // first (a process that crashed may have left frames unsynced), then copies, then syncs the file.
      (await next('wal')).done();
      const bulk = await next('database');
      const generation = walGeneration(file);

      // While that sync runs, groups go on committing, and another process's write (the token command)
      // does not start the WAL again either: it would overwrite pages not yet on disk.
      const other = new BetterSqlite3(file);
      other.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('b-other', 'v');
      other.close();
      const during = insert(db, ['b1']);
      (await next('wal')).done();
      expect(await during).toBe(1);
      expect(walGeneration(file)).toBe(generation);

      // What was written meanwhile is copied and synced with the connection held. Another connection
      // committed since the last copy, so the WAL is synced first, as SQLite syncs it before copying.
      bulk.done();
      (await next('wal')).done();
      const rest = await next('database');
      const held = insert(db, ['c1']);
      const read = db.get<{ n: number }>('SELECT count(*) AS n FROM settings');
      expect(await settled(held)).toBe('pending');
      expect(await settled(read)).toBe('pending');
      expect(asked()).toBe(0);
      expect(walGeneration(file)).toBe(generation);

      rest.done();
      expect(await read).toEqual({ n: 5 });
      (await next('wal')).done();
      expect(await held).toBe(1);
      // The first write after the synced copy started the WAL again.
      expect(walGeneration(file)).not.toBe(generation);
      await db.close();
      open.splice(0);
      expect(storedKeys(file)).toBe('a1 a2 a3 b-other b1 c1');
    });

    it('checkpoints after writes outside a group too', async () => {
      const { db, next } = await written();
      (await next('wal')).done();
      (await next('database')).done();
      (await next('database')).done();
      // Synced by SQLite itself (synchronous=FULL outside a group), then copied: the database file's sync.
      expect(
        await db.run("INSERT INTO settings (key, value) VALUES ('d1', 'v'), ('d2', 'v'), ('d3', 'v')"),
      ).toBe(3);
      (await next('database')).done();
      (await next('database')).done();
    });

    it('after the database file failed to sync, refuses every call and keeps the WAL, for this process and others', async () => {
      const { db, file, next, asked, reports } = await written();
      (await next('wal')).done();
      const bulk = await next('database');
      const generation = walGeneration(file);
      bulk.done(new Error('EIO'));
      await until(() => reports.length === 1);
      expect(reports).toEqual([
        'error: SQLite checkpoint failed: the store is refused until a restart (Error: EIO)',
      ]);
      await expect(
        (async () => {
          for (let i = 0; i < 100; i++) {
            await db.get('SELECT 1');
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        })(),
      ).rejects.toThrow(StorageUnavailableError);
      await expect(insert(db, ['b1'])).rejects.toThrow(/could not sync the database file.*EIO/);
      // SQLite counts the pages as copied: only the guard keeps another writer from starting the WAL again.
      const other = new BetterSqlite3(file);
      other.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('b-other', 'v');
      other.close();
      expect(walGeneration(file)).toBe(generation);
      // Closing the last connection would delete the WAL: the store closes nothing, and the WAL stays.
      await db.close();
      open.splice(0);
      expect(walGeneration(file)).toBe(generation);
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(32);
      expect(asked()).toBe(0);
      expect(storedKeys(file)).toBe('a1 a2 a3 b-other');
    });

    it('copies nothing once a WAL sync failed, whoever heard of the failure', async () => {
      const { db, next, asked, reports } = await written();
      // The checkpoint's own WAL sync fails: the store is refused, as after a group's failed WAL sync,
      // and nothing is copied (no sync of the database file follows).
      (await next('wal')).done(new Error('EIO'));
      await expect(insert(db, ['b1'])).rejects.toThrow(/write-ahead log failed.*EIO/);
      await expect(db.get('SELECT 1')).rejects.toThrow(StorageUnavailableError);
      expect(asked()).toBe(0);
      // The refusal is what callers hear; a refused store's checkpoint is not also reported as skipped.
      expect(reports).toEqual([]);
    });

    it('refuses calls waiting on the store or coming after it is closed', async () => {
      const { db, next } = await written();
      const closed = db.close();
      (await next('wal')).done();
      (await next('database')).done();
      (await next('database')).done();
      await closed;
      open.splice(0);
      await expect(insert(db, ['b1'])).rejects.toThrow('closed');
      await expect(db.get('SELECT 1')).rejects.toThrow('closed');
    });
  });
});
