import { expect } from 'vitest';
import type { Db } from '../../server/db/index.js';
import { findCollection } from '../../server/collections/registry.js';
import { prepareFeatures } from '../../server/collections/features.js';
import { FeatureRepository } from '../../server/collections/repository.js';

/** Loads features through the same checks as an import; fails the test if any is refused. */
export async function load(db: Db, collection: string, features: unknown[]): Promise<number[]> {
  const c = findCollection(collection)!;
  const p = await prepareFeatures(db, c, features, 'import');
  expect(p.rejected, `${collection} fixture`).toEqual([]);
  return db.transaction((tx) => new FeatureRepository(c).insertMany(tx, p.accepted.map((a) => a.feature)));
}
