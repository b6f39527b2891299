import pg from 'pg';
import type { Db, Queryable, QueryOptions, QueryResult } from './types.js';
import { OID } from './types.js';
import { StartupError } from '../errors.js';
import { ident } from './sql.js';

// Same parsing as the embedded engine (see embedded.ts).
const typeParsers = {
  getTypeParser(oid: number, format?: string) {
    if (oid === OID.int8) return (v: string) => Number(v);
    if (oid === OID.date) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function wrap(client: pg.Pool | pg.PoolClient, tiles?: () => pg.Pool): Queryable {
  return {
    async exec(text: string) {
      await client.query(text); // no values: the simple protocol, which runs several statements
    },
    async query<T>(text: string, params: unknown[] = [], options: QueryOptions = {}): Promise<QueryResult<T>> {
      const on = options.purpose === 'tiles' && tiles ? tiles() : client;
      const r = await on.query({ text, values: params, name: options.name, types: typeParsers });
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
  };
}

function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  // JIT off for every connection: the analyses' and busy tiles' estimated costs pass PostgreSQL's
  // JIT thresholds, and compiling cost more than it saved (county set: the all-roads setback took
  // 0.75 s with JIT, 600 ms of it compiling, and 0.2 s without; tiles 7 % faster in all).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000, options: '-c jit=off' });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', (err) => console.error('postgres pool error:', err.message));
  const where = describe(url);
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new StartupError(`cannot connect to PostgreSQL at ${where}: ${(e as Error).message}. Check DATABASE_URL and that the server is running.`);
  }
  await ensurePostgis(pool, where);
  // Tiles get connections of their own, set up once: parallel workers made tile queries ~6x
  // slower on two cores (DESIGN.md, Engine facts), and clustering a filtered low-zoom tile sorts
  // ~100k rows, which spills to disk at the default work_mem. Per tile, SET LOCAL in a
  // transaction cost three more round trips (BEGIN, SET, COMMIT) than the tile query itself.
  let tilePool: pg.Pool | undefined;
  const tiles = () => {
    if (!tilePool) {
      tilePool = new pg.Pool({
        connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000,
        options: "-c jit=off -c max_parallel_workers_per_gather=0 -c work_mem=64MB",
      });
      tilePool.on('error', (err) => console.error('postgres tile pool error:', err.message));
    }
    return tilePool;
  };
  const base = wrap(pool, tiles);
  return {
    engine: 'postgres',
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async listen(channel, { onMessage, onLost, onRestored }) {
      let client: pg.Client | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const connect = async (): Promise<void> => {
        const c = new pg.Client({ connectionString: url });
        c.on('notification', (n) => n.channel === channel && onMessage(n.payload ?? ''));
        c.on('error', () => {}); // a dropped connection also ends, which is handled below
        try {
          await c.connect();
          await c.query(`LISTEN ${ident(channel)}`);
        } catch (e) {
          await c.end().catch(() => {});
          throw e;
        }
        c.on('end', () => {
          if (stopped) return;
          onLost?.();
          reconnectLater();
        });
        client = c;
      };
      const reconnectLater = () => {
        if (stopped) return;
        retry = setTimeout(() => connect().then(() => onRestored?.(), reconnectLater), 1000);
      };
      await connect();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        await client?.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all([pool.end(), tilePool?.end()]);
    },
  };
}

/** The part of a pg Pool that ensurePostgis needs (tests pass a fake). */
interface SimpleQuery {
  query(text: string): Promise<{ rowCount: number | null }>;
}

/** Creates PostGIS when this role may; otherwise says exactly which step is missing. */
export async function ensurePostgis(pool: SimpleQuery, where: string): Promise<void> {
  const have = await pool.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'");
  if (have.rowCount) return;
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (e) {
    const err = e as { code?: string; message: string };
    const available = await pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'");
    if (!available.rowCount) {
      throw new StartupError(`PostGIS is not installed on the PostgreSQL server at ${where}: install it (Debian: apt-get install postgresql-15-postgis-3), then start again.`);
    }
    throw new StartupError(`PostGIS is installed but not enabled in ${where}, and this role may not enable it (${err.message}): run "CREATE EXTENSION postgis;" in that database as its owner or a superuser, then start again.`);
  }
}
