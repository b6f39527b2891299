/**
 * Loads the demo township (data/demo/*.geojson, written by scripts/generate-demo.ts) into an
 * empty database through the same checks as an import, in one transaction.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/index.js';
import { COLLECTIONS } from '../collections/registry.js';
import { prepareFeatures } from '../collections/features.js';
import { FeatureRepository } from '../collections/repository.js';
import { createDemoUsers, type NewUser } from '../auth/users.js';
import { SERVER_ACTOR } from '../audit/log.js';

export const DEMO_DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));

async function isEmpty(db: Db): Promise<boolean> {
  for (const c of COLLECTIONS) {
    const { rows } = await db.query(`SELECT 1 FROM ${c.table} LIMIT 1`);
    if (rows.length) return false;
  }
  return true;
}

/**
 * Returns the number of features loaded per collection and the demo users made (one per role,
 * DEMO ONLY passwords), or undefined when nothing was done.
 */
export async function seedDemo(db: Db, dir = DEMO_DIR): Promise<{ counts: Record<string, number>; users: NewUser[] } | undefined> {
  const marker = await db.query("SELECT 1 FROM app_meta WHERE key = 'demo_seeded'");
  if (marker.rows.length || !(await isEmpty(db))) return undefined;
  const counts: Record<string, number> = {};
  let users: NewUser[] = [];
  await db.transaction(async (tx) => {
    for (const c of COLLECTIONS) {
      const file = `${dir}${c.id}.geojson`;
      if (!existsSync(file)) continue;
      const fc = JSON.parse(readFileSync(file, 'utf8')) as { features: unknown[] };
      const prepared = await prepareFeatures(tx, c, fc.features, 'import');
      if (prepared.rejected.length) {
        const r = prepared.rejected[0];
        throw new Error(`demo data ${c.id}.geojson feature ${r.index} is invalid: ${r.reason} (regenerate with npm run generate:demo)`);
      }
      const ids = await new FeatureRepository(c).insertMany(tx, prepared.accepted.map((a) => a.feature));
      counts[c.id] = ids.length;
    }
    users = await createDemoUsers(tx, SERVER_ACTOR);
    await tx.query("INSERT INTO app_meta (key, value) VALUES ('demo_seeded', $1::jsonb)", [JSON.stringify({ at: new Date().toISOString(), counts })]);
  });
  return { counts, users };
}
