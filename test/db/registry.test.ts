/**
 * The registry (server/collections/registry.ts) and the migrations describe the same tables:
 * every property is a column, every enumeration equals its CHECK constraint, every geometry
 * column has both spatial indexes.
 */
import { describe, it, expect } from 'vitest';
import { COLLECTIONS } from '../../server/collections/registry.js';
import { testDb } from '../helpers/db.js';

describe('registry and schema agree', () => {
  for (const c of COLLECTIONS) {
    it(`${c.id}: columns, enumerations and indexes`, async () => {
      const db = await testDb();
      const cols = await db.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1", [c.table]);
      const names = cols.rows.map((r) => r.column_name);
      for (const p of c.properties) expect(names, `${c.id}.${p.name}`).toContain(p.name);
      expect(names).toEqual(expect.arrayContaining(['id', 'geom', 'source', 'created_at', 'updated_at']));

      const checks = await db.query<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`, [c.table]);
      for (const p of c.properties) {
        if (p.type !== 'enum') continue;
        const def = checks.rows.map((r) => r.def).find((d) => d.includes(`(${p.name} = ANY`) || d.includes(`((${p.name} = ANY`));
        expect(def, `CHECK for ${c.id}.${p.name}`).toBeDefined();
        const values = [...def!.matchAll(/'([^']+)'::text/g)].map((m) => m[1]);
        expect(values.sort(), `${c.id}.${p.name}`).toEqual([...p.values].sort());
      }

      const idx = await db.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE tablename = $1', [c.table]);
      const defs = idx.rows.map((r) => r.indexdef);
      expect(defs.some((d) => /USING gist \(geom\)/.test(d)), `${c.id} geometry index`).toBe(true);
      expect(defs.some((d) => /USING gist \(\(\(?geom\)?::geography\)\)/.test(d)), `${c.id} geography index`).toBe(true);
    });
  }
});
