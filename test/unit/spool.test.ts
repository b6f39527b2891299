/**
 * The scratch files of uploads: a body over the limit keeps nothing, a body cut off by its
 * client keeps nothing, and folders a killed server left behind are removed at the next start
 * while those of running imports stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Incomplete, removeStaleScratch, spool, TooLarge } from '../../server/formats/spool.js';

// A TMPDIR of this file's own, so that nothing of other processes is looked at.
const saved = process.env.TMPDIR;
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'remap-spool-test-'));
  process.env.TMPDIR = root;
});
afterAll(() => {
  process.env.TMPDIR = saved;
  rmSync(root, { recursive: true, force: true });
});

describe('spooled uploads', () => {
  it('keeps the whole body on disk with its head, and removes it on dispose', async () => {
    const body = Buffer.concat([Buffer.from('category,lon,lat\n'), Buffer.alloc(200_000, 0x61)]);
    const file = await spool(Readable.from([body.subarray(0, 1000), body.subarray(1000)]), 1 << 20);
    expect(file.size).toBe(body.length);
    expect(file.head.subarray(0, 16).toString()).toBe('category,lon,lat');
    expect(file.head.length).toBe(64 * 1024);
    await file.dispose();
    expect(existsSync(file.dir)).toBe(false);
  });

  it('refuses a body over the limit and keeps nothing of it', async () => {
    await expect(spool(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000)).rejects.toBeInstanceOf(TooLarge);
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps nothing of a body its client cut off', async () => {
    const body = new PassThrough();
    const spooled = spool(body, 1 << 20);
    body.write(Buffer.alloc(5000));
    setTimeout(() => body.destroy(), 20);
    await expect(spooled).rejects.toBeInstanceOf(Incomplete);
    expect(readdirSync(root)).toEqual([]);
  });

  it('removes the folders left an hour ago and keeps the ones in use', async () => {
    const stale = join(root, 'remap-import-stale');
    const fresh = join(root, 'remap-import-fresh');
    const other = join(root, 'someone-else');
    for (const d of [stale, fresh, other]) {
      mkdirSync(d);
      writeFileSync(join(d, 'upload'), 'x');
    }
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (const p of [stale, join(stale, 'upload'), other, join(other, 'upload')]) utimesSync(p, twoHoursAgo, twoHoursAgo);
    // A folder made long ago but written to a minute ago is still in use.
    utimesSync(fresh, twoHoursAgo, twoHoursAgo);
    expect(await removeStaleScratch()).toBe(1);
    expect(readdirSync(root).sort()).toEqual(['remap-import-fresh', 'someone-else']);
  });
});
