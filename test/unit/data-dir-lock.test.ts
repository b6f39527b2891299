import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir, LOCK_FILE } from '../../server/db/data-dir-lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'remap-lock-'));

describe('DATA_DIR lock', () => {
  it('is taken, refused to a second holder while held (naming the holder), and free again once released', () => {
    const d = dir();
    const release = lockDataDir(d, 'the server');
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, holder: 'the server' });
    expect(() => lockDataDir(d, 'npm run backup')).toThrow(new RegExp(`DATA_DIR ${d} is in use by the server \\(pid ${process.pid}, since .*\\): stop it first`));
    release();
    expect(existsSync(join(d, LOCK_FILE))).toBe(false);
    lockDataDir(d, 'npm run backup')();
  });

  it('takes over the lock of a process that is gone (a killed server) and a half-written lock file', () => {
    const d = dir();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: gone, holder: 'the server', since: '2026-01-01T00:00:00Z' }));
    const release = lockDataDir(d, 'npm run restore');
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    release();
    writeFileSync(join(d, LOCK_FILE), '{"pid": 12');
    lockDataDir(d, 'the server')();
  });

  it('a lock of a live process that is not this one is respected', () => {
    const d = dir();
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: process.ppid, holder: 'npm run backup', since: 'now' }));
    expect(() => lockDataDir(d, 'the server')).toThrow(/in use by npm run backup/);
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')).pid).toBe(process.ppid);
  });
});
