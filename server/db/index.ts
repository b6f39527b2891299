import type { Db } from './types.js';
import { openEmbedded } from './embedded.js';
import { openPostgres } from './postgres.js';

export type { Db, Queryable, QueryResult, Engine } from './types.js';

export interface DbConfig {
  databaseUrl?: string;
  dataDir: string;
  /** Who opens an embedded DATA_DIR, named by its lock when someone else tries (default: the server). */
  holder?: string;
}

/** DATABASE_URL set: that PostgreSQL + PostGIS; unset: the embedded PGlite under DATA_DIR. */
export function openDatabase(config: DbConfig): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openEmbedded(config.dataDir, config.holder);
}
