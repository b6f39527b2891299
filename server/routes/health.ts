import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/index.js';
import type { Config } from '../config.js';

export async function healthRoutes(app: FastifyInstance, opts: { db: Db; basemap?: Config['basemap'] }): Promise<void> {
  const { db } = opts;
  app.get('/api/health', { schema: { tags: ['service'] } }, async () => {
    const { rows } = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
    return { status: 'ok', database: db.engine, postgis: rows[0].v };
  });

  /** What the client needs to know of the server's settings (never secrets beyond the basemap's own key). */
  app.get('/api/client-config', { schema: { tags: ['service'] } }, async () => ({ basemap: opts.basemap ?? null }));
}

