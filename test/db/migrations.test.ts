import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listMigrations, migrate } from '../../server/db/migrate.js';
import { testDb } from '../helpers/db.js';

describe('migrations', () => {
  it('are numbered, applied in order, recorded, and a second run applies nothing', async () => {
    const db = await testDb();
    const all = listMigrations();
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort((a, b) => a - b));
    expect(new Set(all.map((m) => m.version)).size).toBe(all.length);
    const { rows } = await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.name)).toEqual(all.map((m) => m.name));
    expect(await migrate(db)).toEqual([]);
  });

  it('refuse to start when a landed migration was edited', async () => {
    const db = await testDb();
    const dir = mkdtempSync(join(tmpdir(), 'remap-mig-'));
    cpSync(fileURLToPath(new URL('../../server/migrations/', import.meta.url)), dir, { recursive: true });
    writeFileSync(join(dir, '001_collections.sql'), '-- edited\n', { flag: 'a' });
    await expect(migrate(db, listMigrations(dir))).rejects.toThrow(/001_collections was changed after it was applied/);
  });

  it('a failing migration leaves nothing of itself behind', async () => {
    const db = await testDb();
    const dir = mkdtempSync(join(tmpdir(), 'remap-mig-'));
    cpSync(fileURLToPath(new URL('../../server/migrations/', import.meta.url)), dir, { recursive: true });
    writeFileSync(join(dir, '900_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
    await expect(migrate(db, listMigrations(dir))).rejects.toThrow(/no_such_function/);
    const { rows } = await db.query("SELECT to_regclass('half_done') AS t");
    expect(rows[0].t).toBeNull();
    const rec = await db.query('SELECT 1 FROM schema_migrations WHERE version = 900');
    expect(rec.rows).toHaveLength(0);
  });
});
