/**
 * VACUUM (ANALYZE) of a table after a bulk write, off the request's path.
 *   * ANALYZE: the planner's statistics count the new rows. For a point layer after an import of
 *     50,000 rows it takes 0.45 s on real PostGIS (a sample of 30,000 rows; half of it is the
 *     statistics of the geography index), and the import's answer used to wait for it.
 *   * VACUUM: marks the new rows visible to all and their pages all-visible (30 ms for 50,000
 *     rows). Otherwise the first reads after the import (the map's tiles) do it row by row, and
 *     the embedded engine, which has no autovacuum, never does it at all.
 * It runs right after the answer, on a connection of its own, as autovacuum would a minute later:
 * the next import of a series is read while the table is vacuumed.
 * One run per table at a time: a table written again while its run goes on is vacuumed once more
 * afterwards, so the last write is always counted and a burst of imports costs two runs, not N.
 * `settled()` waits for all of them (server shutdown; tests that read plans).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from './types.js';
import { ident } from './sql.js';

export class VacuumLater {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly db: Queryable, private readonly log: FastifyBaseLogger) {}

  /** Schedules a VACUUM (ANALYZE) of `table` (a name from the registry, not user input). */
  soon(table: string): void {
    if (this.running.has(table)) {
      this.again.add(table);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(table);
        try {
          await this.db.query(`VACUUM (ANALYZE) ${ident(table)}`);
        } catch (err) {
          // An optimisation only: a failed run (the database going away at shutdown) leaves the
          // old statistics, which autovacuum or the next import replaces.
          this.log.warn({ err, table }, 'VACUUM (ANALYZE) after import failed');
        }
      } while (this.again.has(table));
      this.running.delete(table);
    })();
    this.running.set(table, run);
  }

  /** Resolves when no run is going on or scheduled. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all(this.running.values());
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** VACUUM (ANALYZE) after imports (db/vacuum-later.ts): tests await `settled()` before reading plans. */
    vacuumLater: VacuumLater;
  }
}
