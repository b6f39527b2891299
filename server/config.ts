import { resolve } from 'node:path';
import { StartupError } from './errors.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  seedDemo: boolean;
  /** Largest body accepted by POST /api/import (bytes). */
  importMaxBytes: number;
  /** Largest body of any other request (bytes). */
  bodyMaxBytes: number;
  /** Largest photo accepted by POST /api/photos (bytes). */
  photoMaxBytes: number;
  /** Vertices per geometry and features per import. */
  limits: Limits;
  /** Memory for tiles kept until their collection changes (bytes; 0 turns the cache off). */
  tileCacheBytes: number;
  /** Analyses and printed reports running at once; more wait their turn (server/analysis/gate.ts). */
  analysisConcurrency?: number;
  logLevel: string;
  /** Optional online basemap for the client; the app never needs one. */
  basemap?: { tiles: string[]; attribution: string };
  /** Anonymous users may read the map data (the `public_read` setting can switch it on too). */
  publicRead: boolean;
  /** How long a sign-in lasts. */
  sessionHours: number;
  /** Trust X-Forwarded-* from a reverse proxy in front of the server. */
  trustProxy: boolean;
  /** The first admin, created at start if missing. */
  admin?: { username: string; password: string };
}

const MB = 1024 * 1024;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new StartupError(`${name}=${raw} is not valid: use a whole number from ${min} to ${max}`);
  }
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new StartupError(`${name}=${raw} is not valid: use 1 or 0`);
}

/**
 * An online raster basemap: BASEMAP_URL (an {z}/{x}/{y} template such as OpenStreetMap's), or
 * TIANDITU_KEY for 天地图 (CGCS2000, no offset, so it lines up with our WGS84 data). Tiles from
 * AMap or Tencent are GCJ-02 and would be hundreds of metres off: they are not offered.
 */
function basemap(env: NodeJS.ProcessEnv): Config['basemap'] {
  if (env.TIANDITU_KEY) {
    const key = encodeURIComponent(env.TIANDITU_KEY);
    return {
      tiles: [0, 1, 2, 3, 4, 5, 6, 7].map((n) => `https://t${n}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${key}`),
      attribution: '© 天地图 Tianditu',
    };
  }
  if (env.BASEMAP_URL) {
    if (!/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/.test(env.BASEMAP_URL)) {
      throw new StartupError('BASEMAP_URL must be an http(s) tile template with {z}, {x} and {y}, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png');
    }
    return { tiles: [env.BASEMAP_URL], attribution: env.BASEMAP_ATTRIBUTION || '© OpenStreetMap contributors' };
  }
  return undefined;
}

/** ADMIN_USERNAME and ADMIN_PASSWORD come together or not at all. */
function admin(env: NodeJS.ProcessEnv): Config['admin'] {
  const username = env.ADMIN_USERNAME || undefined;
  const password = env.ADMIN_PASSWORD || undefined;
  if (!username && !password) return undefined;
  if (!username || !password) throw new StartupError('ADMIN_USERNAME and ADMIN_PASSWORD go together: set both to create the first admin, or neither');
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(username)) throw new StartupError(`ADMIN_USERNAME=${username.slice(0, 70)} is not valid: use 1 to 64 letters, digits or . _ @ -`);
  if ([...password].length < 8) throw new StartupError('ADMIN_PASSWORD is too short: use at least 8 characters');
  return { username, password };
}

/** Every setting the server reads, documented in README.md "Settings". */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new StartupError(`DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl.slice(0, 20)}…")`);
  }
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.DATA_DIR || './.data'),
    databaseUrl,
    seedDemo: flag(env, 'SEED_DEMO', true),
    importMaxBytes: int(env, 'IMPORT_MAX_MB', 128, 1, 4096) * MB,
    bodyMaxBytes: int(env, 'BODY_MAX_MB', 4, 1, 1024) * MB,
    photoMaxBytes: int(env, 'PHOTO_MAX_MB', 20, 1, 512) * MB,
    tileCacheBytes: int(env, 'TILE_CACHE_MB', 64, 0, 4096) * MB,
    ...(env.ANALYSIS_CONCURRENCY ? { analysisConcurrency: int(env, 'ANALYSIS_CONCURRENCY', 1, 1, 64) } : {}),
    limits: {
      maxVertices: int(env, 'MAX_VERTICES', DEFAULT_LIMITS.maxVertices, 4, 10_000_000),
      importMaxFeatures: int(env, 'IMPORT_MAX_FEATURES', DEFAULT_LIMITS.importMaxFeatures, 1, 10_000_000),
    },
    logLevel: env.LOG_LEVEL || 'warn',
    basemap: basemap(env),
    publicRead: flag(env, 'PUBLIC_READ', false),
    sessionHours: int(env, 'SESSION_HOURS', 12, 1, 24 * 90),
    admin: admin(env),
    trustProxy: flag(env, 'TRUST_PROXY', false),
  };
}
