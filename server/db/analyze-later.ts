/**
 * Planner statistics refreshed after a bulk write, off the request's path. ANALYZE of a point
 * layer after an import of 50,000 rows takes 0.45 s on real PostGIS (a sample of 30,000 rows; half
 * of it is the statistics of the geography index), and the import's answer waited for it. Here
 * it runs right after the answer, on its own connection, like autovacuum would a minute later:
 * the next import of a series is read while the statistics are gathered.
 * One ANALYZE per table at a time: a table written again while its ANALYZE runs is analysed once
 * more afterwards, so the last write is always counted and a burst of imports costs two, not N.
 * `settled()` waits for all of them (server shutdown; tests that read plans).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from './types.js';
import { ident } from './sql.js';

export class AnalyzeLater {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly db: Queryable, private readonly log: FastifyBaseLogger) {}

  /** Schedules an ANALYZE of `table` (a name from the registry, not user input). */
  soon(table: string): void {
    if (this.running.has(table)) {
      this.again.add(table);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(table);
        try {
          await this.db.query(`ANALYZE ${ident(table)}`);
        } catch (err) {
          // Statistics are an optimisation: a failed ANALYZE (the database going away at
          // shutdown) leaves the old ones, which autovacuum or the next import replaces.
          this.log.warn({ err, table }, 'ANALYZE after import failed');
        }
      } while (this.again.has(table));
      this.running.delete(table);
    })();
    this.running.set(table, run);
  }

  /** Resolves when no ANALYZE is running or scheduled. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all(this.running.values());
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** ANALYZE after imports (db/analyze-later.ts): tests await `settled()` before reading plans. */
    analyzeLater: AnalyzeLater;
  }
}
