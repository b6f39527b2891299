import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { testDb, resetData } from './db.js';
import type { Db } from '../../server/db/index.js';

export const TEST_LIMITS = { bodyMaxBytes: 4 * 1024 * 1024, importMaxBytes: 128 * 1024 * 1024, tileCacheBytes: 16 * 1024 * 1024 };

/** The app on the shared test database, emptied; requests go through app.inject (no socket). */
export async function testApp(): Promise<{ app: FastifyInstance; db: Db }> {
  const db = await testDb();
  await resetData(db);
  const app = await buildApp(db, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null });
  return { app, db };
}

export const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

export function feature(geometry: unknown, properties: Record<string, unknown>) {
  return { type: 'Feature', geometry, properties };
}

export const line = (coords: unknown[][]) => ({ type: 'LineString', coordinates: coords });
export const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
export const square = (lon: number, lat: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
