/**
 * One process at a time on an embedded DATA_DIR. PGlite has no locking of its own: a second
 * process (another server, or `npm run backup` while the server runs) would open the same files
 * and both would write over each other. The holder writes DATA_DIR/lock.json with its pid; a lock
 * whose process is gone (the server was killed) is stale and taken over.
 */
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../errors.js';

interface LockFile {
  pid: number;
  holder: string;
  since: string;
}

export const LOCK_FILE = 'lock.json';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockFile | undefined {
  try {
    const lock = JSON.parse(readFileSync(path, 'utf8')) as LockFile;
    return Number.isInteger(lock.pid) ? lock : undefined;
  } catch {
    return undefined; // missing, or half-written by a process killed while writing it: stale
  }
}

/**
 * Takes the lock of dataDir for `holder` (e.g. "the server", "npm run backup") and returns the
 * function that gives it back. Throws a StartupError naming the process that holds it.
 */
export function lockDataDir(dataDir: string, holder: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() } satisfies LockFile);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, content, { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (readLock(path)?.pid === process.pid) unlinkSync(path);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = readLock(path);
    if (held && alive(held.pid)) {
      throw new StartupError(`DATA_DIR ${dataDir} is in use by ${held.holder} (pid ${held.pid}, since ${held.since}): stop it first (Ctrl-C in its terminal, or kill ${held.pid}), or use another DATA_DIR`);
    }
    unlinkSync(path); // stale: its process is gone
  }
  throw new StartupError(`DATA_DIR ${dataDir}: another process keeps taking ${LOCK_FILE}; try again`);
}
