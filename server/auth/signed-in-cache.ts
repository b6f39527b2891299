/**
 * Who a session cookie or API token belongs to, remembered for a moment. A map view asks for
 * dozens of tiles at once, and each request would otherwise look its caller up in the database:
 * one more round trip per tile, which on two cores was a tenth of a rendered tile's cost
 * (docs/benchmarks.md).
 *
 * Only answers that let someone in are kept (a new token or session works at once), for at most
 * TTL_MS. Whatever takes access away through this server (sign-out, a revoked token, a changed
 * password, a user changed or disabled) calls signedInChanged() after its transaction commits,
 * which forgets everything: the next request asks the database again. A change made by another
 * process (`npm run user`, a second server, psql) applies within TTL_MS.
 */
import type { Db } from '../db/index.js';
import type { SessionUser } from './users.js';

export const TTL_MS = 2_000;
/** Far more callers than a township has; past it the map starts again (no unbounded growth). */
const MAX_ENTRIES = 10_000;

interface Entry { user: SessionUser; at: number; generation: number }

let generation = 0;
const byDb = new WeakMap<Db, Map<string, Entry>>();

/** Forgets every remembered caller (call it after the change has committed). */
export function signedInChanged(): void {
  generation++;
}

/**
 * The user for `key` (a hash of the cookie or token, with its kind) from memory, else from load().
 * The generation is read before load() runs: if access is taken away while the query runs, the
 * answer is stored under the old generation and never used.
 */
export async function signedInUser(db: Db, key: string, load: () => Promise<SessionUser | undefined>): Promise<SessionUser | undefined> {
  let entries = byDb.get(db);
  if (!entries) byDb.set(db, (entries = new Map()));
  const now = performance.now();
  const hit = entries.get(key);
  if (hit && hit.generation === generation && now - hit.at < TTL_MS) return hit.user;
  const asked = generation;
  const user = await load();
  if (user) {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, { user, at: now, generation: asked });
  } else entries.delete(key);
  return user;
}
